import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { departments, organizations, people, personRoles, supervisedDepartments, type EmploymentType, type Role } from '../db/schema';

/** Who is making the request, as every page and action sees it. */
export interface CurrentUser {
	id: string;
	orgId: string;
	orgName: string;
	orgNameEn: string;
	employeeNumber: string;
	name: string;
	employmentType: EmploymentType;
	departmentId: string | null;
	departmentName: string | null;
	roles: Role[];
	supervisedDepartmentIds: string[];
	mustChangePassword: boolean;
}

/**
 * Loads an active person with roles; null when the person is gone or deactivated. One query: it
 * runs on every request, so the roles and supervised departments come along as arrays.
 */
export async function loadCurrentUser(db: DbOrTx, personId: string, orgId: string): Promise<CurrentUser | null> {
	const [row] = await db
		.select({
			id: people.id,
			orgId: people.orgId,
			orgName: organizations.name,
			orgNameEn: organizations.nameEn,
			employeeNumber: people.employeeNumber,
			name: people.name,
			employmentType: people.employmentType,
			departmentId: people.departmentId,
			departmentName: departments.name,
			active: people.active,
			mustChangePassword: people.mustChangePassword,
			// As text[]: an array of an enum type would arrive unparsed.
			roles: sql<Role[]>`array(select ${personRoles.role}::text from ${personRoles} where ${personRoles.personId} = ${people.id})`,
			supervisedDepartmentIds: sql<string[]>`array(select ${supervisedDepartments.departmentId}::text from ${supervisedDepartments} where ${supervisedDepartments.personId} = ${people.id})`
		})
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.where(and(eq(people.id, personId), eq(people.orgId, orgId)));
	if (!row || !row.active) return null;
	const { active: _active, ...user } = row;
	return user;
}

export function hasRole(user: Pick<CurrentUser, 'roles'> | null | undefined, ...wanted: Role[]): boolean {
	return !!user && wanted.some((r) => user.roles.includes(r));
}
