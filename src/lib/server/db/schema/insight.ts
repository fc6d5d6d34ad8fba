import { date, integer, pgTable, unique, uuid } from 'drizzle-orm/pg-core';
import { employmentTypeEnum } from './org';

/**
 * Per campaign, department and employment type: people assigned, in progress and completed.
 * A trigger on `assignments` keeps it current (migration 0004), whichever code path changes an
 * assignment, so dashboards read a few hundred rows instead of every assignment.
 */
export const completionCounts = pgTable(
	'completion_counts',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		departmentId: uuid('department_id'),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		assigned: integer('assigned').notNull().default(0),
		inProgress: integer('in_progress').notNull().default(0),
		completed: integer('completed').notNull().default(0),
		/** Submitted at least one quiz attempt: the people behind answer figures, for k-anonymity. */
		attempted: integer('attempted').notNull().default(0)
	},
	(t) => [unique('completion_counts_uq').on(t.campaignId, t.departmentId, t.employmentType).nullsNotDistinct()]
);

/** Per campaign, department and day (Japan time): completions, for the progress chart. Same trigger. */
export const dailyCompletions = pgTable(
	'daily_completions',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		departmentId: uuid('department_id'),
		day: date('day').notNull(),
		completed: integer('completed').notNull().default(0)
	},
	(t) => [unique('daily_completions_uq').on(t.campaignId, t.departmentId, t.day).nullsNotDistinct()]
);
