import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { departments, organizations, people, personRoles, secondFactors, supervisedDepartments, type EmploymentType, type Role } from '../db/schema';

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
	/** A confirmed second factor: every login asks for its code. */
	hasSecondFactor: boolean;
}

/** What a request knows of its person, selected with the person (see `userFromRow`). */
export const currentUserFields = {
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
	hasSecondFactor: sql<boolean>`exists(select 1 from ${secondFactors} where ${secondFactors.personId} = ${people.id} and ${secondFactors.confirmedAt} is not null)`,
	// As text[]: an array of an enum type would arrive unparsed.
	roles: sql<Role[]>`array(select ${personRoles.role}::text from ${personRoles} where ${personRoles.personId} = ${people.id})`,
	supervisedDepartmentIds: sql<
		string[]
	>`array(select ${supervisedDepartments.departmentId}::text from ${supervisedDepartments} where ${supervisedDepartments.personId} = ${people.id})`
};

/** The user of a selected row; null when the person is deactivated. */
export function userFromRow(row: (CurrentUser & { active: boolean }) | undefined): CurrentUser | null {
	if (!row || !row.active) return null;
	const { active: _active, ...user } = row;
	return user;
}

/**
 * Loads an active person with roles; null when the person is gone or deactivated. One query:
 * the roles and supervised departments come along as arrays.
 */
export async function loadCurrentUser(db: DbOrTx, personId: string, orgId: string): Promise<CurrentUser | null> {
	const [row] = await db
		.select(currentUserFields)
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.where(and(eq(people.id, personId), eq(people.orgId, orgId)));
	return userFromRow(row);
}

export function hasRole(user: Pick<CurrentUser, 'roles'> | null | undefined, ...wanted: Role[]): boolean {
	return !!user && wanted.some((r) => user.roles.includes(r));
}
