import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policies, policySections, policyVersions, type Role } from '../db/schema';
import { canSeeRestricted } from './visibility';

export interface Viewer {
	orgId: string;
	roles: readonly Role[];
}

export type Policy = typeof policies.$inferSelect;
export type PolicyVersion = typeof policyVersions.$inferSelect;
export type PolicySection = typeof policySections.$inferSelect;

/** The policies the viewer may know of, with the version in force of each. */
export async function listPolicies(db: DbOrTx, viewer: Viewer) {
	const rows = await db
		.select({ policy: policies, inForce: policyVersions })
		.from(policies)
		.leftJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.status, 'published')))
		.where(eq(policies.orgId, viewer.orgId))
		.orderBy(asc(policies.sortOrder), asc(policies.title));
	return rows.filter((r) => canSeeRestricted(r.policy.restrictedTo, viewer.roles));
}

/** A policy by slug, or null when it does not exist for this viewer (restricted looks the same as absent). */
export async function findPolicy(db: DbOrTx, viewer: Viewer, slug: string): Promise<Policy | null> {
	const [policy] = await db
		.select()
		.from(policies)
		.where(and(eq(policies.orgId, viewer.orgId), eq(policies.slug, slug)));
	if (!policy || !canSeeRestricted(policy.restrictedTo, viewer.roles)) return null;
	return policy;
}

export async function versionInForce(db: DbOrTx, policyId: string): Promise<PolicyVersion | null> {
	const [row] = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.status, 'published')));
	return row ?? null;
}

export async function findVersion(db: DbOrTx, policyId: string, version: string): Promise<PolicyVersion | null> {
	const [row] = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.version, version)));
	return row ?? null;
}

/** Sort key for version labels: 4.10 after 4.9, 10.0 after 9.1. */
export function versionOrder(version: string): number[] {
	return version.split('.').map((n) => Number(n) || 0);
}

export function compareVersions(a: string, b: string): number {
	const x = versionOrder(a);
	const y = versionOrder(b);
	for (let i = 0; i < Math.max(x.length, y.length); i++) {
		const d = (x[i] ?? 0) - (y[i] ?? 0);
		if (d) return d;
	}
	return 0;
}

/**
 * The 改訂履歴: published and superseded versions, oldest first, as the document's table has it.
 * Drafts and versions under review are not history yet.
 */
export async function policyHistory(db: DbOrTx, policyId: string): Promise<PolicyVersion[]> {
	const rows = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, policyId), inArray(policyVersions.status, ['published', 'superseded'])))
		.orderBy(desc(policyVersions.createdAt));
	return rows.sort((a, b) => compareVersions(a.version, b.version));
}

/** The sections of a version the viewer may see, in document order. */
export async function versionSections(db: DbOrTx, viewer: Viewer, versionId: string): Promise<PolicySection[]> {
	const rows = await db
		.select()
		.from(policySections)
		.where(and(eq(policySections.orgId, viewer.orgId), eq(policySections.versionId, versionId)))
		.orderBy(asc(policySections.position));
	// A hidden section hides its sub-items too.
	const hidden: string[] = [];
	return rows.filter((s) => {
		if (hidden.some((k) => s.key.startsWith(k + '.'))) return false;
		if (canSeeRestricted(s.restrictedTo, viewer.roles)) return true;
		hidden.push(s.key);
		return false;
	});
}
