// Reading drafts: one revision with its sections as the viewer may see them, the list of open and
// recently published revisions, and the policies a revision can start from.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { policies, policyVersions, type ChangeKind, type Role } from '../../db/schema';
import { isUuid } from '../../db/ids';
import { listPolicies } from '../../policy/policies';
import { canSeeRestricted } from '../../policy/visibility';
import { holdsAny, openStatuses, revisionReaderRoles, type VersionRow } from '../common';
import { baseOf, metadataToken, namesOf, personRef, sectionRows, visibleOnly, type PersonRef } from './shared';

export interface RevisionSummary {
	id: string;
	policyId: string;
	policySlug: string;
	policyTitle: string;
	version: string;
	status: VersionRow['status'];
	changeKind: ChangeKind;
	reason: string;
	basedOn: { id: string; version: string } | null;
	evidence: Record<string, unknown> | null;
	createdBy: PersonRef | null;
	createdAt: Date;
	publishedAt: Date | null;
	effectiveDate: string | null;
	dateLabel: string;
	/** Names the metadata as loaded: a save that carries an older one is a conflict. */
	metaToken: string;
}

export interface DraftSection {
	key: string;
	position: number;
	level: number;
	label: string;
	heading: string;
	body: string;
	rev: number;
	updatedBy: PersonRef | null;
	updatedAt: Date;
}

export interface LoadedRevision {
	revision: RevisionSummary;
	sections: DraftSection[];
}

/**
 * A revision with its sections as the viewer may see them; null when it is not there for the
 * viewer (another organisation, a 非公開 policy, or a learner).
 */
export async function loadRevision(db: DbOrTx, viewer: { orgId: string; roles: readonly Role[] }, versionId: string): Promise<LoadedRevision | null> {
	if (!holdsAny(viewer, revisionReaderRoles) || !isUuid(versionId)) return null;
	const [row] = await db
		.select({ version: policyVersions, policy: policies })
		.from(policyVersions)
		.innerJoin(policies, eq(policies.id, policyVersions.policyId))
		.where(and(eq(policyVersions.orgId, viewer.orgId), eq(policyVersions.id, versionId)));
	if (!row || !row.version.textHeld || !canSeeRestricted(row.policy.restrictedTo, viewer.roles)) return null;
	const { version, policy } = row;
	const [base, rows] = await Promise.all([baseOf(db, version), sectionRows(db, viewer.orgId, version.id)]);
	const sections = visibleOnly(rows, viewer.roles);
	const names = await namesOf(db, viewer.orgId, [version.createdBy, ...sections.map((s) => s.updatedBy)]);
	return {
		revision: {
			id: version.id,
			policyId: policy.id,
			policySlug: policy.slug,
			policyTitle: policy.title,
			version: version.version,
			status: version.status,
			changeKind: version.changeKind,
			reason: version.reason,
			basedOn: base ? { id: base.id, version: base.version } : null,
			evidence: version.evidence ?? null,
			createdBy: personRef(names, version.createdBy),
			createdAt: version.createdAt,
			publishedAt: version.publishedAt,
			effectiveDate: version.effectiveDate,
			dateLabel: version.dateLabel,
			metaToken: metadataToken(version)
		},
		sections: sections.map((s) => ({
			key: s.key,
			position: s.position,
			level: s.level,
			label: s.label,
			heading: s.heading,
			body: s.body,
			rev: s.rev,
			updatedBy: personRef(names, s.updatedBy),
			updatedAt: s.updatedAt
		}))
	};
}

export interface RevisionListItem {
	id: string;
	policySlug: string;
	policyTitle: string;
	version: string;
	status: VersionRow['status'];
	changeKind: ChangeKind;
	createdBy: PersonRef | null;
	createdAt: Date;
	publishedAt: Date | null;
	effectiveDate: string | null;
	/** The last change of state, or the start. */
	lastEventAt: Date;
}

/** Open revisions, and the revisions published most recently through the app. */
export async function listRevisions(
	db: DbOrTx,
	viewer: { orgId: string; roles: readonly Role[] },
	recent = 10
): Promise<{ open: RevisionListItem[]; published: RevisionListItem[] }> {
	if (!holdsAny(viewer, revisionReaderRoles)) return { open: [], published: [] };
	const lastEvent = sql<Date>`(SELECT max(e.at) FROM revision_events e WHERE e.version_id = ${policyVersions.id})`.mapWith(policyVersions.createdAt);
	const columns = { version: policyVersions, policy: policies, lastEventAt: lastEvent };
	const [openRows, publishedRows] = await Promise.all([
		db
			.select(columns)
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(and(eq(policyVersions.orgId, viewer.orgId), inArray(policyVersions.status, [...openStatuses])))
			.orderBy(asc(policies.sortOrder), asc(policyVersions.createdAt)),
		db
			.select(columns)
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(
				and(
					eq(policyVersions.orgId, viewer.orgId),
					inArray(policyVersions.status, ['published', 'superseded']),
					isNotNull(policyVersions.basedOnVersionId),
					isNotNull(policyVersions.publishedAt)
				)
			)
			.orderBy(desc(policyVersions.publishedAt))
			.limit(recent)
	]);
	const visible = [...openRows, ...publishedRows].filter((r) => canSeeRestricted(r.policy.restrictedTo, viewer.roles));
	const names = await namesOf(
		db,
		viewer.orgId,
		visible.map((r) => r.version.createdBy)
	);
	const item = (r: (typeof visible)[number]): RevisionListItem => ({
		id: r.version.id,
		policySlug: r.policy.slug,
		policyTitle: r.policy.title,
		version: r.version.version,
		status: r.version.status,
		changeKind: r.version.changeKind,
		createdBy: personRef(names, r.version.createdBy),
		createdAt: r.version.createdAt,
		publishedAt: r.version.publishedAt,
		effectiveDate: r.version.effectiveDate,
		lastEventAt: r.lastEventAt ?? r.version.createdAt
	});
	const shown = new Set(visible);
	return { open: openRows.filter((r) => shown.has(r)).map(item), published: publishedRows.filter((r) => shown.has(r)).map(item) };
}

/** Policies the viewer can start a revision of, each with its version in force and any open revision. */
export async function startablePolicies(db: DbOrTx, viewer: { orgId: string; roles: readonly Role[] }) {
	const rows = await listPolicies(db, viewer);
	const open = await db
		.select({ policyId: policyVersions.policyId, id: policyVersions.id })
		.from(policyVersions)
		.where(and(eq(policyVersions.orgId, viewer.orgId), inArray(policyVersions.status, [...openStatuses])));
	const openByPolicy = new Map(open.map((o) => [o.policyId, o.id]));
	return rows
		.filter((r) => r.inForce?.textHeld)
		.map((r) => ({
			id: r.policy.id,
			slug: r.policy.slug,
			title: r.policy.title,
			version: r.inForce!.version,
			openRevisionId: openByPolicy.get(r.policy.id) ?? null
		}));
}
