import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, people, roleEnum } from './org';

/** A policy document of an organisation: 基本方針, 対策基準, … each with its own versions. */
export const policies = pgTable(
	'policies',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		sortOrder: integer('sort_order').notNull().default(0),
		/** 非公開: when set, only these roles see that the policy exists. */
		restrictedTo: roleEnum('restricted_to').array(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('policies_org_slug_uq').on(t.orgId, t.slug)]
);

export const policyVersionStatuses = ['draft', 'in_review', 'returned', 'approved', 'published', 'superseded'] as const;
export type PolicyVersionStatus = (typeof policyVersionStatuses)[number];
export const policyVersionStatus = pgEnum('policy_version_status', policyVersionStatuses);

/** 区分: 新規制定 / 一部改訂 / 全部改訂. */
export const changeKinds = ['enacted', 'partial', 'full'] as const;
export type ChangeKind = (typeof changeKinds)[number];
export const changeKind = pgEnum('change_kind', changeKinds);

/**
 * One 版 of a policy. Published and superseded versions form the 改訂履歴; a version known only
 * from the history table of the document has `textHeld` false and no sections.
 */
export const policyVersions = pgTable(
	'policy_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		policyId: uuid('policy_id')
			.notNull()
			.references(() => policies.id),
		/** 5.0, 5.1, 6.0 … */
		version: text('version').notNull(),
		status: policyVersionStatus('status').notNull().default('draft'),
		changeKind: changeKind('change_kind').notNull(),
		/** 理由及び内容 */
		reason: text('reason').notNull().default(''),
		/** The date as the document gives it (令和7年11月25日, or only 平成17年3月). */
		dateLabel: text('date_label').notNull().default(''),
		effectiveDate: date('effective_date'),
		textHeld: boolean('text_held').notNull().default(true),
		title: text('title').notNull().default(''),
		preamble: text('preamble').notNull().default(''),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		/** For a revision draft: the version in force when it was started, which it is compared with. */
		basedOnVersionId: uuid('based_on_version_id'),
		/** The weak-spot figures that prompted the revision, frozen when the draft was made. */
		evidence: jsonb('evidence').$type<Record<string, unknown>>(),
		createdBy: uuid('created_by').references(() => people.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('policy_versions_policy_version_uq').on(t.policyId, t.version),
		// One version in force per policy.
		uniqueIndex('policy_versions_one_published_uq')
			.on(t.policyId)
			.where(sql`status = 'published'`),
		index('policy_versions_org_idx').on(t.orgId, t.policyId, t.status)
	]
);

/** A section or item of one version, with a key that stays the same across versions (`6.3.2`). */
export const policySections = pgTable(
	'policy_sections',
	{
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		versionId: uuid('version_id')
			.notNull()
			.references(() => policyVersions.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		position: integer('position').notNull(),
		level: integer('level').notNull(),
		/** The number as the document writes it: 2, (8), ②, 第5条, ア. */
		label: text('label').notNull().default(''),
		heading: text('heading').notNull().default(''),
		/** Markdown, rendered and sanitised on the server. */
		body: text('body').notNull().default(''),
		restrictedTo: roleEnum('restricted_to').array(),
		/** Bumped on every edit of a draft's section: a save that names an older one is a conflict. */
		rev: integer('rev').notNull().default(0),
		updatedBy: uuid('updated_by'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.versionId, t.key] }), index('policy_sections_order_idx').on(t.versionId, t.position)]
);

/** 「第5.0版を読み、遵守します」: one per person and version. */
export const acknowledgements = pgTable(
	'acknowledgements',
	{
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		versionId: uuid('version_id')
			.notNull()
			.references(() => policyVersions.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.personId, t.versionId] }), index('acknowledgements_version_idx').on(t.versionId)]
);

/** Every change of a revision's state: who, when, from what to what, and the comment given. */
export const revisionEvents = pgTable(
	'revision_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		versionId: uuid('version_id')
			.notNull()
			.references(() => policyVersions.id),
		fromStatus: policyVersionStatus('from_status'),
		toStatus: policyVersionStatus('to_status').notNull(),
		actorId: uuid('actor_id').references(() => people.id),
		comment: text('comment').notNull().default(''),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('revision_events_version_idx').on(t.versionId, t.at)]
);

/** A reviewer's comment on a revision draft, on one section (`sectionKey`) or on the whole. */
export const revisionComments = pgTable(
	'revision_comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		versionId: uuid('version_id')
			.notNull()
			.references(() => policyVersions.id),
		sectionKey: text('section_key'),
		authorId: uuid('author_id')
			.notNull()
			.references(() => people.id),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('revision_comments_version_idx').on(t.versionId, t.createdAt)]
);

/**
 * A document the import page has read and previewed, kept for the person until they save it (or
 * for a day): the save form names it, instead of carrying megabytes of text to the browser and back.
 */
export const policyImportPreviews = pgTable(
	'policy_import_previews',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		text: text('text').notNull(),
		encoding: text('encoding').notNull(),
		fileName: text('file_name').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('policy_import_previews_person_idx').on(t.personId, t.createdAt)]
);
