import { createHash } from 'node:crypto';
// Loads content/courses/ into the database: courses by (organisation, slug), lessons and
// questions by slug. Content that disappears is deactivated, never deleted, because answers and
// statistics point at it. Everything is checked before anything is written.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { courses, lessons, questions, type QuestionChoice } from '../../db/schema';
import { recordAudit } from '../../audit/log';
import { defaultContentDir } from '../../policy/content';
import { ContentErrors } from '../../text/labelled';
import type { CourseMeta, ParsedLesson, ParsedQuestion } from './parse-course';
import { readCourses, unknownSectionKeys, type ParsedCourse } from './read-course';
import { policyInForce } from './policy-sections';

export interface ChangeCount {
	added: number;
	updated: number;
	unchanged: number;
}

export interface CourseSyncSummary {
	course: string;
	/** Whether anything was written for this course. */
	changed: boolean;
	/** The linked policy's slug; null when course.json names none or the organisation lacks it. */
	policy: string | null;
	lessons: ChangeCount;
	questions: ChangeCount;
	/** Slugs of lessons and questions no longer in the content, now inactive. */
	deactivated: { lessons: string[]; questions: string[] };
	warnings: string[];
}

// Any fixed number: processes starting together sync one after the other.
const syncLockKey = 727_002;

interface Plan<R, W> {
	insert: { want: W; position: number }[];
	update: { row: R; want: W; position: number }[];
	unchanged: number;
	deactivate: R[];
}

/** What to insert, update and deactivate so that the rows match the content. */
function planRows<R extends { slug: string; active: boolean; position: number }, W extends { slug: string }>(
	existing: readonly R[],
	wanted: readonly W[],
	same: (row: R, want: W) => boolean
): Plan<R, W> {
	const bySlug = new Map(existing.map((r) => [r.slug, r]));
	const plan: Plan<R, W> = { insert: [], update: [], unchanged: 0, deactivate: [] };
	wanted.forEach((want, i) => {
		const position = i + 1;
		const row = bySlug.get(want.slug);
		if (!row) plan.insert.push({ want, position });
		else if (row.active && row.position === position && same(row, want)) plan.unchanged++;
		else plan.update.push({ row, want, position });
	});
	const kept = new Set(wanted.map((w) => w.slug));
	plan.deactivate = existing.filter((r) => r.active && !kept.has(r.slug));
	return plan;
}

const count = (plan: Plan<unknown, unknown>): ChangeCount => ({ added: plan.insert.length, updated: plan.update.length, unchanged: plan.unchanged });
const changedRows = (plan: Plan<unknown, unknown>) => plan.insert.length + plan.update.length + plan.deactivate.length > 0;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
// jsonb gives keys back in its own order: compare field by field.
const sameChoices = (a: readonly QuestionChoice[], b: readonly QuestionChoice[]) =>
	a.length === b.length && a.every((c, i) => c.id === b[i].id && c.text === b[i].text && c.correct === b[i].correct);

const sameLesson = (row: typeof lessons.$inferSelect, want: ParsedLesson) =>
	row.title === want.title && row.body === want.body && sameList(row.sectionKeys, want.sectionKeys);

/** Whether a question row already holds what the content says (position and `active` aside). */
export const sameQuestion = (row: typeof questions.$inferSelect, want: ParsedQuestion) =>
	row.type === want.type &&
	row.stem === want.stem &&
	row.explanation === want.explanation &&
	sameChoices(row.choices, want.choices) &&
	sameList(row.sectionKeys, want.sectionKeys);

/** Lessons and questions are kept alike: by slug within their course, deactivated, never deleted. */
async function applyPlan<W extends { slug: string }>(
	tx: Tx,
	table: typeof lessons | typeof questions,
	plan: Plan<{ id: string }, W>,
	base: { orgId: string; courseId: string },
	now: Date,
	values: (want: W, position: number) => Partial<typeof table.$inferInsert>
): Promise<void> {
	// The values function is typed per table; the union of the two tables is not, hence `never`.
	if (plan.insert.length) {
		await tx.insert(table).values(plan.insert.map(({ want, position }) => ({ ...base, slug: want.slug, ...values(want, position) })) as never);
	}
	for (const { row, want, position } of plan.update) {
		await tx
			.update(table)
			.set({ ...values(want, position), active: true, updatedAt: now } as never)
			.where(eq(table.id, row.id));
	}
	if (plan.deactivate.length) {
		await tx.update(table).set({ active: false, updatedAt: now }).where(inArray(table.id, plan.deactivate.map((r) => r.id)));
	}
}

function courseFields(meta: CourseMeta, policyId: string | null) {
	return {
		title: meta.title,
		description: meta.description,
		policyId,
		passMark: meta.passMark,
		drawCount: meta.drawCount,
		maxAttempts: meta.maxAttempts,
		requireAllLessons: meta.requireAllLessons
	};
}

async function writeCourse(tx: Tx, orgId: string, parsed: ParsedCourse, policyId: string | null): Promise<Omit<CourseSyncSummary, 'policy' | 'warnings'>> {
	await tx.execute(sql`select pg_advisory_xact_lock(${syncLockKey}, hashtext(${orgId}))`);
	const now = new Date();
	const fields = courseFields(parsed.course, policyId);
	let [course] = await tx
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.slug, parsed.course.slug)));
	const created = !course;
	const courseChanged = !course || (Object.keys(fields) as (keyof typeof fields)[]).some((k) => course[k] !== fields[k]);
	if (!course) [course] = await tx.insert(courses).values({ orgId, slug: parsed.course.slug, ...fields }).returning();

	const base = { orgId, courseId: course.id };
	const lessonPlan = planRows(await tx.select().from(lessons).where(eq(lessons.courseId, course.id)), parsed.lessons, sameLesson);
	await applyPlan(tx, lessons, lessonPlan, base, now, (l, position) => ({ position, title: l.title, body: l.body, sectionKeys: l.sectionKeys }));
	const questionPlan = planRows(await tx.select().from(questions).where(eq(questions.courseId, course.id)), parsed.questions, sameQuestion);
	await applyPlan(tx, questions, questionPlan, base, now, (q, position) => ({
		position,
		type: q.type,
		stem: q.stem,
		choices: q.choices,
		explanation: q.explanation,
		sectionKeys: q.sectionKeys
	}));

	const changed = courseChanged || changedRows(lessonPlan) || changedRows(questionPlan);
	const summary = {
		course: parsed.course.slug,
		changed,
		lessons: count(lessonPlan),
		questions: count(questionPlan),
		deactivated: { lessons: lessonPlan.deactivate.map((r) => r.slug), questions: questionPlan.deactivate.map((r) => r.slug) }
	};
	if (changed) {
		// The course's own time moves whenever anything in it changed.
		if (!created) await tx.update(courses).set({ ...fields, updatedAt: now }).where(eq(courses.id, course.id));
		await recordAudit(tx, { orgId, personId: null }, { action: 'course.content_sync', targetType: 'course', targetId: course.id, detail: summary });
	}
	return summary;
}

/**
 * Loads every course in <contentDir>/courses into the organisation. Throws ContentErrors listing
 * every problem (format, unknown section keys) before writing anything; then writes each course
 * in its own transaction. Running it again on unchanged content writes nothing.
 */
export async function syncCourseContent(db: Db, orgId: string, contentDir = defaultContentDir): Promise<CourseSyncSummary[]> {
	const { courses: parsed, errors } = readCourses(contentDir);
	const policies = new Map<string, Awaited<ReturnType<typeof policyInForce>>>();
	const warnings = new Map<string, string[]>();
	for (const course of parsed) {
		const slug = course.course.policy;
		const notes: string[] = [];
		warnings.set(course.course.slug, notes);
		if (!slug) continue;
		if (!policies.has(slug)) policies.set(slug, await policyInForce(db, orgId, slug));
		const policy = policies.get(slug);
		if (!policy) notes.push(`policy "${slug}" is not in this organisation: the course is not linked and its section keys are not checked`);
		else if (!policy.version) notes.push(`policy "${slug}" has no version in force: section keys are not checked`);
		else errors.push(...unknownSectionKeys(course, new Set(policy.sections.map((s) => s.key)), `${slug} 第${policy.version.version}版`));
	}
	if (errors.length) throw new ContentErrors(errors);

	const summaries: CourseSyncSummary[] = [];
	for (const course of parsed) {
		const policy = course.course.policy ? policies.get(course.course.policy) : null;
		const policyId = policy?.policy.id ?? null;
		// Files that have not changed since the last sync leave the course alone, so edits made in
		// the app survive a restart; changed files are an explicit update and win.
		const hash = createHash('sha256').update(JSON.stringify([course, policyId])).digest('hex');
		const [stored] = await db
			.select({ hash: courses.contentHash })
			.from(courses)
			.where(and(eq(courses.orgId, orgId), eq(courses.slug, course.course.slug)));
		if (stored?.hash === hash) {
			summaries.push({
				course: course.course.slug,
				changed: false,
				policy: policy?.policy.slug ?? null,
				lessons: { added: 0, updated: 0, unchanged: course.lessons.length },
				questions: { added: 0, updated: 0, unchanged: course.questions.length },
				deactivated: { lessons: [], questions: [] },
				warnings: warnings.get(course.course.slug) ?? []
			});
			continue;
		}
		const summary = await db.transaction(async (tx) => {
			const written = await writeCourse(tx, orgId, course, policyId);
			await tx.update(courses).set({ contentHash: hash }).where(and(eq(courses.orgId, orgId), eq(courses.slug, course.course.slug)));
			return written;
		});
		const { course: slug, changed, ...counts } = summary;
		summaries.push({ course: slug, changed, policy: policy?.policy.slug ?? null, ...counts, warnings: warnings.get(slug) ?? [] });
	}
	return summaries;
}
