import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { acknowledgements, policies, policyVersions } from '../db/schema';
import type { Viewer } from './policies';
import { canSeeRestricted } from './visibility';

export interface PolicyOverviewItem {
	slug: string;
	title: string;
	restricted: boolean;
	inForce: { id: string; version: string; effectiveDate: string | null; dateLabel: string } | null;
	acknowledgedAt: Date | null;
}

/**
 * Each policy the person may see, its version in force, and whether they acknowledged it. One
 * query: the learner home shows it on every visit.
 */
export async function policyOverview(db: DbOrTx, viewer: Viewer & { personId: string }): Promise<PolicyOverviewItem[]> {
	const rows = await db
		.select({
			slug: policies.slug,
			title: policies.title,
			restrictedTo: policies.restrictedTo,
			versionId: policyVersions.id,
			version: policyVersions.version,
			effectiveDate: policyVersions.effectiveDate,
			dateLabel: policyVersions.dateLabel,
			acknowledgedAt: acknowledgements.at
		})
		.from(policies)
		.leftJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.status, 'published')))
		.leftJoin(acknowledgements, and(eq(acknowledgements.versionId, policyVersions.id), eq(acknowledgements.personId, viewer.personId)))
		.where(eq(policies.orgId, viewer.orgId))
		.orderBy(asc(policies.sortOrder), asc(policies.title));
	return rows
		.filter((r) => canSeeRestricted(r.restrictedTo, viewer.roles))
		.map((r) => ({
			slug: r.slug,
			title: r.title,
			restricted: !!r.restrictedTo?.length,
			inForce: r.versionId ? { id: r.versionId, version: r.version!, effectiveDate: r.effectiveDate, dateLabel: r.dateLabel! } : null,
			acknowledgedAt: r.versionId ? r.acknowledgedAt : null
		}));
}
