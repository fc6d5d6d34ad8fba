import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, people, sessions, type EmploymentType } from '../../src/lib/server/db/schema';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { verifyPasswordHash } from '../../src/lib/server/auth/password';
import type { OrgActor } from '../../src/lib/server/org/departments';
import { getPersonDetail, resetPassword, searchPeople, updatePersonAccess, type PeopleQuery } from '../../src/lib/server/org/people';

let handle: DbHandle;
let orgId: string;
let otherOrgId: string;
let actor: OrgActor;
const dep: Record<string, string> = {};
const person: Record<string, string> = {};
let otherDepId: string;
let otherPersonId: string;
const policy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 };

beforeAll(async () => {
	handle = await createTestDatabase();
	const db = handle.db;
	orgId = (await makeOrg(db)).id;
	otherOrgId = (await makeOrg(db)).id;
	dep.soumu = (await makeDepartment(db, orgId, '100', '総務部')).id;
	dep.soumuka = (await makeDepartment(db, orgId, '110', '総務課', dep.soumu)).id;
	dep.jouhou = (await makeDepartment(db, orgId, '120', '情報政策課', dep.soumu)).id;
	dep.system = (await makeDepartment(db, orgId, '121', '情報システム係', dep.jouhou)).id;
	dep.shimin = (await makeDepartment(db, orgId, '200', '市民部')).id;
	otherDepId = (await makeDepartment(db, otherOrgId, '100', '他市総務部')).id;

	const add = async (
		key: string,
		employeeNumber: string,
		name: string,
		nameKana: string,
		departmentId: string | null,
		extra: { employmentType?: EmploymentType; active?: boolean; roles?: ('admin' | 'supervisor')[] } = {}
	) => {
		person[key] = (await makePerson(db, orgId, { employeeNumber, name, nameKana, departmentId, ...extra })).id;
	};
	await add('admin', 'A0001', '管理 一郎', 'カンリ イチロウ', dep.jouhou, { roles: ['admin'] });
	await add('yamada', 'P0001', '山田 太郎', 'ヤマダ タロウ', dep.soumuka);
	await add('yamamoto', 'P0002', '山本　花子', 'ヤマモト　ハナコ', dep.system, { employmentType: 'fiscal_year' });
	await add('sato', 'P0003', '佐藤 一郎', 'サトウ イチロウ', dep.shimin, { employmentType: 'contractor', active: false });
	await add('suzuki', 'P0010', '鈴木 さくら', 'スズキ サクラ', dep.jouhou, { roles: ['supervisor'] });
	await add('under', 'X_01', '下線 一', 'カセン ハジメ', null);
	await add('plain', 'X101', '普通 二', 'フツウ ジ', null);
	actor = { orgId, personId: person.admin, ip: '10.2.0.1' };

	otherPersonId = (await makePerson(db, otherOrgId, { employeeNumber: 'P0001', name: '山田 次郎', nameKana: 'ヤマダ ジロウ', departmentId: otherDepId })).id;
});
afterAll(() => handle?.close());

const numbers = async (query: PeopleQuery) => (await searchPeople(handle.db, orgId, query)).rows.map((r) => r.employeeNumber);

describe('searchPeople', () => {
	it('finds by name, with or without the space', async () => {
		expect(await numbers({ q: '山田' })).toEqual(['P0001']);
		expect(await numbers({ q: '山田 太郎' })).toEqual(['P0001']);
		expect(await numbers({ q: '山本花子' })).toEqual(['P0002']);
		expect(await numbers({ q: 'さくら' })).toEqual(['P0010']);
	});

	it('finds by kana typed in katakana, hiragana or half-width katakana', async () => {
		expect(await numbers({ q: 'ヤマ' })).toEqual(['P0001', 'P0002']);
		expect(await numbers({ q: 'やまだ' })).toEqual(['P0001']);
		expect(await numbers({ q: 'やまもとはなこ' })).toEqual(['P0002']);
		expect(await numbers({ q: 'ﾔﾏﾀﾞ' })).toEqual(['P0001']);
	});

	it('finds by employee number, prefix or part, typed full-width or in another case', async () => {
		expect(await numbers({ q: 'P000' })).toEqual(['P0001', 'P0002']); // P0003 is inactive
		expect(await numbers({ q: 'Ｐ０００１' })).toEqual(['P0001']);
		expect(await numbers({ q: 'p0010' })).toEqual(['P0010']);
		expect(await numbers({ q: '0010' })).toEqual(['P0010']);
	});

	it('treats % and _ as themselves', async () => {
		expect(await numbers({ q: 'X_' })).toEqual(['X_01']);
		expect(await numbers({ q: '%' })).toEqual([]);
	});

	it('filters by department including sub-departments, by type and by status', async () => {
		expect(await numbers({ departmentId: dep.jouhou })).toEqual(['A0001', 'P0010', 'P0002']);
		expect(await numbers({ departmentId: dep.soumu })).toEqual(['P0001', 'A0001', 'P0010', 'P0002']);
		expect(await numbers({ departmentId: dep.system })).toEqual(['P0002']);
		expect(await numbers({ departmentId: otherDepId })).toEqual([]);
		expect(await numbers({ departmentId: 'bogus' })).toEqual([]);
		expect(await numbers({ employmentType: 'fiscal_year' })).toEqual(['P0002']);
		expect(await numbers({ active: 'inactive' })).toEqual(['P0003']);
		expect(await numbers({ active: 'all', q: 'P000' })).toEqual(['P0001', 'P0002', 'P0003']);
		expect(await numbers({ active: 'all', employmentType: 'contractor', departmentId: dep.shimin })).toEqual(['P0003']);
	});

	it('sorts by department code, then kana, then number, with people without a department last', async () => {
		expect(await numbers({})).toEqual(['P0001', 'A0001', 'P0010', 'P0002', 'X_01', 'X101']);
	});

	it('pages with totals, and returns roles and department for each row', async () => {
		const first = await searchPeople(handle.db, orgId, { pageSize: 4 });
		expect(first).toMatchObject({ total: 6, page: 1, pages: 2, pageSize: 4 });
		expect(first.rows).toHaveLength(4);
		const second = await searchPeople(handle.db, orgId, { pageSize: 4, page: 2 });
		expect(second.rows.map((r) => r.employeeNumber)).toEqual(['X_01', 'X101']);
		const beyond = await searchPeople(handle.db, orgId, { pageSize: 4, page: 99 });
		expect(beyond.page).toBe(2);
		const admin = first.rows.find((r) => r.employeeNumber === 'A0001')!;
		expect(admin).toMatchObject({ roles: ['admin'], departmentCode: '120', departmentName: '情報政策課', active: true });
	});

	it('never returns another organisation’s people', async () => {
		const all = await searchPeople(handle.db, orgId, { active: 'all', pageSize: 200 });
		expect(all.rows.some((r) => r.id === otherPersonId)).toBe(false);
		expect(await numbers({ q: '次郎' })).toEqual([]);
		const theirs = await searchPeople(handle.db, otherOrgId, { q: 'やまだ' });
		expect(theirs.rows.map((r) => r.id)).toEqual([otherPersonId]);
	});
});

describe('getPersonDetail', () => {
	it('returns the person with department, roles and supervised departments', async () => {
		await makePerson(handle.db, orgId, {
			employeeNumber: 'S0001',
			name: '所属 長',
			departmentId: dep.soumu,
			roles: ['supervisor', 'approver'],
			supervises: [dep.soumuka, dep.jouhou]
		});
		const [row] = await handle.db
			.select()
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, 'S0001')));
		const detail = await getPersonDetail(handle.db, orgId, row.id);
		expect(detail).toMatchObject({
			employeeNumber: 'S0001',
			department: { id: dep.soumu, code: '100', name: '総務部' },
			roles: ['supervisor', 'approver'],
			supervisedDepartments: [
				{ id: dep.soumuka, code: '110', name: '総務課' },
				{ id: dep.jouhou, code: '120', name: '情報政策課' }
			]
		});
	});

	it('is null for another organisation’s person or a malformed id', async () => {
		expect(await getPersonDetail(handle.db, orgId, otherPersonId)).toBeNull();
		expect(await getPersonDetail(handle.db, orgId, 'not-a-uuid')).toBeNull();
	});
});

describe('updatePersonAccess', () => {
	it('changes department, roles and supervised departments with audit events', async () => {
		const result = await updatePersonAccess(handle.db, actor, orgId, person.suzuki, {
			departmentId: dep.soumuka,
			active: true,
			roles: ['supervisor', 'policy_owner', 'learner', 'nonsense'],
			supervisedDepartmentIds: [dep.soumu, dep.soumu]
		});
		expect(result).toEqual({ ok: true, changed: true });
		const detail = await getPersonDetail(handle.db, orgId, person.suzuki);
		expect(detail?.department?.id).toBe(dep.soumuka);
		expect(detail?.roles).toEqual(['supervisor', 'policy_owner']);
		expect(detail?.supervisedDepartments.map((d) => d.id)).toEqual([dep.soumu]);

		const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, person.suzuki));
		const update = events.find((e) => e.action === 'person.update');
		const roles = events.find((e) => e.action === 'person.roles');
		expect(update).toMatchObject({ orgId, actorId: person.admin, ip: '10.2.0.1' });
		expect(update?.detail).toEqual({
			before: { departmentId: dep.jouhou, departmentName: '情報政策課', active: true },
			after: { departmentId: dep.soumuka, departmentName: '総務課', active: true }
		});
		expect(roles?.detail).toEqual({
			before: { roles: ['supervisor'], supervisedDepartmentIds: [] },
			after: { roles: ['supervisor', 'policy_owner'], supervisedDepartmentIds: [dep.soumu] }
		});

		const again = await updatePersonAccess(handle.db, actor, orgId, person.suzuki, {
			departmentId: dep.soumuka,
			active: true,
			roles: ['policy_owner', 'supervisor'],
			supervisedDepartmentIds: [dep.soumu]
		});
		expect(again).toEqual({ ok: true, changed: false });
	});

	it('deactivating a person ends their sessions', async () => {
		const token = generateSessionToken();
		await createSession(handle.db, token, { id: person.yamada, orgId }, policy);
		const result = await updatePersonAccess(handle.db, actor, orgId, person.yamada, {
			departmentId: dep.soumuka,
			active: false,
			roles: [],
			supervisedDepartmentIds: []
		});
		expect(result).toEqual({ ok: true, changed: true });
		expect(await handle.db.select().from(sessions).where(eq(sessions.personId, person.yamada))).toHaveLength(0);
		const events = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, person.yamada), eq(auditEvents.action, 'person.update')));
		expect(events.map((e) => e.detail)).toEqual([
			{
				before: { departmentId: dep.soumuka, departmentName: '総務課', active: true },
				after: { departmentId: dep.soumuka, departmentName: '総務課', active: false }
			}
		]);
		expect(
			await handle.db
				.select()
				.from(auditEvents)
				.where(and(eq(auditEvents.targetId, person.yamada), eq(auditEvents.action, 'person.roles')))
		).toHaveLength(0);
	});

	it('refuses to let the admin deactivate themself or drop their own admin role', async () => {
		const base = { departmentId: dep.jouhou, supervisedDepartmentIds: [] };
		expect(await updatePersonAccess(handle.db, actor, orgId, person.admin, { ...base, active: false, roles: ['admin'] })).toEqual({
			ok: false,
			problem: 'self_lockout'
		});
		expect(await updatePersonAccess(handle.db, actor, orgId, person.admin, { ...base, active: true, roles: ['approver'] })).toEqual({
			ok: false,
			problem: 'self_lockout'
		});
		const detail = await getPersonDetail(handle.db, orgId, person.admin);
		expect(detail).toMatchObject({ active: true, roles: ['admin'] });
		// Other changes to oneself are fine.
		expect(await updatePersonAccess(handle.db, actor, orgId, person.admin, { ...base, active: true, roles: ['admin', 'approver'] })).toMatchObject({
			ok: true
		});
	});

	it('refuses departments and people of another organisation', async () => {
		const input = { departmentId: null, active: true, roles: [], supervisedDepartmentIds: [] };
		expect(await updatePersonAccess(handle.db, actor, orgId, person.sato, { ...input, departmentId: otherDepId })).toEqual({
			ok: false,
			problem: 'department_not_found'
		});
		expect(await updatePersonAccess(handle.db, actor, orgId, person.sato, { ...input, supervisedDepartmentIds: [otherDepId] })).toEqual({
			ok: false,
			problem: 'department_not_found'
		});
		expect(await updatePersonAccess(handle.db, actor, orgId, person.sato, { ...input, supervisedDepartmentIds: ['junk'] })).toEqual({
			ok: false,
			problem: 'department_not_found'
		});
		expect(await updatePersonAccess(handle.db, actor, orgId, otherPersonId, input)).toEqual({ ok: false, problem: 'not_found' });
		const [other] = await handle.db.select().from(people).where(eq(people.id, otherPersonId));
		expect(other).toMatchObject({ departmentId: otherDepId, active: true });
		const [sato] = await handle.db.select().from(people).where(eq(people.id, person.sato));
		expect(sato.departmentId).toBe(dep.shimin);
	});
});

describe('resetPassword', () => {
	it('stores a hash of a fresh temporary password, forces a change and ends sessions', async () => {
		const token = generateSessionToken();
		await createSession(handle.db, token, { id: person.yamamoto, orgId }, policy);
		const result = await resetPassword(handle.db, actor, orgId, person.yamamoto);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.temporaryPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
		const [row] = await handle.db.select().from(people).where(eq(people.id, person.yamamoto));
		expect(row.passwordHash).not.toContain(result.temporaryPassword);
		expect(await verifyPasswordHash(row.passwordHash!, result.temporaryPassword)).toBe(true);
		expect(row.mustChangePassword).toBe(true);
		expect(await handle.db.select().from(sessions).where(eq(sessions.personId, person.yamamoto))).toHaveLength(0);
		const events = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, person.yamamoto), eq(auditEvents.action, 'password.reset')));
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ orgId, actorId: person.admin, targetType: 'person' });
		expect(JSON.stringify(events[0].detail)).not.toContain(result.temporaryPassword);
	});

	it('refuses another organisation’s person', async () => {
		expect(await resetPassword(handle.db, actor, orgId, otherPersonId)).toEqual({ ok: false, problem: 'not_found' });
		const [other] = await handle.db.select().from(people).where(eq(people.id, otherPersonId));
		expect(other.passwordHash).toBeNull();
	});
});

describe('searchPeople at scale', () => {
	it('returns the right page and total among 10,000 people', async () => {
		const db = handle.db;
		const bigOrg = (await makeOrg(db)).id;
		const parent = await makeDepartment(db, bigOrg, 'B00', '大部');
		const deps: { id: string }[] = [];
		for (let i = 0; i < 20; i++) {
			deps.push(await makeDepartment(db, bigOrg, `B${String(i + 1).padStart(2, '0')}`, `課${i + 1}`, i < 10 ? parent.id : null));
		}
		const types: EmploymentType[] = ['regular', 'fiscal_year', 'reappointed', 'dispatched', 'contractor'];
		const seedStart = performance.now();
		for (let batch = 0; batch < 10; batch++) {
			const rows = Array.from({ length: 1000 }, (_, j) => {
				const n = batch * 1000 + j;
				return {
					orgId: bigOrg,
					employeeNumber: `E${String(n).padStart(5, '0')}`,
					name: `職員 ${n}`,
					nameKana: `ショクイン ${String(n).padStart(5, '0')}`,
					departmentId: deps[n % 20].id,
					employmentType: types[n % 5],
					active: n % 10 !== 9,
					mustChangePassword: false
				};
			});
			await db.insert(people).values(rows);
		}
		console.log(`[people.test] seeded 10,000 people in ${(performance.now() - seedStart).toFixed(0)} ms`);
		await db.execute(sql`analyze people`);

		// Departments B01..B10 (under B00): n % 20 in 0..9; regular: n % 5 == 0; active: n % 10 != 9.
		// n % 20 in {0, 5} → 2 of every 20 → 1,000 people, all active (n % 10 is 0 or 5).
		const query: PeopleQuery = { departmentId: parent.id, employmentType: 'regular', page: 3, pageSize: 50 };
		const t0 = performance.now();
		const result = await searchPeople(db, bigOrg, query);
		console.log(`[people.test] filtered search, page 3 of ${result.pages}: ${(performance.now() - t0).toFixed(1)} ms`);
		expect(result.total).toBe(1000);
		expect(result.pages).toBe(20);
		expect(result.page).toBe(3);
		expect(result.rows).toHaveLength(50);
		// Sorted by department code (B01 first: n % 20 == 0 → 500 people), then kana.
		const expected = Array.from({ length: 500 }, (_, k) => `E${String(k * 20).padStart(5, '0')}`).slice(100, 150);
		expect(result.rows.map((r) => r.employeeNumber)).toEqual(expected);

		const t1 = performance.now();
		const text = await searchPeople(db, bigOrg, { q: 'しょくいん e0012', active: 'all' });
		console.log(`[people.test] text search over 10,000: ${(performance.now() - t1).toFixed(1)} ms`);
		expect(text.total).toBe(10); // E00120..E00129
		const t2 = performance.now();
		const all = await searchPeople(db, bigOrg, { page: 100 });
		console.log(`[people.test] unfiltered, last page: ${(performance.now() - t2).toFixed(1)} ms`);
		expect(all.total).toBe(9000);
		expect(all.pages).toBe(180);
		expect(all.page).toBe(100);
	});
});
