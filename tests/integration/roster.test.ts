import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, inArray } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { badSjisProblems, goodPreviewCounts } from '../fixtures/roster/expected';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { createDb, type Db, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { auditEvents, departments, people, rosterImports, sessions } from '../../src/lib/server/db/schema';
import {
	applyRosterImport,
	discardRosterImport,
	listRosterImports,
	loadRosterPreview,
	previewRosterFile,
	type RosterActor
} from '../../src/lib/server/org/roster';

const today = '2026-11-26';
const header = '職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日';
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/roster/${name}`, import.meta.url)));
const utf8 = (lines: string[]) => new TextEncoder().encode([header, ...lines].join('\r\n') + '\r\n');

let handle: DbHandle;
let db: Db;
let demo: RosterActor;
let other: { orgId: string; personIds: string[] };

async function personByNumber(orgId: string, employeeNumber: string) {
	const [p] = await db
		.select()
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, employeeNumber)));
	return p;
}

async function departmentCode(id: string | null) {
	if (!id) return null;
	const [d] = await db.select({ code: departments.code }).from(departments).where(eq(departments.id, id));
	return d.code;
}

async function addSession(orgId: string, personId: string) {
	const id = `test-${Math.random().toString(36).slice(2)}`;
	await db.insert(sessions).values({ id, orgId, personId, expiresAt: new Date(Date.now() + 3_600_000) });
	return id;
}

async function upload(actor: RosterActor, bytes: Uint8Array, name = 'roster.csv') {
	const result = await previewRosterFile(db, actor, { name, bytes }, { today });
	if (!result.ok) throw new Error(`upload failed: ${JSON.stringify(result)}`);
	return result.importId;
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	const { orgId } = await seedDemo(db);
	const admin = await personByNumber(orgId, 'demo-admin');
	demo = { orgId, personId: admin.id, ip: '10.1.0.1' };

	// Another municipality with some of the same numbers: the import must never see it.
	const org = await makeOrg(db, 'other-city', '別市');
	const dep = await makeDepartment(db, org.id, '110', '別市総務課');
	const a = await makePerson(db, org.id, { employeeNumber: '1010', departmentId: dep.id });
	const b = await makePerson(db, org.id, { employeeNumber: '9999', departmentId: dep.id });
	other = { orgId: org.id, personIds: [a.id, b.id] };
}, 120_000);
afterAll(() => handle?.close());

describe('roster import of the demo fixture', () => {
	let importId: string;

	it('previews new people, a transfer, changes, a retirement, the missing and an unknown department code', async () => {
		importId = await upload(demo, fixture('demo-roster-good-utf8-bom.csv'), 'demo-roster-good-utf8-bom.csv');
		const preview = await loadRosterPreview(db, demo.orgId, importId, { actorId: demo.personId, today });
		expect(preview).not.toBeNull();
		if (!preview?.lists) throw new Error('no lists');
		expect(preview.status).toBe('previewed');
		expect(preview.encoding).toBe('utf-8-bom');
		expect(preview.counts).toEqual(goodPreviewCounts);
		const { lists } = preview;
		expect(lists.added.items.map((p) => [p.employeeNumber, p.departmentCode, p.nameKana])).toEqual([
			['1011', '120', 'コアラマ サヤカ'],
			['1012', '211', 'オオハッタ メグミ'],
			['C-2002', '600', 'ホクトボウサイサービス サトウ ケン']
		]);
		expect(lists.transfers.items).toEqual([
			{ employeeNumber: '1002', name: '須玉 次郎', fromCode: '110', fromName: '総務課', toCode: '220', toName: '税務課' }
		]);
		expect(lists.changes.items).toEqual([
			{ employeeNumber: '1003', name: '高根 美咲', fields: [{ field: 'title', before: '主事', after: '主任' }] },
			{ employeeNumber: '1005', name: '大泉 陽子', fields: [{ field: 'retirementDate', before: null, after: '2030-03-31' }] }
		]);
		expect(lists.retired.items).toEqual([{ employeeNumber: '1006', name: '穴山 修', departmentName: '福祉課', retirementDate: '2024-03-31' }]);
		expect(lists.missing.items.map((p) => p.employeeNumber)).toEqual(['1010']);
		// 600 is not registered: offered as a new department, and until ticked a problem of its line.
		expect(preview.unknownDepartments).toEqual({ items: [{ code: '600', name: '危機管理室', lines: [21], moreLines: 0 }], total: 1 });
		expect(preview.unconfirmed).toEqual([
			{ line: 21, key: 'roster.error.newDepartmentUnconfirmed', params: { code: '600', name: '危機管理室', column: '所属コード' } }
		]);
		expect(preview.problems).toEqual([]);
		// Nothing but the import record is written by a preview.
		expect(await personByNumber(demo.orgId, '1011')).toBeUndefined();
	});

	it('applies exactly what the preview showed, ends sessions of the retired, and audits the counts', async () => {
		const retiree = await personByNumber(demo.orgId, '1006');
		const missing = await personByNumber(demo.orgId, '1010');
		await addSession(demo.orgId, retiree.id);
		await addSession(demo.orgId, missing.id);
		const peopleBefore = await db.select({ n: count() }).from(people).where(eq(people.orgId, demo.orgId));

		// Without 600 ticked, nothing is written; ticking another code does not stand in for it.
		for (const createDepartments of [undefined, [], ['601'], ['110']]) {
			expect(await applyRosterImport(db, demo, importId, { deactivateMissing: false, today, createDepartments })).toEqual({
				ok: false,
				reason: 'unconfirmed_departments',
				problems: [{ line: 21, key: 'roster.error.newDepartmentUnconfirmed', params: { code: '600', name: '危機管理室', column: '所属コード' } }],
				more: 0
			});
		}
		expect(await db.select({ n: count() }).from(people).where(eq(people.orgId, demo.orgId))).toEqual(peopleBefore);
		expect(
			await db
				.select()
				.from(departments)
				.where(and(eq(departments.orgId, demo.orgId), eq(departments.code, '600')))
		).toEqual([]);
		expect((await db.select().from(rosterImports).where(eq(rosterImports.id, importId)))[0].status).toBe('previewed');

		const result = await applyRosterImport(db, demo, importId, { deactivateMissing: false, today, createDepartments: ['600'] });
		expect(result).toMatchObject({ ok: true, counts: { added: 3, transfers: 1, changes: 2, retired: 1, missing: 1, deactivatedMissing: 0 } });

		const peopleAfter = await db.select({ n: count() }).from(people).where(eq(people.orgId, demo.orgId));
		expect(peopleAfter[0].n).toBe(peopleBefore[0].n + 3);
		const added = await personByNumber(demo.orgId, '1011');
		expect(added).toMatchObject({
			name: '小荒間 さやか',
			nameKana: 'コアラマ サヤカ',
			email: 'koarama@example.invalid',
			active: true,
			passwordHash: null,
			mustChangePassword: true
		});
		expect(await departmentCode(added.departmentId)).toBe('120');
		expect(await personByNumber(demo.orgId, '1012')).toMatchObject({
			employmentType: 'fiscal_year',
			title: '会計年度任用職員（窓口, 午前）',
			retirementDate: '2030-03-31'
		});

		const [newDep] = await db
			.select()
			.from(departments)
			.where(and(eq(departments.orgId, demo.orgId), eq(departments.code, '600')));
		expect(newDep).toMatchObject({ name: '危機管理室', parentId: null });
		expect((await personByNumber(demo.orgId, 'C-2002')).departmentId).toBe(newDep.id);

		expect(await departmentCode((await personByNumber(demo.orgId, '1002')).departmentId)).toBe('220');
		expect((await personByNumber(demo.orgId, '1003')).title).toBe('主任');
		expect((await personByNumber(demo.orgId, '1005')).retirementDate).toBe('2030-03-31');
		expect(await personByNumber(demo.orgId, '1006')).toMatchObject({ active: false, retirementDate: '2024-03-31' });
		expect((await personByNumber(demo.orgId, '1010')).active).toBe(true);
		expect((await personByNumber(demo.orgId, '1001')).updatedAt).toEqual((await personByNumber(demo.orgId, '1001')).createdAt);

		const left = await db
			.select()
			.from(sessions)
			.where(inArray(sessions.personId, [retiree.id, missing.id]));
		expect(left.map((s) => s.personId)).toEqual([missing.id]);

		const [record] = await db.select().from(rosterImports).where(eq(rosterImports.id, importId));
		expect(record.status).toBe('applied');
		expect(record.appliedAt).not.toBeNull();
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'roster.import'), eq(auditEvents.targetId, importId)));
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ orgId: demo.orgId, actorId: demo.personId, ip: '10.1.0.1' });
		expect(events[0].detail).toMatchObject({
			added: 3,
			transfers: 1,
			changes: 2,
			retired: 1,
			missing: 1,
			deactivatedMissing: 0,
			unchanged: 13,
			newDepartments: 1,
			createdDepartments: [{ code: '600', name: '危機管理室' }]
		});
		// The department is audited as one created by hand, naming the import that made it.
		const created = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'department.create'), eq(auditEvents.targetId, newDep.id)));
		expect(created).toHaveLength(1);
		expect(created[0]).toMatchObject({ orgId: demo.orgId, actorId: demo.personId, targetType: 'department' });
		expect(created[0].detail).toEqual({ after: { code: '600', name: '危機管理室', parentId: null }, rosterImportId: importId });

		const after = await loadRosterPreview(db, demo.orgId, importId, { today });
		expect(after).toMatchObject({ status: 'applied', lists: null, counts: { added: 3, deactivatedMissing: 0 } });
	});

	it('refuses a second apply of the same import', async () => {
		expect(await applyRosterImport(db, demo, importId, { deactivateMissing: true, today })).toEqual({
			ok: false,
			reason: 'not_previewed',
			status: 'applied'
		});
		expect((await personByNumber(demo.orgId, '1010')).active).toBe(true);
	});

	it('applies once when two applies race (a double click)', async () => {
		const id = await upload(demo, utf8(['R-1,二重 押下,,110,,正規職員,,,']));
		const results = await Promise.all([
			applyRosterImport(db, demo, id, { deactivateMissing: false, today }),
			applyRosterImport(db, demo, id, { deactivateMissing: false, today })
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'not_previewed', status: 'applied' });
		const rows = await db
			.select()
			.from(people)
			.where(and(eq(people.orgId, demo.orgId), eq(people.employeeNumber, 'R-1')));
		expect(rows).toHaveLength(1);
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'roster.import'), eq(auditEvents.targetId, id)));
		expect(events).toHaveLength(1);
	});

	it('deactivates the missing only when asked, never the admin, and keeps them stored', async () => {
		const missing = await personByNumber(demo.orgId, '1010');
		await addSession(demo.orgId, missing.id);
		const id = await upload(demo, fixture('demo-roster-good-utf8-bom.csv'));
		const preview = await loadRosterPreview(db, demo.orgId, id, { actorId: demo.personId, today });
		// R-1 from the race test is missing too; the admin is in the file.
		expect(preview?.lists?.missing.items.map((p) => p.employeeNumber)).toEqual(['1010', 'R-1']);
		expect(preview?.counts).toMatchObject({ added: 0, transfers: 0, changes: 0, retired: 0, unchanged: 20 });

		const result = await applyRosterImport(db, demo, id, { deactivateMissing: true, today });
		expect(result).toMatchObject({ ok: true, counts: { missing: 2, deactivatedMissing: 2 } });
		expect(await personByNumber(demo.orgId, '1010')).toMatchObject({ active: false, name: '信濃 由美' });
		expect(await db.select().from(sessions).where(eq(sessions.personId, missing.id))).toEqual([]);
		expect((await personByNumber(demo.orgId, 'demo-admin')).active).toBe(true);
	});

	it('reactivates someone who is back in the file without a past 退職日', async () => {
		const id = await upload(
			demo,
			utf8(['1010,信濃 由美,シナノ ユミ,211,,会計年度任用職員,会計年度任用職員,,', '1006,穴山 修,アナヤマ オサム,310,,再任用職員,再任用職員,,令和6年3月31日'])
		);
		const preview = await loadRosterPreview(db, demo.orgId, id, { actorId: demo.personId, today });
		expect(preview?.lists?.reactivated.items.map((p) => p.employeeNumber)).toEqual(['1010']);
		expect(preview?.counts).toMatchObject({ reactivated: 1, retired: 0, unchanged: 1 });
		await applyRosterImport(db, demo, id, { deactivateMissing: false, today });
		expect((await personByNumber(demo.orgId, '1010')).active).toBe(true);
		expect((await personByNumber(demo.orgId, '1006')).active).toBe(false);
	});

	it('never touches or reports another organisation', async () => {
		const id = await upload(demo, fixture('demo-roster-good-utf8-bom.csv'));
		const preview = await loadRosterPreview(db, demo.orgId, id, { actorId: demo.personId, today });
		// 1010 is back (previous test); R-1 was deactivated before.
		expect(preview?.lists?.missing.items.map((p) => p.employeeNumber)).toEqual(['1010']);
		await applyRosterImport(db, demo, id, { deactivateMissing: true, today });
		const others = await db.select().from(people).where(eq(people.orgId, other.orgId));
		expect(others.map((p) => [p.employeeNumber, p.active, p.name])).toEqual(
			expect.arrayContaining([
				['1010', true, '職員 1010'],
				['9999', true, '職員 9999']
			])
		);
		expect(others.every((p) => p.updatedAt.getTime() === p.createdAt.getTime())).toBe(true);

		// Another organisation's admin can neither see nor apply nor discard this org's imports.
		const outsider: RosterActor = { orgId: other.orgId, personId: other.personIds[0] };
		const fresh = await upload(demo, fixture('demo-roster-good-utf8-bom.csv'));
		expect(await loadRosterPreview(db, other.orgId, fresh)).toBeNull();
		expect(await applyRosterImport(db, outsider, fresh, { deactivateMissing: true })).toEqual({ ok: false, reason: 'not_found' });
		expect(await discardRosterImport(db, outsider, fresh)).toBe(false);
		expect((await listRosterImports(db, other.orgId)).length).toBe(0);
		expect((await listRosterImports(db, demo.orgId))[0]).toMatchObject({ id: fresh, status: 'previewed', rowCount: 20, createdByName: '北杜 管理' });
	});

	it('discards a preview, which then cannot be applied', async () => {
		const id = await upload(demo, fixture('demo-roster-good-utf8-bom.csv'));
		expect(await discardRosterImport(db, demo, id)).toBe(true);
		expect(await discardRosterImport(db, demo, id)).toBe(false);
		expect(await applyRosterImport(db, demo, id, { deactivateMissing: false })).toEqual({ ok: false, reason: 'not_previewed', status: 'discarded' });
		const [record] = await db.select().from(rosterImports).where(eq(rosterImports.id, id));
		expect(record).toMatchObject({ status: 'discarded', rows: [] });
		expect(await loadRosterPreview(db, demo.orgId, id)).toMatchObject({ status: 'discarded', lists: null, counts: { rows: 20 } });
	});
});

describe('a roster with problems', () => {
	it('writes nothing and lists every error of the Shift_JIS fixture, including the unknown department', async () => {
		const importsBefore = await db.select({ n: count() }).from(rosterImports);
		const peopleBefore = await db.select({ n: count() }).from(people);
		const result = await previewRosterFile(db, demo, { name: 'bad.csv', bytes: fixture('demo-roster-bad-sjis.csv') }, { today });
		expect(result.ok).toBe(false);
		if (result.ok || result.reason !== 'invalid') return;
		expect(result.problems.map((p) => [p.line, p.key])).toEqual(badSjisProblems);
		expect(result.more).toBe(0);
		expect(await db.select({ n: count() }).from(rosterImports)).toEqual(importsBefore);
		expect(await db.select({ n: count() }).from(people)).toEqual(peopleBefore);
	});

	it('names an unknown column', async () => {
		const result = await previewRosterFile(db, demo, { name: 'x.csv', bytes: fixture('demo-roster-unknown-column-utf8.csv') });
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			problems: [{ line: 1, key: 'roster.error.unknownColumn', params: { column: '生年月日' } }],
			more: 0
		});
	});

	it('refuses a file over 10 MB', async () => {
		const result = await previewRosterFile(db, demo, { name: 'big.csv', bytes: new Uint8Array(10 * 1024 * 1024 + 1) });
		expect(result).toEqual({ ok: false, reason: 'too_large' });
	});

	it('creates exactly the ticked unknown codes, and refuses while any is unticked', async () => {
		const id = await upload(demo, utf8(['U-1,未知 一,,801,未来課,正規職員,,,', 'U-2,未知 二,,802,明日課,正規職員,,,', 'U-3,未知 三,,801,,正規職員,,,']));
		const preview = await loadRosterPreview(db, demo.orgId, id, { actorId: demo.personId, today });
		expect(preview?.unknownDepartments.items.map((d) => [d.code, d.name, d.lines])).toEqual([
			['801', '未来課', [2, 4]],
			['802', '明日課', [3]]
		]);
		expect(preview?.unconfirmed.map((p) => [p.line, p.params?.code])).toEqual([
			[2, '801'],
			[3, '802'],
			[4, '801']
		]);
		const refused = await applyRosterImport(db, demo, id, { deactivateMissing: false, today, createDepartments: ['801'] });
		expect(refused).toMatchObject({ ok: false, reason: 'unconfirmed_departments', problems: [{ line: 3, params: { code: '802', column: '所属コード' } }] });
		expect(
			await db
				.select()
				.from(departments)
				.where(and(eq(departments.orgId, demo.orgId), inArray(departments.code, ['801', '802'])))
		).toEqual([]);

		const applied = await applyRosterImport(db, demo, id, { deactivateMissing: false, today, createDepartments: ['801', '802'] });
		expect(applied).toMatchObject({ ok: true, counts: { added: 3, newDepartments: 2 } });
		const made = await db
			.select()
			.from(departments)
			.where(and(eq(departments.orgId, demo.orgId), inArray(departments.code, ['801', '802'])));
		expect(made.map((d) => [d.code, d.name, d.parentId]).sort()).toEqual([
			['801', '未来課', null],
			['802', '明日課', null]
		]);
		expect(await departmentCode((await personByNumber(demo.orgId, 'U-3')).departmentId)).toBe('801');
		const audited = await db
			.select()
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.action, 'department.create'),
					inArray(
						auditEvents.targetId,
						made.map((d) => d.id)
					)
				)
			);
		expect(audited).toHaveLength(2);
	});

	it('refuses to apply when a department used by the preview has gone since', async () => {
		const dep = await makeDepartment(db, demo.orgId, 'TMP', '臨時');
		const id = await upload(demo, utf8(['T-1,臨時 職員,,TMP,,正規職員,,,']));
		await db.delete(departments).where(eq(departments.id, dep.id));
		const preview = await loadRosterPreview(db, demo.orgId, id, { today });
		expect(preview?.problems).toEqual([{ line: 2, key: 'roster.error.unknownDepartment', params: { code: 'TMP', column: '所属コード' } }]);
		const result = await applyRosterImport(db, demo, id, { deactivateMissing: false, today });
		expect(result).toMatchObject({ ok: false, reason: 'invalid', problems: [{ line: 2, key: 'roster.error.unknownDepartment' }] });
		expect(await personByNumber(demo.orgId, 'T-1')).toBeUndefined();
		const [record] = await db.select().from(rosterImports).where(eq(rosterImports.id, id));
		expect(record.status).toBe('previewed');
	});
});

/**
 * 10,000 stored people; a file that keeps 8,000 of them (each with a changed 役職, every 5th
 * transferred, every 50th retired), adds 2,000 and leaves 2,000 out, who are deactivated.
 */
async function tenThousand(target: Db, label: string) {
	const org = await makeOrg(target, `big-${label}`, '大規模市');
	const deps: { id: string }[] = [];
	for (let i = 0; i < 20; i++) deps.push(await makeDepartment(target, org.id, `D${i}`, `課${i}`));
	const admin = await makePerson(target, org.id, { employeeNumber: 'admin', departmentId: deps[0].id, roles: ['admin'] });
	const number = (n: number) => `P${String(n).padStart(5, '0')}`;
	for (let start = 1; start <= 10_000; start += 1000) {
		await target.insert(people).values(
			Array.from({ length: 1000 }, (_, i) => {
				const n = start + i;
				return {
					orgId: org.id,
					employeeNumber: number(n),
					name: `職員 ${n}`,
					nameKana: 'ショクイン',
					departmentId: deps[n % 20].id,
					employmentType: 'regular' as const,
					title: '主事'
				};
			})
		);
	}
	const lines = ['admin,職員 admin,ショクイン,D0,,正規職員,,,'];
	for (let n = 1; n <= 8000; n++) {
		const dep = n % 5 === 0 ? (n + 1) % 20 : n % 20;
		const retired = n % 50 === 0 ? '令和8年3月31日' : '';
		lines.push(`${number(n)},職員 ${n},ショクイン,D${dep},,正規職員,主任,,${retired}`);
	}
	for (let n = 1; n <= 2000; n++) lines.push(`N${String(n).padStart(5, '0')},新人 ${n},シンジン,D${n % 20},,会計年度任用職員,,new${n}@example.jp,R12.3.31`);
	const bytes = utf8(lines);
	const actor: RosterActor = { orgId: org.id, personId: admin.id };

	let t = performance.now();
	const uploaded = await previewRosterFile(target, actor, { name: 'big.csv', bytes }, { today });
	const uploadMs = performance.now() - t;
	if (!uploaded.ok) throw new Error(JSON.stringify(uploaded).slice(0, 500));
	t = performance.now();
	const preview = await loadRosterPreview(target, org.id, uploaded.importId, { actorId: admin.id, today });
	const previewMs = performance.now() - t;
	expect(preview?.counts).toEqual({
		rows: 10_001,
		added: 2000,
		transfers: 1600,
		changes: 8000,
		retired: 160,
		reactivated: 0,
		missing: 2000,
		unchanged: 1,
		unknownDepartments: 0,
		newDepartments: 0,
		skippedRetired: 0
	});
	expect(preview?.lists?.changes.items).toHaveLength(200);
	expect(preview?.lists?.changes.total).toBe(8000);

	t = performance.now();
	const applied = await applyRosterImport(target, actor, uploaded.importId, { deactivateMissing: true, today });
	const applyMs = performance.now() - t;
	expect(applied).toMatchObject({ ok: true, counts: { deactivatedMissing: 2000 } });
	console.log(
		`[roster ${label}] 10,001 rows (${(bytes.length / 1024).toFixed(0)} KiB): upload+check ${uploadMs.toFixed(0)} ms, ` +
			`preview page ${previewMs.toFixed(0)} ms, apply ${applyMs.toFixed(0)} ms`
	);

	const byState = await target
		.select({ active: people.active, title: people.title, n: count() })
		.from(people)
		.where(eq(people.orgId, org.id))
		.groupBy(people.active, people.title);
	const tally = Object.fromEntries(byState.map((r) => [`${r.active}:${r.title}`, r.n]));
	expect(tally).toEqual({ 'true:': 2001, 'true:主任': 7840, 'false:主任': 160, 'false:主事': 2000 });
	const [p5] = await target
		.select()
		.from(people)
		.where(and(eq(people.orgId, org.id), eq(people.employeeNumber, number(5))));
	expect(p5.departmentId).toBe(deps[6].id);
	const [n7] = await target
		.select()
		.from(people)
		.where(and(eq(people.orgId, org.id), eq(people.employeeNumber, 'N00007')));
	expect(n7).toMatchObject({
		employmentType: 'fiscal_year',
		email: 'new7@example.jp',
		retirementDate: '2030-03-31',
		mustChangePassword: true,
		departmentId: deps[7].id
	});
}

describe('10,000 rows', () => {
	it('preview and apply on PostgreSQL', async () => {
		await tenThousand(db, 'postgres');
	});

	it('preview and apply on PGlite', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-roster-'));
		const embedded = await createDb({ dataDir: path.join(dir, 'db') });
		try {
			await migrate(embedded);
			await tenThousand(embedded.db, 'pglite');
		} finally {
			await embedded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
