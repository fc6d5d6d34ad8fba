import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type Db, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import {
	assignments,
	attempts,
	auditEvents,
	campaigns,
	courses,
	lessons,
	lessonViews,
	policies,
	policySections,
	policyVersions,
	questionAnswerStats,
	questions,
	responses,
	sectionAnswerStats,
	type EmploymentType,
	type QuestionChoice,
	type QuestionType
} from '../../src/lib/server/db/schema';
import {
	completeIfReady,
	loadAttemptForm,
	saveAnswer,
	saveAnswers,
	startOrResumeAttempt,
	submitAttempt,
	type Learner
} from '../../src/lib/server/learning/quiz/attempts';
import { attemptResult } from '../../src/lib/server/learning/quiz/result';
import { seededRng } from '../../src/lib/server/learning/quiz/draw';

let handle: DbHandle;
let db: Db;
let orgId: string;
let otherOrgId: string;
let deptA: string;
let deptB: string;
let policyId: string;

// The pool: what is right is known here by choice id, whatever order an attempt shows.
const pool: { slug: string; type: QuestionType; sections: string[]; choices: QuestionChoice[] }[] = [
	{ slug: 'usb', type: 'single', sections: ['6.3.1', '2.8'], choices: choices('b') },
	{ slug: 'password', type: 'single', sections: ['6.1'], choices: choices('c') },
	{ slug: 'mail', type: 'multiple', sections: ['6.2'], choices: choices('a', 'c', 'd') },
	{
		slug: 'report',
		type: 'truefalse',
		sections: ['7'],
		choices: [
			{ id: 'o', text: '○', correct: true },
			{ id: 'x', text: '×', correct: false }
		]
	},
	{
		slug: 'scope',
		type: 'truefalse',
		sections: ['4'],
		choices: [
			{ id: 'o', text: '○', correct: false },
			{ id: 'x', text: '×', correct: true }
		]
	},
	{ slug: 'cloud', type: 'multiple', sections: ['6.3.2', '6.2'], choices: choices('a', 'b') }
];

function choices(...right: string[]): QuestionChoice[] {
	return ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `選択肢${id.toUpperCase()}`, correct: right.includes(id) }));
}

interface Course {
	id: string;
	campaignId: string;
	questionIds: Map<string, string>;
	lessonIds: string[];
}

async function makeCourse(slug: string, fields: Partial<typeof courses.$inferInsert> = {}, withQuestions = true): Promise<Course> {
	const [course] = await db
		.insert(courses)
		.values({ orgId, slug, title: `研修 ${slug}`, policyId, passMark: 80, drawCount: 6, maxAttempts: null, requireAllLessons: true, ...fields })
		.returning();
	const lessonRows = await db
		.insert(lessons)
		.values([1, 2].map((n) => ({ orgId, courseId: course.id, slug: `0${n}-lesson`, position: n, title: `教材${n}`, body: '本文', sectionKeys: ['6.1'] })))
		.returning();
	const questionIds = new Map<string, string>();
	if (withQuestions) {
		const rows = await db
			.insert(questions)
			.values(
				pool.map((q, i) => ({
					orgId,
					courseId: course.id,
					slug: q.slug,
					position: i + 1,
					type: q.type,
					stem: `問題 ${q.slug}`,
					choices: q.choices,
					explanation: `**解説** ${q.slug}（${q.sections.join('、')}）`,
					sectionKeys: q.sections
				}))
			)
			.returning();
		for (const r of rows) questionIds.set(r.slug, r.id);
	}
	const [campaign] = await db
		.insert(campaigns)
		.values({
			orgId,
			courseId: course.id,
			title: `令和8年度 ${slug}`,
			fiscalYear: 2026,
			startsOn: '2026-04-01',
			dueOn: '2026-06-30',
			audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		})
		.returning();
	return { id: course.id, campaignId: campaign.id, questionIds, lessonIds: lessonRows.map((l) => l.id) };
}

let personCounter = 0;
async function makeLearner(course: Course, departmentId: string | null = deptA, employmentType: EmploymentType = 'regular') {
	const person = await makePerson(db, orgId, { employeeNumber: `Q${String(++personCounter).padStart(4, '0')}`, departmentId, employmentType });
	const [assignment] = await db
		.insert(assignments)
		.values({ orgId, campaignId: course.campaignId, personId: person.id, departmentId, employmentType })
		.returning();
	const learner: Learner = { orgId, personId: person.id };
	return { learner, assignmentId: assignment.id };
}

const slugOf = (course: Course, questionId: string) => [...course.questionIds].find(([, id]) => id === questionId)![0];
const rightOf = (course: Course, questionId: string) =>
	pool
		.find((q) => q.slug === slugOf(course, questionId))!
		.choices.filter((c) => c.correct)
		.map((c) => c.id);
const wrongOf = (course: Course, questionId: string) =>
	pool
		.find((q) => q.slug === slugOf(course, questionId))!
		.choices.filter((c) => !c.correct)
		.map((c) => c.id)
		.slice(0, 1);

async function layoutOf(attemptId: string) {
	const [row] = await db.select({ layout: attempts.layout }).from(attempts).where(eq(attempts.id, attemptId));
	return row.layout;
}

async function started(learner: Learner, assignmentId: string, seed = 1) {
	const result = await startOrResumeAttempt(db, learner, assignmentId, seededRng(seed));
	if (!result.ok) throw new Error(`start refused: ${result.problem}`);
	return result;
}

/** Answers every question of the attempt: right, except the slugs listed as wrong. */
async function answerAll(course: Course, learner: Learner, attemptId: string, wrong: string[] = []) {
	const layout = await layoutOf(attemptId);
	const answers = new Map(
		layout.map((q) => [q.questionId, wrong.includes(slugOf(course, q.questionId)) ? wrongOf(course, q.questionId) : rightOf(course, q.questionId)])
	);
	const saved = await saveAnswers(db, learner, attemptId, answers);
	expect(saved.ok).toBe(true);
}

async function statsFor(campaignId: string) {
	return db.select().from(sectionAnswerStats).where(eq(sectionAnswerStats.campaignId, campaignId));
}

/** An organisation with two departments and a published policy, on the given database. */
async function setUpTown(on: Db) {
	db = on;
	orgId = (await makeOrg(db)).id;
	otherOrgId = (await makeOrg(db)).id;
	deptA = (await makeDepartment(db, orgId, '100', '総務課')).id;
	deptB = (await makeDepartment(db, orgId, '200', '市民課')).id;
	const [policy] = await db.insert(policies).values({ orgId, slug: 'basic-policy', title: '情報セキュリティ基本方針' }).returning();
	policyId = policy.id;
	const [version] = await db.insert(policyVersions).values({ orgId, policyId, version: '5.0', status: 'published', changeKind: 'partial' }).returning();
	const sections = [
		['6', '6', '情報セキュリティ対策'],
		['6.3', '(3)', '情報システム全体の強靭性の向上'],
		['6.3.1', '①', 'マイナンバー利用事務系'],
		['2', '2', '定義'],
		['2.8', '(8)', 'マイナンバー利用事務系']
	];
	await db
		.insert(policySections)
		.values(sections.map(([key, label, heading], i) => ({ orgId, versionId: version.id, key, label, heading, position: i, level: key.split('.').length })));
}

beforeAll(async () => {
	handle = await createTestDatabase();
	await setUpTown(handle.db);
});
afterAll(() => handle?.close());

describe('starting and resuming', () => {
	it('a second start resumes the open attempt, with the same layout', async () => {
		const course = await makeCourse('resume');
		const { learner, assignmentId } = await makeLearner(course);
		const first = await started(learner, assignmentId, 1);
		const second = await started(learner, assignmentId, 2);
		expect(first.resumed).toBe(false);
		expect(second).toMatchObject({ attemptId: first.attemptId, resumed: true, number: 1 });
		const [assignment] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
		expect(assignment.status).toBe('in_progress');
		expect(assignment.startedAt).not.toBeNull();
		const layout = await layoutOf(first.attemptId);
		expect(layout).toHaveLength(6);
		expect(new Set(layout.map((q) => q.questionId))).toEqual(new Set(course.questionIds.values()));
	});

	it('two starts at the same moment make one attempt', async () => {
		const course = await makeCourse('concurrent-start');
		const { learner, assignmentId } = await makeLearner(course);
		const results = await Promise.all([1, 2, 3, 4].map((seed) => startOrResumeAttempt(db, learner, assignmentId, seededRng(seed))));
		const ids = new Set(results.map((r) => (r.ok ? r.attemptId : r.problem)));
		expect(ids.size).toBe(1);
		const rows = await db.select().from(attempts).where(eq(attempts.assignmentId, assignmentId));
		expect(rows).toHaveLength(1);
	});

	it('draws drawCount questions covering the course sections', async () => {
		const course = await makeCourse('draw', { drawCount: 4 });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId, 5);
		const layout = await layoutOf(attemptId);
		expect(layout).toHaveLength(4);
		// 6 keys over 6 questions; 4 questions can cover at most 4 of the single-key ones plus the two-key ones.
		const keys = new Set(layout.flatMap((q) => pool.find((p) => p.slug === slugOf(course, q.questionId))!.sections));
		expect(keys.size).toBeGreaterThanOrEqual(5);
	});

	it('refuses an empty pool, an unknown id and someone else’s assignment', async () => {
		const empty = await makeCourse('empty', {}, false);
		const a = await makeLearner(empty);
		expect(await startOrResumeAttempt(db, a.learner, a.assignmentId)).toEqual({ ok: false, problem: 'no_questions' });
		const course = await makeCourse('owner');
		const b = await makeLearner(course);
		const c = await makeLearner(course);
		expect(await startOrResumeAttempt(db, c.learner, b.assignmentId)).toEqual({ ok: false, problem: 'not_found' });
		expect(await startOrResumeAttempt(db, { orgId: otherOrgId, personId: b.learner.personId }, b.assignmentId)).toEqual({ ok: false, problem: 'not_found' });
		expect(await startOrResumeAttempt(db, b.learner, 'not-a-uuid')).toEqual({ ok: false, problem: 'not_found' });
	});
});

describe('autosave', () => {
	it('keeps answers across a closed browser: the same layout, order and selections', async () => {
		const course = await makeCourse('autosave');
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId, 3);
		const before = (await loadAttemptForm(db, learner, attemptId))!;
		expect(before.answered).toBe(0);
		const [q1, q2] = before.questions;
		expect(await saveAnswer(db, learner, attemptId, q1.id, [q1.choices[0].id])).toMatchObject({ ok: true });
		expect(await saveAnswer(db, learner, attemptId, q1.id, [q1.choices[1].id])).toMatchObject({ ok: true });
		expect(await saveAnswer(db, learner, attemptId, q2.id, [q2.choices[0].id])).toMatchObject({ ok: true });
		expect(await saveAnswer(db, learner, attemptId, q2.id, [])).toMatchObject({ ok: true });

		// The browser is gone; the page is opened again.
		const again = await started(learner, assignmentId, 99);
		expect(again).toMatchObject({ attemptId, resumed: true });
		const after = (await loadAttemptForm(db, learner, attemptId))!;
		expect(after.questions.map((q) => [q.id, q.choices.map((c) => c.id)])).toEqual(before.questions.map((q) => [q.id, q.choices.map((c) => c.id)]));
		expect(after.questions[0].selected).toEqual([q1.choices[1].id]);
		expect(after.questions[1].selected).toEqual([]);
		expect(after.answered).toBe(1);
		// The form carries no right answers.
		expect(JSON.stringify(after)).not.toContain('correct');
		const [assignment] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
		expect(assignment.lastActivityAt).not.toBeNull();
	});

	it('refuses answers outside the layout, unknown choices, two picks for single choice', async () => {
		const course = await makeCourse('refuse', { drawCount: 3 });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId, 4);
		const layout = await layoutOf(attemptId);
		const inLayout = new Set(layout.map((q) => q.questionId));
		const outside = [...course.questionIds.values()].find((id) => !inLayout.has(id))!;
		expect(await saveAnswer(db, learner, attemptId, outside, ['a'])).toEqual({ ok: false, problem: 'not_in_layout' });
		expect(await saveAnswer(db, learner, attemptId, 'garbage', ['a'])).toEqual({ ok: false, problem: 'not_in_layout' });
		const q = layout[0];
		expect(await saveAnswer(db, learner, attemptId, q.questionId, ['zz'])).toEqual({ ok: false, problem: 'invalid_choice' });
		const single = [...course.questionIds].find(([slug]) => slug === 'usb')![1];
		const other = await makeLearner(course);
		const theirs = await started(other.learner, other.assignmentId, 4);
		const theirLayout = await layoutOf(theirs.attemptId);
		if (theirLayout.some((x) => x.questionId === single)) {
			expect(await saveAnswer(db, other.learner, theirs.attemptId, single, ['a', 'b'])).toEqual({ ok: false, problem: 'invalid_choice' });
		}
		expect(await db.select().from(responses).where(eq(responses.attemptId, attemptId))).toEqual([]);
	});

	it('another person’s attempt id is refused everywhere', async () => {
		const course = await makeCourse('others');
		const owner = await makeLearner(course);
		const intruder = await makeLearner(course);
		const { attemptId } = await started(owner.learner, owner.assignmentId);
		const layout = await layoutOf(attemptId);
		expect(await loadAttemptForm(db, intruder.learner, attemptId)).toBeNull();
		expect(await saveAnswer(db, intruder.learner, attemptId, layout[0].questionId, [layout[0].choiceIds[0]])).toEqual({ ok: false, problem: 'not_found' });
		expect(await submitAttempt(db, intruder.learner, attemptId, { confirmUnanswered: true })).toEqual({ ok: false, problem: 'not_found' });
		expect(await attemptResult(db, intruder.learner, attemptId)).toEqual({ ok: false, problem: 'not_found' });
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row.submittedAt).toBeNull();
	});
});

describe('submitting', () => {
	it('grades through the shuffled layout by choice id, including partial multiple choice', async () => {
		const course = await makeCourse('grading', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId, 8);
		const layout = await layoutOf(attemptId);
		// The display order really is shuffled for some question.
		expect(layout.some((q) => q.choiceIds.join() !== 'a,b,c,d' && q.choiceIds.length === 4)).toBe(true);
		await answerAll(course, learner, attemptId);
		// mail: right a, c, d — pick a and c only: 2/3.
		const mail = course.questionIds.get('mail')!;
		await saveAnswer(db, learner, attemptId, mail, ['c', 'a']);
		const result = await submitAttempt(db, learner, attemptId);
		// (5 + 2/3) / 6 = 94.4
		expect(result).toMatchObject({ ok: true, score: 94.4, passed: true, completed: true, alreadySubmitted: false });
		const graded = await db.select().from(responses).where(eq(responses.attemptId, attemptId));
		expect(graded).toHaveLength(6);
		const mailRow = graded.find((r) => r.questionId === mail)!;
		expect(mailRow.correct).toBe(false);
		expect(mailRow.score).toBeCloseTo(2 / 3);
		expect(graded.filter((r) => r.correct)).toHaveLength(5);
	});

	it('two submits at once grade one attempt: identical results, statistics counted once', async () => {
		const course = await makeCourse('double-submit', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course, deptB, 'fiscal_year');
		const { attemptId } = await started(learner, assignmentId);
		await answerAll(course, learner, attemptId, ['usb']);
		const [a, b] = await Promise.all([submitAttempt(db, learner, attemptId), submitAttempt(db, learner, attemptId)]);
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect([a.alreadySubmitted, b.alreadySubmitted].sort()).toEqual([false, true]);
		expect({ ...a, alreadySubmitted: null }).toEqual({ ...b, alreadySubmitted: null });
		const third = await submitAttempt(db, learner, attemptId, { answers: new Map() });
		expect(third).toMatchObject({ ok: true, attemptId, score: a.score, alreadySubmitted: true });

		const rows = await db.select().from(attempts).where(eq(attempts.assignmentId, assignmentId));
		expect(rows).toHaveLength(1);
		const [assignment] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
		expect(assignment.attemptCount).toBe(1);
		const stats = await statsFor(course.campaignId);
		// usb cites 6.3.1 and 2.8: one answer and one error each; 6.2 is cited by two right answers.
		const row = (key: string) => stats.find((s) => s.sectionKey === key)!;
		expect(row('6.3.1')).toMatchObject({ answers: 1, errors: 1, departmentId: deptB, employmentType: 'fiscal_year' });
		expect(row('2.8')).toMatchObject({ answers: 1, errors: 1 });
		expect(row('6.2')).toMatchObject({ answers: 2, errors: 0 });
		// Eight citations over six questions, each counted once.
		expect(stats.reduce((n, s) => n + s.answers, 0)).toBe(8);
		const perQuestion = await db.select().from(questionAnswerStats).where(eq(questionAnswerStats.campaignId, course.campaignId));
		expect(perQuestion).toHaveLength(6);
		expect(perQuestion.every((q) => q.answers === 1)).toBe(true);
		const audits = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'quiz.submit'), eq(auditEvents.targetId, attemptId)));
		expect(audits).toHaveLength(1);
		expect(audits[0].detail).toMatchObject({ score: a.score });
	});

	it('a save racing a submit is either graded or refused, never stored after grading', async () => {
		const course = await makeCourse('save-vs-submit', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId);
		const layout = await layoutOf(attemptId);
		const last = layout[5];
		await saveAnswers(db, learner, attemptId, new Map(layout.slice(0, 5).map((q) => [q.questionId, rightOf(course, q.questionId)])));
		const [save, submit] = await Promise.all([
			saveAnswer(db, learner, attemptId, last.questionId, rightOf(course, last.questionId)),
			submitAttempt(db, learner, attemptId, { confirmUnanswered: true })
		]);
		expect(submit.ok).toBe(true);
		const rows = await db.select().from(responses).where(eq(responses.attemptId, attemptId));
		// Every stored answer was graded, whichever came first.
		expect(rows.every((r) => r.correct !== null)).toBe(true);
		expect(submit.ok && submit.score).toBe(save.ok ? 100 : 83.3);
		expect(save.ok || save.problem === 'submitted').toBe(true);
	});

	it('a save that read the attempt open but writes after a submit commits writes nothing', async () => {
		const course = await makeCourse('save-after-submit', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId);
		const layout = await layoutOf(attemptId);
		let save: Promise<Awaited<ReturnType<typeof saveAnswer>>> | null = null;
		await db.transaction(async (tx) => {
			expect(await submitAttempt(tx, learner, attemptId, { confirmUnanswered: true })).toMatchObject({ ok: true });
			// The save reads the attempt still open (the submit is not committed) and then waits on its lock.
			save = saveAnswer(db, learner, attemptId, layout[0].questionId, rightOf(course, layout[0].questionId));
			await new Promise((resolve) => setTimeout(resolve, 300));
		});
		expect(await save).toEqual({ ok: false, problem: 'submitted' });
		expect(await db.select().from(responses).where(eq(responses.attemptId, attemptId))).toEqual([]);
	});

	it('counts answers and errors by department and employment type, unanswered as wrong', async () => {
		const course = await makeCourse('stats', { requireAllLessons: false });
		const x = await makeLearner(course, deptA, 'regular');
		const y = await makeLearner(course, deptA, 'regular');
		const z = await makeLearner(course, deptB, 'contractor');
		const w = await makeLearner(course, null, 'contractor');
		for (const [who, wrong] of [
			[x, []],
			[y, ['report']],
			[z, ['report', 'scope']]
		] as const) {
			const { attemptId } = await started(who.learner, who.assignmentId);
			await answerAll(course, who.learner, attemptId, [...wrong]);
			expect((await submitAttempt(db, who.learner, attemptId)).ok).toBe(true);
		}
		const { attemptId: blank } = await started(w.learner, w.assignmentId);
		expect(await submitAttempt(db, w.learner, blank, { confirmUnanswered: true })).toMatchObject({ ok: true, score: 0, passed: false });

		const stats = await statsFor(course.campaignId);
		const at = (key: string, dept: string | null, type: EmploymentType) =>
			stats.find((s) => s.sectionKey === key && s.departmentId === dept && s.employmentType === type);
		expect(at('7', deptA, 'regular')).toMatchObject({ answers: 2, errors: 1 });
		expect(at('4', deptA, 'regular')).toMatchObject({ answers: 2, errors: 0 });
		expect(at('7', deptB, 'contractor')).toMatchObject({ answers: 1, errors: 1 });
		expect(at('4', deptB, 'contractor')).toMatchObject({ answers: 1, errors: 1 });
		expect(at('6.1', deptB, 'contractor')).toMatchObject({ answers: 1, errors: 0 });
		// Without a department: one group of its own, every question wrong.
		expect(at('6.2', null, 'contractor')).toMatchObject({ answers: 2, errors: 2 });
		expect(stats.filter((s) => s.departmentId === null).every((s) => s.errors === s.answers)).toBe(true);
	});

	it('asks before submitting with unanswered questions, keeping the answers sent', async () => {
		const course = await makeCourse('unanswered', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId);
		const layout = await layoutOf(attemptId);
		// The no-JS form: the first two answered, the third shown but left empty.
		const answers = new Map([
			[layout[0].questionId, rightOf(course, layout[0].questionId)],
			[layout[1].questionId, rightOf(course, layout[1].questionId)],
			[layout[2].questionId, []]
		]);
		const first = await submitAttempt(db, learner, attemptId, { answers });
		expect(first).toEqual({ ok: false, problem: 'unanswered', unanswered: [3, 4, 5, 6] });
		const form = (await loadAttemptForm(db, learner, attemptId))!;
		expect(form.answered).toBe(2);
		expect(form.submitted).toBe(false);
		const confirmed = await submitAttempt(db, learner, attemptId, { answers, confirmUnanswered: true });
		expect(confirmed).toMatchObject({ ok: true, score: 33.3, passed: false });
		expect(await saveAnswer(db, learner, attemptId, layout[3].questionId, rightOf(course, layout[3].questionId))).toEqual({ ok: false, problem: 'submitted' });
	});

	it('a submit with final answers replaces saved ones; a cleared answer is removed', async () => {
		const course = await makeCourse('final-answers', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId);
		await answerAll(course, learner, attemptId);
		const layout = await layoutOf(attemptId);
		const answers = new Map(layout.map((q) => [q.questionId, rightOf(course, q.questionId)]));
		answers.set(layout[0].questionId, wrongOf(course, layout[0].questionId));
		answers.set(layout[1].questionId, []);
		const result = await submitAttempt(db, learner, attemptId, { answers, confirmUnanswered: true });
		expect(result).toMatchObject({ ok: true, score: 66.7, passed: false });
		const rows = await db.select().from(responses).where(eq(responses.attemptId, attemptId));
		expect(rows.map((r) => r.questionId)).not.toContain(layout[1].questionId);
		expect(rows.find((r) => r.questionId === layout[0].questionId)!.correct).toBe(false);
	});

	it('enforces the maximum number of attempts', async () => {
		const course = await makeCourse('max', { maxAttempts: 2, requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		for (const n of [1, 2]) {
			const { attemptId, number } = await started(learner, assignmentId);
			expect(number).toBe(n);
			await answerAll(course, learner, attemptId, ['usb', 'password', 'mail']);
			expect(await submitAttempt(db, learner, attemptId)).toMatchObject({ ok: true, passed: false });
		}
		const refused = await startOrResumeAttempt(db, learner, assignmentId);
		expect(refused).toMatchObject({ ok: false, problem: 'max_attempts' });
		const [last] = await db
			.select()
			.from(attempts)
			.where(and(eq(attempts.assignmentId, assignmentId), eq(attempts.number, 2)));
		expect(!refused.ok && 'attemptId' in refused && refused.attemptId).toBe(last.id);
		const result = await attemptResult(db, learner, last.id);
		expect(result.ok && result.result).toMatchObject({ attemptsLeft: 0, canRetake: false });
		const [assignment] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
		expect(assignment.attemptCount).toBe(2);
		expect(assignment.bestScore).toBe(50);
	});
});

describe('completion', () => {
	it('a pass completes only once every lesson is opened; then completeIfReady completes', async () => {
		const course = await makeCourse('lessons');
		const { learner, assignmentId } = await makeLearner(course);
		await db.insert(lessonViews).values({ assignmentId, lessonId: course.lessonIds[0] });
		const { attemptId } = await started(learner, assignmentId);
		await answerAll(course, learner, attemptId);
		expect(await submitAttempt(db, learner, attemptId)).toMatchObject({ ok: true, passed: true, completed: false });

		const result = await attemptResult(db, learner, attemptId);
		expect(result.ok && result.result).toMatchObject({ passed: true, completed: false, canRetake: false });
		expect(result.ok && result.result.lessonsToOpen.map((l) => l.title)).toEqual(['教材2']);
		// Passed: no new attempt, the quiz page shows this result instead.
		expect(await startOrResumeAttempt(db, learner, assignmentId)).toEqual({ ok: false, problem: 'passed', attemptId });
		expect(await completeIfReady(db, assignmentId)).toEqual({ completed: false });

		await db.insert(lessonViews).values({ assignmentId, lessonId: course.lessonIds[1] });
		expect(await completeIfReady(db, assignmentId)).toEqual({ completed: true });
		expect(await completeIfReady(db, assignmentId)).toEqual({ completed: true });
		const [assignment] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
		expect(assignment).toMatchObject({ status: 'completed', completingAttemptId: attemptId });
		expect(assignment.completedAt).not.toBeNull();
		expect(await startOrResumeAttempt(db, learner, assignmentId)).toEqual({ ok: false, problem: 'completed', attemptId });
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'learning.complete'), eq(auditEvents.targetId, assignmentId)));
		expect(events).toHaveLength(1);
	});

	it('completeIfReady does nothing without a pass, even with every lesson opened', async () => {
		const course = await makeCourse('no-pass');
		const { learner, assignmentId } = await makeLearner(course);
		for (const lessonId of course.lessonIds) await db.insert(lessonViews).values({ assignmentId, lessonId });
		expect(await completeIfReady(db, assignmentId)).toEqual({ completed: false });
		const { attemptId } = await started(learner, assignmentId);
		await answerAll(course, learner, attemptId, ['usb', 'password']);
		expect(await submitAttempt(db, learner, attemptId)).toMatchObject({ passed: false, completed: false });
		expect(await completeIfReady(db, assignmentId)).toEqual({ completed: false });
		const result = await attemptResult(db, learner, attemptId);
		expect(result.ok && result.result).toMatchObject({ canRetake: true, attemptsLeft: null, lessonsToOpen: [] });
	});
});

describe('result', () => {
	it('shows each question with the right answer, what was chosen, the explanation and section links', async () => {
		const course = await makeCourse('result', { requireAllLessons: false });
		const { learner, assignmentId } = await makeLearner(course);
		const { attemptId } = await started(learner, assignmentId);
		expect(await attemptResult(db, learner, attemptId)).toEqual({ ok: false, problem: 'not_submitted', assignmentId });
		await answerAll(course, learner, attemptId, ['usb']);
		await submitAttempt(db, learner, attemptId);
		const result = await attemptResult(db, learner, attemptId);
		if (!result.ok) throw new Error(result.problem);
		const r = result.result;
		expect(r).toMatchObject({ passMark: 80, passed: true, completed: true, courseTitle: '研修 result', number: 1 });
		const layout = await layoutOf(attemptId);
		expect(r.questions.map((q) => q.id)).toEqual(layout.map((q) => q.questionId));
		for (const [i, q] of r.questions.entries()) expect(q.choices.map((c) => c.id)).toEqual(layout[i].choiceIds);
		const usb = r.questions.find((q) => q.id === course.questionIds.get('usb'))!;
		expect(usb.correct).toBe(false);
		expect(usb.choices.find((c) => c.correct)!.id).toBe('b');
		expect(usb.choices.find((c) => c.selected)!.id).toBe('a');
		expect(usb.explanationHtml).toContain('<strong>解説</strong>');
		expect(usb.sections).toEqual([
			{ key: '6.3.1', title: '6 (3) ① マイナンバー利用事務系', href: '/policy/basic-policy#s-6.3.1' },
			{ key: '2.8', title: '2 (8) マイナンバー利用事務系', href: '/policy/basic-policy#s-2.8' }
		]);
		const report = r.questions.find((q) => q.id === course.questionIds.get('report'))!;
		expect(report).toMatchObject({ correct: true, score: 1, type: 'truefalse' });
		expect(report.sections[0]).toEqual({ key: '7', title: '7', href: '/policy/basic-policy#s-7' });
	});
});

describe('on the embedded database (PGlite)', () => {
	it('saves, clears, refuses a late save and grades the same way', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-quiz-'));
		const embedded = await createDb({ dataDir: path.join(dir, 'db') });
		const shared = { db, orgId, otherOrgId, deptA, deptB, policyId };
		try {
			await migrate(embedded);
			await setUpTown(embedded.db);
			const course = await makeCourse('pglite', { requireAllLessons: false });
			const { learner, assignmentId } = await makeLearner(course);
			const { attemptId } = await started(learner, assignmentId);
			const layout = await layoutOf(attemptId);
			expect(await saveAnswer(db, learner, attemptId, layout[0].questionId, wrongOf(course, layout[0].questionId))).toMatchObject({ ok: true });
			expect(await saveAnswer(db, learner, attemptId, layout[1].questionId, rightOf(course, layout[1].questionId))).toMatchObject({ ok: true });
			expect(await saveAnswer(db, learner, attemptId, layout[1].questionId, [])).toMatchObject({ ok: true });
			const form = (await loadAttemptForm(db, learner, attemptId))!;
			expect(form.questions.map((q) => q.selected)).toEqual([wrongOf(course, layout[0].questionId), ...layout.slice(1).map(() => [])]);
			await answerAll(course, learner, attemptId);
			expect(await submitAttempt(db, learner, attemptId)).toMatchObject({ ok: true, score: 100, passed: true, completed: true });
			expect(await saveAnswer(db, learner, attemptId, layout[0].questionId, [])).toEqual({ ok: false, problem: 'submitted' });
			expect((await db.select().from(responses).where(eq(responses.attemptId, attemptId))).every((r) => r.correct === true)).toBe(true);
		} finally {
			({ db, orgId, otherOrgId, deptA, deptB, policyId } = shared);
			await embedded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
