// Weak spots from the summary rows: a campaign answered through real submits (so the sums kept at
// submit are proven), plus summary rows inserted for other campaigns, years and an organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	assignments,
	campaigns,
	completionCounts,
	courses,
	policies,
	policySections,
	policyVersions,
	questionAnswerStats,
	questions,
	sectionAnswerStats,
	sectionDailyStats,
	type EmploymentType,
	type QuestionChoice
} from '../../src/lib/server/db/schema';
import { startOrResumeAttempt, submitAttempt, type Learner } from '../../src/lib/server/learning/quiz/attempts';
import { seededRng } from '../../src/lib/server/learning/quiz/draw';
import {
	departmentChoices,
	revisionEffects,
	sectionsOfDepartment,
	suppressedGroups,
	weakSpotEvidence,
	weakSpots,
	type GroupCell
} from '../../src/lib/server/insight/weak-spots';

let handle: DbHandle;
let db: Db;
let orgId: string;
let otherOrgId: string;
let policyId: string;
let courseId: string;
const dept: Record<string, string> = {};
const question: Record<string, string> = {};
const campaign: Record<string, string> = {};
let otherCampaignId: string;
let otherDeptId: string;

const owner = { roles: ['policy_owner'] as const };
const admin = { roles: ['admin'] as const };

/** Single choice, `a` right. */
const choices: QuestionChoice[] = [
	{ id: 'a', text: '正しい', correct: true },
	{ id: 'b', text: '誤り', correct: false }
];

/**
 * Fourteen people, three questions (pass cites 6.1; mail 6.2; both 6.1 and 2), 1 = right. Totals
 * (y) 3 2 1 1 3 2 0 2 3 2 3 1 2 1. 総務部 = 総務課 (S1) + 情報政策課 (S2); 市民部 = 市民課 (C1).
 */
const people: { dept: 'S1' | 'S2' | 'C1'; type: EmploymentType; answers: [number, number, number]; at: string }[] = [
	{ dept: 'S1', type: 'regular', answers: [1, 1, 1], at: '2026-05-10T10:00:00+09:00' },
	{ dept: 'S1', type: 'regular', answers: [1, 0, 1], at: '2026-05-10T10:00:00+09:00' },
	{ dept: 'S1', type: 'regular', answers: [0, 1, 0], at: '2026-05-10T10:00:00+09:00' },
	{ dept: 'S1', type: 'regular', answers: [0, 1, 0], at: '2026-05-10T10:00:00+09:00' },
	{ dept: 'S1', type: 'regular', answers: [1, 1, 1], at: '2026-05-10T10:00:00+09:00' },
	{ dept: 'S1', type: 'regular', answers: [1, 1, 0], at: '2026-05-10T10:00:00+09:00' },
	// 23:50 on 5/14 in Japan: the day before the revision.
	{ dept: 'S2', type: 'fiscal_year', answers: [0, 0, 0], at: '2026-05-14T14:50:00Z' },
	// 00:10 on 5/15 in Japan: already the day of the revision, though still 5/14 in UTC.
	{ dept: 'S2', type: 'fiscal_year', answers: [1, 0, 1], at: '2026-05-14T15:10:00Z' },
	{ dept: 'C1', type: 'fiscal_year', answers: [1, 1, 1], at: '2026-05-20T10:00:00+09:00' },
	{ dept: 'C1', type: 'fiscal_year', answers: [0, 1, 1], at: '2026-05-20T10:00:00+09:00' },
	{ dept: 'C1', type: 'fiscal_year', answers: [1, 1, 1], at: '2026-05-20T10:00:00+09:00' },
	{ dept: 'C1', type: 'fiscal_year', answers: [0, 0, 1], at: '2026-05-20T10:00:00+09:00' },
	{ dept: 'C1', type: 'fiscal_year', answers: [1, 1, 0], at: '2026-05-20T10:00:00+09:00' },
	{ dept: 'C1', type: 'contractor', answers: [1, 0, 0], at: '2026-05-20T10:00:00+09:00' }
];
const slugs = ['pass', 'mail', 'both'] as const;

async function makeCampaign(org: string, course: string, title: string, fiscalYear: number) {
	const [row] = await db
		.insert(campaigns)
		.values({
			orgId: org,
			courseId: course,
			title,
			fiscalYear,
			startsOn: `${fiscalYear}-04-01`,
			dueOn: `${fiscalYear}-06-30`,
			audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		})
		.returning();
	return row.id;
}

async function version(
	org: string,
	policy: string,
	v: string,
	status: 'published' | 'superseded',
	changeKind: 'enacted' | 'partial',
	publishedAt: string,
	bodies: Record<string, string>
) {
	const [row] = await db
		.insert(policyVersions)
		.values({ orgId: org, policyId: policy, version: v, status, changeKind, publishedAt: new Date(publishedAt) })
		.returning();
	const sections: [string, string, string, number][] = [
		['2', '2', '定義', 1],
		['6', '6', '情報セキュリティ対策', 1],
		['6.1', '(1)', 'パスワード', 2],
		// An item without a heading: shown by the start of its text.
		['6.2', '(2)', '', 2],
		['6.3', '(3)', '持ち出し', 2]
	];
	await db.insert(policySections).values(
		sections.map(([key, label, heading, level], i) => ({
			orgId: org,
			versionId: row.id,
			key,
			label,
			heading,
			level,
			position: i,
			body: bodies[key] ?? (key === '6.2' ? '- **電子メール**の添付ファイルは、[受信前に](#s-2)確認する。' : `${heading}の本文`),
			restrictedTo: key === '6.3' ? (['admin'] as const).slice() : null
		}))
	);
	return row.id;
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	orgId = (await makeOrg(db)).id;
	otherOrgId = (await makeOrg(db)).id;
	dept.somu = (await makeDepartment(db, orgId, '100', '総務部')).id;
	dept.S1 = (await makeDepartment(db, orgId, '110', '総務課', dept.somu)).id;
	dept.S2 = (await makeDepartment(db, orgId, '120', '情報政策課', dept.somu)).id;
	dept.shimin = (await makeDepartment(db, orgId, '200', '市民部')).id;
	dept.C1 = (await makeDepartment(db, orgId, '210', '市民課', dept.shimin)).id;
	dept.fukushi = (await makeDepartment(db, orgId, '300', '福祉部')).id;

	const [policy] = await db.insert(policies).values({ orgId, slug: 'basic', title: '情報セキュリティ基本方針' }).returning();
	policyId = policy.id;
	await version(orgId, policyId, '5.0', 'superseded', 'enacted', '2025-04-01T00:00:00+09:00', {
		'6.1': 'パスワードは8文字以上とする。',
		'6.3': '持ち出しは課長の許可を得る。'
	});
	// Published at 00:30 on 5/15 in Japan (still 5/14 in UTC): 6.1 and the 非公開 6.3 changed.
	await version(orgId, policyId, '5.1', 'published', 'partial', '2026-05-14T15:30:00Z', {
		'6.1': 'パスワードは12文字以上とし、使い回さない。',
		'6.3': '持ち出しは情報セキュリティ管理者の許可を得る。'
	});

	const [course] = await db
		.insert(courses)
		.values({ orgId, slug: 'basic', title: '基本研修', policyId, passMark: 80, drawCount: 3, requireAllLessons: false })
		.returning();
	courseId = course.id;
	const pool: [string, string[], boolean][] = [
		['pass', ['6.1'], true],
		['mail', ['6.2'], true],
		['both', ['6.1', '2'], true],
		// Inactive, so never drawn; its figures are inserted for another campaign.
		['secret', ['6.3'], false]
	];
	const rows = await db
		.insert(questions)
		.values(
			pool.map(([slug, sectionKeys, active], i) => ({
				orgId,
				courseId,
				slug,
				position: i + 1,
				type: 'single' as const,
				stem: `問題 ${slug}：次の記述は情報セキュリティポリシーに照らして正しいか。`.repeat(slug === 'both' ? 3 : 1),
				choices,
				sectionKeys,
				active
			}))
		)
		.returning();
	for (const r of rows) question[r.slug] = r.id;

	campaign.main = await makeCampaign(orgId, courseId, '令和8年度 基本研修', 2026);
	campaign.second = await makeCampaign(orgId, courseId, '令和8年度 追加研修', 2026);
	campaign.lastYear = await makeCampaign(orgId, courseId, '令和7年度 基本研修', 2025);
	campaign.few = await makeCampaign(orgId, courseId, '令和6年度 基本研修', 2024);
	campaign.tiny = await makeCampaign(orgId, courseId, '令和8年度 新規採用者研修', 2026);

	// The main campaign through real submits, one person at a time, at the times given.
	let n = 0;
	for (const p of people) {
		const person = await makePerson(db, orgId, { employeeNumber: `W${String(++n).padStart(3, '0')}`, departmentId: dept[p.dept], employmentType: p.type });
		const [assignment] = await db
			.insert(assignments)
			.values({ orgId, campaignId: campaign.main, personId: person.id, departmentId: dept[p.dept], employmentType: p.type })
			.returning();
		const learner: Learner = { orgId, personId: person.id };
		const now = new Date(p.at);
		const start = await startOrResumeAttempt(db, learner, assignment.id, seededRng(n), now);
		if (!start.ok) throw new Error(`start refused: ${start.problem}`);
		const answers = new Map(slugs.map((slug, i) => [question[slug], [p.answers[i] ? 'a' : 'b']]));
		// The first person submits twice at once: counted once.
		const results = await Promise.all((n === 1 ? [1, 2] : [1]).map(() => submitAttempt(db, learner, start.attemptId, { answers, now })));
		if (!results.every((r) => r.ok)) throw new Error('submit refused');
	}

	// Another campaign of the same 年度: five in 市民課, two in 総務課 and three in 福祉部; 6.2 badly, and the 非公開 6.3.
	await db.insert(completionCounts).values([
		{ orgId, campaignId: campaign.second, departmentId: dept.C1, employmentType: 'fiscal_year', assigned: 5, completed: 5, attempted: 5 },
		{ orgId, campaignId: campaign.second, departmentId: dept.S1, employmentType: 'regular', assigned: 2, completed: 0, attempted: 2 },
		{ orgId, campaignId: campaign.second, departmentId: dept.fukushi, employmentType: 'reappointed', assigned: 3, completed: 0, attempted: 3 }
	]);
	await db.insert(sectionAnswerStats).values([
		{ orgId, campaignId: campaign.second, sectionKey: '6.2', departmentId: dept.C1, employmentType: 'fiscal_year', answers: 10, errors: 9 },
		{ orgId, campaignId: campaign.second, sectionKey: '6.3', departmentId: dept.C1, employmentType: 'fiscal_year', answers: 10, errors: 10 }
	]);
	await db.insert(questionAnswerStats).values({ orgId, campaignId: campaign.second, questionId: question.secret, answers: 10, errors: 10, scoreSum: 0 });

	// Last year: many wrong answers on 6.1, answered before 5.0 was published.
	await db
		.insert(completionCounts)
		.values({ orgId, campaignId: campaign.lastYear, departmentId: dept.C1, employmentType: 'fiscal_year', assigned: 20, completed: 20, attempted: 20 });
	await db
		.insert(sectionAnswerStats)
		.values({ orgId, campaignId: campaign.lastYear, sectionKey: '6.1', departmentId: dept.C1, employmentType: 'fiscal_year', answers: 100, errors: 90 });
	await db.insert(sectionDailyStats).values({ orgId, campaignId: campaign.lastYear, sectionKey: '6.1', day: '2025-03-20', answers: 100, errors: 90 });

	// Three people in the same 年度: alone they are hidden, so the 年度 must not include them either.
	await db
		.insert(completionCounts)
		.values({ orgId, campaignId: campaign.tiny, departmentId: dept.C1, employmentType: 'fiscal_year', assigned: 3, completed: 3, attempted: 3 });
	await db
		.insert(sectionAnswerStats)
		.values({ orgId, campaignId: campaign.tiny, sectionKey: '6.1', departmentId: dept.C1, employmentType: 'fiscal_year', answers: 6, errors: 6 });

	// Four people only.
	await db
		.insert(completionCounts)
		.values({ orgId, campaignId: campaign.few, departmentId: dept.C1, employmentType: 'regular', assigned: 4, completed: 4, attempted: 4 });
	await db
		.insert(sectionAnswerStats)
		.values({ orgId, campaignId: campaign.few, sectionKey: '6.1', departmentId: dept.C1, employmentType: 'regular', answers: 8, errors: 8 });

	// Another organisation with the same keys, the same year and the same days.
	otherDeptId = (await makeDepartment(db, otherOrgId, '100', '総務部')).id;
	const [otherPolicy] = await db.insert(policies).values({ orgId: otherOrgId, slug: 'basic', title: '基本方針' }).returning();
	const [otherCourse] = await db.insert(courses).values({ orgId: otherOrgId, slug: 'basic', title: '基本研修', policyId: otherPolicy.id }).returning();
	otherCampaignId = await makeCampaign(otherOrgId, otherCourse.id, '他団体の研修', 2026);
	await db
		.insert(completionCounts)
		.values({ orgId: otherOrgId, campaignId: otherCampaignId, departmentId: otherDeptId, employmentType: 'regular', assigned: 50, attempted: 50 });
	await db.insert(sectionAnswerStats).values({
		orgId: otherOrgId,
		campaignId: otherCampaignId,
		sectionKey: '6.1',
		departmentId: otherDeptId,
		employmentType: 'regular',
		answers: 50,
		errors: 50
	});
	await db.insert(sectionDailyStats).values({ orgId: otherOrgId, campaignId: otherCampaignId, sectionKey: '6.1', day: '2026-05-20', answers: 50, errors: 50 });
}, 120_000);
afterAll(() => handle?.close());

const shownCell = (c: GroupCell) => {
	if (c.suppressed) throw new Error('cell withheld');
	return c;
};

describe('sums kept at submit', () => {
	it('adds x², y, y² and x·y per question, once per attempt', async () => {
		const rows = await db.select().from(questionAnswerStats).where(eq(questionAnswerStats.campaignId, campaign.main));
		const of = (slug: string) => rows.find((r) => r.questionId === question[slug]);
		// pass: x = 1 1 0 0 1 1 0 1 1 0 1 0 1 1; Σy = 26, Σy² = 60, Σxy = the totals of those right = 21.
		expect(of('pass')).toMatchObject({ answers: 14, errors: 5, scoreSum: 9, scoreSqSum: 9, totalSum: 26, totalSqSum: 60, crossSum: 21 });
		expect(of('mail')).toMatchObject({ answers: 14, errors: 5, scoreSum: 9, scoreSqSum: 9, totalSum: 26, totalSqSum: 60, crossSum: 20 });
		expect(of('both')).toMatchObject({ answers: 14, errors: 6, scoreSum: 8, scoreSqSum: 8, totalSum: 26, totalSqSum: 60, crossSum: 19 });
		expect(rows).toHaveLength(3);
	});

	it('counts answers and errors per section and Japan day', async () => {
		const rows = await db.select().from(sectionDailyStats).where(eq(sectionDailyStats.campaignId, campaign.main));
		const at = (key: string, day: string) => {
			const r = rows.find((x) => x.sectionKey === key && x.day === day);
			return r ? { answers: r.answers, errors: r.errors } : null;
		};
		expect(at('6.1', '2026-05-10')).toEqual({ answers: 12, errors: 5 });
		expect(at('6.2', '2026-05-10')).toEqual({ answers: 6, errors: 1 });
		expect(at('2', '2026-05-10')).toEqual({ answers: 6, errors: 3 });
		expect(at('6.1', '2026-05-14')).toEqual({ answers: 2, errors: 2 });
		expect(at('6.1', '2026-05-15')).toEqual({ answers: 2, errors: 0 });
		expect(at('6.2', '2026-05-15')).toEqual({ answers: 1, errors: 1 });
		expect(at('6.1', '2026-05-20')).toEqual({ answers: 12, errors: 4 });
		expect(rows.every((r) => r.orgId === orgId)).toBe(true);
		expect(rows).toHaveLength(12);
	});

	it('counts who submitted for k-anonymity', async () => {
		const rows = await db.select().from(completionCounts).where(eq(completionCounts.campaignId, campaign.main));
		const at = (d: string, type: EmploymentType) => rows.find((r) => r.departmentId === dept[d] && r.employmentType === type)?.attempted;
		expect([at('S1', 'regular'), at('S2', 'fiscal_year'), at('C1', 'fiscal_year'), at('C1', 'contractor')]).toEqual([6, 2, 5, 1]);
	});
});

describe('suppressedGroups', () => {
	it('withholds small groups, and one more while the withheld ones could be recovered by subtraction', () => {
		const g = (key: string, people: number, answers = people) => ({ key, people, answers });
		expect(suppressedGroups([g('a', 10), g('b', 6)])).toEqual(new Set());
		expect(suppressedGroups([g('a', 10), g('b', 6), g('c', 2)])).toEqual(new Set(['c', 'b']));
		// Withheld groups that already hold five people together need no partner.
		expect(suppressedGroups([g('a', 10), g('b', 3), g('c', 2)])).toEqual(new Set(['b', 'c']));
		expect(suppressedGroups([g('a', 10), g('b', 0, 0)])).toEqual(new Set(['b']));
		// No one counted, yet answers: still someone.
		expect(suppressedGroups([g('a', 10), g('b', 0, 3)])).toEqual(new Set(['b', 'a']));
		// In a 年度: large, but with a share of two people in one campaign; a second such group makes up five.
		expect(suppressedGroups([g('a', 10), { ...g('b', 10), smallShare: 2 }, { ...g('c', 12), smallShare: 3 }])).toEqual(new Set(['b', 'c']));
		// The only one with a small share: the others' own campaign figures would give it away, so none is shown.
		expect(suppressedGroups([g('a', 10), { ...g('b', 10), smallShare: 2 }, g('c', 12)])).toEqual(new Set(['a', 'b', 'c']));
		// Small shares that already make up five are safe.
		expect(suppressedGroups([g('a', 10), { ...g('b', 10), smallShare: 5 }])).toEqual(new Set());
	});
});

describe('weakSpots of one campaign', () => {
	it('ranks sections by error rate with Wilson intervals', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		expect(spots.people).toBe(14);
		expect(spots.shown).toBe(true);
		expect(spots.campaigns.map((c) => c.id)).toEqual([campaign.main]);
		expect(spots.sections.map((s) => [s.key, s.answers, s.errors])).toEqual([
			['2', 14, 6],
			['6.1', 28, 11],
			['6.2', 14, 5]
		]);
		const [definitions, password, mail] = spots.sections;
		expect(definitions).toMatchObject({ policyId, label: '2', heading: '定義', excerpt: null });
		expect(mail).toMatchObject({ label: '(2)', heading: '', excerpt: '電子メールの添付ファイルは、受信前に確認する。' });
		expect(definitions.errorRate).toBeCloseTo(6 / 14, 10);
		// p = 3/7, n = 14: centre 0.44395, half-width 0.23015.
		expect(definitions.interval!.low).toBeCloseTo(0.21381, 4);
		expect(definitions.interval!.high).toBeCloseTo(0.6741, 4);
		expect(password.interval!.low).toBeCloseTo(0.23565, 4);
		expect(password.interval!.high).toBeCloseTo(0.57591, 4);
	});

	it('gives each question its facility, discrimination and reading', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		const of = (slug: string) => spots.questions.find((q) => q.id === question[slug])!;
		expect(spots.questions[0].id).toBe(question.both);
		// pass: Σ(x−x̄)(rest−r̄) = 15/14, Σ(x−x̄)² = 45/14, Σ(rest−r̄)² = 89/14: r = 15 / √(45·89) = 0.23702.
		expect(of('pass')).toMatchObject({ answers: 14, errors: 5, sectionKeys: ['6.1'], interpretation: 'good' });
		expect(of('pass').facility).toBeCloseTo(9 / 14, 10);
		expect(of('pass').discrimination).toBeCloseTo(0.23702, 4);
		// mail: covariance 1/14, variances 45/14 and 117/14: r = 1 / √(45·117) = 0.01378 — it separates no one.
		expect(of('mail').discrimination).toBeCloseTo(0.01378, 4);
		expect(of('mail').interpretation).toBe('badly_written');
		// both: covariance 10/14, variances 48/14 and 96/14: r = 10 / √(48·96) = 0.14731.
		expect(of('both').discrimination).toBeCloseTo(0.14731, 4);
		expect(of('both').facility).toBeCloseTo(8 / 14, 10);
		expect(of('both').stem.endsWith('…')).toBe(true);
		expect(Array.from(of('both').stem)).toHaveLength(60);
		expect(spots.questions.some((q) => q.id === question.secret)).toBe(false);
	});

	it('breaks sections down by 部 and employment type, withholding groups under five people', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		expect(spots.departments.map((d) => [d.name, d.people, d.suppressed, d.hasChildren])).toEqual([
			['総務部', 8, false, true],
			['市民部', 6, false, true]
		]);
		const definitions = spots.sections.find((s) => s.key === '2')!;
		expect(shownCell(definitions.byDepartment[0])).toMatchObject({ answers: 8, errors: 4, errorRate: 0.5 });
		expect(shownCell(definitions.byDepartment[1])).toMatchObject({ answers: 6, errors: 2 });
		// One contractor: withheld, and 正規職員 (six) with it, or 14 − 7 − 6 would give the contractor away.
		expect(spots.employmentTypes).toEqual([
			{ key: 'regular', suppressed: true, people: null },
			{ key: 'fiscal_year', suppressed: false, people: 7 },
			{ key: 'contractor', suppressed: true, people: null }
		]);
		expect(definitions.byEmploymentType[0]).toEqual({ suppressed: true });
		expect(shownCell(definitions.byEmploymentType[1])).toMatchObject({ answers: 7, errors: 2 });
		expect(definitions.byEmploymentType[2]).toEqual({ suppressed: true });
		expect(spots.suppressedAny).toBe(true);
	});

	it('drills into a 部: its 課, withheld together when one is too small', async () => {
		const somu = (await weakSpots(db, orgId, { campaignId: campaign.main }, { ...owner, departmentId: dept.somu }))!;
		expect(somu.departmentPath).toEqual([{ id: dept.somu, name: '総務部' }]);
		// No one sits directly in 総務部, so it has no column of its own.
		expect(somu.departments.map((d) => [d.name, d.directOnly, d.suppressed, d.people])).toEqual([
			['総務課', false, true, null],
			['情報政策課', false, true, null]
		]);
		expect(somu.sections.every((s) => s.byDepartment.every((c) => c.suppressed))).toBe(true);
		// The organisation-wide figures stay.
		expect(somu.sections.map((s) => s.answers)).toEqual([14, 28, 14]);

		const shimin = (await weakSpots(db, orgId, { campaignId: campaign.main }, { ...owner, departmentId: dept.shimin }))!;
		expect(shimin.departments.map((d) => [d.name, d.people])).toEqual([['市民課', 6]]);
		expect(shownCell(shimin.sections.find((s) => s.key === '6.1')!.byDepartment[0])).toMatchObject({ answers: 12, errors: 4 });
	});

	it('is empty when fewer than five people submitted', async () => {
		const few = (await weakSpots(db, orgId, { campaignId: campaign.few }, owner))!;
		expect(few).toMatchObject({ people: 4, shown: false, sections: [], questions: [], departments: [], employmentTypes: [] });
		// The 年度 of that campaign alone: left out altogether.
		const year = (await weakSpots(db, orgId, { fiscalYear: 2024 }, owner))!;
		expect(year).toMatchObject({ campaigns: [], people: 0, shown: false, withheldCampaigns: [{ id: campaign.few }] });
	});

	it('knows nothing of another organisation', async () => {
		expect(await weakSpots(db, orgId, { campaignId: otherCampaignId }, owner)).toBeNull();
		expect(await weakSpots(db, orgId, { campaignId: 'not-a-uuid' }, owner)).toBeNull();
		expect(await weakSpots(db, orgId, { campaignId: campaign.main }, { ...owner, departmentId: otherDeptId })).toBeNull();
		expect(await weakSpots(db, otherOrgId, { campaignId: campaign.main }, owner)).toBeNull();
	});
});

describe('weakSpots of a 年度', () => {
	it('adds up the year’s campaigns and nothing else', async () => {
		const spots = (await weakSpots(db, orgId, { fiscalYear: 2026 }, owner))!;
		expect(spots.campaigns.map((c) => c.id).sort()).toEqual([campaign.main, campaign.second].sort());
		// The three of the small campaign would be the 年度 minus the two others.
		expect(spots.withheldCampaigns).toEqual([{ id: campaign.tiny, title: '令和8年度 新規採用者研修' }]);
		expect(spots.people).toBe(24);
		// 6.2: 5 of 14 here and 9 of 10 in the second campaign; 6.1 without last year's 90 of 100.
		expect(spots.sections.map((s) => [s.key, s.answers, s.errors])).toEqual([
			['6.2', 24, 14],
			['2', 14, 6],
			['6.1', 28, 11]
		]);
		expect(spots.sections[0].interval!.low).toBeCloseTo(0.38834, 4);
		expect(spots.sections[0].interval!.high).toBeCloseTo(0.75533, 4);
		// 総務部 has 8 + 2: the 2 of the second campaign would be the 年度 minus the first campaign's
		// 8, so it is withheld; with 福祉部's 3 the withheld small shares make up five.
		expect(spots.departments.map((d) => [d.name, d.people, d.suppressed])).toEqual([
			['総務部', null, true],
			['市民部', 11, false],
			['福祉部', null, true]
		]);
		expect(spots.employmentTypes.map((g) => [g.key, g.people])).toEqual([
			['regular', null],
			['fiscal_year', 12],
			['reappointed', null],
			['contractor', null]
		]);
		expect(shownCell(spots.sections[0].byDepartment[1])).toMatchObject({ answers: 16, errors: 11 });
		// The other organisation's 50 of 50 on 6.1 is nowhere.
		expect(JSON.stringify(spots)).not.toContain(otherCampaignId);
	});

	it('shows a 非公開 section and its questions only to the roles it names', async () => {
		const asOwner = (await weakSpots(db, orgId, { fiscalYear: 2026 }, owner))!;
		expect(asOwner.sections.some((s) => s.key === '6.3')).toBe(false);
		expect(asOwner.questions.some((q) => q.id === question.secret)).toBe(false);
		const asAdmin = (await weakSpots(db, orgId, { fiscalYear: 2026 }, admin))!;
		expect(asAdmin.sections[0]).toMatchObject({ key: '6.3', answers: 10, errors: 10, heading: '持ち出し' });
		expect(asAdmin.questions.find((q) => q.id === question.secret)).toMatchObject({ facility: 0, discrimination: null, interpretation: 'badly_written' });
	});

	it('reads another year on its own', async () => {
		const spots = (await weakSpots(db, orgId, { fiscalYear: 2025 }, owner))!;
		expect(spots.people).toBe(20);
		expect(spots.sections.map((s) => [s.key, s.answers, s.errors])).toEqual([['6.1', 100, 90]]);
		expect((await weakSpots(db, orgId, { fiscalYear: 2030 }, owner))!).toMatchObject({ campaigns: [], shown: false, sections: [] });
	});
});

describe('sections filtered by 部', () => {
	const figures = (r: ReturnType<typeof sectionsOfDepartment>) => (r.state === 'shown' ? r.sections.map((s) => [s.key, s.answers, s.errors]) : r.state);

	it('offers the 部 of the organisation-wide view, and none in a drill-down', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		expect(departmentChoices(spots)).toEqual([
			{ id: dept.somu, code: '100', name: '総務部' },
			{ id: dept.shimin, code: '200', name: '市民部' }
		]);
		const drilled = (await weakSpots(db, orgId, { campaignId: campaign.main }, { ...owner, departmentId: dept.somu }))!;
		expect(departmentChoices(drilled)).toEqual([]);
		expect(sectionsOfDepartment(drilled, dept.somu)).toEqual({ state: 'unknown' });
	});

	it('gives each section the answers of the 部 and its 課 only, worst first', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		// 総務部 = 総務課 (six) + 情報政策課 (two): 2 is 4 of 8, 6.1 is 7 of 16, 6.2 is 3 of 8.
		expect(figures(sectionsOfDepartment(spots, dept.somu))).toEqual([
			['2', 8, 4],
			['6.1', 16, 7],
			['6.2', 8, 3]
		]);
		// 市民部: a third wrong everywhere; the narrower interval (more answers) ranks first.
		const shimin = sectionsOfDepartment(spots, dept.shimin);
		expect(figures(shimin)).toEqual([
			['6.1', 12, 4],
			['2', 6, 2],
			['6.2', 6, 2]
		]);
		if (shimin.state !== 'shown') throw new Error('not shown');
		expect(shimin.sections[0].errorRate).toBeCloseTo(1 / 3, 10);
		expect(shimin.sections[0].interval!.low).toBeGreaterThan(shimin.sections[1].interval!.low);
		// Names and links stay those of the section.
		expect(shimin.sections.find((s) => s.key === '2')).toMatchObject({ policyId, heading: '定義' });
	});

	it('withholds a 部 the heat map withholds', async () => {
		const spots = (await weakSpots(db, orgId, { fiscalYear: 2026 }, owner))!;
		expect(sectionsOfDepartment(spots, dept.somu)).toEqual({ state: 'withheld' });
		expect(sectionsOfDepartment(spots, dept.fukushi)).toEqual({ state: 'withheld' });
		expect(figures(sectionsOfDepartment(spots, dept.shimin))).toEqual([
			['6.2', 16, 11],
			['6.1', 12, 4],
			['2', 6, 2]
		]);
	});

	it('knows no 課, no unknown department and no 部 of another organisation', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		expect(sectionsOfDepartment(spots, dept.S1)).toEqual({ state: 'unknown' });
		expect(sectionsOfDepartment(spots, otherDeptId)).toEqual({ state: 'unknown' });
		expect(sectionsOfDepartment(spots, '00000000-0000-4000-8000-000000000000')).toEqual({ state: 'unknown' });
		// 福祉部 answered nothing in this campaign: no column, nothing to show.
		expect(sectionsOfDepartment(spots, dept.fukushi)).toEqual({ state: 'unknown' });
	});
});

describe('weakSpotEvidence', () => {
	it('freezes one section’s figures as plain JSON', async () => {
		const now = new Date('2026-06-01T09:00:00+09:00');
		const evidence = (await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.1', campaignId: campaign.main }, { roles: ['policy_owner'], now }))!;
		expect(JSON.parse(JSON.stringify(evidence))).toEqual(evidence);
		expect(evidence).toMatchObject({
			kind: 'weak_spots',
			takenAt: '2026-06-01T00:00:00.000Z',
			filter: { campaignId: campaign.main },
			policyId,
			people: 14,
			section: { key: '6.1', heading: 'パスワード', answers: 28, errors: 11, rank: 2, of: 3 }
		});
		expect(evidence.questions.map((q) => q.id).sort()).toEqual([question.pass, question.both].sort());
		expect(evidence.byDepartment.map((d) => d.name)).toEqual(['総務部', '市民部']);
		expect(evidence.byEmploymentType.map((t) => [t.key, t.suppressed])).toEqual([
			['regular', true],
			['fiscal_year', false],
			['contractor', true]
		]);
		expect(evidence.byEmploymentType[0]).toEqual({ key: 'regular', suppressed: true });
	});

	it('takes a 年度 too, and gives nothing for what the viewer may not see', async () => {
		const year = await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.2', fiscalYear: 2026 }, { roles: ['policy_owner'] });
		expect(year).toMatchObject({ filter: { fiscalYear: 2026 }, section: { answers: 24, errors: 14, rank: 1 } });
		expect(await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.3', fiscalYear: 2026 }, { roles: ['policy_owner'] })).toBeNull();
		expect(await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.3', fiscalYear: 2026 }, { roles: ['admin'] })).not.toBeNull();
		expect(await weakSpotEvidence(db, otherOrgId, { policyId, sectionKey: '6.1', campaignId: campaign.main })).toBeNull();
		expect(await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.1', campaignId: campaign.few })).toBeNull();
		expect(await weakSpotEvidence(db, orgId, { policyId, sectionKey: '6.1' })).toBeNull();
	});
});

describe('revisionEffects', () => {
	it('compares the changed sections before and from the publication day (Japan time)', async () => {
		const effects = (await revisionEffects(db, orgId, policyId, { ...owner, minAnswers: 10 }))!;
		// 14 + 10 + 20 + 4 + 3 people over the policy's campaigns.
		expect(effects.people).toBe(51);
		expect(effects.versions).toHaveLength(1);
		const [v] = effects.versions;
		expect(v).toMatchObject({ version: '5.1', previousVersion: '5.0', changeKind: 'partial', publishedOn: '2026-05-15' });
		// 6.3 changed too, but is 非公開 for this viewer.
		expect(v.sections.map((s) => s.key)).toEqual(['6.1']);
		const [password] = v.sections;
		// Before: 5/10 (12 answers, 5 wrong) and 23:50 on 5/14 (2, 2); last year's answers on 2025-03-20
		// predate 5.0 and are not 5.0's. After: 00:10 on 5/15 (2, 0) and 5/20 (12, 4).
		expect(password.before).toMatchObject({ from: '2025-04-01', until: '2026-05-15', answers: 14, errors: 7, errorRate: 0.5, enough: true });
		expect(password.after).toMatchObject({ from: '2026-05-15', until: null, answers: 14, errors: 4, enough: true });
		expect(password.after.errorRate).toBeCloseTo(4 / 14, 10);
		expect(password.before.interval!.low).toBeCloseTo(0.26799, 4);
		expect(password.before.interval!.high).toBeCloseTo(0.73201, 4);
		expect(password.after.interval!.low).toBeCloseTo(0.11721, 4);
		expect(password.after.interval!.high).toBeCloseTo(0.5465, 4);
	});

	it('withholds rates with too few answers, and shows 非公開 sections only to their roles', async () => {
		const effects = (await revisionEffects(db, orgId, policyId, owner))!;
		expect(effects.minAnswers).toBe(20);
		expect(effects.versions[0].sections[0].after).toEqual({
			from: '2026-05-15',
			until: null,
			answers: 14,
			errors: null,
			errorRate: null,
			interval: null,
			enough: false
		});
		const asAdmin = (await revisionEffects(db, orgId, policyId, { ...admin, minAnswers: 10 }))!;
		expect(asAdmin.versions[0].sections.map((s) => s.key)).toEqual(['6.1', '6.3']);
		expect(asAdmin.versions[0].sections[1].before).toMatchObject({ answers: 0, enough: false });
	});

	it('knows nothing of another organisation’s policy', async () => {
		expect(await revisionEffects(db, otherOrgId, policyId, admin)).toBeNull();
		const [theirs] = await db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, otherOrgId), eq(policies.slug, 'basic')));
		expect(await revisionEffects(db, orgId, theirs.id, admin)).toBeNull();
	});
});

describe('section names', () => {
	it('names every section by its citation and words: items by their text, keys the version in force lacks from the newest version that had them', async () => {
		const org = (await makeOrg(db)).id;
		const dep = (await makeDepartment(db, org, '100', '総務課')).id;
		const [policy] = await db.insert(policies).values({ orgId: org, slug: 'basic', title: '情報セキュリティ基本方針' }).returning();
		const old = await version(org, policy.id, '5.0', 'superseded', 'enacted', '2025-04-01T00:00:00+09:00', {});
		await version(org, policy.id, '5.1', 'published', 'partial', '2026-05-14T15:30:00Z', {});
		// 6(4) was an item of 5.0 only: removed by 5.1, but answered while 5.0 was in force.
		await db.insert(policySections).values({
			orgId: org,
			versionId: old,
			key: '6.4',
			label: '(4)',
			heading: '',
			level: 2,
			position: 9,
			body: '- 私物の記録媒体を庁内の端末に接続してはならない。'
		});
		const [course] = await db.insert(courses).values({ orgId: org, slug: 'basic', title: '基本研修', policyId: policy.id }).returning();
		const campaignId = await makeCampaign(org, course.id, '令和8年度 基本研修', 2026);
		await db
			.insert(completionCounts)
			.values({ orgId: org, campaignId, departmentId: dep, employmentType: 'regular', assigned: 10, completed: 10, attempted: 10 });
		await db.insert(sectionAnswerStats).values([
			{ orgId: org, campaignId, sectionKey: '6.2', departmentId: dep, employmentType: 'regular', answers: 10, errors: 5 },
			{ orgId: org, campaignId, sectionKey: '6.4', departmentId: dep, employmentType: 'regular', answers: 10, errors: 8 }
		]);
		const spots = (await weakSpots(db, org, { campaignId }, owner))!;
		const titles = Object.fromEntries(spots.sections.map((s) => [s.key, s.title]));
		expect(titles['6.2']).toBe('6(2) 電子メールの添付ファイルは、受信前に確認する。');
		expect(titles['6.4']).toBe('6(4) 私物の記録媒体を庁内の端末に接続してはならない。');
		expect(spots.sections.find((s) => s.key === '6.4')!.heading).toBeNull();
	});

	it('cites a question’s sections as the document does, not by key', async () => {
		const spots = (await weakSpots(db, orgId, { campaignId: campaign.main }, owner))!;
		const both = spots.questions.find((q) => q.id === question.both)!;
		expect(both.sectionKeys).toEqual(['6.1', '2']);
		expect(both.sections).toEqual(['6(1)', '2']);
		const pass = spots.questions.find((q) => q.id === question.pass)!;
		expect(pass.sections).toEqual(['6(1)']);
	});
});
