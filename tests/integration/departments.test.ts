import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, departments, assignments, campaigns, courses } from '../../src/lib/server/db/schema';
import {
	createDepartment,
	deleteDepartment,
	departmentSubtreeIds,
	listDepartmentTree,
	updateDepartment,
	type OrgActor
} from '../../src/lib/server/org/departments';

let handle: DbHandle;
let orgId: string;
let otherOrgId: string;
let actor: OrgActor;
const dep: Record<string, string> = {};
let otherDepId: string;

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
	// The same code in another organisation is a different department.
	otherDepId = (await makeDepartment(db, otherOrgId, '100', '他市総務部')).id;
	const admin = await makePerson(db, orgId, { employeeNumber: 'ADM', roles: ['admin'] });
	actor = { orgId, personId: admin.id, ip: '10.1.0.1' };
	await makePerson(db, orgId, { employeeNumber: 'D001', departmentId: dep.soumuka });
	await makePerson(db, orgId, { employeeNumber: 'D002', departmentId: dep.soumuka });
	await makePerson(db, orgId, { employeeNumber: 'D003', departmentId: dep.soumuka, active: false });
	await makePerson(db, orgId, { employeeNumber: 'D004', departmentId: dep.system });
	await makePerson(db, otherOrgId, { employeeNumber: 'D001', departmentId: otherDepId });
});
afterAll(() => handle?.close());

const auditFor = (action: string, targetId: string) =>
	handle.db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

describe('listDepartmentTree', () => {
	it('lists parents before children with depth and direct active member counts', async () => {
		const tree = await listDepartmentTree(handle.db, orgId);
		expect(tree.map((d) => [d.code, d.depth])).toEqual([
			['100', 0],
			['110', 1],
			['120', 1],
			['121', 2],
			['200', 0]
		]);
		const byCode = Object.fromEntries(tree.map((d) => [d.code, d]));
		expect(byCode['110'].memberCount).toBe(2); // the inactive one is not counted
		expect(byCode['120'].memberCount).toBe(0); // 121's member is not counted in 120
		expect(byCode['121'].memberCount).toBe(1);
		expect(byCode['121'].parentId).toBe(dep.jouhou);
		expect(tree.some((d) => d.id === otherDepId)).toBe(false);
	});
});

describe('departmentSubtreeIds', () => {
	it('returns the roots and every descendant', async () => {
		expect(new Set(await departmentSubtreeIds(handle.db, orgId, [dep.soumu]))).toEqual(new Set([dep.soumu, dep.soumuka, dep.jouhou, dep.system]));
		expect(new Set(await departmentSubtreeIds(handle.db, orgId, [dep.jouhou, dep.shimin]))).toEqual(new Set([dep.jouhou, dep.system, dep.shimin]));
		expect(await departmentSubtreeIds(handle.db, orgId, [dep.system])).toEqual([dep.system]);
	});

	it('ignores other organisations and malformed ids', async () => {
		expect(await departmentSubtreeIds(handle.db, orgId, [otherDepId])).toEqual([]);
		expect(await departmentSubtreeIds(handle.db, otherOrgId, [dep.soumu])).toEqual([]);
		expect(await departmentSubtreeIds(handle.db, orgId, ['not-a-uuid'])).toEqual([]);
		expect(await departmentSubtreeIds(handle.db, orgId, [])).toEqual([]);
	});
});

describe('createDepartment', () => {
	it('creates a department with an audit event; codes are unique per organisation only', async () => {
		const result = await createDepartment(handle.db, actor, orgId, { code: '１３０', name: ' 職員課 ', parentId: dep.soumu });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const [row] = await handle.db.select().from(departments).where(eq(departments.id, result.id));
		expect(row).toMatchObject({ orgId, code: '130', name: '職員課', parentId: dep.soumu });
		const [event] = await auditFor('department.create', result.id);
		expect(event).toMatchObject({ orgId, actorId: actor.personId, ip: '10.1.0.1' });
		expect(event.detail).toEqual({ after: { code: '130', name: '職員課', parentId: dep.soumu } });

		expect(await createDepartment(handle.db, actor, orgId, { code: '130', name: '別', parentId: null })).toEqual({
			ok: false,
			problem: 'code_taken'
		});
		const other = await createDepartment(handle.db, { ...actor, orgId: otherOrgId }, otherOrgId, {
			code: '130',
			name: '職員課',
			parentId: null
		});
		expect(other.ok).toBe(true);
	});

	it('places a new department after its siblings, whatever its code', async () => {
		const created = await createDepartment(handle.db, actor, orgId, { code: '050', name: '会計課', parentId: null });
		if (!created.ok) throw new Error('create failed');
		const roots = (await listDepartmentTree(handle.db, orgId)).filter((d) => d.depth === 0).map((d) => d.code);
		expect(roots.indexOf('050')).toBe(roots.length - 1);
		expect(await deleteDepartment(handle.db, actor, orgId, created.id)).toEqual({ ok: true });
	});

	it('refuses empty fields and a parent from another organisation', async () => {
		expect(await createDepartment(handle.db, actor, orgId, { code: ' ', name: 'x', parentId: null })).toEqual({
			ok: false,
			problem: 'required'
		});
		expect(await createDepartment(handle.db, actor, orgId, { code: '900', name: 'x', parentId: otherDepId })).toEqual({
			ok: false,
			problem: 'parent_not_found'
		});
	});
});

describe('updateDepartment', () => {
	it('renames, recodes and moves, recording before and after', async () => {
		const created = await createDepartment(handle.db, actor, orgId, { code: '300', name: '福祉部', parentId: null });
		if (!created.ok) throw new Error('create failed');
		const result = await updateDepartment(handle.db, actor, orgId, created.id, {
			code: '310',
			name: '福祉課',
			parentId: dep.shimin
		});
		expect(result).toEqual({ ok: true, id: created.id });
		const [event] = await auditFor('department.update', created.id);
		expect(event.detail).toEqual({
			before: { code: '300', name: '福祉部', parentId: null },
			after: { code: '310', name: '福祉課', parentId: dep.shimin }
		});
		expect(await departmentSubtreeIds(handle.db, orgId, [dep.shimin])).toContain(created.id);
	});

	it('refuses to move a department under itself or one of its descendants', async () => {
		const input = { code: '100', name: '総務部' };
		expect(await updateDepartment(handle.db, actor, orgId, dep.soumu, { ...input, parentId: dep.soumu })).toEqual({
			ok: false,
			problem: 'cycle'
		});
		expect(await updateDepartment(handle.db, actor, orgId, dep.soumu, { ...input, parentId: dep.system })).toEqual({
			ok: false,
			problem: 'cycle'
		});
		// Upper-case ids must not slip past the check.
		expect(await updateDepartment(handle.db, actor, orgId, dep.soumu, { ...input, parentId: dep.system.toUpperCase() })).toEqual({
			ok: false,
			problem: 'cycle'
		});
		const [row] = await handle.db.select().from(departments).where(eq(departments.id, dep.soumu));
		expect(row.parentId).toBeNull();
	});

	it('refuses a taken code and departments of another organisation', async () => {
		expect(await updateDepartment(handle.db, actor, orgId, dep.shimin, { code: '100', name: '市民部', parentId: null })).toEqual({
			ok: false,
			problem: 'code_taken'
		});
		expect(await updateDepartment(handle.db, actor, orgId, otherDepId, { code: '100', name: '乗っ取り', parentId: null })).toEqual({
			ok: false,
			problem: 'not_found'
		});
		const [other] = await handle.db.select().from(departments).where(eq(departments.id, otherDepId));
		expect(other.name).toBe('他市総務部');
	});

	it('writes no audit event when nothing changed', async () => {
		const result = await updateDepartment(handle.db, actor, orgId, dep.soumuka, {
			code: '110',
			name: '総務課',
			parentId: dep.soumu
		});
		expect(result.ok).toBe(true);
		expect(await auditFor('department.update', dep.soumuka)).toHaveLength(0);
	});
});

describe('deleteDepartment', () => {
	it('refuses while people (even inactive ones), children or supervisors depend on it, and says which', async () => {
		const withChildren = await deleteDepartment(handle.db, actor, orgId, dep.jouhou);
		expect(withChildren).toEqual({ ok: false, problem: 'not_empty', dependents: { people: 0, children: 1, supervisors: 0, trainingRecords: 0 } });

		const onlyInactive = await createDepartment(handle.db, actor, orgId, { code: '400', name: '旧課', parentId: null });
		if (!onlyInactive.ok) throw new Error('create failed');
		await makePerson(handle.db, orgId, { employeeNumber: 'D400', departmentId: onlyInactive.id, active: false });
		expect(await deleteDepartment(handle.db, actor, orgId, onlyInactive.id)).toEqual({
			ok: false,
			problem: 'not_empty',
			dependents: { people: 1, children: 0, supervisors: 0, trainingRecords: 0 }
		});

		const supervised = await createDepartment(handle.db, actor, orgId, { code: '500', name: '建設部', parentId: null });
		if (!supervised.ok) throw new Error('create failed');
		await makePerson(handle.db, orgId, { employeeNumber: 'D500', roles: ['supervisor'], supervises: [supervised.id] });
		expect(await deleteDepartment(handle.db, actor, orgId, supervised.id)).toEqual({
			ok: false,
			problem: 'not_empty',
			dependents: { people: 0, children: 0, supervisors: 1, trainingRecords: 0 }
		});

		// Someone completed training there and moved on: the record keeps its department.
		const former = await createDepartment(handle.db, actor, orgId, { code: '700', name: '旧研修課', parentId: null });
		if (!former.ok) throw new Error('create failed');
		const moved = await makePerson(handle.db, orgId, { employeeNumber: 'D700' });
		const [course] = await handle.db.insert(courses).values({ orgId, slug: 'c-700', title: '研修' }).returning();
		const [campaign] = await handle.db
			.insert(campaigns)
			.values({
				orgId,
				courseId: course.id,
				title: '研修',
				fiscalYear: 2026,
				startsOn: '2026-04-01',
				dueOn: '2026-12-31',
				audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
			})
			.returning();
		await handle.db
			.insert(assignments)
			.values({ orgId, campaignId: campaign.id, personId: moved.id, departmentId: former.id, employmentType: 'regular', status: 'completed' });
		expect(await deleteDepartment(handle.db, actor, orgId, former.id)).toEqual({
			ok: false,
			problem: 'not_empty',
			dependents: { people: 0, children: 0, supervisors: 0, trainingRecords: 1 }
		});
	});

	it('deletes an empty department with an audit event', async () => {
		const created = await createDepartment(handle.db, actor, orgId, { code: '600', name: '一時課', parentId: dep.shimin });
		if (!created.ok) throw new Error('create failed');
		expect(await deleteDepartment(handle.db, actor, orgId, created.id)).toEqual({ ok: true });
		expect(await handle.db.select().from(departments).where(eq(departments.id, created.id))).toHaveLength(0);
		const [event] = await auditFor('department.delete', created.id);
		expect(event.detail).toEqual({ before: { code: '600', name: '一時課', parentId: dep.shimin } });
	});

	it('does not delete another organisation’s department', async () => {
		expect(await deleteDepartment(handle.db, actor, orgId, otherDepId)).toEqual({ ok: false, problem: 'not_found' });
		expect(await deleteDepartment(handle.db, actor, orgId, 'nope')).toEqual({ ok: false, problem: 'not_found' });
	});
});
