// What the parts of a draft share: who is named on it, the sections a viewer may see, the version
// it is compared with, and the checks every edit makes first.
import { createHash } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNotNull, like } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { auditEvents, people, policies, policySections, policyVersions, type Role } from '../../db/schema';
import { recordAudit } from '../../audit/log';
import { versionInForce } from '../../policy/policies';
import { canSeeRestricted } from '../../policy/visibility';
import { editorRoles, holdsAny, isEditableStatus, lockVersion, refuse, type RevisionActor, type VersionRow } from '../common';

export interface PersonRef {
	id: string;
	name: string;
}

export async function namesOf(db: DbOrTx, orgId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
	const wanted = [...new Set(ids.filter((id): id is string => !!id))];
	if (wanted.length === 0) return new Map();
	const rows = await db
		.select({ id: people.id, name: people.name })
		.from(people)
		.where(and(eq(people.orgId, orgId), inArray(people.id, wanted)));
	return new Map(rows.map((r) => [r.id, r.name]));
}

export const personRef = (names: Map<string, string>, id: string | null): PersonRef | null => (id ? { id, name: names.get(id) ?? '' } : null);

/** The token of a version's editable metadata: changes whenever 版, 区分 or 理由 changes. */
export function metadataToken(meta: { version: string; changeKind: string; reason: string }): string {
	return createHash('sha256')
		.update(JSON.stringify([meta.version, meta.changeKind, meta.reason]))
		.digest('base64url')
		.slice(0, 22);
}

/** Sections the viewer may see: a 非公開 section hides its sub-items too. */
export function visibleOnly<T extends { key: string; restrictedTo: Role[] | null }>(rows: readonly T[], roles: readonly Role[]): T[] {
	const hidden: string[] = [];
	return rows.filter((s) => {
		if (hidden.some((k) => s.key.startsWith(k + '.'))) return false;
		if (canSeeRestricted(s.restrictedTo, roles)) return true;
		hidden.push(s.key);
		return false;
	});
}

export async function sectionRows(db: DbOrTx, orgId: string, versionId: string) {
	return db
		.select()
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId)))
		.orderBy(asc(policySections.position));
}

/** The base a revision is compared with: the version it started from, or (for an imported draft) the one in force. */
export async function baseOf(db: DbOrTx, version: VersionRow): Promise<VersionRow | null> {
	if (version.basedOnVersionId) {
		const [row] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, version.orgId), eq(policyVersions.id, version.basedOnVersionId)));
		if (row) return row;
	}
	if (version.status === 'published' || version.status === 'superseded') return null;
	return versionInForce(db, version.policyId);
}

/** Locks the draft and checks that the actor may edit it now. */
export async function editableDraft(tx: DbOrTx, actor: RevisionActor, versionId: string, mode: 'update' | 'share'): Promise<VersionRow> {
	if (!holdsAny(actor, editorRoles)) refuse('forbidden');
	const version = await lockVersion(tx, actor.orgId, versionId, mode);
	if (!version) return refuse('not_found');
	const [policy] = await tx.select({ restrictedTo: policies.restrictedTo }).from(policies).where(eq(policies.id, version.policyId));
	if (!policy || !canSeeRestricted(policy.restrictedTo, actor.roles)) refuse('not_found');
	if (!isEditableStatus(version.status)) refuse('not_editable', { status: version.status });
	return version;
}

export function editAudit(
	tx: DbOrTx,
	actor: RevisionActor,
	versionId: string,
	what: 'section' | 'add' | 'remove' | 'move' | 'metadata',
	detail: Record<string, unknown>
) {
	return recordAudit(tx, actor, { action: `revision.edit.${what}`, targetType: 'policy_version', targetId: versionId, detail });
}

/**
 * Everyone who wrote the draft: its author, the last editor of each section, and anyone who
 * saved, added, removed or moved a section or changed the metadata. None of them may approve it.
 */
export async function draftWriters(tx: DbOrTx, version: VersionRow): Promise<{ author: string | null; editors: Set<string> }> {
	const [sectionEditors, audited] = await Promise.all([
		tx
			.selectDistinct({ id: policySections.updatedBy })
			.from(policySections)
			.where(and(eq(policySections.versionId, version.id), isNotNull(policySections.updatedBy))),
		tx
			.selectDistinct({ id: auditEvents.actorId })
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.orgId, version.orgId),
					gte(auditEvents.at, version.createdAt),
					like(auditEvents.action, 'revision.edit.%'),
					eq(auditEvents.targetId, version.id)
				)
			)
	]);
	const editors = new Set([...sectionEditors, ...audited].map((r) => r.id).filter((id): id is string => !!id));
	return { author: version.createdBy, editors };
}
