import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { assignments, attempts, campaigns, courses, departments, lessons, people, type EmploymentType } from '../db/schema';
import { syncAssignmentsForPeople } from '../learning/campaigns';
import { recordLessonView } from '../learning/assignments';
import { questionsOf, saveAnswers, startOrResumeAttempt, submitAttempt } from '../learning/quiz/attempts';
import { seededRng, type Rng } from '../learning/quiz/draw';

/**
 * A year's worth of staff for the demo: 48 more people who have taken this 年度's training, so the
 * completion dashboard, the weak spots and the 年度報告 show figures that mean something. They
 * learn through the same functions the learner pages use. Their answers follow a pattern a policy
 * owner should find: most people get 6(3) — the three-system separation, ② above all — wrong, 業務委託 (6(8))
 * is shaky, and one question of 3(2) is answered at random — a badly written question rather than a
 * misunderstood clause. Seeded once, with a fixed random seed.
 */
export async function seedDemoPractice(db: Db, orgId: string, today = new Date()): Promise<number> {
	const [already] = await db
		.select({ id: people.id })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, '3001')));
	if (already) return 0;
	const [campaign] = await db
		.select({ id: campaigns.id, courseId: courses.id })
		.from(campaigns)
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(campaigns.orgId, orgId), eq(courses.slug, 'basic-policy-training')))
		.limit(1);
	if (!campaign) return 0;
	const rng = seededRng(20261126);
	const deptRows = await db.select({ id: departments.id, code: departments.code }).from(departments).where(eq(departments.orgId, orgId));
	const deptId = new Map(deptRows.map((d) => [d.code, d.id]));

	const made: { id: string; ability: number; plan: 'complete' | 'struggle' | 'browse' | 'idle'; daysAgo: number }[] = [];
	for (let i = 0; i < 48; i++) {
		const family = familyNames[i % familyNames.length];
		const given = givenNames[(i * 7) % givenNames.length];
		const code = departmentCodes[i % departmentCodes.length];
		const type: EmploymentType = i % 6 === 1 ? 'fiscal_year' : i % 11 === 4 ? 'reappointed' : i % 13 === 7 ? 'dispatched' : 'regular';
		const [person] = await db
			.insert(people)
			.values({
				orgId,
				employeeNumber: String(3001 + i),
				name: `${family[0]} ${given[0]}`,
				nameKana: `${family[1]} ${given[1]}`,
				departmentId: deptId.get(code) ?? null,
				employmentType: type,
				title: type === 'fiscal_year' ? '会計年度任用職員' : '主事'
			})
			.returning({ id: people.id });
		const roll = rng();
		const plan = roll < 0.62 ? 'complete' : roll < 0.72 ? 'struggle' : roll < 0.82 ? 'browse' : 'idle';
		made.push({ id: person.id, ability: (rng() - 0.6) * 0.3, plan, daysAgo: 1 + Math.floor(rng() * 14) });
	}
	await syncAssignmentsForPeople(
		db,
		orgId,
		made.map((p) => p.id)
	);

	const courseLessons = await db
		.select({ id: lessons.id })
		.from(lessons)
		.where(and(eq(lessons.courseId, campaign.courseId), eq(lessons.active, true)))
		.orderBy(asc(lessons.position));
	const assignmentOf = new Map(
		(
			await db
				.select({ id: assignments.id, personId: assignments.personId })
				.from(assignments)
				.where(
					and(
						eq(assignments.campaignId, campaign.id),
						inArray(
							assignments.personId,
							made.map((p) => p.id)
						)
					)
				)
		).map((a) => [a.personId, a.id])
	);
	const isoToday = today.toISOString().slice(0, 10);
	for (const person of made) {
		const assignmentId = assignmentOf.get(person.id);
		if (!assignmentId || person.plan === 'idle') continue;
		const learner = { orgId, personId: person.id };
		const viewed = person.plan === 'browse' ? courseLessons.slice(0, 3) : courseLessons;
		for (const lesson of viewed) await recordLessonView(db, orgId, person.id, assignmentId, lesson.id, isoToday);
		if (person.plan === 'browse') continue;
		// Completers retry until they pass (three tries at most); strugglers stop after one.
		for (let attempt = 0; attempt < (person.plan === 'complete' ? 3 : 1); attempt++) {
			const when = new Date(today.getTime() - person.daysAgo * 86_400_000 + attempt * 3_600_000 - Math.floor(rng() * 8) * 3_600_000);
			const passed = await takeQuiz(db, learner, assignmentId, person.ability - (person.plan === 'struggle' ? 0.25 : 0), rng, when);
			if (passed) break;
		}
	}
	return made.length;
}

/** Chance of a right answer for the questions on 6(3)② (they cite neighbouring sections too). */
const questionEase: Record<string, number> = { 'three-tier-match': 0.3, 'split-route-not-total-block': 0.4, 'internet-file-to-lgwan': 0.5 };
/** Answered at random whatever the person knows: a question that does not discriminate. */
const coinFlipQuestion = 'threat-outsourcing-management';

async function takeQuiz(db: Db, learner: { orgId: string; personId: string }, assignmentId: string, ability: number, rng: Rng, when: Date): Promise<boolean> {
	const started = await startOrResumeAttempt(db, learner, assignmentId, rng, when);
	if (!started.ok) return started.problem === 'completed' || started.problem === 'passed';
	const [row] = await db.select({ layout: attempts.layout }).from(attempts).where(eq(attempts.id, started.attemptId));
	const byId = await questionsOf(db, learner.orgId, row.layout);
	const answers = new Map<string, string[]>();
	for (const { questionId } of row.layout) {
		const q = byId.get(questionId);
		if (!q) continue;
		const right = q.choices.filter((c) => c.correct).map((c) => c.id);
		const wrong = q.choices.filter((c) => !c.correct).map((c) => c.id);
		const ease = questionEase[q.slug] ?? (q.sectionKeys.includes('6.8') ? 0.8 : 0.92);
		const chance = q.slug === coinFlipQuestion ? 0.5 : Math.max(0.05, Math.min(0.98, ease + ability));
		const correct = rng() < chance;
		answers.set(
			q.id,
			correct || wrong.length === 0 ? right : q.type === 'multiple' && right.length > 1 ? right.slice(1) : [wrong[Math.floor(rng() * wrong.length)]]
		);
	}
	await saveAnswers(db, learner, started.attemptId, answers, when);
	const result = await submitAttempt(db, learner, started.attemptId, { now: when, confirmUnanswered: true });
	return result.ok && result.passed;
}

const departmentCodes = ['110', '120', '121', '130', '210', '211', '220', '310', '320', '410', '510', '220'];

// Surnames the other demo people do not use, so a search for one of them finds only them.
const familyNames: [string, string][] = [
	['佐藤', 'サトウ'],
	['鈴木', 'スズキ'],
	['高橋', 'タカハシ'],
	['田中', 'タナカ'],
	['渡辺', 'ワタナベ'],
	['伊藤', 'イトウ'],
	['山本', 'ヤマモト'],
	['中村', 'ナカムラ'],
	['小林', 'コバヤシ'],
	['加藤', 'カトウ'],
	['吉田', 'ヨシダ'],
	['斎藤', 'サイトウ'],
	['佐々木', 'ササキ'],
	['松本', 'マツモト'],
	['井上', 'イノウエ'],
	['木村', 'キムラ']
];

const givenNames: [string, string][] = [
	['一郎', 'イチロウ'],
	['花子', 'ハナコ'],
	['健太', 'ケンタ'],
	['美咲', 'ミサキ'],
	['翔', 'ショウ'],
	['由美', 'ユミ'],
	['誠', 'マコト'],
	['陽子', 'ヨウコ'],
	['大輔', 'ダイスケ'],
	['さくら', 'サクラ'],
	['修', 'オサム'],
	['愛', 'アイ'],
	['直樹', 'ナオキ']
];
