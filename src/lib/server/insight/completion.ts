import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	inspectionChecklists,
	assignments,
	campaigns,
	completionCounts,
	courses,
	dailyCompletions,
	departments,
	employmentTypes,
	people,
	reminders,
	type AssignmentStatus,
	type EmploymentType
} from '../db/schema';
import { hasRole, type CurrentUser } from '../auth/current-user';
import { departmentSubtreeIds, listDepartmentTree } from '../org/departments';
import { isUuid } from '../db/ids';
import { departmentColumns } from './department-columns';
import { readQuery } from '../input/query';

/**
 * Whose completion a viewer may see: an admin sees the whole organisation (`departmentIds` null);
 * a supervisor the departments they supervise and everything below them. Every query here is
 * bounded by it, so a URL or a filter can never reach past it.
 */
export interface CompletionScope {
	orgId: string;
	departmentIds: string[] | null;
	/** The departments the view starts from: supervised ones, or the top level for an admin. */
	rootIds: string[];
}

export async function completionScopeFor(db: DbOrTx, user: CurrentUser): Promise<CompletionScope> {
	if (hasRole(user, 'admin')) {
		const tops = await db
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.orgId, user.orgId), isNull(departments.parentId)));
		return { orgId: user.orgId, departmentIds: null, rootIds: tops.map((d) => d.id) };
	}
	if (!hasRole(user, 'supervisor')) return { orgId: user.orgId, departmentIds: [], rootIds: [] };
	const ids = await departmentSubtreeIds(db, user.orgId, user.supervisedDepartmentIds);
	const inScope = new Set(ids);
	return { orgId: user.orgId, departmentIds: ids, rootIds: user.supervisedDepartmentIds.filter((id) => inScope.has(id)) };
}

export function scopeIncludes(scope: CompletionScope, departmentId: string | null): boolean {
	if (scope.departmentIds === null) return true;
	return departmentId !== null && scope.departmentIds.includes(departmentId);
}

/**
 * Narrows a scope to one department and its sub-departments. Null when the department is outside
 * the scope (or not a department of the organisation): the caller answers 404.
 */
export async function narrowScope(db: DbOrTx, scope: CompletionScope, departmentId: string): Promise<CompletionScope | null> {
	if (!isUuid(departmentId) || !scopeIncludes(scope, departmentId)) return null;
	const ids = await departmentSubtreeIds(db, scope.orgId, [departmentId]);
	if (ids.length === 0) return null;
	const allowed = scope.departmentIds === null ? ids : ids.filter((id) => scope.departmentIds!.includes(id));
	return { orgId: scope.orgId, departmentIds: allowed, rootIds: [departmentId] };
}

/** A condition on a table's department_id column that keeps rows inside the scope. */
function inScope(
	scope: CompletionScope,
	column: typeof assignments.departmentId | typeof completionCounts.departmentId | typeof dailyCompletions.departmentId
): SQL | undefined {
	if (scope.departmentIds === null) return undefined;
	if (scope.departmentIds.length === 0) return sql`false`;
	return inArray(column, scope.departmentIds);
}

export interface CompletionCounts {
	assigned: number;
	completed: number;
	inProgress: number;
	notStarted: number;
	/** Not completed and the due date has passed. */
	overdue: number;
}

function counts(row: { assigned: number; completed: number; inProgress: number } | undefined, pastDue: boolean): CompletionCounts {
	const assigned = row?.assigned ?? 0;
	const completed = row?.completed ?? 0;
	const inProgress = row?.inProgress ?? 0;
	return { assigned, completed, inProgress, notStarted: assigned - completed - inProgress, overdue: pastDue ? assigned - completed : 0 };
}

const summedCounts = {
	assigned: sql<number>`coalesce(sum(${completionCounts.assigned}), 0)::int`,
	completed: sql<number>`coalesce(sum(${completionCounts.completed}), 0)::int`,
	inProgress: sql<number>`coalesce(sum(${completionCounts.inProgress}), 0)::int`
};

/** A campaign's course or, for an inspection round, its checklist. */
const subjectTitle = sql<string>`coalesce(${courses.title}, ${inspectionChecklists.title})`;

export interface ScopedCampaign {
	id: string;
	title: string;
	/** The course's title, or the checklist's for an inspection round. */
	courseTitle: string;
	fiscalYear: number;
	startsOn: string;
	dueOn: string;
	counts: CompletionCounts;
}

/**
 * The current campaigns that reach anyone in the scope, with the scope's counts: those still
 * running first (soonest due first, the larger first on the same day), then past ones (latest due first).
 */
export async function campaignsInScope(db: DbOrTx, scope: CompletionScope, today: string): Promise<ScopedCampaign[]> {
	const rows = await db
		.select({
			id: campaigns.id,
			title: campaigns.title,
			courseTitle: subjectTitle,
			fiscalYear: campaigns.fiscalYear,
			startsOn: campaigns.startsOn,
			dueOn: campaigns.dueOn,
			...summedCounts
		})
		.from(completionCounts)
		.innerJoin(campaigns, eq(campaigns.id, completionCounts.campaignId))
		.leftJoin(courses, eq(courses.id, campaigns.courseId))
		.leftJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(eq(completionCounts.orgId, scope.orgId), eq(campaigns.archived, false), inScope(scope, completionCounts.departmentId)))
		.groupBy(campaigns.id, courses.title, inspectionChecklists.title)
		.having(sql`sum(${completionCounts.assigned}) > 0`);
	const running = rows
		.filter((r) => r.dueOn >= today)
		.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || b.assigned - a.assigned || a.title.localeCompare(b.title));
	const past = rows.filter((r) => r.dueOn < today).sort((a, b) => b.dueOn.localeCompare(a.dueOn) || a.title.localeCompare(b.title));
	return [...running, ...past].map((r) => ({
		id: r.id,
		title: r.title,
		courseTitle: r.courseTitle,
		fiscalYear: r.fiscalYear,
		startsOn: r.startsOn,
		dueOn: r.dueOn,
		counts: counts(r, r.dueOn < today)
	}));
}

export interface DepartmentCompletion extends CompletionCounts {
	/** Null: people without a department. */
	departmentId: string | null;
	code: string | null;
	name: string | null;
	/** True when the row sums sub-departments: the dashboard can drill into it. */
	hasChildren: boolean;
	/** The row counts only the people directly in a department whose sub-departments have rows of their own. */
	directOnly: boolean;
}

export interface CompletionDashboard {
	campaign: ScopedCampaign;
	totals: CompletionCounts;
	byDepartment: DepartmentCompletion[];
	byEmploymentType: (CompletionCounts & { employmentType: EmploymentType })[];
	/** Completions per day (Japan time) within the scope. */
	daily: { day: string; completed: number }[];
}

/** One campaign's completion inside the scope, read from the summary tables only. */
export async function completionDashboard(db: DbOrTx, scope: CompletionScope, campaignId: string, today: string): Promise<CompletionDashboard | null> {
	if (!isUuid(campaignId)) return null;
	const [campaign] = await db
		.select({
			id: campaigns.id,
			title: campaigns.title,
			courseTitle: subjectTitle,
			fiscalYear: campaigns.fiscalYear,
			startsOn: campaigns.startsOn,
			dueOn: campaigns.dueOn
		})
		.from(campaigns)
		.leftJoin(courses, eq(courses.id, campaigns.courseId))
		.leftJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(eq(campaigns.orgId, scope.orgId), eq(campaigns.id, campaignId)));
	if (!campaign) return null;
	const pastDue = campaign.dueOn < today;
	const where = and(eq(completionCounts.orgId, scope.orgId), eq(completionCounts.campaignId, campaign.id), inScope(scope, completionCounts.departmentId));
	// One after another: `db` may be a transaction, which runs one query at a time.
	const perDepartment = await db
		.select({ departmentId: completionCounts.departmentId, ...summedCounts })
		.from(completionCounts)
		.where(where)
		.groupBy(completionCounts.departmentId);
	const perType = await db
		.select({ employmentType: completionCounts.employmentType, ...summedCounts })
		.from(completionCounts)
		.where(where)
		.groupBy(completionCounts.employmentType);
	const daily = await db
		.select({ day: dailyCompletions.day, completed: sql<number>`sum(${dailyCompletions.completed})::int` })
		.from(dailyCompletions)
		.where(and(eq(dailyCompletions.orgId, scope.orgId), eq(dailyCompletions.campaignId, campaign.id), inScope(scope, dailyCompletions.departmentId)))
		.groupBy(dailyCompletions.day)
		.having(sql`sum(${dailyCompletions.completed}) <> 0`)
		.orderBy(asc(dailyCompletions.day));
	const tree = await listDepartmentTree(db, scope.orgId, { memberCounts: false });

	// Each department's counts go to the row of its nearest ancestor (or itself) that is a row.
	const { rows, rowIds, byId, columnOf: rowOf } = departmentColumns(tree, scope.rootIds);
	const sums = new Map<string | null, { assigned: number; completed: number; inProgress: number }>();
	for (const r of perDepartment) {
		const key = r.departmentId === null ? null : (rowOf.get(r.departmentId) ?? r.departmentId);
		const s = sums.get(key) ?? { assigned: 0, completed: 0, inProgress: 0 };
		s.assigned += r.assigned;
		s.completed += r.completed;
		s.inProgress += r.inProgress;
		sums.set(key, s);
	}
	const byDepartment: DepartmentCompletion[] = rows
		.filter((r) => (sums.get(r.id)?.assigned ?? 0) > 0)
		.map((r) => {
			const d = byId.get(r.id);
			return {
				departmentId: r.id,
				code: d?.code ?? null,
				name: d?.name ?? null,
				hasChildren: !r.directOnly && tree.some((c) => c.parentId === r.id),
				directOnly: r.directOnly,
				...counts(sums.get(r.id), pastDue)
			};
		});
	// Counts whose department is not under any row (no department, or a tree changed since): shown, never lost.
	for (const [key, s] of sums) {
		if (key !== null && rowIds.has(key)) continue;
		const d = key === null ? undefined : byId.get(key);
		byDepartment.push({ departmentId: key, code: d?.code ?? null, name: d?.name ?? null, hasChildren: false, directOnly: false, ...counts(s, pastDue) });
	}
	const total = perDepartment.reduce(
		(s, r) => ({ assigned: s.assigned + r.assigned, completed: s.completed + r.completed, inProgress: s.inProgress + r.inProgress }),
		{ assigned: 0, completed: 0, inProgress: 0 }
	);
	return {
		campaign: { ...campaign, counts: counts(total, pastDue) },
		totals: counts(total, pastDue),
		byDepartment,
		byEmploymentType: employmentTypes
			.map((type) => ({
				employmentType: type,
				...counts(
					perType.find((p) => p.employmentType === type),
					pastDue
				)
			}))
			.filter((c) => c.assigned > 0),
		daily
	};
}

export const personStatusFilters = ['all', 'incomplete', 'overdue', 'not_started', 'in_progress', 'completed'] as const;
export type PersonStatusFilter = (typeof personStatusFilters)[number];
export const personSorts = ['status', 'name', 'department', 'activity', 'completed', 'attempts'] as const;
export type PersonSort = (typeof personSorts)[number];

export interface PeopleFilter {
	status: PersonStatusFilter;
	employmentType: EmploymentType | null;
	sort: PersonSort;
	page: number;
	pageSize: number;
}

export interface CompletionPerson {
	assignmentId: string;
	personId: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	active: boolean;
	departmentName: string | null;
	employmentType: EmploymentType;
	status: AssignmentStatus;
	overdue: boolean;
	lastActivityAt: Date | null;
	attemptCount: number;
	completedAt: Date | null;
	/** The latest reminder's day (Japan time), manual or automatic. */
	lastRemindedOn: string | null;
}

function peopleConditions(
	scope: CompletionScope,
	campaignId: string,
	dueOn: string,
	today: string,
	filter: Pick<PeopleFilter, 'status' | 'employmentType'>
): SQL {
	const conditions: (SQL | undefined)[] = [
		eq(assignments.orgId, scope.orgId),
		eq(assignments.campaignId, campaignId),
		inScope(scope, assignments.departmentId)
	];
	if (filter.employmentType) conditions.push(eq(assignments.employmentType, filter.employmentType));
	const pastDue = dueOn < today;
	switch (filter.status) {
		case 'incomplete':
			conditions.push(sql`${assignments.status} <> 'completed'`);
			break;
		case 'overdue':
			conditions.push(pastDue ? sql`${assignments.status} <> 'completed'` : sql`false`);
			break;
		case 'not_started':
		case 'in_progress':
		case 'completed':
			conditions.push(eq(assignments.status, filter.status));
			break;
	}
	return and(...conditions)!;
}

const statusRank = sql`case ${assignments.status} when 'not_started' then 0 when 'in_progress' then 1 else 2 end`;

function orderFor(sort: PersonSort): SQL[] {
	const byName = [asc(people.nameKana), asc(people.employeeNumber)];
	switch (sort) {
		case 'name':
			return byName;
		case 'department':
			return [sql`${departments.code} asc nulls last`, ...byName];
		case 'activity':
			return [sql`${assignments.lastActivityAt} desc nulls last`, ...byName];
		case 'completed':
			return [sql`${assignments.completedAt} desc nulls last`, ...byName];
		case 'attempts':
			return [desc(assignments.attemptCount), ...byName];
		default:
			// Not completed first (overdue, when past due, is every one of them), then by department.
			return [statusRank, sql`${departments.code} asc nulls last`, ...byName];
	}
}

/**
 * The people of a campaign inside the scope, one page of them: status only — never answers or
 * scores, which are the learner's own.
 */
export async function completionPeople(
	db: DbOrTx,
	scope: CompletionScope,
	campaign: { id: string; dueOn: string },
	filter: PeopleFilter,
	today: string
): Promise<{ rows: CompletionPerson[]; total: number }> {
	const where = peopleConditions(scope, campaign.id, campaign.dueOn, today, filter);
	const [[{ total }], rows] = await Promise.all([
		db
			.select({ total: sql<number>`count(*)::int` })
			.from(assignments)
			.where(where),
		peopleQuery(db, where, filter.sort)
			.limit(filter.pageSize)
			.offset((Math.max(1, filter.page) - 1) * filter.pageSize)
	]);
	return { rows: await withLastReminders(db, rows, campaign, today), total };
}

/** Every matching person, for the CSV export: the same scope and filters, no paging. */
export async function allCompletionPeople(
	db: DbOrTx,
	scope: CompletionScope,
	campaign: { id: string; dueOn: string },
	filter: Pick<PeopleFilter, 'status' | 'employmentType' | 'sort'>,
	today: string
): Promise<CompletionPerson[]> {
	const rows = await peopleQuery(db, peopleConditions(scope, campaign.id, campaign.dueOn, today, filter), filter.sort);
	return withLastReminders(db, rows, campaign, today);
}

/**
 * Adds each row's latest reminder day. Read for the rows found rather than in the sorted query:
 * there it would be looked up for every person in scope before the page is cut.
 */
async function withLastReminders(
	db: DbOrTx,
	rows: Omit<CompletionPerson, 'overdue' | 'lastRemindedOn'>[],
	campaign: { dueOn: string },
	today: string
): Promise<CompletionPerson[]> {
	const ids = rows.map((r) => r.assignmentId);
	const latest = ids.length
		? await db
				.select({ assignmentId: reminders.assignmentId, on: sql<string>`max(${reminders.remindedOn})` })
				.from(reminders)
				.where(sql`${reminders.assignmentId} = any(${sql.param(ids)}::uuid[])`)
				.groupBy(reminders.assignmentId)
		: [];
	const lastOf = new Map(latest.map((r) => [r.assignmentId, r.on]));
	return rows.map((r) => ({ ...r, overdue: r.status !== 'completed' && campaign.dueOn < today, lastRemindedOn: lastOf.get(r.assignmentId) ?? null }));
}

function peopleQuery(db: DbOrTx, where: SQL, sort: PersonSort) {
	return db
		.select({
			assignmentId: assignments.id,
			personId: people.id,
			employeeNumber: people.employeeNumber,
			name: people.name,
			nameKana: people.nameKana,
			active: people.active,
			departmentName: departments.name,
			employmentType: assignments.employmentType,
			status: assignments.status,
			lastActivityAt: assignments.lastActivityAt,
			attemptCount: assignments.attemptCount,
			completedAt: assignments.completedAt
		})
		.from(assignments)
		.innerJoin(people, eq(people.id, assignments.personId))
		.leftJoin(departments, eq(departments.id, assignments.departmentId))
		.where(where)
		.orderBy(...orderFor(sort))
		.$dynamic();
}

/** Ids of the scope's incomplete assignments in a campaign, optionally narrowed, for "remind all". */
export async function incompleteAssignmentIds(
	db: DbOrTx,
	scope: CompletionScope,
	campaignId: string,
	employmentType: EmploymentType | null
): Promise<string[]> {
	if (!isUuid(campaignId)) return [];
	const rows = await db
		.select({ id: assignments.id })
		.from(assignments)
		.where(
			and(
				eq(assignments.orgId, scope.orgId),
				eq(assignments.campaignId, campaignId),
				inScope(scope, assignments.departmentId),
				sql`${assignments.status} <> 'completed'`,
				employmentType ? eq(assignments.employmentType, employmentType) : undefined
			)
		);
	return rows.map((r) => r.id);
}

/** Of the given assignment ids, those inside the scope, of the campaign and not completed. */
export async function remindableAssignmentIds(db: DbOrTx, scope: CompletionScope, campaignId: string, ids: readonly string[]): Promise<string[]> {
	const wanted = ids.filter(isUuid);
	if (wanted.length === 0 || !isUuid(campaignId)) return [];
	const rows = await db
		.select({ id: assignments.id })
		.from(assignments)
		.where(
			and(
				eq(assignments.orgId, scope.orgId),
				eq(assignments.campaignId, campaignId),
				inArray(assignments.id, wanted),
				inScope(scope, assignments.departmentId),
				or(eq(assignments.status, 'not_started'), eq(assignments.status, 'in_progress'))
			)
		);
	return rows.map((r) => r.id);
}

// 50 rows: a screenful or two to scan, and half the page weight of 100 for a 部 of thousands (the CSV has everyone).
export const peoplePageSize = 50;

/** The people-list filter from a query string (or a reminder form's copy of it); anything else is a 400. */
export function parsePeopleFilter(params: URL | URLSearchParams): PeopleFilter {
	const q = readQuery(params);
	return {
		status: q.choice('status', personStatusFilters) ?? 'all',
		employmentType: q.choice('type', employmentTypes),
		sort: q.choice('sort', personSorts) ?? 'status',
		page: q.page(),
		pageSize: peoplePageSize
	};
}

/** The departments from the scope's root down to `departmentId`, for the drill-down breadcrumb. */
export async function departmentPath(db: DbOrTx, scope: CompletionScope, departmentId: string): Promise<{ id: string; name: string }[]> {
	const tree = await listDepartmentTree(db, scope.orgId, { memberCounts: false });
	const byId = new Map(tree.map((d) => [d.id, d]));
	const path: { id: string; name: string }[] = [];
	const seen = new Set<string>();
	for (let cur = byId.get(departmentId); cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
		seen.add(cur.id);
		if (!scopeIncludes(scope, cur.id)) break;
		path.unshift({ id: cur.id, name: cur.name });
	}
	return path;
}

/** The scope's departments in tree order, for the people list's department filter. */
export async function scopeDepartments(db: DbOrTx, scope: CompletionScope): Promise<{ id: string; code: string; name: string; depth: number }[]> {
	const tree = await listDepartmentTree(db, scope.orgId, { memberCounts: false });
	const inside = tree.filter((d) => scopeIncludes(scope, d.id));
	// Depth relative to the shallowest shown, so a supervisor's own 課 is not indented.
	const top = Math.min(...inside.map((d) => d.depth));
	return inside.map((d) => ({ id: d.id, code: d.code, name: d.name, depth: d.depth - top }));
}
