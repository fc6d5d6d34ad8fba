import { sql } from 'drizzle-orm';
import { date, index, pgEnum, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organizations, people } from './org';
import { assignments, campaigns } from './learning';

export const reminderKinds = ['manual', 'before_due', 'overdue'] as const;
export type ReminderKind = (typeof reminderKinds)[number];
export const reminderKindEnum = pgEnum('reminder_kind', reminderKinds);

/**
 * A reminder (督促) to finish a campaign's training: shown on the learner's home and, when the
 * person has an address and mail is set up, sent through the outbox. `remindedOn` is the day in
 * Japan time; one reminder per assignment, kind and day, so a repeated click or job run sends
 * nothing twice.
 */
export const reminders = pgTable(
	'reminders',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id),
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => assignments.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		kind: reminderKindEnum('kind').notNull(),
		/** Null for automatic reminders. */
		sentBy: uuid('sent_by').references(() => people.id),
		remindedOn: date('reminded_on').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('reminders_once_a_day_uq').on(t.assignmentId, t.kind, t.remindedOn), index('reminders_person_idx').on(t.personId, t.createdAt)]
);

export const outboxStatuses = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
export const outboxStatusEnum = pgEnum('outbox_status', outboxStatuses);

/**
 * Mail waiting to go out. Written in the same transaction as what caused it, delivered by a
 * worker that retries with backoff, so a failing mail server loses nothing.
 */
export const outbox = pgTable(
	'outbox',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		status: outboxStatusEnum('status').notNull().default('pending'),
		attempts: smallint('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		index('outbox_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`status = 'pending'`)
	]
);
