import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	assignments,
	auditEvents,
	campaigns,
	courses,
	lessons,
	people,
	policies,
	policySections,
	policyVersions,
	questions
} from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { insertVersion, type SectionInput } from '../../src/lib/server/policy/versions';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { japanToday } from '../../src/lib/format/calendar';
import { getLearnerAssignment, recordLessonView } from '../../src/lib/server/learning/assignments';
import { readLesson } from '../../src/lib/server/learning/lessons';
import { completeIfReady, loadAttemptForm, startOrResumeAttempt, submitAttempt } from '../../src/lib/server/learning/quiz/attempts';
import { clearNeedsReview, courseForEditing, listCourses, updateLesson } from '../../src/lib/server/learning/editor';
import { diffText } from '../../src/lib/server/policy/diff';
import { renderMarkdown } from '../../src/lib/server/policy/render';
import {
	afterPublish,
	amendmentLines,
	assignRevisionPoints,
	checkRevisionDueOn,
	retrainingOverview,
	revisionPointsPreview,
	revisionPointsStatus,
	changedKeys as changedKeysOf,
	shortPolicyTitle,
	type PublishedRevision
} from '../../src/lib/server/revision/retraining';

let handle: DbHandle;
let db: Db;
let orgId: string;
let ownerId: string;
let policyId: string;
let v50Id: string;
let v51Id: string;
const today = japanToday();
const dueOn = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');

// The revision: two sections reworded, one added, one removed.
const changedKeys = ['2.9', '6.3.1'];
const addedKey = '6.10';
const removedKey = '6.3.3';
const expectedKeys = [...changedKeys, removedKey, addedKey];
const newText: Record<string, string> = {
	'2.9': '人事給与、財務会計及び文書管理等 LGWAN に接続された情報システム及びそのデータをいう（マイナンバー利用事務系を除く。）。',
	'6.3.1': 'マイナンバー利用事務系においては、他の領域との通信をできないようにし、端末への多要素認証を必須とする。'
};
const addedBody = '生成AIを業務に使うときは、情報セキュリティ管理者が認めたサービスだけを使う。<script>alert(1)</script>';
const reason = '生成AIの利用と多要素認証について一部改訂';

async function flaggedIds(table: typeof lessons | typeof questions) {
	const rows = await db
		.select({ id: table.id })
		.from(table)
		.where(and(eq(table.orgId, orgId), eq(table.needsReview, true)));
	return rows.map((r) => r.id).sort();
}

/** Active lessons or questions of the org's own policy courses citing any of the keys, computed here independently. */
async function citingIds(table: typeof lessons | typeof questions, keys: readonly string[]) {
	const rows = await db
		.select({ id: table.id, sectionKeys: table.sectionKeys })
		.from(table)
		.innerJoin(courses, eq(courses.id, table.courseId))
		.where(and(eq(table.orgId, orgId), eq(table.active, true), eq(courses.policyId, policyId), isNull(courses.revisionVersionId)));
	return rows
		.filter((r) => r.sectionKeys.some((k) => keys.includes(k)))
		.map((r) => r.id)
		.sort();
}

/** Publishes v5.1 the way the revision workflow does: supersede, insert, then retraining in the same transaction. */
async function publish51() {
	const old = await db.select().from(policySections).where(eq(policySections.versionId, v50Id)).orderBy(asc(policySections.position));
	const sections: SectionInput[] = [];
	for (const s of old) {
		if (s.key === removedKey) continue;
		sections.push({ key: s.key, level: s.level, label: s.label, heading: s.heading, body: newText[s.key] ?? s.body, restrictedTo: s.restrictedTo });
		if (s.key === '6.9') sections.push({ key: addedKey, level: 2, label: '(10)', heading: '生成AIの利用', body: addedBody });
	}
	return db.transaction(async (tx) => {
		await tx.update(policyVersions).set({ status: 'superseded' }).where(eq(policyVersions.id, v50Id));
		v51Id = await insertVersion(
			tx,
			{
				orgId,
				policyId,
				version: '5.1',
				status: 'published',
				changeKind: 'partial',
				reason,
				dateLabel: '令和8年4月1日',
				effectiveDate: '2026-04-01',
				publishedAt: new Date(),
				createdBy: ownerId
			},
			sections
		);
		return afterPublish(tx, { orgId, policyId, versionId: v51Id, previousVersionId: v50Id, actorId: ownerId });
	});
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	const org = await makeOrg(db, undefined, '北杜市');
	orgId = org.id;
	await syncPolicyContent(db, orgId);
	await syncCourseContent(db, orgId);
	ownerId = (await makePerson(db, orgId, { employeeNumber: 'OWN1', roles: ['policy_owner'] })).id;
	for (let i = 1; i <= 4; i++) await makePerson(db, orgId, { employeeNumber: `E${i}`, employmentType: i === 4 ? 'fiscal_year' : 'regular' });
	await makePerson(db, orgId, { employeeNumber: 'LEFT', active: false });
	const [policy] = await db
		.select()
		.from(policies)
		.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
	policyId = policy.id;
	const [v50] = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.version, '5.0')));
	v50Id = v50.id;
});
afterAll(async () => {
	await handle?.close();
});

describe('retraining after a revision is published', () => {
	let courseId: string;

	it('flags exactly the lessons and questions citing a changed, added or removed section', async () => {
		expect(await flaggedIds(lessons)).toEqual([]);
		const expectedLessons = await citingIds(lessons, expectedKeys);
		const expectedQuestions = await citingIds(questions, expectedKeys);
		// Both real courses cite these keys: the check is not vacuous.
		expect(expectedLessons.length).toBeGreaterThan(0);
		expect(expectedQuestions.length).toBeGreaterThan(3);

		const result = await publish51();
		expect([...result.changedSectionKeys].sort()).toEqual([...expectedKeys].sort());
		expect(result.flaggedLessons).toBe(expectedLessons.length);
		expect(result.flaggedQuestions).toBe(expectedQuestions.length);
		expect(await flaggedIds(lessons)).toEqual(expectedLessons);
		expect(await flaggedIds(questions)).toEqual(expectedQuestions);
		expect(result.courseId).not.toBeNull();
		courseId = result.courseId!;

		const [audit] = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, 'revision.retraining')));
		expect(audit).toMatchObject({ actorId: ownerId, targetId: v51Id });
	});

	it('generates 「改訂のポイント」: one lesson per changed section with before and after, the reason first, and a ○× confirmation', async () => {
		const [course] = await db.select().from(courses).where(eq(courses.id, courseId));
		expect(course).toMatchObject({
			slug: 'revision-points-5-1',
			title: '基本方針 第5.1版 改訂のポイント',
			policyId,
			revisionVersionId: v51Id,
			passMark: 100,
			drawCount: 1,
			requireAllLessons: true
		});
		const rows = await db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.position));
		// Document order, the removed clause where it stood.
		// A removed clause's lesson cites the section it stood under.
		expect(rows.map((l) => l.sectionKeys)).toEqual([['2.9'], ['6.3.1'], ['6.3'], [addedKey]]);
		expect(rows.map((l) => l.title)).toEqual([
			'【改正】2(9) LGWAN 接続系',
			// An item without a heading is named by its own words, not its parent's heading.
			'【改正】6(3)① マイナンバー利用事務系においては、他の領域との通信をできないようにし、端末への…',
			'【削除】6(3)③ インターネット接続系においては、不正通信の監視機能の強化等の高度な情報セキュリ…',
			'【新設】6(10) 生成AIの利用'
		]);
		const [first, second, removed, added] = rows;
		expect(first.body).toContain('## 改訂の理由及び内容');
		expect(first.body).toContain(reason);
		expect(first.body).toContain('令和8年4月1日');
		expect(rows.slice(1).every((l) => !l.body.includes(reason))).toBe(true);
		const oldSections = await db.select().from(policySections).where(eq(policySections.versionId, v50Id));
		const oldBody = (key: string) => oldSections.find((s) => s.key === key)!.body;
		expect(first.body).toContain(`> ${oldBody('2.9')}`);
		expect(first.body).toContain(`> ${newText['2.9']}`);
		expect(first.body.indexOf('## 改正前')).toBeLessThan(first.body.indexOf('## 改正後'));
		// The edit in the words of an amending text, before the two texts.
		expect(first.body).toContain('## 変わったところ\n\n- 「情報システムで取り扱う」を削りました。');
		expect(removed.body).not.toContain('変わったところ');
		expect(second.body).toContain(`> ${oldBody('6.3.1')}`);
		expect(second.body).toContain(`> ${newText['6.3.1']}`);
		expect(removed.body).toContain(`> ${oldBody(removedKey)}`);
		expect(removed.body).toContain('（削除）');
		expect(added.body).toContain('（新設）');
		expect(added.body).toContain('生成AIを業務に使うときは');

		// The lesson page renders through the sanitiser: quotes stay, the script does not.
		const page = await readLesson(db, orgId, courseId, added.slug);
		expect(page!.html).toContain('<blockquote>');
		expect(page!.html).not.toContain('<script');
		expect(page!.sections.map((s) => s.key)).toEqual([addedKey]);

		const qs = await db.select().from(questions).where(eq(questions.courseId, courseId));
		expect(qs).toHaveLength(1);
		expect(qs[0]).toMatchObject({ type: 'truefalse', sectionKeys: [] });
		expect(qs[0].stem).toContain('改訂のポイントを確認しました');
		expect(qs[0].choices.find((c) => c.correct)?.id).toBe('o');
	});

	it('is idempotent: a second call creates no second course', async () => {
		const again = await db.transaction((tx) =>
			afterPublish(tx, { orgId, policyId, versionId: v51Id, previousVersionId: v50Id, actorId: ownerId } satisfies PublishedRevision)
		);
		expect(again.courseId).toBe(courseId);
		const generated = await db
			.select()
			.from(courses)
			.where(and(eq(courses.orgId, orgId), isNotNull(courses.revisionVersionId)));
		expect(generated).toHaveLength(1);
		expect(await db.select().from(lessons).where(eq(lessons.courseId, courseId))).toHaveLength(4);
		// The generated course's own lessons are never flagged by the revision they teach.
		const own = await db
			.select()
			.from(lessons)
			.where(and(eq(lessons.courseId, courseId), eq(lessons.needsReview, true)));
		expect(own).toHaveLength(0);
	});

	it('does nothing for a first version with nothing before it', async () => {
		const result = await db.transaction((tx) => afterPublish(tx, { orgId, policyId, versionId: v50Id, previousVersionId: null, actorId: ownerId }));
		expect(result).toEqual({ changedSectionKeys: [], flaggedLessons: 0, flaggedQuestions: 0, courseId: null });
	});

	it('reports status and the overview for the retraining page', async () => {
		const status = await revisionPointsStatus(db, orgId, v51Id);
		expect(status).toMatchObject({ courseId, campaignId: null });
		expect([...status.changedSectionKeys].sort()).toEqual([...expectedKeys].sort());
		expect(status.flaggedLessons).toBe((await citingIds(lessons, expectedKeys)).length);
		expect(status.flaggedQuestions).toBe((await citingIds(questions, expectedKeys)).length);

		const overview = await retrainingOverview(db, { orgId, roles: ['approver'] }, v51Id);
		expect(overview!.changedSections.map((s) => [s.key, s.kind, s.citation])).toEqual([
			['2.9', 'changed', '2(9)'],
			['6.3.1', 'changed', '6(3)①'],
			[addedKey, 'added', '6(10)'],
			[removedKey, 'removed', '6(3)③']
		]);
		expect(overview!.flaggedQuestions.length).toBe(status.flaggedQuestions);
		// Named as the document names them: an item without a heading by its own words, no keys.
		const item = overview!.changedSections.find((c) => c.key === '6.3.1')!;
		expect(item.heading).toMatch(/^マイナンバー利用事務系においては/);
		const keyLike = /(^|[^0-9(（])\d+\.\d+(\.\d+)?($|[^0-9])|q-|suppl/;
		for (const flagged of [...overview!.flaggedLessons, ...overview!.flaggedQuestions]) {
			expect(flagged.sections.length).toBeGreaterThan(0);
			for (const citation of flagged.sections) expect(citation).not.toMatch(keyLike);
		}
		const [question] = overview!.flaggedQuestions;
		const [stored] = await db.select().from(questions).where(eq(questions.id, question.id));
		expect(question.name).not.toBe(stored.slug);
		expect(stored.stem.replace(/\s+/g, ' ')).toContain(question.name.replace(/…$/, ''));
		expect(overview!.course?.lessons).toHaveLength(4);
		expect(await retrainingOverview(db, { orgId, roles: ['approver'] }, v50Id)).toBeNull();
		const other = await makeOrg(db);
		expect(await retrainingOverview(db, { orgId: other.id, roles: ['admin'] }, v51Id)).toBeNull();
		expect(await revisionPointsStatus(db, other.id, v51Id)).toMatchObject({ courseId: null, changedSectionKeys: [] });

		const preview = await revisionPointsPreview(db, { orgId, roles: ['approver'] }, v51Id);
		expect(preview!.lessons).toHaveLength(4);
		expect(preview!.lessons.every((l) => !l.html.includes('<script'))).toBe(true);
		expect(preview!.questions).toHaveLength(1);
	});

	it('lets the owner clear 要見直し, by hand or by saving, with an audit event', async () => {
		const actor = { orgId, personId: ownerId, ip: '127.0.0.1' };
		const [flagged] = await db
			.select()
			.from(questions)
			.where(and(eq(questions.orgId, orgId), eq(questions.needsReview, true)))
			.limit(1);
		const list = await listCourses(db, orgId);
		expect(list.find((c) => c.id === flagged.courseId)!.needsReview).toBeGreaterThan(0);
		expect(await clearNeedsReview(db, { ...actor, orgId: (await makeOrg(db)).id }, flagged.courseId, 'question', flagged.id)).toEqual({
			ok: false,
			notFound: true
		});
		expect(await clearNeedsReview(db, actor, flagged.courseId, 'question', flagged.id)).toEqual({ ok: true, changed: true });
		expect(await clearNeedsReview(db, actor, flagged.courseId, 'question', flagged.id)).toEqual({ ok: true, changed: false });
		const [after] = await db.select().from(questions).where(eq(questions.id, flagged.id));
		expect(after.needsReview).toBe(false);
		const [audit] = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, 'question.review_cleared')))
			.orderBy(desc(auditEvents.at));
		expect(audit).toMatchObject({ actorId: ownerId, targetId: flagged.id });

		const [lesson] = await db
			.select()
			.from(lessons)
			.where(and(eq(lessons.orgId, orgId), eq(lessons.needsReview, true)))
			.limit(1);
		const keys = lesson.sectionKeys.filter((k) => k !== removedKey);
		expect(await updateLesson(db, actor, lesson.id, { title: lesson.title, body: lesson.body, sectionKeys: keys.length ? keys : ['1'] })).toEqual({ ok: true });
		const editing = await courseForEditing(db, orgId, lesson.courseId);
		expect(editing!.lessons.find((l) => l.id === lesson.id)!.needsReview).toBe(false);
		const status = await revisionPointsStatus(db, orgId, v51Id);
		expect(status.flaggedQuestions).toBe((await citingIds(questions, expectedKeys)).length - 1);
	});

	it('assigns the course to every active person in one step, once', async () => {
		expect(checkRevisionDueOn('令和2年1月1日', today)).toEqual({ ok: false, problem: 'retraining.error.dueInPast' });
		expect(checkRevisionDueOn('あした', today)).toEqual({ ok: false, problem: 'retraining.error.dueOn' });
		const actor = { orgId, personId: ownerId, ip: '127.0.0.1' };
		const first = await assignRevisionPoints(db, actor, v51Id, { dueOn, today });
		const active = await db
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.active, true)));
		expect(first!.added).toBe(active.length);
		const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, first!.campaignId));
		expect(campaign).toMatchObject({ courseId, startsOn: today, dueOn, audience: { everyone: true } });
		expect(campaign.title).toMatch(/^基本方針 第5\.1版 改訂のポイント（令和\d+年度）$/);
		const assigned = await db.select({ personId: assignments.personId }).from(assignments).where(eq(assignments.campaignId, campaign.id));
		expect(assigned.map((a) => a.personId).sort()).toEqual(active.map((p) => p.id).sort());

		const second = await assignRevisionPoints(db, actor, v51Id, { dueOn, today });
		expect(second).toEqual({ campaignId: first!.campaignId, added: 0 });
		expect(await db.select().from(campaigns).where(eq(campaigns.courseId, courseId))).toHaveLength(1);
		const audits = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, 'revision.retraining_assign')));
		expect(audits).toHaveLength(1);
		expect((await revisionPointsStatus(db, orgId, v51Id)).campaignId).toBe(first!.campaignId);
		// A version without a generated course has nothing to assign.
		expect(await assignRevisionPoints(db, actor, v50Id, { dueOn, today })).toBeNull();
	});

	it('a learner completes it through the learner pages’ functions: lessons, then the confirmation', async () => {
		const [learner] = await db
			.select()
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, 'E4')));
		const me = { orgId, personId: learner.id };
		const [mine] = await db
			.select({ id: assignments.id })
			.from(assignments)
			.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
			.where(and(eq(assignments.personId, learner.id), eq(campaigns.courseId, courseId)));
		let detail = await getLearnerAssignment(db, orgId, learner.id, mine.id, today);
		expect(detail!.lessons).toHaveLength(4);

		// The quiz first: passing alone does not complete while lessons are unread.
		const started = await startOrResumeAttempt(db, me, mine.id);
		expect(started.ok).toBe(true);
		const form = await loadAttemptForm(db, me, (started as { attemptId: string }).attemptId);
		expect(form!.questions).toHaveLength(1);
		expect(form!.questions[0].choices.map((c) => c.text)).toEqual(['○', '×']);
		const submitted = await submitAttempt(db, me, form!.attemptId, { answers: new Map([[form!.questions[0].id, ['o']]]) });
		expect(submitted).toMatchObject({ ok: true, passed: true, completed: false, score: 100 });

		for (const lesson of detail!.lessons) {
			const page = await readLesson(db, orgId, detail!.course.id, lesson.slug);
			const view = await recordLessonView(db, orgId, learner.id, mine.id, page!.id, today);
			expect(view).toEqual({ ok: true, firstView: true });
			await completeIfReady(db, mine.id);
		}
		detail = await getLearnerAssignment(db, orgId, learner.id, mine.id, today);
		expect(detail!.status).toBe('completed');
		expect(detail!.quizPassed).toBe(true);
		const [row] = await db.select().from(assignments).where(eq(assignments.id, mine.id));
		expect(row.completingAttemptId).toBe(form!.attemptId);

		// Another learner reads first, then confirms: completed at the submit.
		const [other] = await db
			.select()
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, 'E1')));
		const [theirs] = await db
			.select({ id: assignments.id })
			.from(assignments)
			.where(
				and(
					eq(assignments.personId, other.id),
					inArray(assignments.campaignId, db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.courseId, courseId)))
				)
			);
		const them = { orgId, personId: other.id };
		for (const l of await db.select().from(lessons).where(eq(lessons.courseId, courseId))) {
			await recordLessonView(db, orgId, other.id, theirs.id, l.id, today);
			await completeIfReady(db, theirs.id);
		}
		const s2 = await startOrResumeAttempt(db, them, theirs.id);
		const f2 = await loadAttemptForm(db, them, (s2 as { attemptId: string }).attemptId);
		const wrong = await submitAttempt(db, them, f2!.attemptId, { answers: new Map([[f2!.questions[0].id, ['x']]]) });
		expect(wrong).toMatchObject({ ok: true, passed: false, completed: false });
		const s3 = await startOrResumeAttempt(db, them, theirs.id);
		const f3 = await loadAttemptForm(db, them, (s3 as { attemptId: string }).attemptId);
		const right = await submitAttempt(db, them, f3!.attemptId, { answers: new Map([[f3!.questions[0].id, ['o']]]) });
		expect(right).toMatchObject({ ok: true, passed: true, completed: true });
	});

	it('counts a renumbered clause under both numbers, and a clause that kept key and text not at all', () => {
		const s = (key: string, body: string) => ({ key, heading: '', body });
		expect(changedKeysOf([s('1', 'x'), s('2', 'A'), s('3', 'B')], [s('2', 'A'), s('1', 'x'), s('3', 'N'), s('4', 'B')])).toEqual(['3', '4']);
	});

	it('makes no course for a 非公開 policy, but still flags what cites its changed sections', async () => {
		const [policy] = await db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'incident-procedure')));
		const [v10] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.status, 'published')));
		const old = await db.select().from(policySections).where(eq(policySections.versionId, v10.id)).orderBy(asc(policySections.position));
		const target = old.find((x) => x.body.trim())!;
		const result = await db.transaction(async (tx) => {
			await tx.update(policyVersions).set({ status: 'superseded' }).where(eq(policyVersions.id, v10.id));
			const id = await insertVersion(
				tx,
				{ orgId, policyId: policy.id, version: '1.1', status: 'published', changeKind: 'partial', reason: '手順の見直し' },
				old.map((x) => ({ key: x.key, level: x.level, label: x.label, heading: x.heading, body: x.key === target.key ? `${x.body}（改正）` : x.body }))
			);
			return afterPublish(tx, { orgId, policyId: policy.id, versionId: id, previousVersionId: v10.id, actorId: ownerId });
		});
		expect(result).toMatchObject({ changedSectionKeys: [target.key], courseId: null });
	});

	it('quotes an added list item by its words, without the list marker', () => {
		const lines = amendmentLines(diffText('- 職員等は端末を施錠する。', '- 職員等は端末を施錠する。\n- 職員等は離席時に画面をロックする。'));
		expect(lines).toEqual(['「職員等は離席時に画面をロックする。」を加えました。']);
	});

	it('writes an edit as a plain sentence that renders literally', () => {
		const lines = amendmentLines(diffText('端末を使う。', '端末を<b>*必ず*</b>使う。'));
		expect(lines).toEqual(['「\\<b\\>\\*必ず\\*\\</b\\>」を加えました。']);
		expect(renderMarkdown(lines[0])).toBe('<p>「&lt;b&gt;*必ず*&lt;/b&gt;」を加えました。</p>\n');
	});

	it('names the policy as staff do', () => {
		expect(shortPolicyTitle('北杜市情報セキュリティ基本方針', '北杜市')).toBe('基本方針');
		expect(shortPolicyTitle('北杜市情報セキュリティ実施手順（情報セキュリティインシデント対応）', '北杜市')).toBe(
			'実施手順（情報セキュリティインシデント対応）'
		);
		expect(shortPolicyTitle('個人情報保護方針', '北杜市')).toBe('個人情報保護方針');
	});
});
