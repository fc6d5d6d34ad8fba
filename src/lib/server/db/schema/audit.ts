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
	(t) => [
		index('audit_events_org_at_idx').on(t.orgId, t.at),
		// The admin's log filters by actor, by object (a person, a department, …) and by action.
		index('audit_events_org_actor_at_idx').on(t.orgId, t.actorId, t.at),
		index('audit_events_org_target_at_idx').on(t.orgId, t.targetType, t.targetId, t.at),
		index('audit_events_org_action_at_idx').on(t.orgId, t.action, t.at)
	]
);
