import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { rowsOf, type Db, type DbHandle } from '../../src/lib/server/db/client';
import {
	assignments,
	courses,
	improvementActions,
	inspectionChecklists,
	inspectionItems,
	policies,
	policySections,
	policyVersions,
	type InspectionAnswer,
	type InspectionTier
} from '../../src/lib/server/db/schema';
import { createCampaign, type CampaignAudience } from '../../src/lib/server/learning/campaigns';
import { saveInspectionAnswers } from '../../src/lib/server/inspection/rounds';
import { inspectionChoices, inspectionFigures, type InspectionFigures } from '../../src/lib/server/inspection/figures';
import { evidenceCsvRows, evidenceFileName, evidenceWorkbook } from '../../src/lib/server/inspection/evidence-export';
import { encodeCsv } from '../../src/lib/server/insight/csv';
import { wilsonInterval } from '../../src/lib/server/insight/statistics';
import { annualReport } from '../../src/lib/server/insight/annual-report';
import { annualReportWorkbook } from '../../src/lib/server/insight/annual-report-xlsx';

let handle: DbHandle;
let db: Db;

const everyone: CampaignAudience = { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null };
const chiefs: CampaignAudience = { everyone: false, employmentTypes: [], departmentIds: [], createdSince: null, roles: ['supervisor'] };

/**
 * 試験市, 年度 2026, 基本方針 with sections 4(2)① and 6(5):
 *   100 総務課: 8 staff (1001–1008) and 所属長 1009; 200 税務課: 6 staff; 300 福祉課: 3 staff (under k = 5).
 * 職員自己点検 (staff): items A 6(5), B 4(2)①, C 6 (its text starts with "=", as a hostile edit
 * could leave it), D (inactive, never answered). Everyone answers A, B, C by a fixed pattern, except
 * 1008 who answers nothing.
 * 所属長自己点検 (supervisor): one item, 1009 answers いいえ: an 改善計画 row for 総務課.
 * Not counted: a training campaign, another organisation's round with answers, a 2025 round.
 */
let orgId: string;
let otherOrgId: string;
const ids: Record<string, string> = {};
const staffIds: { personId: string; dept: string; n: number }[] = [];

async function checklist(
	org: string,
	slug: string,
	title: string,
	tier: InspectionTier,
	policyId: string | null,
	items: [string, string, string[], string | null, boolean?][]
) {
	const [c] = await db.insert(inspectionChecklists).values({ orgId: org, slug, title, tier, policyId }).returning();
	const made = await db
		.insert(inspectionItems)
		.values(
			items.map(([itemSlug, text, sectionKeys, auditItem, active], i) => ({
				orgId: org,
				checklistId: c.id,
				slug: itemSlug,
				position: i,
				text,
				sectionKeys,
				auditItem,
				active: active ?? true
			}))
		)
		.returning();
	return { id: c.id, items: Object.fromEntries(made.map((m) => [m.slug, m.id])) };
}

async function round(org: string, actorId: string, checklistId: string, title: string, fiscalYear: number, audience: CampaignAudience) {
	const startsOn = `${fiscalYear}-05-01`;
	const made = await createCampaign(
		db,
		{ orgId: org, personId: actorId, ip: '10.0.0.1' },
		{ subjectId: checklistId, title, fiscalYear, startsOn, dueOn: `${fiscalYear}-06-30`, audience },
		{ today: startsOn }
	);
	if (!made.ok) throw new Error(JSON.stringify(made));
	return made.id;
}

async function answer(org: string, campaignId: string, personId: string, answers: [string, InspectionAnswer, string?][]) {
	const [a] = await db
		.select({ id: assignments.id })
		.from(assignments)
		.where(and(eq(assignments.campaignId, campaignId), eq(assignments.personId, personId)));
	const saved = await saveInspectionAnswers(
		db,
		org,
		personId,
		a.id,
		answers.map(([itemId, given, comment]) => ({ itemId, answer: given, comment: comment ?? '' })),
		'2026-05-10'
	);
	if (!saved.ok) throw new Error(JSON.stringify(saved));
}

/** The answers as given, counted afresh from inspection_responses: per item, and per item and department. */
async function recount(campaignIds: string[]) {
	const list = await rowsOf<{ itemId: string; departmentId: string | null; yes: number; no: number; na: number }>(
		db,
		sql`
		select r.item_id as "itemId", r.department_id as "departmentId",
			count(*) filter (where r.answer = 'yes')::int as yes,
			count(*) filter (where r.answer = 'no')::int as no,
			count(*) filter (where r.answer = 'na')::int as na
		from inspection_responses r join assignments a on a.id = r.assignment_id
		where a.campaign_id in (${sql.join(
			campaignIds.map((id) => sql`${id}::uuid`),
			sql`, `
		)})
		group by r.item_id, r.department_id`
	);
	const byItem = new Map<string, { yes: number; no: number; na: number }>();
	for (const r of list) {
		const acc = byItem.get(r.itemId) ?? { yes: 0, no: 0, na: 0 };
		acc.yes += r.yes;
		acc.no += r.no;
		acc.na += r.na;
		byItem.set(r.itemId, acc);
	}
	return { byItem, rows: list };
}

/** A CSV body (UTF-8 with BOM, RFC 4180) back into rows. */
function parseCsv(bytes: Uint8Array): string[][] {
	const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	return rows;
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	const org = await makeOrg(db, 'evidence-town', '試験市');
	orgId = org.id;
	const d100 = await makeDepartment(db, orgId, '100', '総務課');
	const d200 = await makeDepartment(db, orgId, '200', '税務課');
	const d300 = await makeDepartment(db, orgId, '300', '福祉課');
	Object.assign(ids, { d100: d100.id, d200: d200.id, d300: d300.id });
	const owner = await makePerson(db, orgId, { employeeNumber: '0001', roles: ['policy_owner'] });
	ids.owner = owner.id;
	let n = 0;
	for (const [dept, count, base] of [
		[d100.id, 8, 1001],
		[d200.id, 6, 2001],
		[d300.id, 3, 3001]
	] as const) {
		for (let i = 0; i < count; i++) {
			const p = await makePerson(db, orgId, { employeeNumber: String(base + i), departmentId: dept, employmentType: i % 3 === 2 ? 'fiscal_year' : 'regular' });
			staffIds.push({ personId: p.id, dept, n: n++ });
		}
	}
	const chief = await makePerson(db, orgId, { employeeNumber: '1009', departmentId: d100.id, roles: ['supervisor'], supervises: [d100.id] });
	ids.chief = chief.id;

	const [policy] = await db.insert(policies).values({ orgId, slug: 'basic', title: '情報セキュリティ基本方針', sortOrder: 1 }).returning();
	const [version] = await db
		.insert(policyVersions)
		.values({ orgId, policyId: policy.id, version: '1.0', status: 'published', changeKind: 'enacted' })
		.returning();
	const sections: [string, string, string][] = [
		['4', '4', '物理的セキュリティ'],
		['4.2', '(2)', '執務室の管理'],
		['4.2.1', '①', '施錠'],
		['6', '6', '人的セキュリティ'],
		['6.5', '(5)', 'クリアデスク']
	];
	await db
		.insert(policySections)
		.values(sections.map(([key, label, heading], i) => ({ orgId, versionId: version.id, key, label, heading, position: i, level: key.split('.').length })));

	const staff = await checklist(orgId, 'staff', '職員自己点検', 'staff', policy.id, [
		['a-clear-desk', '離席時に机上に書類を放置していない', ['6.5'], '2.1.3', true],
		['b-lock-room', '最後に退室する時に施錠している', ['4.2.1'], null, true],
		['c-formula', '=HYPERLINK("http://example.invalid","研修")', ['6'], '1-2', true],
		['d-retired', '使われなくなった項目', ['6'], null, false]
	]);
	const boss = await checklist(orgId, 'chief', '所属長自己点検', 'supervisor', policy.id, [
		['s-ledger', '所属の情報資産台帳を今年度見直した', ['4.2'], '3.1', true]
	]);
	Object.assign(ids, {
		staffChecklist: staff.id,
		a: staff.items['a-clear-desk'],
		b: staff.items['b-lock-room'],
		c: staff.items['c-formula'],
		d: staff.items['d-retired'],
		s: boss.items['s-ledger']
	});

	ids.staffRound = await round(orgId, owner.id, staff.id, '令和8年度 職員自己点検', 2026, everyone);
	ids.chiefRound = await round(orgId, owner.id, boss.id, '令和8年度 所属長自己点検', 2026, chiefs);
	ids.lastYear = await round(orgId, owner.id, staff.id, '令和7年度 職員自己点検', 2025, everyone);
	const [course] = await db.insert(courses).values({ orgId, slug: 'basic', title: '基礎研修', policyId: policy.id }).returning();
	const training = await createCampaign(
		db,
		{ orgId, personId: owner.id, ip: '10.0.0.1' },
		{ subjectId: course.id, title: '基礎研修', fiscalYear: 2026, startsOn: '2026-05-01', dueOn: '2026-06-30', audience: everyone },
		{ today: '2026-05-01' }
	);
	if (!training.ok) throw new Error('training campaign');
	ids.training = training.id;

	// A fixed pattern: A (clear desk) slips for one in three, B for one in five, C is mostly 該当しない.
	const pick = (i: number, every: number): InspectionAnswer => (i % every === 0 ? 'no' : 'yes');
	for (const s of staffIds) {
		if (s.n === 7) continue; // 1008 answers nothing
		await answer(orgId, ids.staffRound, s.personId, [
			[ids.a, pick(s.n, 3)],
			[ids.b, pick(s.n, 5)],
			[ids.c, s.n % 4 === 0 ? 'yes' : 'na']
		]);
	}
	// Last year's round: everyone said いいえ to A; not in 2026.
	for (const s of staffIds.slice(0, 6)) await answer(orgId, ids.lastYear, s.personId, [[ids.a, 'no']]);
	await answer(orgId, ids.chiefRound, chief.id, [[ids.s, 'no', '台帳が古い']]);
	await db
		.update(improvementActions)
		.set({ plan: '=1+1 台帳を見直す', assignee: '庶務係長', dueOn: '2027-03-31', status: 'in_progress' })
		.where(eq(improvementActions.orgId, orgId));

	// Another organisation with its own round and answers.
	const other = await makeOrg(db, 'evidence-other', '別市');
	otherOrgId = other.id;
	const od = await makeDepartment(db, otherOrgId, '100', '総務課');
	const otherOwner = await makePerson(db, otherOrgId, { employeeNumber: '0001', roles: ['policy_owner'] });
	const otherList = await checklist(otherOrgId, 'staff', '別市の点検', 'staff', null, [['x', '別市の項目', ['1'], null, true]]);
	const otherPeople = [];
	for (let i = 0; i < 6; i++) otherPeople.push(await makePerson(db, otherOrgId, { employeeNumber: String(5001 + i), departmentId: od.id }));
	ids.otherRound = await round(otherOrgId, otherOwner.id, otherList.id, '別市の点検', 2026, everyone);
	for (const p of otherPeople) await answer(otherOrgId, ids.otherRound, p.id, [[otherList.items.x, 'no']]);
}, 120_000);

afterAll(async () => {
	await handle?.close();
});

const item = (f: InspectionFigures, id: string) => f.items.find((i) => i.itemId === id)!;
const column = (f: InspectionFigures, departmentId: string) => f.departments.findIndex((d) => d.departmentId === departmentId);

describe('inspection figures', () => {
	it('count every item as a recount of the answers given, with the rate and its Wilson interval', async () => {
		const f = (await inspectionFigures(db, orgId, { campaignId: ids.staffRound }, { roles: ['policy_owner'] }))!;
		const { byItem } = await recount([ids.staffRound]);
		expect(f.people).toBe(16);
		for (const id of [ids.a, ids.b, ids.c]) {
			const want = byItem.get(id)!;
			const got = item(f, id);
			expect({ yes: got.yes, no: got.no, na: got.na }).toEqual(want);
			expect(got.rate).toBeCloseTo(want.no / (want.yes + want.no), 10);
			expect(got.interval).toEqual(wilsonInterval(want.no, want.yes + want.no));
		}
		// 16 people: A has いいえ for n = 0, 3, …, 15 (6), B for 0, 5, 10, 15 (4); C is no いいえ at all.
		expect(item(f, ids.a).no).toBe(6);
		expect(item(f, ids.b).no).toBe(4);
		// Least followed first; an item never answered (D, inactive) is left out.
		expect(f.items.map((i) => i.itemId)).toEqual([ids.a, ids.b, ids.c]);
		expect(item(f, ids.a).number).toBe(1);
	});

	it('cite the sections as the document does, with the 監査項目番号', async () => {
		const f = (await inspectionFigures(db, orgId, { campaignId: ids.staffRound }, { roles: ['policy_owner'] }))!;
		expect(item(f, ids.a).sections.map((s) => s.citation)).toEqual(['6(5)']);
		expect(item(f, ids.b).sections.map((s) => s.citation)).toEqual(['4(2)①']);
		expect(item(f, ids.b).sections[0].title).toBe('4(2)① 施錠');
		expect(item(f, ids.a).auditItem).toBe('2.1.3');
	});

	it('give each department the rate of its own answers, and withhold a department under five people and the one that would give it away', async () => {
		const f = (await inspectionFigures(db, orgId, { campaignId: ids.staffRound }, { roles: ['policy_owner'] }))!;
		const { rows } = await recount([ids.staffRound]);
		const d100 = column(f, ids.d100);
		const d200 = column(f, ids.d200);
		const d300 = column(f, ids.d300);
		expect(f.departments[d100].people).toBe(7);
		expect(f.departments[d300].people).toBe(3);
		for (const id of [ids.a, ids.b]) {
			const want = rows.find((r) => r.itemId === id && r.departmentId === ids.d100)!;
			const cell = item(f, id).byDepartment[d100];
			expect(cell.suppressed).toBe(false);
			if (!cell.suppressed) expect({ yes: cell.yes, no: cell.no, na: cell.na }).toEqual({ yes: want.yes, no: want.no, na: want.na });
			// 福祉課 (3 people) is withheld; 税務課 too, or the total minus 総務課 would give 福祉課 away.
			expect(item(f, id).byDepartment[d300]).toEqual({ suppressed: true });
			expect(item(f, id).byDepartment[d200]).toEqual({ suppressed: true });
		}
		// Completion is no answer: it is shown for every department.
		expect(f.departments[d300]).toMatchObject({ assigned: 3, completed: 3 });
		expect(f.departments[d100]).toMatchObject({ assigned: 9, completed: 7 });
	});

	it('withhold a checklist answered by fewer than five people, but keep its 改善計画', async () => {
		const f = (await inspectionFigures(db, orgId, { fiscalYear: 2026 }, { roles: ['policy_owner'] }))!;
		expect(f.rounds.map((r) => r.id).sort()).toEqual([ids.staffRound, ids.chiefRound].sort());
		const s = item(f, ids.s);
		expect(s.suppressed).toBe(true);
		expect([s.yes, s.no, s.na]).toEqual([0, 0, 0]);
		expect(s.byDepartment.every((c) => c.suppressed)).toBe(true);
		expect(f.improvements).toHaveLength(1);
		expect(f.improvements[0]).toMatchObject({ itemId: ids.s, departmentId: ids.d100, status: 'in_progress', finding: '台帳が古い' });
		// The staff figures of the year are the staff round's only (2025's answers are not in them).
		expect(item(f, ids.a).no).toBe(6);
	});

	it('stay inside the organisation and its inspection rounds', async () => {
		expect(await inspectionFigures(db, orgId, { campaignId: ids.otherRound }, { roles: ['policy_owner'] })).toBeNull();
		expect(await inspectionFigures(db, orgId, { campaignId: ids.training }, { roles: ['policy_owner'] })).toBeNull();
		const f = (await inspectionFigures(db, orgId, { fiscalYear: 2026 }, { roles: ['policy_owner'] }))!;
		expect(f.rounds.some((r) => r.id === ids.otherRound || r.id === ids.training)).toBe(false);
		expect(f.items.every((i) => [ids.a, ids.b, ids.c, ids.s].includes(i.itemId))).toBe(true);
		const choices = await inspectionChoices(db, orgId);
		expect(choices.rounds.map((r) => r.id).sort()).toEqual([ids.staffRound, ids.chiefRound, ids.lastYear].sort());
		expect(choices.years).toEqual([2026, 2025]);
		const other = (await inspectionFigures(db, otherOrgId, { fiscalYear: 2026 }, { roles: ['policy_owner'] }))!;
		expect(other.improvements).toEqual([]);
		expect(other.items.map((i) => i.text)).toEqual(['別市の項目']);
	});
});

describe('the evidence file', () => {
	it('as CSV: one row per item with counts, rate, departments (withheld as on the page) and plans; formula-like text stays text', async () => {
		const f = (await inspectionFigures(db, orgId, { fiscalYear: 2026 }, { roles: ['policy_owner'] }))!;
		const rows = parseCsv(encodeCsv(evidenceCsvRows(f, 'ja')));
		const [header, ...body] = rows;
		expect(header.slice(0, 11)).toEqual([
			'点検票',
			'番号',
			'項目',
			'監査項目番号',
			'規程の該当箇所',
			'はい',
			'いいえ',
			'該当しない',
			'不遵守率（%）',
			'95%信頼区間 下限（%）',
			'95%信頼区間 上限（%）'
		]);
		expect(header).toContain('総務課 不遵守率');
		expect(header.at(-1)).toBe('改善計画');
		expect(body).toHaveLength(f.items.length);
		const a = body.find((r) => r[2] === '離席時に机上に書類を放置していない')!;
		expect(a.slice(0, 9)).toEqual(['職員自己点検', '1', '離席時に机上に書類を放置していない', '2.1.3', '6(5)', '10', '6', '0', '37.5']);
		const col100 = header.indexOf('総務課 不遵守率');
		const col300 = header.indexOf('福祉課 不遵守率');
		expect(a[col300]).toBe('非表示');
		expect(Number(a[col100])).toBeGreaterThanOrEqual(0);
		// The item whose text starts with "=" is neutralised.
		expect(body.some((r) => r[2] === `'=HYPERLINK("http://example.invalid","研修")`)).toBe(true);
		const s = body.find((r) => r[2] === '所属の情報資産台帳を今年度見直した')!;
		expect(s[5]).toBe('非表示');
		expect(s.at(-1)).toBe('総務課：=1+1 台帳を見直す（担当：庶務係長、期限：令和9年3月31日、対応中）');
		expect(evidenceFileName(f, 'ja', '試験市', 'csv')).toEqual({ name: '令和8年度_自己点検結果_試験市.csv', fallback: 'self-inspection-FY2026.csv' });
	});

	it('as Excel: three sheets, real numbers and dates, frozen headers, and no formula anywhere', async () => {
		const f = (await inspectionFigures(db, orgId, { fiscalYear: 2026 }, { roles: ['policy_owner'] }))!;
		const bytes = await evidenceWorkbook(f, { locale: 'ja', organisation: '試験市', today: '2026-12-08' });
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
		expect(book.worksheets.map((s) => s.name)).toEqual(['項目別', '所属別', '改善計画']);
		const items = book.getWorksheet('項目別')!;
		expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
		expect(items.getColumn(3).width).toBe(48);
		const rowOf = (sheet: ExcelJS.Worksheet, text: string) => {
			for (let r = 5; r <= sheet.rowCount; r++) if (sheet.getRow(r).values && (sheet.getRow(r).values as unknown[]).includes(text)) return sheet.getRow(r);
			throw new Error(`no row ${text}`);
		};
		const a = rowOf(items, '離席時に机上に書類を放置していない');
		expect(a.getCell(6).value).toBe(10);
		expect(a.getCell(7).value).toBe(6);
		expect(a.getCell(9).value).toBeCloseTo(0.375, 10);
		expect(a.getCell(9).numFmt).toBe('0.0%');
		const s = rowOf(items, '所属の情報資産台帳を今年度見直した');
		expect(s.getCell(6).value).toBe('非表示');
		const formula = rowOf(items, '=HYPERLINK("http://example.invalid","研修")');
		expect(formula.getCell(3).type).toBe(ExcelJS.ValueType.String);
		const plans = book.getWorksheet('改善計画')!;
		const plan = rowOf(plans, '=1+1 台帳を見直す');
		expect(plan.getCell(8).type).toBe(ExcelJS.ValueType.String);
		const due = plan.getCell(10).value as Date;
		expect(due).toBeInstanceOf(Date);
		expect(due.toISOString().slice(0, 10)).toBe('2027-03-31');
		expect(plan.getCell(10).numFmt).toContain('ggge');
		const departments = book.getWorksheet('所属別')!;
		const d300 = rowOf(departments, '福祉課');
		expect([d300.getCell(3).value, d300.getCell(4).value, d300.getCell(5).value]).toEqual([3, 3, 1]);
		for (const sheet of book.worksheets) {
			sheet.eachRow((row) =>
				row.eachCell((cell) => {
					expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
					expect(cell.formula).toBeUndefined();
				})
			);
		}
	});
});

describe('the 年度報告 自己点検 section', () => {
	it('holds completion per department, the least followed items it may show, and the open plans', async () => {
		const report = await annualReport(db, orgId, 2026, '2026-12-08');
		const ins = report.inspection!;
		expect(ins.rounds.map((r) => r.id).sort()).toEqual([ids.staffRound, ids.chiefRound].sort());
		// Both rounds: 総務課 has 9 staff assigned (1009 too) plus 1009 in the 所属長 round.
		expect(ins.byDepartment.map((d) => [d.code, d.assigned, d.completed])).toEqual([
			['100', 10, 8],
			['200', 6, 6],
			['300', 3, 3],
			// The policy owner, in no department, was assigned the staff round too.
			[null, 1, 0]
		]);
		expect(ins.leastFollowed.map((i) => [i.text, i.no, i.yes, i.rate])).toEqual([
			['離席時に机上に書類を放置していない', 6, 10, 37.5],
			['最後に退室する時に施錠している', 4, 12, 25],
			['=HYPERLINK("http://example.invalid","研修")', 0, 5, 0]
		]);
		expect(ins.leastFollowed[0].citations).toBe('6(5)');
		expect(ins.withheldChecklists).toEqual(['所属長自己点検']);
		expect(ins.openPlans.map((p) => [p.departmentName, p.itemText, p.status])).toEqual([['総務課', '所属の情報資産台帳を今年度見直した', 'in_progress']]);
		// The training part of the report does not count the rounds.
		expect(report.campaigns.map((c) => c.id)).toEqual([ids.training]);
	});

	it('is empty for a year without rounds, and goes into the workbook', async () => {
		expect((await annualReport(db, orgId, 2024, '2026-12-08')).inspection).toBeNull();
		const report = await annualReport(db, orgId, 2026, '2026-12-08');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(Buffer.from(await annualReportWorkbook(report, { locale: 'ja', origin: 'https://example.invalid' })) as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('8 自己点検（項目）')!;
		expect(sheet.getRow(5).getCell(3).value).toBe('離席時に机上に書類を放置していない');
		expect(sheet.getRow(5).getCell(9).value).toBeCloseTo(0.375, 10);
		expect(book.getWorksheet('8 自己点検（改善計画）')!.getRow(5).getCell(2).value).toBe('総務課');
	});
});
