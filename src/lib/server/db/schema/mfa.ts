import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, people } from './org';

/**
 * A person's TOTP second factor (RFC 6238). Unconfirmed while `confirmedAt` is null: the secret
 * shown for enrolment, not yet proven by a code. The secret is sealed (see auth/mfa/secret-box.ts).
 */
export const secondFactors = pgTable('second_factors', {
	personId: uuid('person_id')
		.primaryKey()
		.references(() => people.id, { onDelete: 'cascade' }),
	orgId: uuid('org_id')
		.notNull()
		.references(() => organizations.id, { onDelete: 'cascade' }),
	secret: text('secret').notNull(),
	confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
	/** The time step of the last accepted code: a code of this step or an earlier one is refused (no replay). */
	lastStep: bigint('last_step', { mode: 'number' }).notNull().default(-1),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** One-time recovery codes: only their SHA-256 is stored, and a used one keeps its use time. */
export const recoveryCodes = pgTable(
	'recovery_codes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('recovery_codes_person_idx').on(t.personId, t.codeHash)]
);
