import { sql } from 'drizzle-orm';
import { date, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';
import { departments, employmentTypeEnum, organizations, people } from './org';
import { policies } from './policy';
import { assignments, campaigns } from './learning';

/**
 * Who a checklist is for: 一般職員 (会計年度任用職員 too), 所属長 (answering for the department),
 * システム担当者, 委託事業者.
 */
export const inspectionTiers = ['staff', 'supervisor', 'system', 'contractor'] as const;
export type InspectionTier = (typeof inspectionTiers)[number];
export const inspectionTierEnum = pgEnum('inspection_tier', inspectionTiers);

/** はい (practised), いいえ (not practised), 該当しない (does not apply). */
export const inspectionAnswers = ['yes', 'no', 'na'] as const;
export type InspectionAnswer = (typeof inspectionAnswers)[number];
export const inspectionAnswerEnum = pgEnum('inspection_answer', inspectionAnswers);

/** 未着手 / 対応中 / 完了. */
export const improvementStatuses = ['open', 'in_progress', 'done'] as const;
export type ImprovementStatus = (typeof improvementStatuses)[number];
export const improvementStatusEnum = pgEnum('improvement_status', improvementStatuses);

/** A 点検票: practice questions linked to the sections of a policy, for one tier. */
export const inspectionChecklists = pgTable(
	'inspection_checklists',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		tier: inspectionTierEnum('tier').notNull(),
		/** The policy whose section keys the items cite. */
		policyId: uuid('policy_id').references(() => policies.id),
		/** Hash of the content files last synced: unchanged files never overwrite edits made in the app. */
		contentHash: text('content_hash'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('inspection_checklists_org_slug_uq').on(t.orgId, t.slug)]
);

/** One practice question of a checklist; kept inactive, never deleted, once answers point at it. */
export const inspectionItems = pgTable(
	'inspection_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		checklistId: uuid('checklist_id')
			.notNull()
			.references(() => inspectionChecklists.id),
		/** Stable id from the content (`lock-screen-when-away`): answers and figures follow it across edits. */
		slug: text('slug').notNull(),
		position: integer('position').notNull(),
		/** The practice, worded so that はい is the practice the policy asks for. */
		text: text('text').notNull(),
		explanation: text('explanation').notNull().default(''),
		sectionKeys: text('section_keys').array().notNull(),
		/** 監査項目番号: the audit guideline's item this supports, entered by the owner. */
		auditItem: text('audit_item'),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('inspection_items_checklist_slug_uq').on(t.checklistId, t.slug)]
);

/** An answer as given, per assignment of an inspection round and item. */
export const inspectionResponses = pgTable(
	'inspection_responses',
	{
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => assignments.id),
		itemId: uuid('item_id')
			.notNull()
			.references(() => inspectionItems.id),
		answer: inspectionAnswerEnum('answer').notNull(),
		comment: text('comment').notNull().default(''),
		/** The group the answer is counted under in the summary rows, so a change moves exactly that count. */
		departmentId: uuid('department_id'),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.assignmentId, t.itemId] })]
);

/**
 * Per round (campaign), item, department and employment type: the answers, kept at answer time so
 * the figures and the auditor's export read summary rows. Per section, the same answers go to
 * `section_answer_stats` (はい+いいえ as answers, いいえ as errors) under the round's campaign.
 */
export const inspectionItemStats = pgTable(
	'inspection_item_stats',
	{
		orgId: uuid('org_id').notNull(),
		campaignId: uuid('campaign_id').notNull(),
		itemId: uuid('item_id').notNull(),
		departmentId: uuid('department_id'),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		yes: integer('yes').notNull().default(0),
		no: integer('no').notNull().default(0),
		na: integer('na').notNull().default(0)
	},
	(t) => [unique('inspection_item_stats_uq').on(t.campaignId, t.itemId, t.departmentId, t.employmentType).nullsNotDistinct()]
);

/**
 * 改善計画: a department's plan for an item its 所属長 answered いいえ. One open plan per department
 * and item: a いいえ in next year's round finds it and carries it on.
 */
export const improvementActions = pgTable(
	'improvement_actions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		departmentId: uuid('department_id')
			.notNull()
			.references(() => departments.id),
		itemId: uuid('item_id')
			.notNull()
			.references(() => inspectionItems.id),
		/** The round whose いいえ opened it, and the latest round that answered いいえ again. */
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id),
		lastCampaignId: uuid('last_campaign_id')
			.notNull()
			.references(() => campaigns.id),
		fiscalYear: smallint('fiscal_year').notNull(),
		/** What will be done. */
		plan: text('plan').notNull().default(''),
		/** By whom: a name or a post, as the department writes it. */
		assignee: text('assignee').notNull().default(''),
		dueOn: date('due_on'),
		status: improvementStatusEnum('status').notNull().default('open'),
		/** The 所属長's comment on the いいえ. */
		finding: text('finding').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => people.id)
	},
	(t) => [
		uniqueIndex('improvement_actions_open_uq')
			.on(t.departmentId, t.itemId)
			.where(sql`status <> 'done'`),
		index('improvement_actions_org_idx').on(t.orgId, t.status)
	]
);
