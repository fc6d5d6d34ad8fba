import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	acknowledgements,
	courses,
	people,
	policies,
	policySections,
	policyVersions,
	sectionAnswerStats,
	type ChangeKind,
	type Role
} from '../../src/lib/server/db/schema';
import { createCampaign } from '../../src/lib/server/learning/campaigns';
import { annualReport, type AnnualReport } from '../../src/lib/server/insight/annual-report';
import { annualReportFileName, annualReportWorkbook, headerRow } from '../../src/lib/server/insight/annual-report-xlsx';

let handle: DbHandle;
let db: Db;

/**
 * 改訂市. 基本方針: 4.0 (only in the document's history, 令和5年), 5.0 (in force from 2025-11-25),
 * 5.1 published on 10 December 2026 (施行日 1 January 2027). 対策基準: 1.0 enacted on 1 April 2026
 * at 08:00 Japan time (still 31 March in UTC), 1.1 published on 1 April 2027 at 00:00 Japan time
 * (31 March in UTC). People, registered on 1 March 2026 unless said otherwise:
 *   p1 (100) acknowledged 5.0 in May and 5.1 on 15 December
 *   p2 (100) acknowledged 5.0 in June and 5.1 at 23:59:59 on 31 March 2027
 *   p3 (200) acknowledged 5.0 in the previous year (December 2025)
 *   p4 (200) named 「=1+2」, acknowledged 5.1 only at 00:00 on 1 April 2027 (the next year)
 *   p5 (200) acknowledged 5.0 in September 2026, then left
 *   p6 (100) registered 10 January 2027, after 5.1; acknowledged 5.1 on 15 January
 *   p7 (100) acknowledged 5.0 in December 2025 and left: not there in 2026 as far as anyone knows
 *   p8 (200) moved from 100 to 200 during the year
 */
let orgId: string;
const ids: Record<string, string> = {};

const jst = (local: string) => new Date(`${local}+09:00`);

async function version(
	policyId: string,
	label: string,
	status: 'published' | 'superseded',
	fields: { changeKind?: ChangeKind; reason?: string; effectiveDate?: string | null; dateLabel?: string; publishedAt?: Date | null; textHeld?: boolean },
	sections: [string, string, string, string, Role[]?][] = []
) {
	const [v] = await db
		.insert(policyVersions)
		.values({
			orgId,
			policyId,
			version: label,
			status,
			changeKind: fields.changeKind ?? 'partial',
			reason: fields.reason ?? '',
			effectiveDate: fields.effectiveDate ?? null,
			dateLabel: fields.dateLabel ?? '',
			publishedAt: fields.publishedAt ?? null,
			textHeld: fields.textHeld ?? true
		})
		.returning();
	if (sections.length) {
		await db.insert(policySections).values(
			sections.map(([key, label, heading, body, restrictedTo], i) => ({
				orgId,
				versionId: v.id,
				key,
				label,
				heading,
				body,
				position: i,
				level: key === 'suppl' ? 1 : key.split('.').length,
				restrictedTo: restrictedTo ?? null
			}))
		);
	}
	return v;
}

const common: [string, string, string, string, Role[]?][] = [
	['6', '6', '人的セキュリティ', ''],
	['6.3', '(3)', '三層の対策', ''],
	['6.3.1', '①', '', '- マイナンバー利用事務系においては、原則として、他の領域との通信をできないようにする。'],
	['6.3.3', '③', '', 'インターネット接続系においては、不正通信の監視機能の強化等の高度な情報セキュリティ対策を実施する。'],
	['7', '7', '非公開の章', '', ['admin']],
	['7.1', '(1)', '非公開の項目', '監査の手順']
];

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	const org = await makeOrg(db, 'revised-town', '改訂市');
	orgId = org.id;
	const d100 = await makeDepartment(db, orgId, '100', '総務課');
	const d200 = await makeDepartment(db, orgId, '200', '税務課');
	const person = async (key: string, departmentId: string, registered = '2026-03-01T09:00:00', name?: string) => {
		const p = await makePerson(db, orgId, { employeeNumber: key, name: name ?? `職員${key}`, nameKana: key, departmentId });
		await db
			.update(people)
			.set({ createdAt: jst(registered) })
			.where(eq(people.id, p.id));
		ids[key] = p.id;
	};
	await person('p1', d100.id);
	await person('p2', d100.id);
	await person('p3', d200.id);
	await person('p4', d200.id, undefined, '=1+2');
	await person('p5', d200.id);
	await person('p7', d100.id);
	await person('p8', d100.id);

	const [basic] = await db.insert(policies).values({ orgId, slug: 'basic', title: '改訂市情報セキュリティ基本方針', sortOrder: 1 }).returning();
	const [rules] = await db.insert(policies).values({ orgId, slug: 'rules', title: '改訂市情報セキュリティ対策基準', sortOrder: 2 }).returning();
	const [hidden] = await db
		.insert(policies)
		.values({ orgId, slug: 'hidden', title: '非公開の実施手順', sortOrder: 3, restrictedTo: ['admin'] })
		.returning();
	Object.assign(ids, { basic: basic.id, rules: rules.id });
	await version(basic.id, '4.0', 'superseded', {
		effectiveDate: '2023-03-14',
		dateLabel: '令和5年3月14日',
		publishedAt: jst('2023-03-14T00:00:00'),
		textHeld: false
	});
	const v50 = await version(
		basic.id,
		'5.0',
		'superseded',
		{ effectiveDate: '2025-11-25', dateLabel: '令和7年11月25日', publishedAt: jst('2025-11-25T00:00:00'), reason: 'ガイドラインに合わせて一部改訂' },
		[
			...common,
			['6.3.2', '②', '', 'LGWAN 接続系においては、業務用システムとインターネットを分離する。'],
			['9', '9', '旧い規定', '廃止する規定の本文'],
			['suppl', '附則', '', '本方針は令和7年11月25日から施行する。']
		]
	);
	const v51 = await version(
		basic.id,
		'5.1',
		'published',
		{ effectiveDate: '2027-01-01', dateLabel: '令和9年1月1日', publishedAt: jst('2026-12-10T10:00:00'), reason: '+クラウド利用の規定を追加' },
		[
			...common,
			['6.3.2', '②', '', 'LGWAN 接続系においては、業務用システムとインターネットを確実に分離する。'],
			['6.3.4', '④', '', 'クラウドサービスの利用に当たっては、情報セキュリティ管理者の承認を得る。'],
			['suppl', '附則', '', '本方針は令和9年1月1日から施行する。']
		]
	);
	const r10 = await version(
		rules.id,
		'1.0',
		'superseded',
		{ changeKind: 'enacted', effectiveDate: '2026-04-01', dateLabel: '令和8年4月1日', publishedAt: jst('2026-04-01T08:00:00'), reason: '制定' },
		[
			['1', '第1条', '目的', 'この基準は…'],
			['2', '第2条', '定義', '用語の定義']
		]
	);
	await version(
		rules.id,
		'1.1',
		'published',
		{ effectiveDate: '2027-04-01', dateLabel: '令和9年4月1日', publishedAt: jst('2027-04-01T00:00:00'), reason: '定義の改正' },
		[
			['1', '第1条', '目的', 'この基準は…'],
			['2', '第2条', '定義', '用語の定義を改める']
		]
	);
	await version(hidden.id, '1.0', 'published', { publishedAt: jst('2026-06-01T00:00:00') }, [['1', '1', '手順', '非公開']]);
	Object.assign(ids, { v50: v50.id, v51: v51.id, r10: r10.id });

	const ack = async (person: string, versionId: string, at: string) =>
		db.insert(acknowledgements).values({ orgId, personId: ids[person], versionId, at: jst(at) });
	await ack('p1', v50.id, '2026-05-10T10:00:00');
	await ack('p1', v51.id, '2026-12-15T10:00:00');
	await ack('p2', v50.id, '2026-06-01T10:00:00');
	await ack('p2', v51.id, '2027-03-31T23:59:59');
	await ack('p3', v50.id, '2025-12-01T10:00:00');
	await ack('p4', v51.id, '2027-04-01T00:00:00');
	await ack('p5', v50.id, '2026-09-01T10:00:00');
	await ack('p7', v50.id, '2025-12-01T10:00:00');

	const actor = { orgId, personId: ids.p1, ip: '10.0.0.1' };
	const [course] = await db.insert(courses).values({ orgId, slug: 'basic', title: '基本方針 研修', policyId: basic.id }).returning();
	const made = await createCampaign(
		db,
		actor,
		{
			subjectId: course.id,
			title: '-令和8年度 全職員研修',
			fiscalYear: 2026,
			startsOn: '2026-04-01',
			dueOn: '2026-06-30',
			audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		},
		{ today: '2026-04-01' }
	);
	if (!made.ok) throw new Error(JSON.stringify(made));
	ids.campaign = made.id;
	const stats = (sectionKey: string, answers: number, errors: number) =>
		db.insert(sectionAnswerStats).values({ orgId, campaignId: made.id, sectionKey, departmentId: d100.id, employmentType: 'regular', answers, errors });
	await stats('9', 40, 30); // 75%: only in 5.0
	await stats('7.1', 40, 28); // 70%: 非公開
	await stats('6.3.1', 40, 24); // 60%: a list item in the text
	await stats('suppl', 40, 20); // 50%: 附則
	await stats('x.9', 40, 18); // 45%: in no version
	await stats('6.3.3', 40, 8); // 20%

	// Later changes: p5 leaves, p7 left long ago, p8 moves, p6 is hired after 5.1.
	await db.update(people).set({ active: false }).where(eq(people.id, ids.p5));
	await db.update(people).set({ active: false }).where(eq(people.id, ids.p7));
	await db.update(people).set({ departmentId: d200.id }).where(eq(people.id, ids.p8));
	await person('p6', d100.id, '2027-01-10T09:00:00');
	await ack('p6', v51.id, '2027-01-15T10:00:00');
}, 120_000);

afterAll(() => handle?.close());

const figures = (r: AnnualReport) =>
	r.acknowledgements.map((a) => ({
		policy: a.slug,
		versions: a.versions.map((v) => [v.version, v.inForceFrom, v.inForceUntil, v.acknowledged, v.due, v.rate])
	}));

describe('acknowledgements over the 年度', () => {
	it('counts each version in force during the year, 5.0 acknowledgements before the December 5.1 included', async () => {
		const r = await annualReport(db, orgId, 2026, '2027-05-01');
		expect(figures(r)).toEqual([
			{
				policy: 'basic',
				versions: [
					// p1, p2, p3 (the year before), p5 (left since) of p1–p4, p8 and p5.
					['5.0', '2025-11-25', '2026-12-10', 4, 6, 66.7],
					// p1, p6, and p2 a second before the year ended; p4's came on 1 April.
					['5.1', '2026-12-10', null, 3, 6, 50]
				]
			},
			{ policy: 'rules', versions: [['1.0', '2026-04-01', null, 0, 6, 0]] }
		]);
	});

	it('counts everyone once, in their department now, with totals that add up', async () => {
		const r = await annualReport(db, orgId, 2026, '2027-05-01');
		const basic = r.acknowledgements.find((a) => a.slug === 'basic')!;
		expect(basic.versions.map((v) => v.byDepartment.map((d) => [d.code, d.acknowledged, d.due]))).toEqual([
			[
				['100', 2, 2],
				['200', 2, 4]
			],
			[
				['100', 3, 3],
				['200', 0, 3]
			]
		]);
		for (const v of basic.versions) {
			expect(v.byDepartment.reduce((s, d) => s + d.due, 0)).toBe(v.due);
			expect(v.byDepartment.reduce((s, d) => s + d.acknowledged, 0)).toBe(v.acknowledged);
		}
	});

	it('stops at the end of today during the year', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-12-20');
		expect(figures(r)).toEqual([
			{
				policy: 'basic',
				versions: [
					['5.0', '2025-11-25', '2026-12-10', 4, 6, 66.7],
					// p6 is not there yet; only p1 has acknowledged.
					['5.1', '2026-12-10', null, 1, 5, 20]
				]
			},
			{ policy: 'rules', versions: [['1.0', '2026-04-01', null, 0, 5, 0]] }
		]);
	});

	it('lists in the previous year only what was in force then, with the text to acknowledge', async () => {
		const r = await annualReport(db, orgId, 2025, '2027-05-01');
		// 4.0 has no text. Due: those registered in March 2026 and active (p1–p4, p8), and p7, who
		// acknowledged during that year and left since; p3 and p7 had acknowledged by 31 March.
		expect(figures(r)).toEqual([{ policy: 'basic', versions: [['5.0', '2025-11-25', null, 2, 6, 33.3]] }]);
	});
});

describe('revisions of the 年度', () => {
	it('lists what was published between 1 April and 31 March in Japan time, with its 改訂履歴 row', async () => {
		const r = await annualReport(db, orgId, 2026, '2027-05-01');
		expect(r.revisions.map((v) => [v.slug, v.version, v.changeKind, v.effectiveDate, v.dateLabel, v.publishedOn, v.reason, v.previousVersion])).toEqual([
			['rules', '1.0', 'enacted', '2026-04-01', '令和8年4月1日', null, '制定', null],
			['basic', '5.1', 'partial', '2027-01-01', '令和9年1月1日', '2026-12-10', '+クラウド利用の規定を追加', '5.0']
		]);
		expect(r.revisions[0].summary).toBeNull();
		const before = await annualReport(db, orgId, 2025, '2027-05-01');
		// 5.0's previous version has no text: nothing to compare.
		expect(before.revisions.map((v) => [v.slug, v.version, v.previousVersion, v.summary])).toEqual([['basic', '5.0', null, null]]);
		const after = await annualReport(db, orgId, 2027, '2027-05-01');
		expect(after.revisions.map((v) => [v.slug, v.version, v.previousVersion, v.summary])).toEqual([
			['rules', '1.1', '1.0', { changed: 1, added: 0, removed: 0, renumbered: 0 }]
		]);
	});

	it('summarises the changed sections by name, leaving 非公開 ones out', async () => {
		const r = await annualReport(db, orgId, 2026, '2027-05-01');
		const basic = r.revisions.find((v) => v.slug === 'basic')!;
		expect(basic.summary).toEqual({ changed: 2, added: 1, removed: 1, renumbered: 0 });
		expect(basic.sections).toEqual([
			{ kind: 'changed', title: '6(3)② LGWAN 接続系においては、業務用システムとインターネットを確実に分離する。' },
			{ kind: 'added', title: '6(3)④ クラウドサービスの利用に当たっては、情報セキュリティ管理者の承認を得る。' },
			{ kind: 'removed', title: '9 旧い規定' },
			{ kind: 'changed', title: '附則 本方針は令和9年1月1日から施行する。' }
		]);
	});
});

describe('section names', () => {
	it('names the weak sections as the document cites them, from the version they were answered under', async () => {
		const r = await annualReport(db, orgId, 2026, '2027-05-01');
		expect(r.weakSections.map((s) => [s.name.title, s.name.version, s.name.inForce, s.policyTitle, s.answers, s.errors, s.errorRate])).toEqual([
			['9 旧い規定', '5.0', false, '基本方針', 40, 30, 75],
			['6(3)① マイナンバー利用事務系においては、原則として、他の領域との通信をできないように…', '5.1', true, '基本方針', 40, 24, 60],
			['附則 本方針は令和9年1月1日から施行する。', '5.1', true, '基本方針', 40, 20, 50],
			['6(3)③ インターネット接続系においては、不正通信の監視機能の強化等の高度な情報セキュリ…', '5.1', true, '基本方針', 40, 8, 20]
		]);
	});

	it('names a past year’s sections from the version in force then', async () => {
		// Before 5.1, 附則 read as 5.0 had it; the same report printed again later says the same.
		const r = await annualReport(db, orgId, 2026, '2026-12-01');
		expect(r.weakSections.find((s) => s.sectionKey === 'suppl')?.name).toEqual(
			expect.objectContaining({ title: '附則 本方針は令和7年11月25日から施行する。', version: '5.0', inForce: true })
		);
	});

	it('never shows a raw key, a placeholder or a Markdown marker anywhere in the report', async () => {
		for (const [year, today] of [
			[2025, '2027-05-01'],
			[2026, '2026-12-20'],
			[2026, '2027-05-01'],
			[2027, '2027-05-01']
		] as const) {
			const r = await annualReport(db, orgId, year, today);
			const titles = [...r.weakSections.map((s) => s.name.title), ...r.revisions.flatMap((v) => v.sections.map((s) => s.title))];
			for (const title of titles) {
				// A citation (6(3)①, 附則), never a key (6.3.1, suppl).
				expect(title).not.toMatch(/^(?:\d+\.\d|suppl|x\.9)/);
				expect(title).not.toMatch(/(?:^|\s)[-*+]\s|施行中の版では表示できない|非公開/);
			}
		}
	});
});

describe('a year with nothing in it', () => {
	it('is empty everywhere, without a version or revision from another year', async () => {
		const r = await annualReport(db, orgId, 2024, '2027-05-01');
		expect(r.campaigns).toEqual([]);
		expect(r.totals).toEqual({ assigned: 0, completed: 0, rate: null, overdue: 0 });
		expect(r.byDepartment).toEqual([]);
		expect(r.overduePeople).toEqual([]);
		expect(r.acknowledgements).toEqual([]);
		expect(r.revisions).toEqual([]);
		expect(r.weakSections).toEqual([]);
	});
});

describe('the Excel workbook', () => {
	async function read(report: AnnualReport) {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(await annualReportWorkbook(report, { locale: 'ja', origin: 'https://mamori.example.jp' })) as unknown as ArrayBuffer);
		return workbook;
	}
	const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

	it('has one sheet per section, a title row, frozen headers, widths, numbers, rates and dates', async () => {
		const report = await annualReport(db, orgId, 2026, '2027-05-01');
		const workbook = await read(report);
		expect(workbook.worksheets.map((s) => s.name)).toEqual([
			'1 実施した研修',
			'2 所属別',
			'3 雇用区分別',
			'4 期限超過',
			'5 確認状況',
			'5 確認状況（所属別）',
			'6 改訂',
			'6 改訂で変わった項目',
			'7 理解が不十分な項目',
			'8 自己点検（実施状況）',
			'8 自己点検（項目）',
			'8 自己点検（改善計画）'
		]);
		for (const sheet of workbook.worksheets) {
			expect(sheet.getCell('A1').value).toBe('改訂市 令和8年度 情報セキュリティ研修 実施報告');
			expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: headerRow }));
			expect(sheet.getColumn(1).width).toBeGreaterThan(8);
			const prepared = sheet.getCell('B3');
			expect(prepared.value).toEqual(new Date(Date.UTC(2027, 4, 1)));
			expect(prepared.numFmt).toContain('ggge');
		}

		const campaigns = workbook.getWorksheet('1 実施した研修')!;
		expect(rowValues(campaigns, headerRow)).toEqual(['研修名', '研修コース', '開始日', '期限', '対象者数', '修了者数', '修了率', '期限超過']);
		const first = campaigns.getRow(headerRow + 1);
		expect(first.getCell(3).type).toBe(ExcelJS.ValueType.Date);
		expect(first.getCell(3).value).toEqual(new Date(Date.UTC(2026, 3, 1)));
		expect(first.getCell(4).value).toEqual(new Date(Date.UTC(2026, 5, 30)));
		expect(first.getCell(5).type).toBe(ExcelJS.ValueType.Number);
		expect(first.getCell(5).value).toBe(report.campaigns[0].assigned);
		expect(first.getCell(7).type).toBe(ExcelJS.ValueType.Number);
		expect(first.getCell(7).value).toBeCloseTo(report.campaigns[0].completed / report.campaigns[0].assigned, 10);
		expect(first.getCell(7).numFmt).toBe('0.0%');
		// The campaign's title starts with a minus: still text.
		expect(first.getCell(1).type).toBe(ExcelJS.ValueType.String);
		expect(first.getCell(1).value).toBe('-令和8年度 全職員研修');

		const ack = workbook.getWorksheet('5 確認状況')!;
		expect(rowValues(ack, headerRow + 1)).toEqual([
			'改訂市情報セキュリティ基本方針',
			'第5.0版',
			new Date(Date.UTC(2025, 10, 25)),
			new Date(Date.UTC(2026, 11, 10)),
			4,
			6,
			4 / 6
		]);
		expect(rowValues(ack, headerRow + 2)).toEqual(['改訂市情報セキュリティ基本方針', '第5.1版', new Date(Date.UTC(2026, 11, 10)), undefined, 3, 6, 0.5]);

		const revisions = workbook.getWorksheet('6 改訂')!;
		const basic = revisions.getRow(headerRow + 2);
		expect(basic.getCell(3).value).toEqual(new Date(Date.UTC(2027, 0, 1)));
		expect(basic.getCell(4).value).toEqual(new Date(Date.UTC(2026, 11, 10)));
		expect(basic.getCell(6).value).toBe('+クラウド利用の規定を追加');
		expect(basic.getCell(6).type).toBe(ExcelJS.ValueType.String);
		expect(basic.getCell(11).value).toEqual(expect.objectContaining({ hyperlink: 'https://mamori.example.jp/policy/basic/diff?from=5.0&to=5.1' }));

		const weak = workbook.getWorksheet('7 理解が不十分な項目')!;
		expect(rowValues(weak, headerRow + 1)).toEqual(['9 旧い規定', '基本方針', '第5.0版', 40, 30, 0.75]);
	});

	it('keeps a name that looks like a formula as text', async () => {
		const workbook = await read(await annualReport(db, orgId, 2026, '2027-05-01'));
		const overdue = workbook.getWorksheet('4 期限超過')!;
		const names = overdue.getColumn(2).values.slice(headerRow + 1);
		expect(names).toContain('=1+2');
		let formulaLike = 0;
		workbook.eachSheet((sheet) =>
			sheet.eachRow((row) =>
				row.eachCell((cell) => {
					expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
					expect(cell.formula).toBeFalsy();
					if (typeof cell.value === 'string' && /^[=+\-@]/.test(cell.value)) {
						formulaLike++;
						expect(cell.type).toBe(ExcelJS.ValueType.String);
					}
				})
			)
		);
		// 「=1+2」, the campaign's 「-令和8年度…」 twice (campaigns, overdue) and the reason 「+クラウド…」.
		expect(formulaLike).toBeGreaterThanOrEqual(4);
	});

	it('says what is missing in a year with nothing in it', async () => {
		const workbook = await read(await annualReport(db, orgId, 2024, '2027-05-01'));
		expect(workbook.worksheets).toHaveLength(12);
		expect(workbook.getWorksheet('1 実施した研修')!.getCell(headerRow + 1, 1).value).toBe('この年度に実施した研修はありません。');
		expect(workbook.getWorksheet('6 改訂')!.getCell(headerRow + 1, 1).value).toMatch(/改訂はありません/);
		expect(workbook.getWorksheet('8 自己点検（項目）')!.getCell(headerRow + 1, 1).value).toBe('この年度には自己点検を実施していません。');
	});

	it('is named in Japanese with an ASCII fallback', async () => {
		const report = await annualReport(db, orgId, 2026, '2027-05-01');
		expect(annualReportFileName(report, 'ja')).toEqual({ name: '令和8年度_情報セキュリティ研修実施報告_改訂市.xlsx', fallback: 'annual-report-FY2026.xlsx' });
	});
});
