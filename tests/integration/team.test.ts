import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { teamMembers, topLevelDepartmentIds } from '../../src/lib/server/org/team';

let handle: DbHandle;

beforeAll(async () => {
	handle = await createTestDatabase();
});
afterAll(() => handle?.close());

describe('teamMembers', () => {
	it('covers the supervised department and its sub-departments, active people only, one org only', async () => {
		const db = handle.db;
		const org = await makeOrg(db);
		const other = await makeOrg(db);
		const bu = await makeDepartment(db, org.id, '200', '市民部');
		const kaA = await makeDepartment(db, org.id, '210', '市民課', bu.id);
		const kakari = await makeDepartment(db, org.id, '211', '窓口係', kaA.id);
		const kaB = await makeDepartment(db, org.id, '220', '税務課', bu.id);
		const otherDep = await makeDepartment(db, other.id, '210', '市民課');
		await makePerson(db, org.id, { employeeNumber: 'a1', departmentId: kaA.id });
		await makePerson(db, org.id, { employeeNumber: 'a2', departmentId: kakari.id, employmentType: 'fiscal_year' });
		await makePerson(db, org.id, { employeeNumber: 'a3', departmentId: kakari.id, active: false });
		await makePerson(db, org.id, { employeeNumber: 'b1', departmentId: kaB.id });
		await makePerson(db, other.id, { employeeNumber: 'x1', departmentId: otherDep.id });

		const ofA = await teamMembers(db, org.id, [kaA.id]);
		expect(ofA.map((m) => m.employeeNumber).sort()).toEqual(['a1', 'a2']);
		const ofBu = await teamMembers(db, org.id, [bu.id]);
		expect(ofBu.map((m) => m.employeeNumber).sort()).toEqual(['a1', 'a2', 'b1']);
		// Another organisation's department id gives nothing, even when passed by mistake.
		expect(await teamMembers(db, org.id, [otherDep.id])).toEqual([]);
		expect(await teamMembers(db, org.id, [])).toEqual([]);
		expect(await topLevelDepartmentIds(db, org.id)).toEqual([bu.id]);
	});
});
