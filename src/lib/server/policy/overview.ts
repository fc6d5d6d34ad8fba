import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { acknowledgements } from '../db/schema';
import { listPolicies, type Viewer } from './policies';

export interface PolicyOverviewItem {
	slug: string;
	title: string;
	restricted: boolean;
	inForce: { id: string; version: string; effectiveDate: string | null; dateLabel: string } | null;
	acknowledgedAt: Date | null;
}

/** Each policy the person may see, its version in force, and whether they acknowledged it. */
export async function policyOverview(db: DbOrTx, viewer: Viewer & { personId: string }): Promise<PolicyOverviewItem[]> {
	const rows = await listPolicies(db, viewer);
	const versionIds = rows.flatMap((r) => (r.inForce ? [r.inForce.id] : []));
	const acks = versionIds.length
		? await db
				.select({ versionId: acknowledgements.versionId, at: acknowledgements.at })
				.from(acknowledgements)
				.where(and(eq(acknowledgements.personId, viewer.personId), inArray(acknowledgements.versionId, versionIds)))
		: [];
	const ackByVersion = new Map(acks.map((a) => [a.versionId, a.at]));
	return rows.map(({ policy, inForce }) => ({
		slug: policy.slug,
		title: policy.title,
		restricted: !!policy.restrictedTo?.length,
		inForce: inForce ? { id: inForce.id, version: inForce.version, effectiveDate: inForce.effectiveDate, dateLabel: inForce.dateLabel } : null,
		acknowledgedAt: inForce ? (ackByVersion.get(inForce.id) ?? null) : null
	}));
}
