// What a learner sees after submitting: score, pass or not, the next step, and every question with
// the right answer, the explanation and links to the sections it cites.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { assignments, attempts, policies, policySections, policyVersions, responses, type QuestionType } from '../../db/schema';
import { renderStored } from '../../policy/render';
import { isUuid } from '../../db/ids';
import { assignmentWithCourse, attemptFields, firstPassedAttempt, lessonsNotOpened, ownAttempt, questionsOf, type Learner } from './attempts';

export interface ResultChoice {
	id: string;
	text: string;
	correct: boolean;
	selected: boolean;
}

export interface CitedSection {
	key: string;
	/** As the document numbers it, with the heading: 「6 (3) ① マイナンバー利用事務系」; the key when unknown. */
	title: string;
	/** `/policy/{slug}#s-{key}`, or null when the course names no policy. */
	href: string | null;
}

export interface ResultQuestion {
	id: string;
	number: number;
	type: QuestionType;
	stem: string;
	choices: ResultChoice[];
	answered: boolean;
	correct: boolean;
	/** 0..1 */
	score: number;
	/** Sanitised HTML. */
	explanationHtml: string;
	sections: CitedSection[];
}

export interface AttemptResult {
	attemptId: string;
	assignmentId: string;
	number: number;
	submittedAt: Date;
	score: number;
	passed: boolean;
	passMark: number;
	courseTitle: string;
	completed: boolean;
	/** Lessons still to open before a pass completes the assignment. */
	lessonsToOpen: { id: string; slug: string; title: string }[];
	/** Null: unlimited. */
	attemptsLeft: number | null;
	canRetake: boolean;
	questions: ResultQuestion[];
}

/** 6.3.2 → 6, 6.3, 6.3.2: the keys whose labels make up its number. */
const keyPath = (key: string): string[] => key.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));

/** Titles of cited sections from the version in force; 非公開 sections keep only their key. */
async function citedSections(db: DbOrTx, orgId: string, policyId: string | null, slug: string | null, keys: readonly string[]) {
	const wanted = [...new Set(keys.flatMap(keyPath))];
	const rows =
		policyId && wanted.length > 0
			? await db
					.select({ key: policySections.key, label: policySections.label, heading: policySections.heading })
					.from(policySections)
					.innerJoin(policyVersions, eq(policyVersions.id, policySections.versionId))
					.where(
						and(
							eq(policyVersions.policyId, policyId),
							eq(policyVersions.orgId, orgId),
							eq(policyVersions.status, 'published'),
							inArray(policySections.key, wanted),
							isNull(policySections.restrictedTo)
						)
					)
			: [];
	const byKey = new Map(rows.map((r) => [r.key, r]));
	return (key: string): CitedSection => {
		const own = byKey.get(key);
		const number = keyPath(key)
			.map((k) => byKey.get(k)?.label ?? '')
			.filter(Boolean)
			.join(' ');
		const title = own ? [number || key, own.heading].filter(Boolean).join(' ') : key;
		return { key, title, href: slug ? `/policy/${slug}#s-${key}` : null };
	};
}

export async function attemptResult(
	db: DbOrTx,
	learner: Learner,
	attemptId: string
): Promise<{ ok: true; result: AttemptResult } | { ok: false; problem: 'not_found' } | { ok: false; problem: 'not_submitted'; assignmentId: string }> {
	if (!isUuid(attemptId)) return { ok: false, problem: 'not_found' };
	const [attempt] = await db.select(attemptFields).from(attempts).where(ownAttempt(learner, attemptId));
	if (!attempt) return { ok: false, problem: 'not_found' };
	if (!attempt.submittedAt) return { ok: false, problem: 'not_submitted', assignmentId: attempt.assignmentId };
	const [a] = await assignmentWithCourse(db).where(eq(assignments.id, attempt.assignmentId));
	const [policy] = a.policyId
		? await db
				.select({ slug: policies.slug })
				.from(policies)
				.where(and(eq(policies.id, a.policyId), eq(policies.orgId, learner.orgId)))
		: [];
	const byId = await questionsOf(db, learner.orgId, attempt.layout);
	const given = await db
		.select({ questionId: responses.questionId, selected: responses.selected, score: responses.score, correct: responses.correct })
		.from(responses)
		.where(eq(responses.attemptId, attempt.id));
	const responseOf = new Map(given.map((r) => [r.questionId, r]));

	const completed = a.status === 'completed';
	const passedBefore = !attempt.passed && !completed ? await firstPassedAttempt(db, a.id) : null;
	const lessonsToOpen = (attempt.passed || passedBefore) && !completed && a.requireAllLessons ? await lessonsNotOpened(db, a.id, a.courseId) : [];
	const attemptsLeft = a.maxAttempts === null ? null : Math.max(0, a.maxAttempts - a.attemptCount);

	const cited = await citedSections(
		db,
		learner.orgId,
		a.policyId,
		policy?.slug ?? null,
		[...byId.values()].flatMap((q) => q.sectionKeys)
	);
	const explanations = new Map([...byId.values()].map((q) => [q.id, q.explanation]));
	const rendered = await renderStored([...explanations.values()]);
	const explanationHtml = new Map([...explanations.keys()].map((id, i) => [id, rendered[i].html]));
	const resultQuestions = attempt.layout.flatMap(({ questionId, choiceIds }, i): ResultQuestion[] => {
		const q = byId.get(questionId);
		if (!q) return [];
		const response = responseOf.get(questionId);
		const selected = new Set(response?.selected ?? []);
		const choiceOf = new Map(q.choices.map((c) => [c.id, c]));
		return [
			{
				id: q.id,
				number: i + 1,
				type: q.type,
				stem: q.stem,
				choices: choiceIds.flatMap((id) => {
					const c = choiceOf.get(id);
					return c ? [{ id, text: c.text, correct: c.correct, selected: selected.has(id) }] : [];
				}),
				answered: selected.size > 0,
				correct: response?.correct ?? false,
				score: response?.score ?? 0,
				explanationHtml: explanationHtml.get(q.id) ?? '',
				sections: q.sectionKeys.map(cited)
			}
		];
	});
	return {
		ok: true,
		result: {
			attemptId: attempt.id,
			assignmentId: attempt.assignmentId,
			number: attempt.number,
			submittedAt: attempt.submittedAt,
			score: attempt.score ?? 0,
			passed: attempt.passed ?? false,
			passMark: a.passMark,
			courseTitle: a.courseTitle,
			completed,
			lessonsToOpen,
			attemptsLeft,
			canRetake: !completed && !attempt.passed && !passedBefore && attemptsLeft !== 0,
			questions: resultQuestions
		}
	};
}
