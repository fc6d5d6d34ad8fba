import { and, asc, count, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { departments, employmentTypes, people, personRoles, roles as allRoles, supervisedDepartments, type EmploymentType, type Role } from '../db/schema';
import { recordAudit } from '../audit/log';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { invalidatePersonSessions } from '../auth/session';
import { departmentSubtreeSql, existingDepartmentIds, type OrgActor } from './departments';
import { isUuid } from '../db/ids';
import { escapeLike, searchTerms, toKatakana } from '../db/search';
import { departmentNames, syncAssignmentsForPeople } from '../learning/campaigns';

export type ActiveFilter = 'all' | 'active' | 'inactive';

export interface PeopleQuery {
	/** Name, kana or 職員番号; several words must all match. */
	q?: string;
	/** Includes the department's sub-departments. */
	departmentId?: string;
	employmentType?: EmploymentType;
	/** Defaults to 'active'. */
	active?: ActiveFilter;
	page?: number;
	pageSize?: number;
}

export interface PersonRow {
	id: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	employmentType: EmploymentType;
	active: boolean;
	departmentId: string | null;
	departmentCode: string | null;
	departmentName: string | null;
	roles: Role[];
}

export interface PeopleSearchResult {
	rows: PersonRow[];
	total: number;
	page: number;
	pages: number;
	pageSize: number;
}

export const defaultPageSize = 50;
const maxPageSize = 200;

const withoutSpaces = (column: typeof people.name | typeof people.nameKana) => sql`replace(replace(${column}, ' ', ''), '　', '')`;

/** A person matching one search term: name (spaces aside), kana (typed in either kana) or 職員番号. */
export function termCondition(term: string): SQL {
	// ILIKE costs several times LIKE per row; only letters with case need it (not kana, kanji or digits).
	const match = term.toLowerCase() === term.toUpperCase() ? like : ilike;
	const plain = `%${escapeLike(term)}%`;
	const katakana = `%${escapeLike(toKatakana(term))}%`;
	const conditions = [match(withoutSpaces(people.name), plain), match(people.employeeNumber, plain)];
	if (katakana !== plain) conditions.push(match(withoutSpaces(people.name), katakana));
	conditions.push(match(withoutSpaces(people.nameKana), katakana));
	return or(...conditions)!;
}

const sortByRole = (a: Role, b: Role) => allRoles.indexOf(a) - allRoles.indexOf(b);

async function rolesOf(db: DbOrTx, orgId: string, personIds: string[]): Promise<Map<string, Role[]>> {
	const byPerson = new Map<string, Role[]>();
	if (personIds.length === 0) return byPerson;
	const rows = await db
		.select({ personId: personRoles.personId, role: personRoles.role })
		.from(personRoles)
		.where(and(eq(personRoles.orgId, orgId), inArray(personRoles.personId, personIds)));
	for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r.role]);
	for (const list of byPerson.values()) list.sort(sortByRole);
	return byPerson;
}

/** What a list row shows of a person; the detail adds to it. */
const listColumns = {
	id: people.id,
	employeeNumber: people.employeeNumber,
	name: people.name,
	nameKana: people.nameKana,
	employmentType: people.employmentType,
	active: people.active,
	departmentCode: departments.code,
	departmentName: departments.name
};

/** The person's department, joined only when it belongs to the same organisation. */
const sameOrgDepartment = (orgId: string) => and(eq(departments.id, people.departmentId), eq(departments.orgId, orgId));

/**
 * One page of the organisation's people, sorted by department code, kana, then number.
 * One count query and one page query; roles are fetched for the page's rows only.
 */
export async function searchPeople(db: DbOrTx, orgId: string, query: PeopleQuery = {}): Promise<PeopleSearchResult> {
	const pageSize = Math.min(Math.max(1, Math.trunc(query.pageSize ?? defaultPageSize)), maxPageSize);
	const conditions: SQL[] = [eq(people.orgId, orgId)];
	const active = query.active ?? 'active';
	if (active !== 'all') conditions.push(eq(people.active, active === 'active'));
	if (query.employmentType) {
		if (!employmentTypes.includes(query.employmentType)) return { rows: [], total: 0, page: 1, pages: 1, pageSize };
		conditions.push(eq(people.employmentType, query.employmentType));
	}
	if (query.departmentId !== undefined) {
		if (!isUuid(query.departmentId)) return { rows: [], total: 0, page: 1, pages: 1, pageSize };
		conditions.push(sql`${people.departmentId} in (${departmentSubtreeSql(orgId, [query.departmentId])})`);
	}
	for (const term of searchTerms(query.q)) conditions.push(termCondition(term));
	const where = and(...conditions);

	const [{ total }] = await db.select({ total: count() }).from(people).where(where);
	const pages = Math.max(1, Math.ceil(total / pageSize));
	// A page past the end (a bookmarked link after people left) shows the last page.
	const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pages);
	const found = await db
		.select({ ...listColumns, departmentId: people.departmentId })
		.from(people)
		.leftJoin(departments, sameOrgDepartment(orgId))
		.where(where)
		.orderBy(sql`${departments.code} asc nulls last`, asc(people.nameKana), asc(people.employeeNumber))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	const roleMap = await rolesOf(
		db,
		orgId,
		found.map((r) => r.id)
	);
	const rows = found.map((r) => ({ ...r, roles: roleMap.get(r.id) ?? [] }));
	return { rows, total, page, pages, pageSize };
}

export interface PersonDetail {
	id: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	employmentType: EmploymentType;
	title: string;
	email: string;
	/** YYYY-MM-DD */
	retirementDate: string | null;
	active: boolean;
	mustChangePassword: boolean;
	lastLoginAt: Date | null;
	department: { id: string; code: string; name: string } | null;
	/** A 委託事業者's company and contract; null for staff. */
	contract: Contract | null;
	roles: Role[];
	supervisedDepartments: { id: string; code: string; name: string }[];
}

/** A 委託事業者's 事業者名 and contract (契約名, 期間: YYYY-MM-DD, either end may be open). */
export interface Contract {
	company: string;
	name: string;
	startsOn: string | null;
	endsOn: string | null;
}

const contractColumns = {
	company: people.contractorCompany,
	contractName: people.contractName,
	contractStart: people.contractStart,
	contractEnd: people.contractEnd
};

function contractFrom(row: {
	employmentType: EmploymentType;
	company: string;
	contractName: string;
	contractStart: string | null;
	contractEnd: string | null;
}): Contract | null {
	if (row.employmentType !== 'contractor') return null;
	return { company: row.company, name: row.contractName, startsOn: row.contractStart, endsOn: row.contractEnd };
}

/** The person's contract when they are a 委託事業者 of the organisation; null for staff or anyone else. */
export async function contractOf(db: DbOrTx, orgId: string, personId: string): Promise<Contract | null> {
	const [row] = await db
		.select({ employmentType: people.employmentType, ...contractColumns })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.id, personId)));
	return row ? contractFrom(row) : null;
}

/** A person of the organisation with department, roles and supervised departments; null otherwise. */
export async function getPersonDetail(db: DbOrTx, orgId: string, personId: string): Promise<PersonDetail | null> {
	if (!isUuid(personId)) return null;
	const [row] = await db
		.select({
			...listColumns,
			title: people.title,
			email: people.email,
			retirementDate: people.retirementDate,
			...contractColumns,
			mustChangePassword: people.mustChangePassword,
			lastLoginAt: people.lastLoginAt,
			departmentId: departments.id
		})
		.from(people)
		.leftJoin(departments, sameOrgDepartment(orgId))
		.where(and(eq(people.orgId, orgId), eq(people.id, personId)));
	if (!row) return null;
	const roleMap = await rolesOf(db, orgId, [row.id]);
	const supervised = await db
		.select({ id: departments.id, code: departments.code, name: departments.name })
		.from(supervisedDepartments)
		.innerJoin(departments, eq(departments.id, supervisedDepartments.departmentId))
		.where(and(eq(supervisedDepartments.orgId, orgId), eq(supervisedDepartments.personId, row.id)))
		.orderBy(asc(departments.code));
	const { departmentId, departmentCode, departmentName, company, contractName, contractStart, contractEnd, ...person } = row;
	return {
		...person,
		contract: contractFrom({ employmentType: row.employmentType, company, contractName, contractStart, contractEnd }),
		department: departmentId ? { id: departmentId, code: departmentCode!, name: departmentName! } : null,
		roles: roleMap.get(row.id) ?? [],
		supervisedDepartments: supervised
	};
}

export interface PersonAccessInput {
	departmentId: string | null;
	active: boolean;
	/** Roles on top of learner, which everyone is. */
	roles: readonly string[];
	supervisedDepartmentIds: readonly string[];
}

export type PersonAccessResult = { ok: true; changed: boolean } | { ok: false; problem: 'not_found' | 'self_lockout' | 'department_not_found' };

function difference<T>(before: readonly T[], after: readonly T[]) {
	const removed = before.filter((x) => !after.includes(x));
	const added = after.filter((x) => !before.includes(x));
	return { removed, added, changed: removed.length > 0 || added.length > 0 };
}

/**
 * Sets a person's department, active flag, roles and supervised departments in one step.
 * An admin cannot deactivate themself or drop their own admin role: someone must be able to
 * undo mistakes. Deactivation ends the person's sessions at once.
 */
export async function updatePersonAccess(db: DbOrTx, actor: OrgActor, orgId: string, personId: string, input: PersonAccessInput): Promise<PersonAccessResult> {
	if (!isUuid(personId)) return { ok: false, problem: 'not_found' };
	personId = personId.toLowerCase();
	const wantedRoles = allRoles.filter((r) => input.roles.includes(r));
	const departmentId = input.departmentId ? input.departmentId.toLowerCase() : null;
	const supervisedIds = [...new Set(input.supervisedDepartmentIds.map((id) => id.toLowerCase()))].sort();
	if (personId === actor.personId && (!input.active || !wantedRoles.includes('admin'))) {
		return { ok: false, problem: 'self_lockout' };
	}
	const known = await existingDepartmentIds(db, orgId, departmentId ? [departmentId, ...supervisedIds] : supervisedIds);
	if ((departmentId && !known.has(departmentId)) || supervisedIds.some((id) => !known.has(id))) {
		return { ok: false, problem: 'department_not_found' };
	}

	return db.transaction(async (tx) => {
		// FOR UPDATE: two admins saving the same person at once get consistent before/after.
		const [current] = await tx
			.select({ departmentId: people.departmentId, active: people.active })
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.id, personId)))
			.for('update');
		if (!current) return { ok: false, problem: 'not_found' } as const;
		const roleMap = await rolesOf(tx, orgId, [personId]);
		const supervisedRows = await tx
			.select({ id: supervisedDepartments.departmentId })
			.from(supervisedDepartments)
			.where(and(eq(supervisedDepartments.orgId, orgId), eq(supervisedDepartments.personId, personId)));
		const beforeRoles = roleMap.get(personId) ?? [];
		const beforeSupervised = supervisedRows.map((r) => r.id).sort();

		const personChanged = current.departmentId !== departmentId || current.active !== input.active;
		if (personChanged) {
			await tx
				.update(people)
				.set({ departmentId, active: input.active, updatedAt: new Date() })
				.where(and(eq(people.orgId, orgId), eq(people.id, personId)));
			if (current.active && !input.active) await invalidatePersonSessions(tx, personId);
			// A transfer or a return joins the open campaigns the person now belongs to.
			await syncAssignmentsForPeople(tx, orgId, [personId]);
			// Department names as they were, so the log reads the same after a department is gone.
			const names = await departmentNames(tx, orgId);
			await recordAudit(tx, actor, {
				action: 'person.update',
				targetType: 'person',
				targetId: personId,
				detail: {
					before: { ...current, departmentName: names.get(current.departmentId ?? '')?.name ?? null },
					after: { departmentId, active: input.active, departmentName: names.get(departmentId ?? '')?.name ?? null }
				}
			});
		}

		// Only the difference is written, so a role kept keeps its granted_at.
		const roleDiff = difference(beforeRoles, wantedRoles);
		const supervisedDiff = difference(beforeSupervised, supervisedIds);
		const ofPerson = and(eq(personRoles.orgId, orgId), eq(personRoles.personId, personId));
		if (roleDiff.removed.length) await tx.delete(personRoles).where(and(ofPerson, inArray(personRoles.role, roleDiff.removed)));
		if (roleDiff.added.length) await tx.insert(personRoles).values(roleDiff.added.map((role) => ({ orgId, personId, role })));
		const supervisedOfPerson = and(eq(supervisedDepartments.orgId, orgId), eq(supervisedDepartments.personId, personId));
		if (supervisedDiff.removed.length) {
			await tx.delete(supervisedDepartments).where(and(supervisedOfPerson, inArray(supervisedDepartments.departmentId, supervisedDiff.removed)));
		}
		if (supervisedDiff.added.length) {
			await tx.insert(supervisedDepartments).values(supervisedDiff.added.map((departmentId) => ({ orgId, personId, departmentId })));
		}
		const rolesChanged = roleDiff.changed;
		const supervisedChanged = supervisedDiff.changed;
		if (rolesChanged || supervisedChanged) {
			await recordAudit(tx, actor, {
				action: 'person.roles',
				targetType: 'person',
				targetId: personId,
				detail: {
					before: { roles: beforeRoles, supervisedDepartmentIds: beforeSupervised },
					after: { roles: wantedRoles, supervisedDepartmentIds: supervisedIds }
				}
			});
		}
		return { ok: true, changed: personChanged || rolesChanged || supervisedChanged } as const;
	});
}

/**
 * Issues a temporary password for a person who forgot theirs. Only its hash is stored; the
 * person must choose a new one at next login, and any open session of theirs ends now.
 */
export async function resetPassword(
	db: DbOrTx,
	actor: OrgActor,
	orgId: string,
	personId: string
): Promise<{ ok: true; temporaryPassword: string } | { ok: false; problem: 'not_found' }> {
	if (!isUuid(personId)) return { ok: false, problem: 'not_found' };
	personId = personId.toLowerCase();
	const temporaryPassword = generateTemporaryPassword();
	// Hash before the transaction: argon2 takes a while and needs no lock.
	const passwordHash = await hashPassword(temporaryPassword);
	const found = await db.transaction(async (tx) => {
		const updated = await tx
			.update(people)
			.set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
			.where(and(eq(people.orgId, orgId), eq(people.id, personId)))
			.returning({ id: people.id });
		if (updated.length === 0) return false;
		await invalidatePersonSessions(tx, personId);
		await recordAudit(tx, actor, { action: 'password.reset', targetType: 'person', targetId: personId });
		return true;
	});
	return found ? { ok: true, temporaryPassword } : { ok: false, problem: 'not_found' };
}
