import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { assignments, campaigns, departments, people, type EmploymentType } from '../db/schema';
import { departmentSubtreeIds } from './departments';

export interface TeamMember {
	id: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	employmentType: EmploymentType;
	title: string;
	departmentName: string | null;
}

/**
 * The active people a supervisor answers for: those in their departments and every
 * sub-department. Admins pass every top-level department.
 */
export async function teamMembers(db: DbOrTx, orgId: string, supervisedIds: readonly string[]): Promise<TeamMember[]> {
	const ids = await departmentSubtreeIds(db, orgId, supervisedIds);
	if (ids.length === 0) return [];
	return db
		.select({
			id: people.id,
			employeeNumber: people.employeeNumber,
			name: people.name,
			nameKana: people.nameKana,
			employmentType: people.employmentType,
			title: people.title,
			departmentName: departments.name
		})
		.from(people)
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.where(and(eq(people.orgId, orgId), eq(people.active, true), inArray(people.departmentId, ids)))
		.orderBy(asc(departments.code), asc(people.nameKana), asc(people.employeeNumber));
}

/** The departments named, for headings; only those of the organisation. */
export async function namedDepartments(db: DbOrTx, orgId: string, ids: readonly string[]) {
	if (ids.length === 0) return [];
	return db
		.select({ id: departments.id, code: departments.code, name: departments.name })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), inArray(departments.id, [...ids])))
		.orderBy(asc(departments.code));
}

export async function topLevelDepartmentIds(db: DbOrTx, orgId: string): Promise<string[]> {
	const rows = await db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), isNull(departments.parentId)));
	return rows.map((r) => r.id);
}

export interface TrainingStatus {
	assigned: number;
	completed: number;
	overdue: number;
}

/** Per person: training assigned in current campaigns, completed, and overdue — status only, never answers. */
export async function teamTrainingStatus(db: DbOrTx, orgId: string, personIds: readonly string[], today: string): Promise<Map<string, TrainingStatus>> {
	if (personIds.length === 0) return new Map();
	const rows = await db
		.select({
			personId: assignments.personId,
			assigned: sql<number>`count(*)::int`,
			completed: sql<number>`count(*) filter (where ${assignments.status} = 'completed')::int`,
			overdue: sql<number>`count(*) filter (where ${assignments.status} <> 'completed' and ${campaigns.dueOn} < ${today})::int`
		})
		.from(assignments)
		.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.archived, false)))
		.where(and(eq(assignments.orgId, orgId), inArray(assignments.personId, [...personIds])))
		.groupBy(assignments.personId);
	return new Map(rows.map((r) => [r.personId, { assigned: r.assigned, completed: r.completed, overdue: r.overdue }]));
}
