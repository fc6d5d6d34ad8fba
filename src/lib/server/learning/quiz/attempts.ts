// A learner's quiz attempts: start or resume, autosave, submit (graded once), completion.
// Every function is scoped to the caller's organisation and to their own assignment.
import { and, asc, eq, inArray, isNull, sql, type Placeholder } from 'drizzle-orm';
import { preparedPerDb, rowsOf, type DbOrTx } from '../../db/client';
import { assignments, attempts, campaigns, courses, lessons, lessonViews, questions, responses, type QuestionType } from '../../db/schema';
import { recordAudit } from '../../audit/log';
// Ids come from URLs and forms; anything but a uuid would make PostgreSQL throw.
import { isUuid } from '../../db/ids';
import { checkAnswers, unansweredNumbers, type AnswerProblem, type Answers } from './answers';
import { drawLayout, randomSeed, seededRng, type AttemptLayout, type Rng } from './draw';
import { gradeAttempt } from './grade';
import { addAnswerStats } from './stats';

/** The person taking the quiz; `ip` goes to the audit log. */
export interface Learner {
	orgId: string;
	personId: string;
	ip?: string | null;
}

const notFound = { ok: false, problem: 'not_found' } as const;

/** What every reader of an attempt needs of its row. */
export const attemptFields = {
	id: attempts.id,
	assignmentId: attempts.assignmentId,
	number: attempts.number,
	layout: attempts.layout,
	submittedAt: attempts.submittedAt,
	score: attempts.score,
	passed: attempts.passed
};

/** The learner's own attempt, by id; the values may be placeholders of a prepared query. */
export const ownAttempt = (learner: { orgId: string | Placeholder; personId: string | Placeholder }, attemptId: string | Placeholder) =>
	and(eq(attempts.id, attemptId), eq(attempts.orgId, learner.orgId), eq(attempts.personId, learner.personId));

const assignmentWithCourseFields = {
	id: assignments.id,
	orgId: assignments.orgId,
	personId: assignments.personId,
	status: assignments.status,
	attemptCount: assignments.attemptCount,
	completingAttemptId: assignments.completingAttemptId,
	campaignId: assignments.campaignId,
	departmentId: assignments.departmentId,
	employmentType: assignments.employmentType,
	courseId: courses.id,
	courseTitle: courses.title,
	policyId: courses.policyId,
	passMark: courses.passMark,
	drawCount: courses.drawCount,
	maxAttempts: courses.maxAttempts,
	requireAllLessons: courses.requireAllLessons
};

/** An assignment with what the quiz needs of its course. */
export function assignmentWithCourse(db: DbOrTx) {
	return db
		.select(assignmentWithCourseFields)
		.from(assignments)
		.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
		.innerJoin(courses, eq(courses.id, campaigns.courseId));
}

async function openAttempt(db: DbOrTx, assignmentId: string) {
	const [row] = await db
		.select({ id: attempts.id, number: attempts.number })
		.from(attempts)
		.where(and(eq(attempts.assignmentId, assignmentId), isNull(attempts.submittedAt)));
	return row ?? null;
}

/** The first passing attempt: the one that completes the assignment once the lessons are read. */
export async function firstPassedAttempt(db: DbOrTx, assignmentId: string): Promise<string | null> {
	const [row] = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(and(eq(attempts.assignmentId, assignmentId), eq(attempts.passed, true)))
		.orderBy(asc(attempts.number))
		.limit(1);
	return row?.id ?? null;
}

async function latestAttempt(db: DbOrTx, assignmentId: string): Promise<string | null> {
	const [row] = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(eq(attempts.assignmentId, assignmentId))
		.orderBy(sql`${attempts.number} desc`)
		.limit(1);
	return row?.id ?? null;
}

/** Active lessons of the course the assignment has not opened yet, in course order. */
export function lessonsNotOpened(db: DbOrTx, assignmentId: string, courseId: string, limit = 1000) {
	return db
		.select({ id: lessons.id, slug: lessons.slug, title: lessons.title })
		.from(lessons)
		.where(
			and(
				eq(lessons.courseId, courseId),
				eq(lessons.active, true),
				sql`not exists (select 1 from ${lessonViews} where ${lessonViews.assignmentId} = ${assignmentId} and ${lessonViews.lessonId} = ${lessons.id})`
			)
		)
		.orderBy(asc(lessons.position))
		.limit(limit);
}

async function lessonsDone(db: DbOrTx, a: { id: string; courseId: string; requireAllLessons: boolean }): Promise<boolean> {
	return !a.requireAllLessons || (await lessonsNotOpened(db, a.id, a.courseId, 1)).length === 0;
}

/** Marks the assignment completed by this attempt; a second call changes nothing. */
async function markCompleted(tx: DbOrTx, a: { id: string; orgId: string; personId: string }, attemptId: string, now: Date): Promise<void> {
	const changed = await tx
		.update(assignments)
		.set({ status: 'completed', completedAt: now, completingAttemptId: attemptId })
		.where(and(eq(assignments.id, a.id), sql`${assignments.status} <> 'completed'`))
		.returning({ id: assignments.id });
	if (changed.length > 0) {
		await recordAudit(
			tx,
			{ orgId: a.orgId, personId: a.personId },
			{
				action: 'learning.complete',
				targetType: 'assignment',
				targetId: a.id,
				detail: { attemptId }
			}
		);
	}
}

export type StartResult =
	| { ok: true; attemptId: string; number: number; resumed: boolean }
	| { ok: false; problem: 'not_found' | 'no_questions' }
	/** `attemptId`: the attempt whose result to show instead (completing, passing or last one). */
	| { ok: false; problem: 'completed' | 'passed' | 'max_attempts'; attemptId: string | null };

/**
 * The open attempt, or a new one with its questions and choice orders drawn now. Two starts at
 * once (two tabs, a double click) meet at the one-open-attempt index and share one attempt.
 */
export async function startOrResumeAttempt(
	db: DbOrTx,
	learner: Learner,
	assignmentId: string,
	rng: Rng = seededRng(randomSeed()),
	now = new Date()
): Promise<StartResult> {
	if (!isUuid(assignmentId)) return notFound;
	return db.transaction(async (tx): Promise<StartResult> => {
		// The open attempt and the first passed one come with the assignment: one round trip for
		// what every visit to the quiz page asks.
		const [a] = await tx
			.select({
				...assignmentWithCourseFields,
				openId: sql<
					string | null
				>`(select ${attempts.id} from ${attempts} where ${attempts.assignmentId} = ${assignments.id} and ${attempts.submittedAt} is null)`,
				openNumber: sql<
					number | null
				>`(select ${attempts.number} from ${attempts} where ${attempts.assignmentId} = ${assignments.id} and ${attempts.submittedAt} is null)`,
				passedId: sql<
					string | null
				>`(select ${attempts.id} from ${attempts} where ${attempts.assignmentId} = ${assignments.id} and ${attempts.passed} order by ${attempts.number} limit 1)`
			})
			.from(assignments)
			.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
			.innerJoin(courses, eq(courses.id, campaigns.courseId))
			.where(and(eq(assignments.id, assignmentId), eq(assignments.orgId, learner.orgId), eq(assignments.personId, learner.personId)));
		if (!a) return notFound;
		if (a.status === 'completed') return { ok: false, problem: 'completed', attemptId: a.completingAttemptId };
		if (a.openId) return { ok: true, attemptId: a.openId, number: Number(a.openNumber), resumed: true };
		// Passed but lessons still unread: the result says what remains; no retake is needed.
		if (a.passedId) return { ok: false, problem: 'passed', attemptId: a.passedId };
		if (a.maxAttempts !== null && a.attemptCount >= a.maxAttempts) {
			return { ok: false, problem: 'max_attempts', attemptId: await latestAttempt(tx, a.id) };
		}
		const pool = await tx
			.select({ id: questions.id, type: questions.type, choices: questions.choices, sectionKeys: questions.sectionKeys })
			.from(questions)
			.where(and(eq(questions.courseId, a.courseId), eq(questions.orgId, learner.orgId), eq(questions.active, true)))
			.orderBy(asc(questions.position));
		if (pool.length === 0) return { ok: false, problem: 'no_questions' };
		const layout = drawLayout(pool, a.drawCount > 0 ? a.drawCount : pool.length, rng);
		const [created] = await tx
			.insert(attempts)
			.values({
				orgId: learner.orgId,
				assignmentId: a.id,
				personId: learner.personId,
				number: sql`(select coalesce(max(${attempts.number}), 0) + 1 from ${attempts} where ${attempts.assignmentId} = ${a.id})`,
				layout,
				startedAt: now
			})
			// Any unique clash means another start won the race: resume that one.
			.onConflictDoNothing()
			.returning({ id: attempts.id, number: attempts.number });
		if (!created) {
			const other = await openAttempt(tx, a.id);
			if (!other) throw new Error(`attempt for assignment ${a.id} neither created nor found`);
			return { ok: true, attemptId: other.id, number: other.number, resumed: true };
		}
		await tx
			.update(assignments)
			.set({
				status: sql`case when ${assignments.status} = 'not_started' then 'in_progress'::assignment_status else ${assignments.status} end`,
				startedAt: sql`coalesce(${assignments.startedAt}, ${now.toISOString()}::timestamptz)`,
				lastActivityAt: now
			})
			.where(eq(assignments.id, a.id));
		await recordAudit(tx, learner, {
			action: 'quiz.start',
			targetType: 'attempt',
			targetId: created.id,
			detail: { assignmentId: a.id, number: created.number, questions: layout.length }
		});
		return { ok: true, attemptId: created.id, number: created.number, resumed: false };
	});
}

export interface FormQuestion {
	id: string;
	/** 1-based, as shown: 問1. */
	number: number;
	type: QuestionType;
	stem: string;
	/** In the attempt's order; never with the right answer before the submit. */
	choices: { id: string; text: string }[];
	selected: string[];
}

export interface AttemptForm {
	attemptId: string;
	assignmentId: string;
	number: number;
	submitted: boolean;
	courseTitle: string;
	passMark: number;
	questions: FormQuestion[];
	answered: number;
}

/** The attempt as a form: questions and choices in the attempt's order, with the saved selections. */
export async function loadAttemptForm(db: DbOrTx, learner: Learner, attemptId: string): Promise<AttemptForm | null> {
	if (!isUuid(attemptId)) return null;
	const [attempt] = await db
		.select({ ...attemptFields, courseTitle: courses.title, passMark: courses.passMark })
		.from(attempts)
		.innerJoin(assignments, eq(assignments.id, attempts.assignmentId))
		.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(ownAttempt(learner, attemptId));
	if (!attempt) return null;
	const byId = await questionsOf(db, learner.orgId, attempt.layout);
	const saved = await db.select({ questionId: responses.questionId, selected: responses.selected }).from(responses).where(eq(responses.attemptId, attempt.id));
	const selectedOf = new Map(saved.map((r) => [r.questionId, r.selected]));
	const formQuestions = attempt.layout.flatMap(({ questionId, choiceIds }, i): FormQuestion[] => {
		const q = byId.get(questionId);
		if (!q) return [];
		const textOf = new Map(q.choices.map((c) => [c.id, c.text]));
		return [
			{
				id: q.id,
				number: i + 1,
				type: q.type,
				stem: q.stem,
				choices: choiceIds.filter((id) => textOf.has(id)).map((id) => ({ id, text: textOf.get(id)! })),
				selected: selectedOf.get(q.id) ?? []
			}
		];
	});
	return {
		attemptId: attempt.id,
		assignmentId: attempt.assignmentId,
		number: attempt.number,
		submitted: attempt.submittedAt !== null,
		courseTitle: attempt.courseTitle,
		passMark: attempt.passMark,
		questions: formQuestions,
		answered: formQuestions.filter((q) => q.selected.length > 0).length
	};
}

/** The layout's questions with their content (inactive ones too: the attempt already shows them). */
export async function questionsOf(db: DbOrTx, orgId: string, layout: AttemptLayout) {
	const ids = layout.map((q) => q.questionId);
	if (ids.length === 0) return new Map<string, typeof questions.$inferSelect>();
	const rows = await db
		.select()
		.from(questions)
		.where(and(inArray(questions.id, ids), eq(questions.orgId, orgId)));
	return new Map(rows.map((q) => [q.id, q]));
}

/** Types of the questions whose answer names several choices: only those need checking. */
async function typesForCheck(db: DbOrTx, orgId: string, layout: AttemptLayout, answers: Answers) {
	const inLayout = new Set(layout.map((q) => q.questionId));
	const ids = [...answers].filter(([id, selected]) => selected.length > 1 && inLayout.has(id)).map(([id]) => id);
	if (ids.length === 0) return new Map<string, QuestionType>();
	const rows = await db
		.select({ id: questions.id, type: questions.type })
		.from(questions)
		.where(and(inArray(questions.id, ids), eq(questions.orgId, orgId)));
	return new Map(rows.map((r) => [r.id, r.type]));
}

/**
 * Selections split into the questions to clear (an empty selection removes the answer) and the
 * answers to store, sorted by question so that concurrent writers lock rows in one order.
 */
function splitSelections(answers: ReadonlyMap<string, readonly string[]>) {
	const entries = [...answers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return { cleared: entries.filter(([, s]) => s.length === 0).map(([id]) => id), given: entries.filter(([, s]) => s.length > 0) };
}

/** Stores selections as given: an empty one removes the answer. */
async function writeSelections(tx: DbOrTx, attemptId: string, answers: ReadonlyMap<string, readonly string[]>, now: Date) {
	const { cleared, given } = splitSelections(answers);
	if (cleared.length > 0) {
		await tx.delete(responses).where(and(eq(responses.attemptId, attemptId), inArray(responses.questionId, cleared)));
	}
	if (given.length > 0) {
		await tx
			.insert(responses)
			.values(given.map(([questionId, selected]) => ({ attemptId, questionId, selected: [...selected], savedAt: now })))
			.onConflictDoUpdate({
				target: [responses.attemptId, responses.questionId],
				set: { selected: sql`excluded.selected`, savedAt: sql`excluded.saved_at` }
			});
	}
}

/**
 * The answers of an open attempt, written in one statement: the attempt row is share-locked by the
 * statement itself, so a save and a submit of the same attempt never interleave (an answer is either
 * graded or refused as late), and nothing is written once the attempt is submitted. An empty
 * selection removes the answer. Returns whether the attempt was still open.
 */
async function writeToOpenAttempt(db: DbOrTx, attemptId: string, answers: ReadonlyMap<string, readonly string[]>, now: Date) {
	const { cleared, given } = splitSelections(answers);
	const at = sql`${now.toISOString()}::timestamptz`;
	const rows =
		given.length > 0
			? sql.join(
					given.map(([id, selected]) => sql`(${id}::uuid, ${sql.param([...selected])}::text[])`),
					sql`, `
				)
			: null;
	const [row] = await rowsOf<{ open: number }>(
		db,
		sql`
		with locked as (
			select ${attempts.id} as id, ${attempts.assignmentId} as assignment_id, ${attempts.submittedAt} as submitted_at from ${attempts}
			where ${attempts.id} = ${attemptId}
			for share
		), open as (
			-- Checked after the lock, on the row as a submit that held it left it. (Inside the
			-- locking query this condition would make the planner scan every open attempt through
			-- the one-open-attempt index instead of reading one row by its key.)
			select id, assignment_id from locked where submitted_at is null
		), cleared as (
			delete from ${responses} where ${responses.attemptId} = (select id from open) and ${responses.questionId} = any(${sql.param(cleared)}::uuid[])
		)${
			rows
				? sql`, given as (
			insert into ${responses} (attempt_id, question_id, selected, saved_at)
			select open.id, t.question_id, t.selected, ${at} from open, (values ${rows}) as t(question_id, selected)
			on conflict (attempt_id, question_id) do update set selected = excluded.selected, saved_at = excluded.saved_at
		)`
				: sql``
		}, touched as (
			update ${assignments} set last_activity_at = ${at} where ${assignments.id} = (select assignment_id from open)
		)
		select count(*)::int as open from open`
	);
	return Number(row?.open ?? 0) > 0;
}

// Prepared: an autosave every few seconds from everyone taking the quiz.
const attemptToSave = preparedPerDb((db) =>
	db
		.select({ id: attempts.id, layout: attempts.layout, submittedAt: attempts.submittedAt })
		.from(attempts)
		.where(ownAttempt({ orgId: sql.placeholder('orgId'), personId: sql.placeholder('personId') }, sql.placeholder('attemptId')))
		.prepare('mamori_attempt_to_save')
);

export type SaveResult = { ok: true; savedAt: Date } | { ok: false; problem: 'not_found' | 'submitted' | AnswerProblem };

/**
 * Autosave: the attempt is read without a lock (its layout never changes) to check the answers,
 * then written in one statement that locks it and writes only while it is open.
 */
export async function saveAnswers(db: DbOrTx, learner: Learner, attemptId: string, answers: Answers, now = new Date()): Promise<SaveResult> {
	if (!isUuid(attemptId)) return notFound;
	const [attempt] = await attemptToSave(db).execute({ attemptId, orgId: learner.orgId, personId: learner.personId });
	if (!attempt) return notFound;
	if (attempt.submittedAt) return { ok: false, problem: 'submitted' };
	const checked = checkAnswers(attempt.layout, await typesForCheck(db, learner.orgId, attempt.layout, answers), answers);
	if (!checked.ok) return { ok: false, problem: checked.problem };
	// Submitted between the read and the write (another tab): nothing was written.
	if (!(await writeToOpenAttempt(db, attempt.id, checked.answers, now))) return { ok: false, problem: 'submitted' };
	return { ok: true, savedAt: now };
}

/** One answer: the autosave of one question. */
export function saveAnswer(db: DbOrTx, learner: Learner, attemptId: string, questionId: string, selected: readonly string[], now = new Date()) {
	return saveAnswers(db, learner, attemptId, new Map([[questionId, selected]]), now);
}

export type SubmitResult =
	| { ok: true; attemptId: string; score: number; passed: boolean; completed: boolean; alreadySubmitted: boolean }
	| { ok: false; problem: 'not_found' | AnswerProblem }
	/** Nothing graded; the answers sent were saved. `unanswered`: 1-based question numbers. */
	| { ok: false; problem: 'unanswered'; unanswered: number[] };

export interface SubmitOptions {
	/** Final answers sent with the submit (the form without JavaScript sends them all). */
	answers?: Answers;
	/** Submit even with unanswered questions (「このまま送信する」). */
	confirmUnanswered?: boolean;
	now?: Date;
}

/**
 * Grades the attempt once, in one transaction: the attempt row is locked first, so of two submits
 * at once the second waits and then returns the first one's result. Updates the assignment
 * (count, best score, completion) and the answer statistics by increments only.
 */
export async function submitAttempt(db: DbOrTx, learner: Learner, attemptId: string, options: SubmitOptions = {}): Promise<SubmitResult> {
	if (!isUuid(attemptId)) return notFound;
	const now = options.now ?? new Date();
	return db.transaction(async (tx): Promise<SubmitResult> => {
		const [attempt] = await tx.select(attemptFields).from(attempts).where(ownAttempt(learner, attemptId)).for('update');
		if (!attempt) return notFound;
		// Read after the lock, so a submit that waited sees what the first one wrote.
		const [a] = await assignmentWithCourse(tx).where(eq(assignments.id, attempt.assignmentId));
		if (attempt.submittedAt) {
			return {
				ok: true,
				attemptId: attempt.id,
				score: attempt.score ?? 0,
				passed: attempt.passed ?? false,
				completed: a.status === 'completed',
				alreadySubmitted: true
			};
		}
		const byId = await questionsOf(tx, learner.orgId, attempt.layout);
		const checked = checkAnswers(attempt.layout, new Map([...byId].map(([id, q]) => [id, q.type])), options.answers ?? new Map());
		if (!checked.ok) return { ok: false, problem: checked.problem };
		const saved = await tx
			.select({ questionId: responses.questionId, selected: responses.selected, savedAt: responses.savedAt })
			.from(responses)
			.where(eq(responses.attemptId, attempt.id));
		const selections = new Map<string, readonly string[]>(saved.map((r) => [r.questionId, r.selected]));
		for (const [id, selected] of checked.answers) selections.set(id, selected);

		const unanswered = unansweredNumbers(attempt.layout, selections);
		if (unanswered.length > 0 && !options.confirmUnanswered) {
			await writeSelections(tx, attempt.id, checked.answers, now);
			await tx.update(assignments).set({ lastActivityAt: now }).where(eq(assignments.id, a.id));
			return { ok: false, problem: 'unanswered', unanswered };
		}

		const grade = gradeAttempt(attempt.layout, byId, selections, a.passMark);
		const savedAtOf = new Map(saved.map((r) => [r.questionId, r.savedAt]));
		await writeSelections(tx, attempt.id, new Map([...checked.answers].filter(([, s]) => s.length === 0)), now);
		const graded = grade.perQuestion.filter((q) => q.answered);
		if (graded.length > 0) {
			await tx
				.insert(responses)
				.values(
					graded.map((q) => ({
						attemptId: attempt.id,
						questionId: q.questionId,
						selected: q.selected,
						score: q.score,
						correct: q.correct,
						savedAt: checked.answers.has(q.questionId) ? now : (savedAtOf.get(q.questionId) ?? now)
					}))
				)
				.onConflictDoUpdate({
					target: [responses.attemptId, responses.questionId],
					set: { selected: sql`excluded.selected`, savedAt: sql`excluded.saved_at`, score: sql`excluded.score`, correct: sql`excluded.correct` }
				});
		}
		await tx.update(attempts).set({ submittedAt: now, score: grade.score, passed: grade.passed }).where(eq(attempts.id, attempt.id));
		// This update takes the assignment's row lock before the lessons are checked, so a lesson
		// opened meanwhile is seen either here or by completeIfReady.
		await tx
			.update(assignments)
			.set({
				attemptCount: sql`${assignments.attemptCount} + 1`,
				bestScore: sql`greatest(${assignments.bestScore}, ${grade.score}::real)`,
				lastActivityAt: now
			})
			.where(eq(assignments.id, a.id));
		let completed = a.status === 'completed';
		if (grade.passed && !completed && (await lessonsDone(tx, a))) {
			await markCompleted(tx, a, attempt.id, now);
			completed = true;
		}
		await addAnswerStats(
			tx,
			a,
			grade.perQuestion.flatMap((q) => {
				const question = byId.get(q.questionId);
				return question ? [{ questionId: q.questionId, sectionKeys: question.sectionKeys, correct: q.correct, score: q.score }] : [];
			}),
			now
		);
		await recordAudit(tx, learner, {
			action: 'quiz.submit',
			targetType: 'attempt',
			targetId: attempt.id,
			detail: { assignmentId: a.id, number: attempt.number, score: grade.score, passed: grade.passed, completed }
		});
		return { ok: true, attemptId: attempt.id, score: grade.score, passed: grade.passed, completed, alreadySubmitted: false };
	});
}

/**
 * Completes the assignment when it has a passing attempt and, where the course asks for it, every
 * active lesson has been opened. The lesson page calls it after recording a view.
 */
export async function completeIfReady(db: DbOrTx, assignmentId: string, now = new Date()): Promise<{ completed: boolean }> {
	if (!isUuid(assignmentId)) return { completed: false };
	return db.transaction(async (tx) => {
		const [locked] = await tx.select({ id: assignments.id }).from(assignments).where(eq(assignments.id, assignmentId)).for('update');
		if (!locked) return { completed: false };
		const [a] = await assignmentWithCourse(tx).where(eq(assignments.id, assignmentId));
		if (a.status === 'completed') return { completed: true };
		const passedId = await firstPassedAttempt(tx, a.id);
		if (!passedId || !(await lessonsDone(tx, a))) return { completed: false };
		await markCompleted(tx, a, passedId, now);
		return { completed: true };
	});
}
