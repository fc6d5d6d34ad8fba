// Saving an imported policy text: as a new policy (with the 改訂履歴 the document carries) or
// as the draft of a new version of a policy that exists. All or nothing, with one audit event.

import { and, eq, max } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { policies, policyVersions, type ChangeKind } from '../db/schema';
import { recordAudit } from '../audit/log';
import { isUniqueViolation, isUuid } from '../db/ids';
import { normaliseVersion } from './import/history';
import type { HistoryRow, ParsedPolicy } from './import';
import { compareVersions } from './policies';
import { changeKindFromLabel, effectiveDateFromLabel, insertVersion } from './versions';
import { withoutNul } from '../text/decode';
import { japanMidnight } from '../../format/calendar';

/** Who saves: a person from the web page, or nobody in particular (personId null) from the CLI. */
export interface ImportActor {
	orgId: string;
	personId: string | null;
	ip?: string | null;
}

export type ImportTarget =
	| {
			mode: 'new';
			slug: string;
			title: string;
			/** '' takes the last 改訂履歴 row's version, or 1.0 without history. */
			version: string;
			/** Absent: the 区分 of the document's history row for this version. */
			changeKind?: ChangeKind;
			/** Absent: the 理由及び内容 of the document's history row for this version. */
			reason?: string;
			/** True: the version is published (in force); false: a draft. */
			publish: boolean;
	  }
	| { mode: 'draft'; policyId: string; version: string; changeKind: ChangeKind; reason: string };

export type ImportProblem =
	'bad_slug' | 'slug_taken' | 'title_required' | 'title_too_long' | 'bad_version' | 'version_taken' | 'version_behind_history' | 'not_found';

export type ImportField = 'slug' | 'title' | 'version' | 'policy';

export type SavePolicyImportResult =
	| {
			ok: true;
			policyId: string;
			slug: string;
			versionId: string;
			version: string;
			status: 'published' | 'draft';
			sections: number;
			/** Versions from the 改訂履歴 saved before this one, without text. */
			historyVersions: string[];
	  }
	| { ok: false; problem: ImportProblem; field: ImportField; params?: Record<string, string> };

const fieldOf: Record<ImportProblem, ImportField> = {
	bad_slug: 'slug',
	slug_taken: 'slug',
	title_required: 'title',
	title_too_long: 'title',
	bad_version: 'version',
	version_taken: 'version',
	version_behind_history: 'version',
	not_found: 'policy'
};

class ImportRefused extends Error {
	constructor(
		readonly problem: ImportProblem,
		readonly params?: Record<string, string>
	) {
		super(problem);
	}
}

function refuse(problem: ImportProblem, params?: Record<string, string>): never {
	throw new ImportRefused(problem, params);
}

// Lowercase words joined by hyphens: the slug is a path segment (/policy/kihon-hoshin).
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Path segments of /policy/… that a slug must not take.
const reservedSlugs = new Set(['import']);
export const slugMaxLength = 64;
export const titleMaxLength = 200;
const versionPattern = /^[0-9]{1,4}(?:\.[0-9]{1,4}){0,3}$/;

export function isValidPolicySlug(slug: string): boolean {
	return slug.length <= slugMaxLength && slugPattern.test(slug) && !reservedSlugs.has(slug);
}

/** 第5.1版, ５．１, v5.1 → 5.1; null when it is not a version label. */
export function policyVersionLabel(text: string): string | null {
	const version = normaliseVersion(text.trim());
	return versionPattern.test(version) ? version : null;
}

/** The document's 改訂履歴, oldest first, one row per version (a later row wins). */
function historyByVersion(rows: readonly HistoryRow[]): HistoryRow[] {
	const byVersion = new Map<string, HistoryRow>();
	for (const row of rows) if (policyVersionLabel(row.version)) byVersion.set(row.version, row);
	return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}

/** The version label, 区分, 理由 and date the form would start from for a new policy. */
export function importDefaults(parsed: ParsedPolicy): { version: string; changeKind: ChangeKind; reason: string; date: string } {
	const last = historyByVersion(parsed.history).at(-1);
	if (!last) return { version: '1.0', changeKind: 'enacted', reason: '', date: '' };
	return { version: last.version, changeKind: changeKindFromLabel(last.kind), reason: last.reason, date: last.date };
}

/** Midnight in Japan on the effective date: when a historical version went in force. */
const startOfDay = (date: string | null) => (date ? japanMidnight(date) : null);

async function saveNewPolicy(tx: DbOrTx, actor: ImportActor, parsed: ParsedPolicy, target: Extract<ImportTarget, { mode: 'new' }>) {
	const slug = target.slug.trim();
	const title = withoutNul(target.title).trim();
	if (!isValidPolicySlug(slug)) refuse('bad_slug');
	if (!title) refuse('title_required');
	if (title.length > titleMaxLength) refuse('title_too_long', { max: String(titleMaxLength) });
	const history = historyByVersion(parsed.history);
	const version = target.version.trim() ? policyVersionLabel(target.version) : (history.at(-1)?.version ?? '1.0');
	if (!version) return refuse('bad_version');
	// A version older than the document's own history would leave a newer 版 superseded by it.
	const latest = history.at(-1);
	if (latest && compareVersions(latest.version, version) > 0) refuse('version_behind_history', { latest: latest.version });

	const [taken] = await tx
		.select({ id: policies.id })
		.from(policies)
		.where(and(eq(policies.orgId, actor.orgId), eq(policies.slug, slug)));
	if (taken) refuse('slug_taken', { slug });

	const [{ last }] = await tx
		.select({ last: max(policies.sortOrder) })
		.from(policies)
		.where(eq(policies.orgId, actor.orgId));
	const [policy] = await tx
		.insert(policies)
		.values({ orgId: actor.orgId, slug, title, sortOrder: (last ?? -1) + 1 })
		.returning({ id: policies.id });

	const older = history.filter((row) => compareVersions(row.version, version) < 0);
	for (const row of older) {
		const effectiveDate = effectiveDateFromLabel(row.date);
		await insertVersion(
			tx,
			{
				orgId: actor.orgId,
				policyId: policy.id,
				version: row.version,
				status: 'superseded',
				changeKind: changeKindFromLabel(row.kind),
				reason: row.reason,
				dateLabel: row.date,
				effectiveDate,
				title,
				textHeld: false,
				createdBy: actor.personId,
				publishedAt: startOfDay(effectiveDate)
			},
			[]
		);
	}

	const own = history.find((row) => compareVersions(row.version, version) === 0);
	const dateLabel = own?.date ?? '';
	const effectiveDate = effectiveDateFromLabel(dateLabel);
	const status = target.publish ? ('published' as const) : ('draft' as const);
	const versionId = await insertVersion(
		tx,
		{
			orgId: actor.orgId,
			policyId: policy.id,
			version,
			status,
			changeKind: target.changeKind ?? (own ? changeKindFromLabel(own.kind) : older.length > 0 ? 'partial' : 'enacted'),
			reason: withoutNul(target.reason ?? own?.reason ?? ''),
			dateLabel,
			effectiveDate,
			title: parsed.title || title,
			preamble: parsed.preamble,
			textHeld: true,
			createdBy: actor.personId,
			publishedAt: target.publish ? (startOfDay(effectiveDate) ?? new Date()) : null
		},
		parsed.sections
	);
	return { policyId: policy.id, slug, versionId, version, status, historyVersions: older.map((row) => row.version) };
}

async function saveDraftVersion(tx: DbOrTx, actor: ImportActor, parsed: ParsedPolicy, target: Extract<ImportTarget, { mode: 'draft' }>) {
	if (!isUuid(target.policyId)) return refuse('not_found');
	const [policy] = await tx
		.select()
		.from(policies)
		.where(and(eq(policies.orgId, actor.orgId), eq(policies.id, target.policyId)));
	if (!policy) return refuse('not_found');
	const version = policyVersionLabel(target.version);
	if (!version) return refuse('bad_version');
	const [taken] = await tx
		.select({ id: policyVersions.id })
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.version, version)));
	if (taken) refuse('version_taken', { version });

	const versionId = await insertVersion(
		tx,
		{
			orgId: actor.orgId,
			policyId: policy.id,
			version,
			status: 'draft',
			changeKind: target.changeKind,
			reason: withoutNul(target.reason).trim(),
			title: parsed.title || policy.title,
			preamble: parsed.preamble,
			textHeld: true,
			createdBy: actor.personId
		},
		parsed.sections
	);
	return { policyId: policy.id, slug: policy.slug, versionId, version, status: 'draft' as const, historyVersions: [] };
}

/**
 * Saves a parsed policy text. Refusals (bad or taken slug, bad or taken version, a policy of
 * another organisation) write nothing and name the form field.
 */
export async function savePolicyImport(db: Db, actor: ImportActor, parsed: ParsedPolicy, target: ImportTarget): Promise<SavePolicyImportResult> {
	try {
		return await db.transaction(async (tx) => {
			const saved = target.mode === 'new' ? await saveNewPolicy(tx, actor, parsed, target) : await saveDraftVersion(tx, actor, parsed, target);
			await recordAudit(tx, actor, {
				action: 'policy.import',
				targetType: 'policy_version',
				targetId: saved.versionId,
				detail: {
					mode: target.mode,
					policyId: saved.policyId,
					slug: saved.slug,
					version: saved.version,
					status: saved.status,
					sections: parsed.sections.length,
					historyVersions: saved.historyVersions.length,
					warnings: parsed.warnings.length
				}
			});
			return { ok: true as const, ...saved, sections: parsed.sections.length };
		});
	} catch (err) {
		const problem = err instanceof ImportRefused ? err.problem : isUniqueViolation(err) ? raceProblem(err) : null;
		if (!problem) throw err;
		return { ok: false, problem, field: fieldOf[problem], params: err instanceof ImportRefused ? err.params : undefined };
	}
}

/** Two saves at once: the unique index that stopped the second one tells which field clashed. */
function raceProblem(err: unknown): ImportProblem {
	const e = err as { constraint?: string; cause?: { constraint?: string } };
	const constraint = e.constraint ?? e.cause?.constraint ?? '';
	return constraint.startsWith('policies_') ? 'slug_taken' : 'version_taken';
}
