import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './org';

/** Append-only record of every write that matters: who, what, when, target, from where. */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		orgId: uuid('org_id').references(() => organizations.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** Null for anonymous actions such as a failed login. */
		actorId: uuid('actor_id'),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		ip: text('ip'),
		detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({})
	},
	(t) => [index('audit_events_org_at_idx').on(t.orgId, t.at)]
);
