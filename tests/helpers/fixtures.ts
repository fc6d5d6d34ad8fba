// Small builders for integration tests: an organisation, departments and people.
import type { Db } from '../../src/lib/server/db/client';
import { departments, organizations, people, personRoles, supervisedDepartments, type EmploymentType, type Role } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/password';

/** `host`: the host name that selects the organisation at login (one organisation per host). */
export async function makeOrg(db: Db, slug = `org-${Math.random().toString(36).slice(2, 8)}`, name = '試験市', host: string | null = null) {
	const [org] = await db.insert(organizations).values({ slug, name, nameEn: 'Test City', host }).returning();
	return org;
}

export async function makeDepartment(db: Db, orgId: string, code: string, name: string, parentId: string | null = null) {
	const [dep] = await db.insert(departments).values({ orgId, code, name, parentId }).returning();
	return dep;
}

let cachedHash: Promise<string> | undefined;

export async function makePerson(
	db: Db,
	orgId: string,
	fields: {
		employeeNumber: string;
		name?: string;
		nameKana?: string;
		departmentId?: string | null;
		employmentType?: EmploymentType;
		password?: string;
		mustChangePassword?: boolean;
		active?: boolean;
		roles?: Role[];
		supervises?: string[];
	}
) {
	const passwordHash = fields.password
		? fields.password === 'test-password'
			? await (cachedHash ??= hashPassword('test-password'))
			: await hashPassword(fields.password)
		: null;
	const [person] = await db
		.insert(people)
		.values({
			orgId,
			employeeNumber: fields.employeeNumber,
			name: fields.name ?? `職員 ${fields.employeeNumber}`,
			nameKana: fields.nameKana ?? 'ショクイン',
			departmentId: fields.departmentId ?? null,
			employmentType: fields.employmentType ?? 'regular',
			passwordHash,
			mustChangePassword: fields.mustChangePassword ?? false,
			active: fields.active ?? true
		})
		.returning();
	for (const role of fields.roles ?? []) await db.insert(personRoles).values({ orgId, personId: person.id, role });
	for (const departmentId of fields.supervises ?? []) {
		await db.insert(supervisedDepartments).values({ orgId, personId: person.id, departmentId });
	}
	return person;
}
