import { describe, expect, it } from 'vitest';
import { readRoster } from '../../src/lib/server/org/roster/rows';
import { planRoster, unconfirmedDepartmentProblems, type StoredPerson } from '../../src/lib/server/org/roster/plan';

const header = '職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日';
const rowsOf = (...lines: string[]) => {
	const { rows, problems } = readRoster([header, ...lines].join('\n'));
	expect(problems).toEqual([]);
	return rows;
};
const departments = [
	{ id: 'd110', code: '110', name: '総務課' },
	{ id: 'd220', code: '220', name: '税務課' }
];
const person = (employeeNumber: string, fields: Partial<StoredPerson> = {}): StoredPerson => ({
	id: `p-${employeeNumber}`,
	employeeNumber,
	name: `職員 ${employeeNumber}`,
	nameKana: '',
	departmentId: 'd110',
	employmentType: 'regular',
	title: '',
	email: '',
	retirementDate: null,
	contractorCompany: '',
	contractName: '',
	contractStart: null,
	contractEnd: null,
	active: true,
	...fields
});
const today = '2026-04-01';

describe('planRoster', () => {
	it('sorts people into new, transfers, changes, retired, reactivated, missing and unchanged', () => {
		const stored = [
			person('1'),
			person('2'),
			person('3'),
			person('4'),
			person('5', { active: false, retirementDate: '2025-03-31' }),
			person('6'),
			person('7', { active: false })
		];
		const rows = rowsOf(
			'1,職員 1,,110,,正規職員,,,', // unchanged
			'2,職員 2,,220,,正規職員,,,', // transfer
			'3,職員 三,ショクイン,110,,再任用職員,係長,three@example.jp,2027-03-31', // changes
			'4,職員 4,,110,,正規職員,,,2026-04-01', // retired today
			'5,職員 5,,110,,正規職員,,,', // back, 退職日 cleared
			'8,新人,,110,,正規職員,,,', // new
			'9,去った人,,110,,正規職員,,,2026-03-31', // new but already retired
			'7,職員 7,,110,,正規職員,,,2025-03-31' // inactive and retired: stays inactive, date recorded
		);
		const plan = planRoster(rows, { people: stored, departments }, { today });
		expect(plan.problems).toEqual([]);
		expect(plan.added.map((p) => p.employeeNumber)).toEqual(['8']);
		expect(plan.skippedRetired.map((p) => p.employeeNumber)).toEqual(['9']);
		expect(plan.transfers.map((t) => [t.person.employeeNumber, t.fromCode, t.next.departmentCode, t.toName])).toEqual([['2', '110', '220', '税務課']]);
		expect(plan.changes.map((c) => [c.person.employeeNumber, c.fields])).toEqual([
			[
				'3',
				[
					{ field: 'name', before: '職員 3', after: '職員 三' },
					{ field: 'nameKana', before: '', after: 'ショクイン' },
					{ field: 'employmentType', before: 'regular', after: 'reappointed' },
					{ field: 'title', before: '', after: '係長' },
					{ field: 'email', before: '', after: 'three@example.jp' },
					{ field: 'retirementDate', before: null, after: '2027-03-31' }
				]
			],
			['5', [{ field: 'retirementDate', before: '2025-03-31', after: null }]],
			['7', [{ field: 'retirementDate', before: null, after: '2025-03-31' }]]
		]);
		expect(plan.retired.map((r) => r.person.employeeNumber)).toEqual(['4']);
		expect(plan.reactivated.map((r) => r.person.employeeNumber)).toEqual(['5']);
		expect(plan.missing.map((p) => p.employeeNumber)).toEqual(['6']);
		expect(plan.unchanged).toBe(1);
		expect(plan.updates.map((u) => [u.person.employeeNumber, u.next.active])).toEqual([
			['2', true],
			['3', true],
			['4', false],
			['5', true],
			['7', false]
		]);
	});

	it('keeps stored values for columns the file does not have', () => {
		const { rows } = readRoster('職員番号,氏名,所属コード,雇用区分\n1,職員 1,110,正規職員\n');
		const stored = [person('1', { nameKana: 'ショクイン', title: '主任', email: 'a@example.jp', retirementDate: '2030-03-31' })];
		const plan = planRoster(rows, { people: stored, departments }, { today });
		expect(plan.unchanged).toBe(1);
		expect(plan.updates).toEqual([]);
	});

	it('offers an unknown code with a name as a new department, and reports one without', () => {
		const rows = rowsOf('1,a,,600,危機管理室,正規職員,,,', '2,b,,600,,正規職員,,,', '3,c,,700,,正規職員,,,', '4,d,,600,防災課,正規職員,,,');
		const plan = planRoster(rows, { people: [], departments }, { today });
		expect(plan.unknownDepartments).toEqual([{ code: '600', name: '危機管理室', lines: [2, 3, 5] }]);
		// Nothing is created unless the admin ticks it.
		expect(plan.newDepartments).toEqual([]);
		expect(plan.problems).toEqual([
			{ line: 5, key: 'roster.error.departmentNameConflict', params: { code: '600', other: 2 } },
			{ line: 4, key: 'roster.error.unknownDepartment', params: { code: '700', column: '所属コード' } }
		]);
	});

	it('names every line of an unknown code until the admin ticks it, and creates exactly the ticked codes', () => {
		const rows = rowsOf('1,a,,600,危機管理室,正規職員,,,', '2,b,,110,,正規職員,,,', '3,c,,700,防災課,正規職員,,,', '4,d,,600,,正規職員,,,');
		const untouched = planRoster(rows, { people: [], departments }, { today });
		expect(untouched.problems).toEqual([]);
		expect(untouched.newDepartments).toEqual([]);
		const unconfirmed = (codes: string[]) =>
			unconfirmedDepartmentProblems(planRoster(rows, { people: [], departments }, { today, createDepartments: codes })).map((p) => [
				p.line,
				p.params?.code,
				p.params?.column
			]);
		expect(unconfirmed([])).toEqual([
			[2, '600', '所属コード'],
			[4, '700', '所属コード'],
			[5, '600', '所属コード']
		]);
		expect(unconfirmed(['700'])).toEqual([
			[2, '600', '所属コード'],
			[5, '600', '所属コード']
		]);
		// A ticked code that the organisation already has, or that no line uses, creates nothing.
		const ticked = planRoster(rows, { people: [], departments }, { today, createDepartments: ['600', '700', '110', '999'] });
		expect(unconfirmedDepartmentProblems(ticked)).toEqual([]);
		expect(ticked.newDepartments).toEqual([
			{ code: '600', name: '危機管理室' },
			{ code: '700', name: '防災課' }
		]);
		expect(ticked.added.map((p) => p.departmentCode)).toEqual(['600', '110', '700', '600']);
	});

	it('never deactivates the admin who runs it', () => {
		const stored = [person('admin'), person('boss', { id: 'p-boss' })];
		const retiring = planRoster(rowsOf('admin,職員 admin,,110,,正規職員,,,2026-03-31'), { people: stored, departments }, { today, actorId: 'p-admin' });
		expect(retiring.retired).toEqual([]);
		expect(retiring.missing.map((p) => p.employeeNumber)).toEqual(['boss']);
		expect(retiring.actorKept).toBe(true);
		expect(retiring.updates[0].next).toMatchObject({ active: true, retirementDate: '2026-03-31' });

		const missing = planRoster(rowsOf('boss,職員 boss,,110,,正規職員,,,'), { people: stored, departments }, { today, actorId: 'p-admin' });
		expect(missing.missing).toEqual([]);
		expect(missing.actorKept).toBe(true);
	});
});
