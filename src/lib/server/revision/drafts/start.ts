// Starting a draft from the version in force, and dropping one that is not wanted.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { policies, policyVersions, revisionComments, revisionEvents } from '../../db/schema';
import { recordAudit } from '../../audit/log';
import { isUuid } from '../../db/ids';
import { versionInForce } from '../../policy/policies';
import { canSeeRestricted } from '../../policy/visibility';
import { editorRoles, holdsAny, openStatuses, refusable, refuse, type Refusal, type RevisionActor } from '../common';
import { freeVersionLabel } from '../numbering';
import { editableDraft } from './shared';

export interface StartInput {
	policyId: string;
	/** The weak-spot figures that prompted the revision; stored as given and never changed. */
	evidence?: Record<string, unknown> | null;
	/** The section the revision is about, to open the editor there. */
	sectionKey?: string;
}

export type StartProblem = 'not_found' | 'forbidden' | 'no_version_in_force';
export type StartResult = { ok: true; versionId: string; created: boolean; sectionKey: string | null } | Refusal<StartProblem>;

/**
 * Starts the next version of a policy as a draft holding every section of the version in force,
 * or returns the revision already open for the policy (one at a time).
 */
export async function startRevision(db: Db, actor: RevisionActor, input: StartInput): Promise<StartResult> {
	if (!holdsAny(actor, editorRoles)) return { ok: false, problem: 'forbidden' };
	if (!isUuid(input.policyId)) return { ok: false, problem: 'not_found' };
	return refusable<StartResult, StartProblem>(() =>
		db.transaction(async (tx) => {
			// The policy row serialises two starts, so the second one finds the first one's draft.
			const [policy] = await tx
				.select()
				.from(policies)
				.where(and(eq(policies.orgId, actor.orgId), eq(policies.id, input.policyId)))
				.for('update');
			if (!policy || !canSeeRestricted(policy.restrictedTo, actor.roles)) refuse('not_found');
			const sectionKey = input.sectionKey?.trim() || null;

			const [open] = await tx
				.select({ id: policyVersions.id })
				.from(policyVersions)
				.where(and(eq(policyVersions.policyId, policy.id), inArray(policyVersions.status, [...openStatuses])))
				.orderBy(asc(policyVersions.createdAt))
				.limit(1);
			if (open) return { ok: true as const, versionId: open.id, created: false, sectionKey };

			const base = await versionInForce(tx, policy.id);
			if (!base || !base.textHeld) refuse('no_version_in_force');
			const taken = new Set(
				(await tx.select({ version: policyVersions.version }).from(policyVersions).where(eq(policyVersions.policyId, policy.id))).map((v) => v.version)
			);
			const version = freeVersionLabel(base.version, 'partial', taken);
			const evidence = input.evidence ?? null;
			const [row] = await tx
				.insert(policyVersions)
				.values({
					orgId: actor.orgId,
					policyId: policy.id,
					version,
					status: 'draft',
					changeKind: 'partial',
					title: base.title,
					preamble: base.preamble,
					textHeld: true,
					basedOnVersionId: base.id,
					evidence,
					createdBy: actor.personId
				})
				.returning({ id: policyVersions.id });
			// The whole document, 非公開 sections included: the draft becomes the next version.
			await tx.execute(sql`
				INSERT INTO policy_sections (org_id, version_id, key, position, level, label, heading, body, restricted_to, rev, updated_by, updated_at)
				SELECT org_id, ${row.id}, key, position, level, label, heading, body, restricted_to, 0, NULL, now()
				FROM policy_sections WHERE org_id = ${actor.orgId} AND version_id = ${base.id}`);
			await tx.insert(revisionEvents).values({ orgId: actor.orgId, versionId: row.id, fromStatus: null, toStatus: 'draft', actorId: actor.personId });
			await recordAudit(tx, actor, {
				action: 'revision.start',
				targetType: 'policy_version',
				targetId: row.id,
				detail: { policyId: policy.id, basedOn: base.version, version, sectionKey, evidence: evidence !== null }
			});
			return { ok: true as const, versionId: row.id, created: true, sectionKey };
		})
	);
}

export type DiscardProblem = 'not_found' | 'forbidden' | 'not_editable';

/** Drops a draft that is not wanted (only before review or after being sent back); the audit log keeps that it existed. */
export async function discardRevision(db: Db, actor: RevisionActor, versionId: string): Promise<{ ok: true; policySlug: string } | Refusal<DiscardProblem>> {
	return refusable<{ ok: true; policySlug: string }, DiscardProblem>(() =>
		db.transaction(async (tx) => {
			const version = await editableDraft(tx, actor, versionId, 'update');
			const [policy] = await tx.select({ slug: policies.slug }).from(policies).where(eq(policies.id, version.policyId));
			await tx.delete(revisionComments).where(eq(revisionComments.versionId, version.id));
			await tx.delete(revisionEvents).where(eq(revisionEvents.versionId, version.id));
			await tx.delete(policyVersions).where(eq(policyVersions.id, version.id));
			await recordAudit(tx, actor, {
				action: 'revision.discard',
				targetType: 'policy_version',
				targetId: version.id,
				detail: { policyId: version.policyId, version: version.version, status: version.status }
			});
			return { ok: true as const, policySlug: policy.slug };
		})
	);
}
