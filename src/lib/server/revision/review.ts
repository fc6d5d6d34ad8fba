// What the review page shows: the draft compared with the version in force, section by section.
import type { DbOrTx } from '../db/client';
import type { Role } from '../db/schema';
import { versionInForce } from '../policy/policies';
import { comparePolicyVersions, type VersionComparison } from '../policy/diff';
import type { RevisionSummary } from './drafts';

/**
 * The revision as a 新旧対照表 reads it, as the viewer may see both versions: from the version in
 * force to the open draft (the version it started from, when none is in force), or from its base
 * to a revision already published. Null without a base with text.
 */
export async function revisionComparison(
	db: DbOrTx,
	viewer: { orgId: string; roles: readonly Role[] },
	revision: Pick<RevisionSummary, 'policyId' | 'policySlug' | 'version' | 'status' | 'basedOn'>
): Promise<VersionComparison | null> {
	const open = revision.status !== 'published' && revision.status !== 'superseded';
	const inForce = open ? await versionInForce(db, revision.policyId) : null;
	const from = inForce?.textHeld ? inForce.version : revision.basedOn?.version;
	if (!from || from === revision.version) return null;
	return comparePolicyVersions(db, { orgId: viewer.orgId, roles: [...viewer.roles] }, revision.policySlug, from, revision.version);
}
