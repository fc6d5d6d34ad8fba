import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** One municipality. Every tenant-owned row carries its id. */
export const organizations = pgTable('organizations', {
	id: uuid('id').primaryKey().defaultRandom(),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull().default(''),
	/** Host name that selects this organisation at login when several share a deployment: one each. */
	host: text('host').unique(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** 部 → 課 → 係, a tree per organisation. `code` is the HR 所属コード. */
export const departments = pgTable(
	'departments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		parentId: uuid('parent_id').references((): AnyPgColumn => departments.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		sortOrder: integer('sort_order').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('departments_org_code_uq').on(t.orgId, t.code), index('departments_parent_idx').on(t.orgId, t.parentId)]
);

export const employmentTypes = ['regular', 'fiscal_year', 'reappointed', 'dispatched', 'contractor'] as const;
export type EmploymentType = (typeof employmentTypes)[number];
export const employmentTypeEnum = pgEnum('employment_type', employmentTypes);

/** Everyone who must follow the policy: staff of every kind and contractors. */
export const people = pgTable(
	'people',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		/** 職員番号: the login id, unique within an organisation. */
		employeeNumber: text('employee_number').notNull(),
		name: text('name').notNull(),
		nameKana: text('name_kana').notNull().default(''),
		departmentId: uuid('department_id').references(() => departments.id),
		employmentType: employmentTypeEnum('employment_type').notNull(),
		title: text('title').notNull().default(''),
		email: text('email').notNull().default(''),
		retirementDate: date('retirement_date'),
		/** A contractor's 事業者名 and contract (契約名, 期間); empty for staff. */
		contractorCompany: text('contractor_company').notNull().default(''),
		contractName: text('contract_name').notNull().default(''),
		contractStart: date('contract_start'),
		contractEnd: date('contract_end'),
		active: boolean('active').notNull().default(true),
		passwordHash: text('password_hash'),
		mustChangePassword: boolean('must_change_password').notNull().default(true),
		/** Set by the directory sync: this person signs in with the directory password (auth/directory/). */
		fromDirectory: boolean('from_directory').notNull().default(false),
		lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('people_org_number_uq').on(t.orgId, t.employeeNumber),
		index('people_org_department_idx').on(t.orgId, t.departmentId),
		index('people_org_kana_idx').on(t.orgId, t.nameKana)
	]
);

export const roles = ['supervisor', 'policy_owner', 'approver', 'admin'] as const;
/** Every person is a learner; these are the roles held on top of it. */
export type Role = (typeof roles)[number];
export const roleEnum = pgEnum('role', roles);

export const personRoles = pgTable(
	'person_roles',
	{
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		role: roleEnum('role').notNull(),
		grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.personId, t.role] })]
);

/** The departments a supervisor (所属長) answers for; sub-departments are included by the tree. */
export const supervisedDepartments = pgTable(
	'supervised_departments',
	{
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		departmentId: uuid('department_id')
			.notNull()
			.references(() => departments.id)
	},
	(t) => [primaryKey({ columns: [t.personId, t.departmentId] })]
);

export const rosterImportStatus = pgEnum('roster_import_status', ['previewed', 'applied', 'discarded']);

/** An uploaded roster kept between preview and apply, so apply does not need the file again. */
export const rosterImports = pgTable('roster_imports', {
	id: uuid('id').primaryKey().defaultRandom(),
	orgId: uuid('org_id')
		.notNull()
		.references(() => organizations.id),
	/** Null for the nightly directory sync, which no one started. */
	createdBy: uuid('created_by').references(() => people.id),
	fileName: text('file_name').notNull(),
	encoding: text('encoding').notNull(),
	/** The validated rows, normalised. */
	rows: jsonb('rows').$type<unknown[]>().notNull(),
	status: rosterImportStatus('status').notNull().default('previewed'),
	options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	appliedAt: timestamp('applied_at', { withTimezone: true })
});

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the token, hex. The token itself is never stored. */
		id: text('id').primaryKey(),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		/** When this session last proved the second factor; null while a login still owes it (or never asked). */
		secondFactorAt: timestamp('second_factor_at', { withTimezone: true })
	},
	(t) => [index('sessions_person_idx').on(t.personId)]
);

/**
 * Password checks that have not succeeded, per bucket (see auth/rate-limit.ts): counted before the
 * check, removed when the password was right, so each row is a failure or a check still running.
 */
export const loginFailures = pgTable(
	'login_failures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		scope: text('scope').notNull(),
		key: text('key').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('login_failures_key_idx').on(t.scope, t.key, t.at)]
);

/**
 * Browsers a person has logged in from (the device cookie holds the token; only its SHA-256 is
 * stored). Such a browser keeps its own allowance of wrong passwords, so a stranger guessing at
 * the account cannot keep its owner out.
 */
export const trustedDevices = pgTable(
	'trusted_devices',
	{
		tokenHash: text('token_hash').primaryKey(),
		orgId: uuid('org_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		personId: uuid('person_id')
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('trusted_devices_person_idx').on(t.personId, t.lastUsedAt)]
);

export const comparisonOrders = ['new_first', 'old_first'] as const;
export type ComparisonOrder = (typeof comparisonOrders)[number];

/**
 * How the organisation's documents are laid out: the column order of the 新旧対照表 (改正後 on the
 * left is the usual 例規 practice; some municipalities print 改正前 first) and the titles of the
 * 決裁欄 stamp boxes printed on reports (e.g. 課長, CISO). One row per organisation, or none for
 * the defaults.
 */
export const documentSettings = pgTable('document_settings', {
	orgId: uuid('org_id')
		.primaryKey()
		.references(() => organizations.id, { onDelete: 'cascade' }),
	comparisonOrder: text('comparison_order').$type<ComparisonOrder>().notNull().default('new_first'),
	approvalBoxes: text('approval_boxes').array().notNull().default([]),
	/** The issuer printed on a 修了証: a position and a name; empty prints none. */
	certificateIssuerTitle: text('certificate_issuer_title').notNull().default(''),
	certificateIssuerName: text('certificate_issuer_name').notNull().default(''),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	updatedBy: uuid('updated_by').references(() => people.id)
});
