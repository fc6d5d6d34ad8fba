import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { departments, people, type EmploymentType } from '../db/schema';
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
