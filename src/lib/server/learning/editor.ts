// Policy owners edit a course's lessons and questions in the app, and move its question pool to
// and from the GIFT question format. Every query is scoped by organisation; every write is audited in
// its own transaction; a refused edit writes nothing.
import { and, asc, eq, max, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { courses, lessons, policies, questions } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/log';
import { sectionReferences } from '../policy/references';
import { isUuid } from '../db/ids';
import { checkSectionList, ErrorList, splitLines, splitList, type ContentError } from '../text/labelled';
import type { Parsed, ParsedQuestion } from './content/parse-course';
import { formatQuestions } from './content/format-questions';
import { policyInForce } from './content/policy-sections';
import { sameQuestion } from './content/sync';
import { exportGift } from './gift';
import { OffThreadTimeout, runOffThread } from '../text/off-thread';
import { markdownBoundsProblem } from '../text/bounds';

/** GIFT uploads and edited texts larger than this are refused unread. */
export const courseEditMaxBytes = 1024 * 1024;

export interface EditorActor extends AuditActor {
	orgId: string;
	personId: string;
}

/** A problem with a line number within the edited text (1-based). */
export type EditError = Pick<ContentError, 'line' | 'message'>;

type CourseRow = typeof courses.$inferSelect;
type QuestionRow = typeof questions.$inferSelect;

export async function listCourses(db: DbOrTx, orgId: string) {
	return db
		.select({
			id: courses.id,
			slug: courses.slug,
			title: courses.title,
			description: courses.description,
			updatedAt: courses.updatedAt,
			// 要見直し lessons and questions, so owners see where a revision left work.
			// Spelled out: drizzle leaves a lone table's columns unqualified, which the subquery would misread.
			needsReview: sql<number>`(select count(*)::int from ${lessons} l where l.course_id = courses.id and l.active and l.needs_review)
				+ (select count(*)::int from ${questions} q where q.course_id = courses.id and q.active and q.needs_review)`
		})
		.from(courses)
		.where(eq(courses.orgId, orgId))
		.orderBy(asc(courses.title), asc(courses.slug));
}

async function findCourse(db: DbOrTx, orgId: string, courseId: string): Promise<CourseRow | null> {
	if (!isUuid(courseId)) return null;
	const [row] = await db
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.id, courseId)));
	return row ?? null;
}

/** The section keys of the course policy's version in force; null when there is none to check against. */
async function policyKeys(db: DbOrTx, course: CourseRow): Promise<{ keys: Set<string>; label: string } | null> {
	if (!course.policyId) return null;
	const [policy] = await db
		.select({ slug: policies.slug })
		.from(policies)
		.where(and(eq(policies.orgId, course.orgId), eq(policies.id, course.policyId)));
	const inForce = policy ? await policyInForce(db, course.orgId, policy.slug) : null;
	if (!inForce?.version) return null;
	return { keys: new Set(inForce.sections.map((s) => s.key)), label: `${policy.slug} 第${inForce.version.version}版` };
}

function unknownKeys(keys: readonly string[], policy: { keys: Set<string> } | null): string[] {
	return policy ? keys.filter((k) => !policy.keys.has(k)) : [];
}

const questionFields = (q: Pick<QuestionRow, 'type' | 'stem' | 'choices' | 'explanation' | 'sectionKeys'>) => ({
	type: q.type,
	stem: q.stem,
	choices: q.choices,
	explanation: q.explanation,
	sectionKeys: q.sectionKeys
});

export async function courseForEditing(db: DbOrTx, orgId: string, courseId: string) {
	const course = await findCourse(db, orgId, courseId);
	if (!course) return null;
	const lessonRows = await db
		.select({
			id: lessons.id,
			slug: lessons.slug,
			title: lessons.title,
			body: lessons.body,
			sectionKeys: lessons.sectionKeys,
			needsReview: lessons.needsReview
		})
		.from(lessons)
		.where(and(eq(lessons.courseId, course.id), eq(lessons.active, true)))
		.orderBy(asc(lessons.position));
	const questionRows = await db
		.select()
		.from(questions)
		.where(and(eq(questions.courseId, course.id), eq(questions.active, true)))
		.orderBy(asc(questions.position));
	// The cited keys as the policy in force cites them (6(3)②), for the lists.
	const keys = [...new Set([...lessonRows, ...questionRows].flatMap((r) => r.sectionKeys))];
	const citations = Object.fromEntries((await sectionReferences(db, orgId, course.policyId, keys)).map((r) => [r.key, r.citation]));
	return {
		course: { id: course.id, slug: course.slug, title: course.title, description: course.description },
		citations,
		lessons: lessonRows,
		questions: questionRows.map((q) => ({ id: q.id, slug: q.slug, needsReview: q.needsReview, ...questionFields(q) }))
	};
}

// ---------------------------------------------------------------------------------------------
// Lessons

export interface LessonInput {
	title: string;
	body: string;
	sectionKeys: string[];
}

export type LessonProblem = 'not_found' | 'title' | 'body' | 'sections' | 'unknown_sections' | 'line_too_long' | 'too_deep';
export type LessonCheck = { ok: true } | { ok: false; problem: LessonProblem; keys?: string[]; line?: number; max?: number };

async function findLesson(db: DbOrTx, orgId: string, courseId: string, lessonId: string) {
	if (!isUuid(lessonId) || !isUuid(courseId)) return null;
	const [row] = await db
		.select()
		.from(lessons)
		.where(and(eq(lessons.orgId, orgId), eq(lessons.courseId, courseId), eq(lessons.id, lessonId), eq(lessons.active, true)));
	return row ?? null;
}

export async function lessonForEditing(db: DbOrTx, orgId: string, courseId: string, lessonId: string) {
	const lesson = await findLesson(db, orgId, courseId, lessonId);
	return (
		lesson && { id: lesson.id, slug: lesson.slug, title: lesson.title, body: lesson.body, sectionKeys: lesson.sectionKeys, needsReview: lesson.needsReview }
	);
}

/** Checks an edited lesson against the rules the content files follow; writes nothing. */
export async function checkLesson(db: DbOrTx, orgId: string, courseId: string, lessonId: string, input: LessonInput): Promise<LessonCheck> {
	const lesson = await findLesson(db, orgId, courseId, lessonId);
	const course = lesson && (await findCourse(db, orgId, lesson.courseId));
	if (!lesson || !course) return { ok: false, problem: 'not_found' };
	if (!input.title.trim()) return { ok: false, problem: 'title' };
	if (!input.body.trim()) return { ok: false, problem: 'body' };
	// The body is rendered for every learner: no line past the bound, no nesting deeper than a lesson needs.
	const bounds = markdownBoundsProblem(input.body.trim());
	if (bounds) return { ok: false, problem: bounds.kind, line: bounds.line, max: bounds.max };
	const errors = new ErrorList('lesson');
	checkSectionList(input.sectionKeys, 1, errors);
	if (errors.errors.length) return { ok: false, problem: 'sections' };
	const unknown = unknownKeys(input.sectionKeys, await policyKeys(db, course));
	if (unknown.length) return { ok: false, problem: 'unknown_sections', keys: unknown };
	return { ok: true };
}

/** Section keys as typed in a form: `6.3.1, 2.8`. */
export const readSectionKeys = splitList;

export async function updateLesson(db: Db, actor: EditorActor, lessonId: string, input: LessonInput): Promise<LessonCheck> {
	const before = isUuid(lessonId)
		? (
				await db
					.select()
					.from(lessons)
					.where(and(eq(lessons.orgId, actor.orgId), eq(lessons.id, lessonId)))
			)[0]
		: undefined;
	if (!before) return { ok: false, problem: 'not_found' };
	const checked = await checkLesson(db, actor.orgId, before.courseId, lessonId, input);
	if (!checked.ok) return checked;
	const after = { title: input.title.trim(), body: input.body.trim(), sectionKeys: input.sectionKeys };
	await db.transaction(async (tx) => {
		await tx
			.update(lessons)
			.set({ ...after, needsReview: false, updatedAt: new Date() })
			.where(eq(lessons.id, before.id));
		await recordAudit(tx, actor, {
			action: 'lesson.update',
			targetType: 'lesson',
			targetId: before.id,
			detail: {
				course: before.courseId,
				slug: before.slug,
				before: { title: before.title, body: before.body, sectionKeys: before.sectionKeys },
				after,
				reviewCleared: before.needsReview
			}
		});
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Questions

async function findQuestion(db: DbOrTx, orgId: string, courseId: string, questionId: string): Promise<QuestionRow | null> {
	if (!isUuid(questionId) || !isUuid(courseId)) return null;
	const [row] = await db
		.select()
		.from(questions)
		.where(and(eq(questions.orgId, orgId), eq(questions.courseId, courseId), eq(questions.id, questionId), eq(questions.active, true)));
	return row ?? null;
}

/** One question as the owner edits it: a block in the questions.md format. */
export async function questionForEditing(db: DbOrTx, orgId: string, courseId: string, questionId: string) {
	const q = await findQuestion(db, orgId, courseId, questionId);
	return q && { id: q.id, slug: q.slug, text: formatQuestions([q]), needsReview: q.needsReview };
}

export type QuestionCheck = { ok: true; question: ParsedQuestion } | { ok: false; notFound: true } | { ok: false; notFound?: false; errors: EditError[] };

const lineErrors = (errors: readonly ContentError[]): EditError[] => errors.map(({ line, message }) => ({ line, message }));

/**
 * Question text (the questions.md format or GIFT) read on the text worker: a megabyte of it takes
 * long enough to hold up every other request. A read past the time budget is an error of line 1.
 */
async function parseOffThread(task: 'questions.parse' | 'gift.import', text: string): Promise<Parsed<ParsedQuestion[]>> {
	try {
		return await runOffThread(task, text);
	} catch (error) {
		if (!(error instanceof OffThreadTimeout)) throw error;
		const message = '読み取りに時間がかかりすぎたため中止しました / reading the text took too long and was stopped';
		return { value: [], errors: [{ file: 'question', line: 1, message }] };
	}
}

/** Reads an edited block and checks it against the question and the course policy; writes nothing. */
async function checkQuestionText(db: DbOrTx, orgId: string, row: QuestionRow, text: string): Promise<QuestionCheck> {
	const parsed = await parseOffThread('questions.parse', text);
	if (parsed.errors.length) return { ok: false, errors: lineErrors(parsed.errors) };
	if (parsed.value.length !== 1) return { ok: false, errors: [{ line: 1, message: `write exactly one question, not ${parsed.value.length}` }] };
	const [q] = parsed.value;
	if (q.slug !== row.slug) {
		const idLine = splitLines(text).findIndex((l) => /^id[:：]/.test(l)) + 1;
		return { ok: false, errors: [{ line: idLine || q.line, message: `the id is "${row.slug}" and cannot be changed (answers and statistics point at it)` }] };
	}
	const course = await findCourse(db, orgId, row.courseId);
	const policy = course && (await policyKeys(db, course));
	const unknown = unknownKeys(q.sectionKeys, policy);
	if (policy && unknown.length)
		return { ok: false, errors: [{ line: q.sectionsLine, message: `cites ${unknown.join(', ')}, not a section of ${policy.label}` }] };
	return { ok: true, question: q };
}

export async function checkQuestion(db: DbOrTx, orgId: string, courseId: string, questionId: string, text: string): Promise<QuestionCheck> {
	const row = await findQuestion(db, orgId, courseId, questionId);
	if (!row) return { ok: false, notFound: true };
	return checkQuestionText(db, orgId, row, text);
}

export async function updateQuestion(db: Db, actor: EditorActor, questionId: string, text: string): Promise<QuestionCheck> {
	const row = isUuid(questionId)
		? (
				await db
					.select()
					.from(questions)
					.where(and(eq(questions.orgId, actor.orgId), eq(questions.id, questionId), eq(questions.active, true)))
			)[0]
		: undefined;
	if (!row) return { ok: false, notFound: true };
	const checked = await checkQuestionText(db, actor.orgId, row, text);
	if (!checked.ok) return checked;
	const after = questionFields(checked.question);
	await db.transaction(async (tx) => {
		await tx
			.update(questions)
			.set({ ...after, needsReview: false, updatedAt: new Date() })
			.where(eq(questions.id, row.id));
		await recordAudit(tx, actor, {
			action: 'question.update',
			targetType: 'question',
			targetId: row.id,
			detail: { course: row.courseId, slug: row.slug, before: questionFields(row), after, reviewCleared: row.needsReview }
		});
	});
	return checked;
}

// ---------------------------------------------------------------------------------------------
// 要見直し

/**
 * The owner has looked at a flagged lesson or question and it still holds: clears 要見直し without
 * an edit. `changed` is false when it was not flagged.
 */
export async function clearNeedsReview(
	db: Db,
	actor: EditorActor,
	courseId: string,
	kind: 'lesson' | 'question',
	itemId: string
): Promise<{ ok: true; changed: boolean } | { ok: false; notFound: true }> {
	if (!isUuid(courseId) || !isUuid(itemId)) return { ok: false, notFound: true };
	const table = kind === 'lesson' ? lessons : questions;
	const where = and(eq(table.orgId, actor.orgId), eq(table.courseId, courseId), eq(table.id, itemId), eq(table.active, true));
	return db.transaction(async (tx) => {
		const [row] = await tx.select({ id: table.id, slug: table.slug, needsReview: table.needsReview }).from(table).where(where).for('update');
		if (!row) return { ok: false, notFound: true } as const;
		if (!row.needsReview) return { ok: true, changed: false } as const;
		await tx.update(table).set({ needsReview: false }).where(eq(table.id, row.id));
		await recordAudit(tx, actor, { action: `${kind}.review_cleared`, targetType: kind, targetId: row.id, detail: { course: courseId, slug: row.slug } });
		return { ok: true, changed: true } as const;
	});
}

// ---------------------------------------------------------------------------------------------
// GIFT

export interface GiftImportCounts {
	added: number;
	updated: number;
	unchanged: number;
}

export type GiftImportResult = { ok: true; counts: GiftImportCounts } | { ok: false; notFound: true } | { ok: false; notFound?: false; errors: EditError[] };

/**
 * Imports a GIFT file into the course: questions whose id the course has are updated, new ones
 * added at the end. All or nothing: any error (with its line) and nothing is written.
 */
export async function importGiftQuestions(db: Db, actor: EditorActor, courseId: string, giftText: string): Promise<GiftImportResult> {
	const course = await findCourse(db, actor.orgId, courseId);
	if (!course) return { ok: false, notFound: true };
	const parsed = await parseOffThread('gift.import', giftText);
	const errors = lineErrors(parsed.errors);
	const policy = await policyKeys(db, course);
	for (const q of parsed.value) {
		const unknown = unknownKeys(q.sectionKeys, policy);
		if (policy && unknown.length)
			errors.push({ line: q.sectionsLine, message: `question "${q.slug}" cites ${unknown.join(', ')}, not a section of ${policy.label}` });
	}
	if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
	if (!parsed.value.length) return { ok: false, errors: [{ line: 1, message: 'the file holds no questions' }] };

	const counts: GiftImportCounts = { added: 0, updated: 0, unchanged: 0 };
	await db.transaction(async (tx) => {
		const existing = await tx.select().from(questions).where(eq(questions.courseId, course.id));
		const bySlug = new Map(existing.map((r) => [r.slug, r]));
		const [{ last }] = await tx
			.select({ last: max(questions.position) })
			.from(questions)
			.where(eq(questions.courseId, course.id));
		let position = last ?? 0;
		const now = new Date();
		for (const q of parsed.value) {
			const row = bySlug.get(q.slug);
			const fields = questionFields(q);
			if (!row) {
				await tx.insert(questions).values({ orgId: actor.orgId, courseId: course.id, slug: q.slug, position: ++position, ...fields });
				counts.added++;
			} else if (row.active && sameQuestion(row, q)) counts.unchanged++;
			else {
				await tx
					.update(questions)
					.set({ ...fields, active: true, needsReview: false, updatedAt: now })
					.where(eq(questions.id, row.id));
				counts.updated++;
			}
		}
		if (counts.added + counts.updated) await tx.update(courses).set({ updatedAt: now }).where(eq(courses.id, course.id));
		await recordAudit(tx, actor, {
			action: 'course.gift_import',
			targetType: 'course',
			targetId: course.id,
			detail: { course: course.slug, ...counts, questions: parsed.value.map((q) => q.slug) }
		});
	});
	return { ok: true, counts };
}

/** The course's active questions as a GIFT file, with the name to save it under. */
export async function exportCourseGift(db: DbOrTx, orgId: string, courseId: string): Promise<{ fileName: string; text: string } | null> {
	const found = await courseForEditing(db, orgId, courseId);
	if (!found) return null;
	return { fileName: `${found.course.slug}.gift`, text: exportGift(found.questions, { category: `$course$/top/${found.course.slug}` }) };
}
