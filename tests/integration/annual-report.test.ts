import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	acknowledgements,
	assignments,
	completionCounts,
	courses,
	people,
	policies,
	policySections,
	policyVersions,
	sectionAnswerStats,
	type EmploymentType,
	type Role
} from '../../src/lib/server/db/schema';
import { archiveCampaign, createCampaign, syncAssignmentsForPeople, type CampaignAudience } from '../../src/lib/server/learning/campaigns';
import { annualReport, percent, reportFiscalYears } from '../../src/lib/server/insight/annual-report';

let handle: DbHandle;
let db: Db;

const everyone: CampaignAudience = { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null };

/**
 * 試験市, 年度 2026:
 *   100 総務課: 1001 アオキ (regular), 1002 イトウ (fiscal_year), 1003 ウエダ (regular)
 *   200 税務課: 2001 エンドウ (regular), 2003 カトウ (reappointed, left after being assigned)
 *   300 福祉課: 2002 オオタ (contractor) — moved to 200 after being assigned; 3001 クボ (hired later)
 *   no department: 9001 キムラ (dispatched)
 * C1 基礎研修 (everyone, due 2026-06-30): 7 assigned; completed 1001, 1002, 2001, 9001; 2002 in progress.
 * C2 標的型メール訓練 (regular + fiscal_year, due 2026-09-30): 4 assigned; completed 1001, 1003; 2001 in progress.
 * Not counted: an archived 2026 campaign, a 2025 campaign, and another organisation.
 */
let orgId: string;
let otherOrgId: string;
const ids: Record<string, string> = {};

async function makeCourse(org: string, slug: string, policyId: string | null) {
	const [course] = await db
		.insert(courses)
		.values({ orgId: org, slug, title: `研修コース ${slug}`, policyId })
		.returning();
	return course;
}

async function makeVersion(
	org: string,
	policyId: string,
	version: string,
	status: 'published' | 'superseded' | 'draft',
	sections: [string, string, string, Role[]?][] = []
) {
	const [v] = await db.insert(policyVersions).values({ orgId: org, policyId, version, status, changeKind: 'partial' }).returning();
	if (sections.length) {
		await db.insert(policySections).values(
			sections.map(([key, label, heading, restrictedTo], i) => ({
				orgId: org,
				versionId: v.id,
				key,
				label,
				heading,
				position: i,
				level: key.split('.').length,
				restrictedTo: restrictedTo ?? null
			}))
		);
	}
	return v;
}

async function setStatus(campaignId: string, personId: string, status: 'completed' | 'in_progress') {
	await db
		.update(assignments)
		.set(status === 'completed' ? { status, completedAt: new Date('2026-05-20T10:00:00+09:00') } : { status, startedAt: new Date('2026-05-20T10:00:00+09:00') })
		.where(and(eq(assignments.campaignId, campaignId), eq(assignments.personId, personId)));
}

async function stats(
	campaignId: string,
	sectionKey: string,
	departmentId: string | null,
	employmentType: EmploymentType,
	answers: number,
	errors: number,
	org = orgId
) {
	await db.insert(sectionAnswerStats).values({ orgId: org, campaignId, sectionKey, departmentId, employmentType, answers, errors });
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;

	const org = await makeOrg(db, 'report-town', '試験市');
	orgId = org.id;
	const d100 = await makeDepartment(db, orgId, '100', '総務課');
	const d200 = await makeDepartment(db, orgId, '200', '税務課');
	const d300 = await makeDepartment(db, orgId, '300', '福祉課');
	Object.assign(ids, { d100: d100.id, d200: d200.id, d300: d300.id });
	// Registered on 1 March 2026 (クボ on 2 April), whatever day the test runs.
	const person = async (
		key: string,
		employeeNumber: string,
		nameKana: string,
		departmentId: string | null,
		employmentType: EmploymentType,
		registered = '2026-03-01'
	) => {
		const p = await makePerson(db, orgId, { employeeNumber, name: `職員${employeeNumber}`, nameKana, departmentId, employmentType });
		await db
			.update(people)
			.set({ createdAt: new Date(`${registered}T09:00:00+09:00`) })
			.where(eq(people.id, p.id));
		ids[key] = p.id;
		return p;
	};
	await person('aoki', '1001', 'アオキ', d100.id, 'regular');
	await person('ito', '1002', 'イトウ', d100.id, 'fiscal_year');
	await person('ueda', '1003', 'ウエダ', d100.id, 'regular');
	await person('endo', '2001', 'エンドウ', d200.id, 'regular');
	await person('ota', '2002', 'オオタ', d300.id, 'contractor');
	await person('kato', '2003', 'カトウ', d200.id, 'reappointed');
	await person('kimura', '9001', 'キムラ', null, 'dispatched');
	const actor = { orgId, personId: ids.aoki, ip: '10.0.0.1' };

	// Policies: 基本方針 5.0 in force (4.0 before it), 対策基準 1.0 in force, a 非公開 one, one only in draft.
	const [basic] = await db.insert(policies).values({ orgId, slug: 'basic', title: '情報セキュリティ基本方針', sortOrder: 1 }).returning();
	const [rules] = await db.insert(policies).values({ orgId, slug: 'rules', title: '情報セキュリティ対策基準', sortOrder: 2 }).returning();
	const [hidden] = await db
		.insert(policies)
		.values({ orgId, slug: 'hidden', title: '実施手順', sortOrder: 3, restrictedTo: ['admin'] })
		.returning();
	const [draftOnly] = await db.insert(policies).values({ orgId, slug: 'draft', title: '草案', sortOrder: 4 }).returning();
	const v4 = await makeVersion(orgId, basic.id, '4.0', 'superseded', [['9.9', '(9)', '旧版だけの項目']]);
	const v5 = await makeVersion(orgId, basic.id, '5.0', 'published', [
		['6', '6', '人的セキュリティ'],
		['6.3', '(3)', 'パスワードの管理'],
		['6.3.2', '②', 'パスワードの変更'],
		['7', '7', '技術的セキュリティ'],
		['7.1', '(1)', '非公開の項目', ['admin']],
		['7.1.1', '①', '非公開の項目の下'],
		['8', '8', '運用'],
		...[1, 2, 3, 4, 5, 6].map((n): [string, string, string] => [`10.${n}`, `(${n})`, `項目10-${n}`])
	]);
	const rules1 = await makeVersion(orgId, rules.id, '1.0', 'published');
	const hidden1 = await makeVersion(orgId, hidden.id, '1.0', 'published');
	await makeVersion(orgId, draftOnly.id, '0.1', 'draft');
	Object.assign(ids, { basic: basic.id, v4: v4.id, v5: v5.id, rules: rules.id, rules1: rules1.id });

	const basicCourse = await makeCourse(orgId, 'basic', basic.id);
	const phishingCourse = await makeCourse(orgId, 'phishing', basic.id);
	const create = async (courseId: string, title: string, fiscalYear: number, startsOn: string, dueOn: string, audience: CampaignAudience) => {
		const made = await createCampaign(db, actor, { subjectId: courseId, title, fiscalYear, startsOn, dueOn, audience }, { today: startsOn });
		if (!made.ok) throw new Error(JSON.stringify(made));
		return made.id;
	};
	ids.c1 = await create(basicCourse.id, '基礎研修', 2026, '2026-04-01', '2026-06-30', everyone);
	ids.c2 = await create(phishingCourse.id, '標的型メール訓練', 2026, '2026-07-01', '2026-09-30', {
		everyone: false,
		employmentTypes: ['regular', 'fiscal_year'],
		departmentIds: [],
		createdSince: null
	});
	ids.archived = await create(basicCourse.id, '取り消した研修', 2026, '2026-04-01', '2026-06-30', everyone);
	ids.lastYear = await create(basicCourse.id, '前年度の研修', 2025, '2025-04-01', '2025-06-30', everyone);

	// オオタ moves from 福祉課 to 税務課: the open assignments follow, leaving 福祉課's counts at zero.
	await db.update(people).set({ departmentId: d200.id }).where(eq(people.id, ids.ota));
	await syncAssignmentsForPeople(db, orgId, [ids.ota], { today: '2026-04-02' });
	// カトウ leaves after being assigned; the record stays.
	await db.update(people).set({ active: false }).where(eq(people.id, ids.kato));
	// クボ is hired into 福祉課 after the campaigns were made: no assignments.
	await person('kubo', '3001', 'クボ', d300.id, 'regular', '2026-04-02');

	for (const p of ['aoki', 'ito', 'endo', 'kimura']) await setStatus(ids.c1, ids[p], 'completed');
	await setStatus(ids.c1, ids.ota, 'in_progress');
	for (const p of ['aoki', 'ueda']) await setStatus(ids.c2, ids[p], 'completed');
	await setStatus(ids.c2, ids.endo, 'in_progress');
	// Outside the year: completions that must not count.
	for (const p of ['ueda', 'kato']) await setStatus(ids.archived, ids[p], 'completed');
	await setStatus(ids.lastYear, ids.ueda, 'completed');
	const archived = await archiveCampaign(db, actor, ids.archived);
	if (!archived.ok) throw new Error('archive failed');

	// Acknowledgements of 5.0 in May 2026: アオキ, エンドウ, キムラ, クボ, and カトウ (who left); イトウ only of 4.0.
	const at = new Date('2026-05-01T10:00:00+09:00');
	for (const p of ['aoki', 'endo', 'kimura', 'kubo', 'kato']) await db.insert(acknowledgements).values({ orgId, personId: ids[p], versionId: v5.id, at });
	await db.insert(acknowledgements).values({ orgId, personId: ids.ito, versionId: v4.id, at });
	await db.insert(acknowledgements).values({ orgId, personId: ids.ito, versionId: hidden1.id, at });

	// Answers per section (answers, errors) in the year's campaigns.
	await stats(ids.c1, '6.3', d100.id, 'regular', 10, 5);
	await stats(ids.c1, '6.3', d200.id, 'regular', 10, 3); // 20 / 8 = 40%
	await stats(ids.c1, '6.3.2', d100.id, 'regular', 15, 9);
	await stats(ids.c2, '6.3.2', d100.id, 'fiscal_year', 10, 6); // 25 / 15 = 60%
	await stats(ids.c2, '7.1', d100.id, 'regular', 30, 15); // 50%, heading hidden (非公開)
	await stats(ids.c1, '7.1.1', null, 'dispatched', 20, 4); // 20%, under a 非公開 section
	await stats(ids.c1, '9.9', d200.id, 'contractor', 40, 10); // 25%, not in the version in force
	await stats(ids.c1, '6', d100.id, 'regular', 19, 19); // 100% but only 19 answers in the year
	await stats(ids.c2, '8', d100.id, 'regular', 20, 2); // 10%
	for (let n = 1; n <= 6; n++) await stats(ids.c2, `10.${n}`, d100.id, 'regular', 100, n - 1); // 0% … 5%
	// Outside the year: would make section 6 the weakest if counted.
	await stats(ids.archived, '6', d100.id, 'regular', 100, 100);
	await stats(ids.lastYear, '6', d100.id, 'regular', 100, 100);

	// Another organisation with the same shape, never counted.
	const other = await makeOrg(db, 'other-town', '別の市');
	otherOrgId = other.id;
	const o100 = await makeDepartment(db, otherOrgId, '100', '総務課');
	const o1 = await makePerson(db, otherOrgId, { employeeNumber: '1001', nameKana: 'アアア', departmentId: o100.id });
	await makePerson(db, otherOrgId, { employeeNumber: '1002', nameKana: 'イイイ', departmentId: o100.id });
	await db
		.update(people)
		.set({ createdAt: new Date('2026-03-01T09:00:00+09:00') })
		.where(eq(people.orgId, otherOrgId));
	const [otherPolicy] = await db.insert(policies).values({ orgId: otherOrgId, slug: 'basic', title: '別の市の基本方針' }).returning();
	const otherVersion = await makeVersion(otherOrgId, otherPolicy.id, '1.0', 'published', [['6', '6', '別の市の項目']]);
	await db.insert(acknowledgements).values({ orgId: otherOrgId, personId: o1.id, versionId: otherVersion.id, at });
	const otherCourse = await makeCourse(otherOrgId, 'basic', otherPolicy.id);
	const otherMade = await createCampaign(
		db,
		{ orgId: otherOrgId, personId: o1.id, ip: '10.0.0.2' },
		{ subjectId: otherCourse.id, title: '別の市の研修', fiscalYear: 2026, startsOn: '2026-04-01', dueOn: '2026-06-30', audience: everyone },
		{ today: '2026-04-01' }
	);
	if (!otherMade.ok) throw new Error('other campaign');
	ids.otherCampaign = otherMade.id;
	await setStatus(otherMade.id, o1.id, 'completed');
	await stats(otherMade.id, '6', o100.id, 'regular', 100, 100, otherOrgId);
}, 120_000);

afterAll(() => handle?.close());

describe('percent', () => {
	it('rounds to one decimal and has no rate for nobody', () => {
		expect(percent(7, 8)).toBe(87.5);
		expect(percent(4, 7)).toBe(57.1);
		expect(percent(2, 3)).toBe(66.7);
		expect(percent(6, 11)).toBe(54.5);
		expect(percent(0, 3)).toBe(0);
		expect(percent(3, 3)).toBe(100);
		expect(percent(0, 0)).toBeNull();
	});
});

describe('reportFiscalYears', () => {
	it('lists the years with campaigns and the current one, newest first', async () => {
		expect(await reportFiscalYears(db, orgId, 2026)).toEqual([2026, 2025]);
		expect(await reportFiscalYears(db, orgId, 2027)).toEqual([2027, 2026, 2025]);
		expect(await reportFiscalYears(db, otherOrgId, 2026)).toEqual([2026]);
	});
});

describe('annualReport', () => {
	it('reads its totals from the summary rows the trigger keeps', async () => {
		const rows = await db
			.select()
			.from(completionCounts)
			.where(and(eq(completionCounts.campaignId, ids.c1), eq(completionCounts.departmentId, ids.d300)));
		// オオタ's transfer left a row at zero for 福祉課.
		expect(rows).toEqual([expect.objectContaining({ employmentType: 'contractor', assigned: 0, inProgress: 0, completed: 0 })]);
	});

	it('lists the campaigns of the year with completion, before the first due date', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-06-30');
		expect(r.fiscalYear).toBe(2026);
		expect(r.organisation).toEqual({ name: '試験市', nameEn: 'Test City' });
		expect(r.campaigns).toEqual([
			{
				id: ids.c1,
				title: '基礎研修',
				courseTitle: '研修コース basic',
				startsOn: '2026-04-01',
				dueOn: '2026-06-30',
				assigned: 7,
				completed: 4,
				rate: 57.1,
				overdue: 0
			},
			{
				id: ids.c2,
				title: '標的型メール訓練',
				courseTitle: '研修コース phishing',
				startsOn: '2026-07-01',
				dueOn: '2026-09-30',
				assigned: 4,
				completed: 2,
				rate: 50,
				overdue: 0
			}
		]);
		expect(r.totals).toEqual({ assigned: 11, completed: 6, rate: 54.5, overdue: 0 });
		// Due today is not overdue yet.
		expect(r.campaignsPastDue).toBe(0);
		expect(r.overduePeople).toEqual([]);
		expect(r.overdueTotal).toBe(0);
	});

	it('sums completion by department, in code order, with no department last', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-07-15');
		expect(r.byDepartment).toEqual([
			{ departmentId: ids.d100, code: '100', name: '総務課', assigned: 6, completed: 4, rate: 66.7 },
			{ departmentId: ids.d200, code: '200', name: '税務課', assigned: 4, completed: 1, rate: 25 },
			{ departmentId: null, code: null, name: null, assigned: 1, completed: 1, rate: 100 }
		]);
	});

	it('sums completion by employment type, every type in order', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-07-15');
		expect(r.byEmploymentType).toEqual([
			{ employmentType: 'regular', assigned: 6, completed: 4, rate: 66.7 },
			{ employmentType: 'fiscal_year', assigned: 2, completed: 1, rate: 50 },
			{ employmentType: 'reappointed', assigned: 1, completed: 0, rate: 0 },
			{ employmentType: 'dispatched', assigned: 1, completed: 1, rate: 100 },
			{ employmentType: 'contractor', assigned: 1, completed: 0, rate: 0 }
		]);
	});

	it('lists overdue people of campaigns past their due date, leavers included', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-07-15');
		expect(r.campaigns.map((c) => c.overdue)).toEqual([3, 0]);
		expect(r.totals.overdue).toBe(3);
		expect(r.campaignsPastDue).toBe(1);
		expect(r.overdueTotal).toBe(3);
		expect(r.overduePeople).toEqual([
			{
				personId: ids.ueda,
				employeeNumber: '1003',
				name: '職員1003',
				nameKana: 'ウエダ',
				active: true,
				departmentCode: '100',
				departmentName: '総務課',
				employmentType: 'regular',
				campaignId: ids.c1,
				campaignTitle: '基礎研修',
				dueOn: '2026-06-30'
			},
			{
				personId: ids.ota,
				employeeNumber: '2002',
				name: '職員2002',
				nameKana: 'オオタ',
				active: true,
				departmentCode: '200',
				departmentName: '税務課',
				employmentType: 'contractor',
				campaignId: ids.c1,
				campaignTitle: '基礎研修',
				dueOn: '2026-06-30'
			},
			{
				personId: ids.kato,
				employeeNumber: '2003',
				name: '職員2003',
				nameKana: 'カトウ',
				active: false,
				departmentCode: '200',
				departmentName: '税務課',
				employmentType: 'reappointed',
				campaignId: ids.c1,
				campaignTitle: '基礎研修',
				dueOn: '2026-06-30'
			}
		]);
	});

	it('adds the second campaign once it is past due too', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-10-01');
		expect(r.campaigns.map((c) => c.overdue)).toEqual([3, 2]);
		expect(r.totals).toEqual({ assigned: 11, completed: 6, rate: 54.5, overdue: 5 });
		expect(r.overduePeople.map((p) => [p.departmentCode, p.nameKana, p.campaignTitle])).toEqual([
			['100', 'イトウ', '標的型メール訓練'],
			['100', 'ウエダ', '基礎研修'],
			['200', 'エンドウ', '標的型メール訓練'],
			['200', 'オオタ', '基礎研修'],
			['200', 'カトウ', '基礎研修']
		]);
		expect(r.overdueTotal).toBe(5);
	});

	it('counts acknowledgement of each non-restricted policy in force, leavers who acknowledged in the year included', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-07-15');
		const department = (departmentId: string | null, code: string | null, name: string | null, acknowledged: number, due: number, rate: number) => ({
			departmentId,
			code,
			name,
			acknowledged,
			due,
			rate
		});
		expect(r.acknowledgements).toEqual([
			{
				policyId: ids.basic,
				slug: 'basic',
				title: '情報セキュリティ基本方針',
				versions: [
					{
						versionId: ids.v5,
						version: '5.0',
						inForceFrom: null,
						inForceUntil: null,
						// Seven active people and カトウ, who acknowledged in May and left since.
						acknowledged: 5,
						due: 8,
						rate: 62.5,
						byDepartment: [
							department(ids.d100, '100', '総務課', 1, 3, 33.3),
							department(ids.d200, '200', '税務課', 2, 3, 66.7),
							department(ids.d300, '300', '福祉課', 1, 1, 100),
							department(null, null, null, 1, 1, 100)
						]
					}
				]
			},
			{
				policyId: ids.rules,
				slug: 'rules',
				title: '情報セキュリティ対策基準',
				versions: [
					{
						versionId: ids.rules1,
						version: '1.0',
						inForceFrom: null,
						inForceUntil: null,
						acknowledged: 0,
						due: 7,
						rate: 0,
						byDepartment: [
							department(ids.d100, '100', '総務課', 0, 3, 0),
							department(ids.d200, '200', '税務課', 0, 2, 0),
							department(ids.d300, '300', '福祉課', 0, 1, 0),
							department(null, null, null, 0, 1, 0)
						]
					}
				]
			}
		]);
	});

	it('names the ten weakest sections as the document cites them, leaving 非公開 ones out', async () => {
		const r = await annualReport(db, orgId, 2026, '2026-07-15');
		const row = (sectionKey: string, title: string, version: string, answers: number, errors: number, errorRate: number) => ({
			policyId: ids.basic,
			policyTitle: '基本方針',
			sectionKey,
			name: { title, versionId: version === '5.0' ? ids.v5 : ids.v4, version, inForce: version === '5.0' },
			answers,
			errors,
			errorRate
		});
		expect(r.weakSections).toEqual([
			row('6.3.2', '6(3)② パスワードの変更', '5.0', 25, 15, 60),
			row('6.3', '6(3) パスワードの管理', '5.0', 20, 8, 40),
			// Not in the version in force: named as 4.0 had it.
			row('9.9', '(9) 旧版だけの項目', '4.0', 40, 10, 25),
			row('8', '8 運用', '5.0', 20, 2, 10),
			row('10.6', '(6) 項目10-6', '5.0', 100, 5, 5),
			row('10.5', '(5) 項目10-5', '5.0', 100, 4, 4),
			row('10.4', '(4) 項目10-4', '5.0', 100, 3, 3),
			row('10.3', '(3) 項目10-3', '5.0', 100, 2, 2),
			row('10.2', '(2) 項目10-2', '5.0', 100, 1, 1),
			row('10.1', '(1) 項目10-1', '5.0', 100, 0, 0)
		]);
	});

	it('reports the previous year from its own campaign only', async () => {
		const r = await annualReport(db, orgId, 2025, '2026-07-15');
		expect(r.campaigns).toEqual([expect.objectContaining({ id: ids.lastYear, title: '前年度の研修', assigned: 7, completed: 1, rate: 14.3, overdue: 6 })]);
		expect(r.byDepartment.map((d) => [d.code, d.assigned, d.completed])).toEqual([
			['100', 3, 1],
			// オオタ's open assignment moved with the transfer, as every open one does.
			['200', 3, 0],
			[null, 1, 0]
		]);
		expect(r.overduePeople).toHaveLength(6);
		// Section 6 has 100 answers, all wrong, in that year's campaign.
		expect(r.weakSections).toEqual([
			expect.objectContaining({ sectionKey: '6', name: expect.objectContaining({ title: '6 人的セキュリティ' }), answers: 100, errors: 100, errorRate: 100 })
		]);
	});

	it('is empty, but for acknowledgements of what is still in force, in a year without campaigns', async () => {
		const r = await annualReport(db, orgId, 2027, '2027-05-01');
		expect(r.campaigns).toEqual([]);
		expect(r.totals).toEqual({ assigned: 0, completed: 0, rate: null, overdue: 0 });
		expect(r.byDepartment).toEqual([]);
		expect(r.byEmploymentType.map((t) => [t.employmentType, t.assigned, t.rate])).toEqual([
			['regular', 0, null],
			['fiscal_year', 0, null],
			['reappointed', 0, null],
			['dispatched', 0, null],
			['contractor', 0, null]
		]);
		expect(r.overduePeople).toEqual([]);
		expect(r.weakSections).toEqual([]);
		// カトウ left, and acknowledged in the year before: no longer counted.
		expect(r.acknowledgements.map((a) => [a.title, ...a.versions.map((v) => [v.version, v.acknowledged, v.due])])).toEqual([
			['情報セキュリティ基本方針', ['5.0', 4, 7]],
			['情報セキュリティ対策基準', ['1.0', 0, 7]]
		]);
		expect(r.revisions).toEqual([]);
	});

	it('shows the other organisation only its own figures', async () => {
		const r = await annualReport(db, otherOrgId, 2026, '2026-07-15');
		expect(r.campaigns).toEqual([expect.objectContaining({ id: ids.otherCampaign, assigned: 2, completed: 1, overdue: 1 })]);
		expect(r.byDepartment.map((d) => [d.code, d.name, d.assigned])).toEqual([['100', '総務課', 2]]);
		expect(r.overduePeople.map((p) => p.employeeNumber)).toEqual(['1002']);
		expect(r.acknowledgements.map((a) => [a.title, ...a.versions.map((v) => [v.version, v.acknowledged, v.due])])).toEqual([
			['別の市の基本方針', ['1.0', 1, 2]]
		]);
		expect(r.weakSections).toEqual([
			expect.objectContaining({ sectionKey: '6', name: expect.objectContaining({ title: '6 別の市の項目' }), answers: 100, errors: 100 })
		]);
	});
});
