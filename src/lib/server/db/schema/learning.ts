import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	real,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { departments, employmentTypeEnum, organizations, people } from './org';
import { policies } from './policy';
import { inspectionChecklists } from './inspection';

/** A course: ordered lessons and a quiz drawn from a question pool. */
export const courses = pgTable(
	'courses',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		/** The policy whose section keys lessons and questions cite. */
		policyId: uuid('policy_id').references(() => policies.id),
		/** Percent of the points needed to pass. */
		passMark: smallint('pass_mark').notNull().default(80),
		/** Questions drawn per attempt; the draw covers the course's sections first. */
		drawCount: smallint('draw_count').notNull().default(20),
		/** Null: unlimited attempts. */
		maxAttempts: smallint('max_attempts'),
		requireAllLessons: boolean('require_all_lessons').notNull().default(true),
		/** Hash of the content files last synced: unchanged files never overwrite edits made in the app. */
		contentHash: text('content_hash'),
		/** Set for a generated 改訂のポイント course: the published version whose changes it teaches. */
		revisionVersionId: uuid('revision_version_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('courses_org_slug_uq').on(t.orgId, t.slug)]
);

export const lessons = pgTable(
	'lessons',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		courseId: uuid('course_id')
			.notNull()
			.references(() => courses.id),
		/** Stable name from the content file (`01-purpose`). */
		slug: text('slug').notNull(),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		/** Markdown, rendered and sanitised on the server. */
		body: text('body').notNull(),
		sectionKeys: text('section_keys')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** Removed from the content: kept for history, no longer shown. */
		active: boolean('active').notNull().default(true),
		/** 要見直し: a section it teaches changed in a published revision. */
		needsReview: boolean('needs_review').notNull().default(false),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('lessons_course_slug_uq').on(t.courseId, t.slug)]
);

export const questionTypes = ['single', 'multiple', 'truefalse'] as const;
export type QuestionType = (typeof questionTypes)[number];
export const questionTypeEnum = pgEnum('question_type', questionTypes);

/** A choice of a question. Ids are stable so shuffled orders and saved answers stay valid. */
export interface QuestionChoice {
	id: string;
	text: string;
	correct: boolean;
}

export const questions = pgTable(
	'questions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		courseId: uuid('course_id')
			.notNull()
			.references(() => courses.id),
		/** The content id (`usb-mynumber-terminal`), stable across edits. */
		slug: text('slug').notNull(),
		position: integer('position').notNull(),
		type: questionTypeEnum('type').notNull(),
		stem: text('stem').notNull(),
		/** For ○×: two choices with ids `o` and `x`. */
		choices: jsonb('choices').$type<QuestionChoice[]>().notNull(),
		explanation: text('explanation').notNull().default(''),
		sectionKeys: text('section_keys')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		active: boolean('active').notNull().default(true),
		needsReview: boolean('needs_review').notNull().default(false),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('questions_course_slug_uq').on(t.courseId, t.slug)]
);

/** Who a campaign is for; an empty audience with `everyone` false reaches nobody. */
export interface CampaignAudience {
	everyone: boolean;
	employmentTypes: string[];
	/** Departments with their sub-departments. */
	departmentIds: string[];
	/** People whose record was created on or after this date (new hires). */
	createdSince: string | null;
	/** People holding any of these roles (所属長 for the department's self-inspection); absent in older rows. */
	roles?: string[];
}

/**
 * Automatic reminders for a campaign: on each of `daysBefore` days before the due date, then every
 * `overdueEveryDays` days once overdue; `copySupervisors` sends each 所属長 a list of who was reminded.
 */
export interface ReminderSchedule {
	daysBefore: number[];
	overdueEveryDays: number | null;
	copySupervisors: boolean;
}

/** A course assigned to an audience, with a due date, in a 年度. */
export const campaigns = pgTable(
	'campaigns',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		/** A training campaign's course, or null for an inspection round. */
		courseId: uuid('course_id').references(() => courses.id),
		/** An inspection round's checklist (自己点検票); exactly one of course and checklist is set. */
		checklistId: uuid('checklist_id').references((): AnyPgColumn => inspectionChecklists.id),
		title: text('title').notNull(),
		fiscalYear: smallint('fiscal_year').notNull(),
		startsOn: date('starts_on').notNull(),
		dueOn: date('due_on').notNull(),
		audience: jsonb('audience').$type<CampaignAudience>().notNull(),
		archived: boolean('archived').notNull().default(false),
		/** Null: no automatic reminders. */
		reminderSchedule: jsonb('reminder_schedule').$type<ReminderSchedule>(),
		createdBy: uuid('created_by').references(() => people.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('campaigns_org_idx').on(t.orgId, t.fiscalYear), check('campaigns_one_subject', sql`num_nonnulls(${t.courseId}, ${t.checklistId}) = 1`)]
);

export const assignmentStatuses = ['not_started', 'in_progress', 'completed'] as const;
export type AssignmentStatus = (typeof assignmentStatuses)[number];
export const assignmentStatusEnum = pgEnum('assignment_status', assignmentStatuses);

/**
 * One person's part in a campaign. Department and employment type are copied at assignment
 * and kept current by the roster, so completion counts group without joining people.
 */
export const assignments = pgTable(
	'assignments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		departmentId: uuid('department_id').references(() => departments.id),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		status: assignmentStatusEnum('status').notNull().default('not_started'),
		assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		completedAt: timestamp('completed_at', { withTimezone: true }),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
		/** Quiz attempts submitted; for an inspection round 1 once an item is answered. */
		attemptCount: smallint('attempt_count').notNull().default(0),
		bestScore: real('best_score'),
		/** The passing attempt that completed it, for the 修了証. */
		completingAttemptId: uuid('completing_attempt_id')
	},
	(t) => [
		uniqueIndex('assignments_campaign_person_uq').on(t.campaignId, t.personId),
		index('assignments_person_idx').on(t.personId),
		index('assignments_campaign_dept_idx').on(t.campaignId, t.departmentId, t.status)
	]
);

/** Lessons a person has opened within an assignment. */
export const lessonViews = pgTable(
	'lesson_views',
	{
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => assignments.id),
		lessonId: uuid('lesson_id')
			.notNull()
			.references(() => lessons.id),
		firstViewedAt: timestamp('first_viewed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.assignmentId, t.lessonId] })]
);

/**
 * One try at a course's quiz: the drawn questions and each one's choice order are fixed when it
 * starts, so a reload, a resume and the grading all see the same quiz.
 */
export const attempts = pgTable(
	'attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => assignments.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		number: smallint('number').notNull(),
		/** Question ids in the order shown, each with its choice ids in the order shown. */
		layout: jsonb('layout').$type<{ questionId: string; choiceIds: string[] }[]>().notNull(),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		score: real('score'),
		passed: boolean('passed')
	},
	(t) => [
		uniqueIndex('attempts_assignment_number_uq').on(t.assignmentId, t.number),
		// At most one open attempt per assignment: a second "start" resumes the first.
		uniqueIndex('attempts_one_open_uq')
			.on(t.assignmentId)
			.where(sql`submitted_at is null`)
	]
);

/** An answer as given; graded when the attempt is submitted. Two indexes at most: a hot table. */
export const responses = pgTable(
	'responses',
	{
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id),
		questionId: uuid('question_id').notNull(),
		/** Chosen choice ids (ids `o`/`x` for ○×). */
		selected: text('selected').array().notNull(),
		savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
		/** 0..1, set at submit; partial credit for multiple choice. */
		score: real('score'),
		correct: boolean('correct')
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.questionId] })]
);

/**
 * Per campaign, policy section, department and employment type: answers and errors, kept current
 * at submit so weak spots read a few summary rows instead of every answer.
 */
export const sectionAnswerStats = pgTable(
	'section_answer_stats',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		sectionKey: text('section_key').notNull(),
		departmentId: uuid('department_id'),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		answers: integer('answers').notNull().default(0),
		errors: integer('errors').notNull().default(0)
	},
	(t) => [
		// People without a department still count, in one row per group.
		unique('section_answer_stats_uq').on(t.campaignId, t.sectionKey, t.departmentId, t.employmentType).nullsNotDistinct()
	]
);

/** Per campaign and question: answers and errors, for item analysis. */
export const questionAnswerStats = pgTable(
	'question_answer_stats',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		questionId: uuid('question_id').notNull(),
		answers: integer('answers').notNull().default(0),
		errors: integer('errors').notNull().default(0),
		scoreSum: real('score_sum').notNull().default(0),
		// Running sums for item analysis, per answer: x = this question's score (0–1), y = the
		// attempt's total score in points. The item-rest correlation follows from them alone.
		scoreSqSum: doublePrecision('score_sq_sum').notNull().default(0),
		totalSum: doublePrecision('total_sum').notNull().default(0),
		totalSqSum: doublePrecision('total_sq_sum').notNull().default(0),
		crossSum: doublePrecision('cross_sum').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.campaignId, t.questionId] })]
);

/**
 * Per campaign, policy section and day (Japan time): answers and errors, kept at submit, so the
 * error rate before and after a revision is published reads a few rows.
 */
export const sectionDailyStats = pgTable(
	'section_daily_stats',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		sectionKey: text('section_key').notNull(),
		day: date('day').notNull(),
		answers: integer('answers').notNull().default(0),
		errors: integer('errors').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.campaignId, t.sectionKey, t.day] })]
);
