// The directory sync: the directory read as a roster, previewed and applied by the roster import
// itself (new people, transfers, other changes, leavers; one transaction; audited). An admin
// starts it from /admin/directory; the nightly run applies it unless too many would leave.
import { and, count, desc, eq, isNotNull, isNull, ne, sql, gte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { people, rosterImports } from '../../db/schema';
import { recordAudit } from '../../audit/log';
import { DirectoryUnavailable } from '../../auth/directory/client';
import type { DirectoryConfig } from '../../auth/directory/config';
import { organizationForHost } from '../organizations';
import { japanMidnight, japanToday } from '../../../format/calendar';
import { applyRosterImport, loadRosterPreview, type RosterActor, type RosterCounts } from '../roster';
import { firstProblems, type RosterProblem } from '../roster/rows';
import { readDirectory } from './read';

export const directoryFileName = 'ディレクトリ';

export type DirectoryPreviewResult =
	| { ok: true; importId: string; counts: RosterCounts }
	| { ok: false; reason: 'unavailable'; message: string }
	| { ok: false; reason: 'invalid'; problems: (RosterProblem & { entry: string })[]; more: number };

/** The organisation the directory belongs to (LDAP_ORG_HOST, else the only or first one). */
export async function directoryOrgId(db: DbOrTx, config: DirectoryConfig): Promise<string | null> {
	const org = await organizationForHost(db, config.orgHost);
	if (!org || (config.orgHost && org.host?.toLowerCase() !== config.orgHost)) return null;
	return org.id;
}

/**
 * Reads the directory and keeps it as a previewed roster import, which the roster's preview page
 * shows and applies. Nothing else is written; the preview's counts go to the audit log.
 */
export async function previewDirectorySync(
	db: Db,
	actor: RosterActor,
	config: DirectoryConfig,
	options: { today?: string; scheduled?: boolean } = {}
): Promise<DirectoryPreviewResult> {
	const today = options.today ?? japanToday();
	const retired = await db
		.select({ employeeNumber: people.employeeNumber, retirementDate: people.retirementDate })
		.from(people)
		.where(and(eq(people.orgId, actor.orgId), isNotNull(people.retirementDate), sql`${people.retirementDate} <= ${today}`));
	let read;
	try {
		read = await readDirectory(config, { today, storedRetirement: new Map(retired.map((p) => [p.employeeNumber, p.retirementDate])) });
	} catch (error) {
		if (!(error instanceof DirectoryUnavailable)) throw error;
		await recordAudit(db, actor, { action: 'directory.sync_failed', detail: { scheduled: !!options.scheduled, error: error.message } });
		return { ok: false, reason: 'unavailable', message: error.message };
	}
	if (read.problems.length > 0) {
		await recordAudit(db, actor, { action: 'directory.sync_failed', detail: { scheduled: !!options.scheduled, problems: read.problems.length } });
		const { problems, more } = firstProblems(read.problems);
		return { ok: false, reason: 'invalid', problems: problems as (RosterProblem & { entry: string })[], more };
	}
	const [created] = await db
		.insert(rosterImports)
		.values({
			orgId: actor.orgId,
			createdBy: actor.personId,
			fileName: directoryFileName,
			encoding: 'ldap',
			rows: read.rows,
			options: { source: 'directory', departments: read.departments, rowCount: read.rows.length }
		})
		.returning({ id: rosterImports.id });
	// Earlier directory previews nobody applied are out of date now.
	await db
		.update(rosterImports)
		.set({ status: 'discarded', rows: [] })
		.where(
			and(eq(rosterImports.orgId, actor.orgId), eq(rosterImports.status, 'previewed'), eq(rosterImports.encoding, 'ldap'), ne(rosterImports.id, created.id))
		);
	const preview = await loadRosterPreview(db, actor.orgId, created.id, { actorId: actor.personId, today });
	const counts = preview!.counts;
	await recordAudit(db, actor, {
		action: 'directory.sync_preview',
		targetType: 'roster_import',
		targetId: created.id,
		detail: { scheduled: !!options.scheduled, disabled: read.disabled, ...counts }
	});
	return { ok: true, importId: created.id, counts };
}

export type ScheduledSyncResult =
	| { status: 'not_due' | 'no_organisation' }
	| { status: 'failed'; reason: 'unavailable' | 'invalid' }
	| { status: 'held'; importId: string; counts: RosterCounts; leaversPercent: number }
	| { status: 'applied'; importId: string; counts: RosterCounts };

/**
 * The nightly sync: once a Japan day, at or after the configured hour. Applies the preview (leavers
 * deactivated) unless more than the stop-limit of the directory's people would leave: then the
 * preview waits on /admin/directory for an admin, and the log says why.
 */
export async function runScheduledDirectorySync(db: Db, config: DirectoryConfig, now = new Date(), today = japanToday()): Promise<ScheduledSyncResult> {
	const orgId = await directoryOrgId(db, config);
	if (!orgId) return { status: 'no_organisation' };
	const hour = (now.getUTCHours() + 9) % 24;
	if (config.sync.hour === null || hour < config.sync.hour) return { status: 'not_due' };
	const [done] = await db
		.select({ n: count() })
		.from(rosterImports)
		.where(
			and(
				eq(rosterImports.orgId, orgId),
				eq(rosterImports.encoding, 'ldap'),
				isNull(rosterImports.createdBy),
				gte(rosterImports.createdAt, japanMidnight(today))
			)
		);
	if (done.n > 0) return { status: 'not_due' };

	const actor: RosterActor = { orgId, personId: null, ip: null };
	const preview = await previewDirectorySync(db, actor, config, { today, scheduled: true });
	if (!preview.ok) return { status: 'failed', reason: preview.reason };
	const [base] = await db
		.select({ n: count() })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.active, true), eq(people.fromDirectory, true)));
	const leavers = preview.counts.missing + preview.counts.retired;
	const leaversPercent = base.n > 0 ? (leavers * 100) / base.n : 0;
	if (leavers > 0 && leaversPercent > config.sync.maxLeaversPercent) {
		await recordAudit(db, actor, {
			action: 'directory.sync_held',
			targetType: 'roster_import',
			targetId: preview.importId,
			detail: { leavers, directoryPeople: base.n, leaversPercent: Math.round(leaversPercent * 10) / 10, limitPercent: config.sync.maxLeaversPercent }
		});
		return { status: 'held', importId: preview.importId, counts: preview.counts, leaversPercent };
	}
	const applied = await applyRosterImport(db, actor, preview.importId, { deactivateMissing: true, today });
	if (!applied.ok) return { status: 'failed', reason: 'invalid' };
	return { status: 'applied', importId: preview.importId, counts: applied.counts };
}

export interface DirectorySyncSummary {
	id: string;
	status: 'previewed' | 'applied' | 'discarded';
	scheduled: boolean;
	rowCount: number;
	createdAt: Date;
	appliedAt: Date | null;
}

/** The organisation's latest directory syncs, newest first. */
export async function listDirectorySyncs(db: DbOrTx, orgId: string, limit = 20): Promise<DirectorySyncSummary[]> {
	const rows = await db
		.select({
			id: rosterImports.id,
			status: rosterImports.status,
			createdBy: rosterImports.createdBy,
			options: rosterImports.options,
			createdAt: rosterImports.createdAt,
			appliedAt: rosterImports.appliedAt
		})
		.from(rosterImports)
		.where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.encoding, 'ldap')))
		.orderBy(desc(rosterImports.createdAt))
		.limit(limit);
	return rows.map((r) => ({
		id: r.id,
		status: r.status,
		scheduled: r.createdBy === null,
		rowCount: Number((r.options as { rowCount?: number }).rowCount ?? 0),
		createdAt: r.createdAt,
		appliedAt: r.appliedAt
	}));
}
