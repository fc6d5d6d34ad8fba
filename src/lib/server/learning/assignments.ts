// A learner's assignments: what is due, how far they are, and the record of a lesson opened.
// Completion (after the last lesson and a passed quiz) belongs to the quiz engine.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { assignments, attempts, campaigns, courses, lessons, lessonViews, type AssignmentStatus } from '../db/schema';
import { isUuid } from '../db/ids';
import { daysLeft, japanToday } from '../../format/calendar';

export type LearnerStatus = 'not_started' | 'in_progress' | 'completed' | 'overdue';

/** Overdue: not completed and the due date (the last day) has passed in Japan. */
export function learnerStatus(status: AssignmentStatus, dueOn: string, today: string): LearnerStatus {
	if (status === 'completed') return 'completed';
	return dueOn < today ? 'overdue' : status;
}

export interface LearnerAssignment {
	id: string;
	campaignId: string;
	campaignTitle: string;
	courseId: string;
	courseTitle: string;
	courseSlug: string;
	fiscalYear: number;
	startsOn: string;
	dueOn: string;
	status: LearnerStatus;
	daysLeft: number;
	lessonsViewed: number;
	lessonsTotal: number;
	quizPassed: boolean;
	startedAt: Date | null;
	completedAt: Date | null;
}

const order: Record<LearnerStatus, number> = { overdue: 0, in_progress: 1, not_started: 1, completed: 2 };

/** Overdue first, then by due date; completed last, the latest completion first. */
export function compareLearnerAssignments(a: LearnerAssignment, b: LearnerAssignment): number {
	return (
		order[a.status] - order[b.status] ||
		(a.status === 'completed' ? (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0) : a.dueOn.localeCompare(b.dueOn)) ||
		a.campaignTitle.localeCompare(b.campaignTitle, 'ja')
	);
}

// Progress counts only the course's active lessons: a lesson removed from the content no longer counts.
const lessonsTotal = sql<number>`(select count(*)::int from ${lessons} l where l.course_id = ${campaigns.courseId} and l.active)`;
const lessonsViewed = sql<number>`(select count(*)::int from ${lessonViews} v join ${lessons} l on l.id = v.lesson_id
	where v.assignment_id = ${assignments.id} and l.course_id = ${campaigns.courseId} and l.active)`;
const quizPassed = sql<boolean>`exists (select 1 from ${attempts} t where t.assignment_id = ${assignments.id} and t.passed)`;

const learnerColumns = {
	id: assignments.id,
	status: assignments.status,
	startedAt: assignments.startedAt,
	completedAt: assignments.completedAt,
	campaignId: campaigns.id,
	campaignTitle: campaigns.title,
	courseId: courses.id,
	courseTitle: courses.title,
	courseSlug: courses.slug,
	fiscalYear: campaigns.fiscalYear,
	startsOn: campaigns.startsOn,
	dueOn: campaigns.dueOn,
	lessonsViewed,
	lessonsTotal,
	quizPassed
};

/** A learner sees assignments of campaigns that have started and are not archived. */
const visibleToLearner = (orgId: string, personId: string, today: string) =>
	and(eq(assignments.orgId, orgId), eq(assignments.personId, personId), eq(campaigns.archived, false), lte(campaigns.startsOn, today));

function shape<T extends { status: AssignmentStatus; dueOn: string }>(row: T, today: string) {
	return { ...row, status: learnerStatus(row.status, row.dueOn, today), daysLeft: daysLeft(row.dueOn, today) };
}

/** The learner home: each assignment with its campaign, course, due date, status and progress. */
export async function learnerAssignments(db: DbOrTx, orgId: string, personId: string, today = japanToday()): Promise<LearnerAssignment[]> {
	if (!isUuid(personId)) return [];
	const rows = await db
		.select(learnerColumns)
		.from(assignments)
		.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(visibleToLearner(orgId, personId, today));
	return rows.map((r) => shape(r, today)).sort(compareLearnerAssignments);
}

export interface LearnerLesson {
	id: string;
	slug: string;
	title: string;
	position: number;
	sectionKeys: string[];
	viewed: boolean;
}

export interface LearnerAssignmentDetail extends LearnerAssignment {
	course: { id: string; slug: string; title: string; description: string; passMark: number; requireAllLessons: boolean };
	lessons: LearnerLesson[];
	attemptCount: number;
	bestScore: number | null;
}

/** One of the learner's own assignments with the course's lessons; null when it is not theirs. */
export async function getLearnerAssignment(
	db: DbOrTx,
	orgId: string,
	personId: string,
	assignmentId: string,
	today = japanToday()
): Promise<LearnerAssignmentDetail | null> {
	if (!isUuid(personId) || !isUuid(assignmentId)) return null;
	const [row] = await db
		.select({
			...learnerColumns,
			description: courses.description,
			passMark: courses.passMark,
			requireAllLessons: courses.requireAllLessons,
			attemptCount: assignments.attemptCount,
			bestScore: assignments.bestScore
		})
		.from(assignments)
		.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(visibleToLearner(orgId, personId, today), eq(assignments.id, assignmentId.toLowerCase())));
	if (!row) return null;
	const courseLessons = await db
		.select({
			id: lessons.id,
			slug: lessons.slug,
			title: lessons.title,
			position: lessons.position,
			sectionKeys: lessons.sectionKeys,
			viewed: sql<boolean>`${lessonViews.lessonId} is not null`
		})
		.from(lessons)
		.leftJoin(lessonViews, and(eq(lessonViews.lessonId, lessons.id), eq(lessonViews.assignmentId, row.id)))
		.where(and(eq(lessons.orgId, orgId), eq(lessons.courseId, row.courseId), eq(lessons.active, true)))
		.orderBy(asc(lessons.position));
	const { description, passMark, requireAllLessons, ...rest } = row;
	return {
		...shape(rest, today),
		course: { id: row.courseId, slug: row.courseSlug, title: row.courseTitle, description, passMark, requireAllLessons },
		lessons: courseLessons
	};
}

export type LessonViewResult = { ok: true; firstView: boolean } | { ok: false; reason: 'not_found' };

/**
 * Records that the learner opened a lesson of their assignment: the first view of each lesson
 * is kept, and the assignment becomes 受講中 with its start and last activity times.
 */
export async function recordLessonView(
	db: DbOrTx,
	orgId: string,
	personId: string,
	assignmentId: string,
	lessonId: string,
	today = japanToday()
): Promise<LessonViewResult> {
	if (!isUuid(personId) || !isUuid(assignmentId) || !isUuid(lessonId)) return { ok: false, reason: 'not_found' };
	const aId = assignmentId.toLowerCase();
	const lId = lessonId.toLowerCase();
	return db.transaction(async (tx): Promise<LessonViewResult> => {
		const [found] = await tx
			.select({ id: assignments.id })
			.from(assignments)
			.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
			.innerJoin(lessons, and(eq(lessons.courseId, campaigns.courseId), eq(lessons.id, lId), eq(lessons.active, true)))
			.where(and(visibleToLearner(orgId, personId, today), eq(assignments.id, aId)));
		if (!found) return { ok: false, reason: 'not_found' };
		const inserted = await tx
			.insert(lessonViews)
			.values({ assignmentId: aId, lessonId: lId })
			.onConflictDoNothing()
			.returning({ lessonId: lessonViews.lessonId });
		await tx
			.update(assignments)
			.set({
				status: sql`case when ${assignments.status} = 'not_started' then 'in_progress'::assignment_status else ${assignments.status} end`,
				startedAt: sql`coalesce(${assignments.startedAt}, now())`,
				lastActivityAt: sql`now()`
			})
			.where(and(eq(assignments.id, aId), eq(assignments.orgId, orgId)));
		return { ok: true, firstView: inserted.length > 0 };
	});
}
