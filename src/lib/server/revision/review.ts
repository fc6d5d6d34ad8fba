// What the review page shows: the draft compared with the version it revises, section by section.
import type { DbOrTx } from '../db/client';
import type { Role } from '../db/schema';
import { comparePolicyVersions, type VersionComparison } from '../policy/diff';
import type { RevisionSummary } from './drafts';

/** The draft against its base, as the viewer may see both; null without a base with text. */
export async function revisionComparison(
	db: DbOrTx,
	viewer: { orgId: string; roles: readonly Role[] },
	revision: Pick<RevisionSummary, 'policySlug' | 'version' | 'basedOn'>
): Promise<VersionComparison | null> {
	if (!revision.basedOn || revision.basedOn.version === revision.version) return null;
	return comparePolicyVersions(db, { orgId: viewer.orgId, roles: [...viewer.roles] }, revision.policySlug, revision.basedOn.version, revision.version);
}
