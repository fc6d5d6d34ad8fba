import { and, eq } from 'drizzle-orm';
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

/** Loads an active person with roles; null when the person is gone or deactivated. */
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
			mustChangePassword: people.mustChangePassword
		})
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.where(and(eq(people.id, personId), eq(people.orgId, orgId)));
	if (!row || !row.active) return null;
	const [roleRows, supervised] = await Promise.all([
		db.select({ role: personRoles.role }).from(personRoles).where(eq(personRoles.personId, personId)),
		db
			.select({ departmentId: supervisedDepartments.departmentId })
			.from(supervisedDepartments)
			.where(eq(supervisedDepartments.personId, personId))
	]);
	const { active: _active, ...user } = row;
	return {
		...user,
		roles: roleRows.map((r) => r.role),
		supervisedDepartmentIds: supervised.map((s) => s.departmentId)
	};
}

export function hasRole(user: Pick<CurrentUser, 'roles'> | null | undefined, ...wanted: Role[]): boolean {
	return !!user && wanted.some((r) => user.roles.includes(r));
}
