import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { acknowledgements, departments, people, policies, policyVersions, type Role } from '../db/schema';
import { canSeeRestricted } from './visibility';
import { recordAudit, type AuditActor } from '../audit/log';
import { isUuid } from '../db/ids';

/**
 * 「第5.0版を読み、遵守します」. Only the version in force of a policy the person may read can be
 * acknowledged — a 非公開 policy answers exactly as a version that does not exist, so the answer
 * tells nothing about which ids exist; a second click keeps the first time.
 */
export async function acknowledgeVersion(
	db: DbOrTx,
	actor: AuditActor & { orgId: string; personId: string; roles: readonly Role[] },
	versionId: string
): Promise<{ ok: true; at: Date } | { ok: false; problem: 'not_in_force' }> {
	// A form without a well-formed id names no version (and must not reach the uuid column).
	if (!isUuid(versionId)) return { ok: false, problem: 'not_in_force' };
	const [version] = await db
		.select({ id: policyVersions.id, status: policyVersions.status, restrictedTo: policies.restrictedTo })
		.from(policyVersions)
		.innerJoin(policies, eq(policies.id, policyVersions.policyId))
		.where(and(eq(policyVersions.id, versionId), eq(policyVersions.orgId, actor.orgId)));
	if (!version || version.status !== 'published' || !canSeeRestricted(version.restrictedTo, actor.roles)) {
		return { ok: false, problem: 'not_in_force' };
	}
	const inserted = await db
		.insert(acknowledgements)
		.values({ orgId: actor.orgId, personId: actor.personId, versionId })
		.onConflictDoNothing()
		.returning({ at: acknowledgements.at });
	if (inserted.length > 0) {
		await recordAudit(db, actor, { action: 'policy.acknowledge', targetType: 'policy_version', targetId: versionId });
		return { ok: true, at: inserted[0].at };
	}
	const [existing] = await db
		.select({ at: acknowledgements.at })
		.from(acknowledgements)
		.where(and(eq(acknowledgements.personId, actor.personId), eq(acknowledgements.versionId, versionId)));
	return { ok: true, at: existing.at };
}

/** When the person acknowledged the version, or null. */
export async function acknowledgedAt(db: DbOrTx, personId: string, versionId: string): Promise<Date | null> {
	const [row] = await db
		.select({ at: acknowledgements.at })
		.from(acknowledgements)
		.where(and(eq(acknowledgements.personId, personId), eq(acknowledgements.versionId, versionId)));
	return row?.at ?? null;
}

/**
 * Acknowledgement of a version among active people, overall and per department; `departmentIds`
 * limits it to a supervisor's departments (null: the whole organisation).
 */
export async function acknowledgementSummary(db: DbOrTx, orgId: string, versionId: string, departmentIds: readonly string[] | null) {
	if (departmentIds && departmentIds.length === 0) return { total: 0, acknowledged: 0, byDepartment: [], missing: [] };
	const scope = and(eq(people.orgId, orgId), eq(people.active, true), departmentIds ? inArray(people.departmentId, [...departmentIds]) : undefined);
	const acknowledgedExpr = sql<number>`count(${acknowledgements.personId})::int`;
	const byDepartment = await db
		.select({
			departmentId: departments.id,
			code: departments.code,
			name: departments.name,
			total: count(people.id),
			acknowledged: acknowledgedExpr
		})
		.from(people)
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.leftJoin(acknowledgements, and(eq(acknowledgements.personId, people.id), eq(acknowledgements.versionId, versionId)))
		.where(scope)
		.groupBy(departments.id, departments.code, departments.name)
		.orderBy(asc(departments.code));
	const missing = await db
		.select({
			id: people.id,
			employeeNumber: people.employeeNumber,
			name: people.name,
			employmentType: people.employmentType,
			departmentName: departments.name
		})
		.from(people)
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.leftJoin(acknowledgements, and(eq(acknowledgements.personId, people.id), eq(acknowledgements.versionId, versionId)))
		.where(and(scope, sql`${acknowledgements.personId} is null`))
		.orderBy(asc(departments.code), asc(people.nameKana))
		.limit(500);
	const total = byDepartment.reduce((n, d) => n + d.total, 0);
	const acknowledged = byDepartment.reduce((n, d) => n + d.acknowledged, 0);
	return { total, acknowledged, byDepartment, missing };
}
