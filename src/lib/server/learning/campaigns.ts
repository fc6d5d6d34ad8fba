// Campaigns: a course (training) or a 点検票 (an inspection round) assigned to an audience, with a
// start, a due date and a 年度. Assignments follow the roster: people who enter the audience later
// get one; people who leave keep theirs.
import { and, asc, count, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	assignments,
	campaigns,
	completionCounts,
	courses,
	departments,
	employmentTypes,
	inspectionChecklists,
	people,
	personRoles,
	roles,
	type Role,
	type CampaignAudience,
	type EmploymentType,
	type ReminderSchedule
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { departmentSubtreeSql, existingDepartmentIds, listDepartmentTree, type OrgActor } from '../org/departments';
import { isUuid } from '../db/ids';
import { fiscalYearOf, parseJapaneseDate } from '../../format/wareki';
import { japanToday } from '../../format/calendar';

export type { CampaignAudience };

export const campaignTitleMax = 200;

export interface CampaignInput {
	/** A course's id (training) or a checklist's id (an inspection round). */
	subjectId: string;
	title: string;
	/** Null or absent: the 年度 of the start date. */
	fiscalYear?: number | null;
	/** YYYY-MM-DD */
	startsOn: string;
	/** YYYY-MM-DD, the last day to complete. */
	dueOn: string;
	audience: CampaignAudience;
}

/** What an edit may change; the course or checklist stays, as progress and answers belong to it. */
export type CampaignUpdate = Omit<CampaignInput, 'subjectId'>;

export type CampaignField =
	'subjectId' | 'roles' | 'title' | 'fiscalYear' | 'startsOn' | 'dueOn' | 'audience' | 'employmentTypes' | 'departmentIds' | 'createdSince';

export type CampaignProblemKey =
	| 'campaign.error.courseNotFound'
	| 'campaign.error.titleRequired'
	| 'campaign.error.titleTooLong'
	| 'campaign.error.fiscalYear'
	| 'campaign.error.startsOn'
	| 'campaign.error.dueOn'
	| 'campaign.error.dueBeforeStart'
	| 'campaign.error.dueInPast'
	| 'campaign.error.audienceEmpty'
	| 'campaign.error.employmentType'
	| 'campaign.error.departmentNotFound'
	| 'campaign.error.createdSince'
	| 'campaign.error.role';

/** A problem with one field of the form, as an i18n key. */
export interface CampaignProblem {
	field: CampaignField;
	key: CampaignProblemKey;
}

export type CampaignCreateResult = { ok: true; id: string; added: number } | { ok: false; reason: 'invalid'; problems: CampaignProblem[] };

export type CampaignUpdateResult = CampaignCreateResult | { ok: false; reason: 'not_found' | 'archived' };

interface CheckedFields {
	title: string;
	fiscalYear: number;
	startsOn: string;
	dueOn: string;
	audience: CampaignAudience;
}

const isIsoDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && parseJapaneseDate(value) === value;

/**
 * The audience as stored: `everyone` clears the filters (it means "no filter"); lists are
 * de-duplicated, types in their canonical order, ids in lower case as PostgreSQL prints them.
 */
export function normaliseAudience(audience: CampaignAudience): CampaignAudience {
	if (audience.everyone) return { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null };
	const types = new Set(audience.employmentTypes);
	const chosenRoles = new Set(audience.roles ?? []);
	return {
		everyone: false,
		employmentTypes: [
			...employmentTypes.filter((t) => types.has(t)),
			// Unknown values stay so the check can name them.
			...[...types].filter((t) => !(employmentTypes as readonly string[]).includes(t))
		],
		departmentIds: [...new Set(audience.departmentIds.map((id) => id.toLowerCase()))],
		createdSince: audience.createdSince || null,
		// Only when chosen, so audiences from before roles could be chosen read the same.
		...(chosenRoles.size
			? { roles: [...roles.filter((r) => chosenRoles.has(r)), ...[...chosenRoles].filter((r) => !(roles as readonly string[]).includes(r))] }
			: {})
	};
}

/** The audience's own rules, without the database. */
export function checkAudience(audience: CampaignAudience): CampaignProblem[] {
	const problems: CampaignProblem[] = [];
	if (audience.everyone) return problems;
	if (audience.employmentTypes.some((t) => !(employmentTypes as readonly string[]).includes(t))) {
		problems.push({ field: 'employmentTypes', key: 'campaign.error.employmentType' });
	}
	if ((audience.roles ?? []).some((r) => !(roles as readonly string[]).includes(r))) problems.push({ field: 'roles', key: 'campaign.error.role' });
	if (audience.departmentIds.some((id) => !isUuid(id))) problems.push({ field: 'departmentIds', key: 'campaign.error.departmentNotFound' });
	if (audience.createdSince !== null && !isIsoDate(audience.createdSince)) {
		problems.push({ field: 'createdSince', key: 'campaign.error.createdSince' });
	}
	if (audience.employmentTypes.length === 0 && audience.departmentIds.length === 0 && audience.createdSince === null && !audience.roles?.length) {
		problems.push({ field: 'audience', key: 'campaign.error.audienceEmpty' });
	}
	return problems;
}

/**
 * Title, dates, 年度 and audience, without the database. The 年度 defaults to the start date's;
 * one given must be a 年度 the campaign runs in (from the start date's to the due date's), so a
 * campaign started in March for the coming year's new staff can still count in that year.
 * A due date in the past is refused only when it is new (`previousDueOn` differs): a typo
 * there would make everyone overdue at once.
 */
export function checkCampaignFields(
	input: CampaignUpdate,
	options: { today: string; previousDueOn?: string }
): { ok: true; values: CheckedFields } | { ok: false; problems: CampaignProblem[] } {
	const problems: CampaignProblem[] = [];
	const title = input.title.trim();
	if (!title) problems.push({ field: 'title', key: 'campaign.error.titleRequired' });
	else if (title.length > campaignTitleMax) problems.push({ field: 'title', key: 'campaign.error.titleTooLong' });
	const startsOk = isIsoDate(input.startsOn);
	const dueOk = isIsoDate(input.dueOn);
	if (!startsOk) problems.push({ field: 'startsOn', key: 'campaign.error.startsOn' });
	if (!dueOk) problems.push({ field: 'dueOn', key: 'campaign.error.dueOn' });
	if (startsOk && dueOk) {
		if (input.dueOn < input.startsOn) problems.push({ field: 'dueOn', key: 'campaign.error.dueBeforeStart' });
		else if (input.dueOn < options.today && input.dueOn !== options.previousDueOn) {
			problems.push({ field: 'dueOn', key: 'campaign.error.dueInPast' });
		}
	}
	let fiscalYear = startsOk ? fiscalYearOf(input.startsOn) : 0;
	if (input.fiscalYear !== null && input.fiscalYear !== undefined) {
		const fy = input.fiscalYear;
		const inRange = Number.isInteger(fy) && (!startsOk || fy >= fiscalYearOf(input.startsOn)) && (!dueOk || fy <= fiscalYearOf(input.dueOn));
		if (!inRange || fy < 1989 || fy > 2999) problems.push({ field: 'fiscalYear', key: 'campaign.error.fiscalYear' });
		else fiscalYear = fy;
	}
	const audience = normaliseAudience(input.audience);
	problems.push(...checkAudience(audience));
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, values: { title, fiscalYear, startsOn: input.startsOn, dueOn: input.dueOn, audience } };
}

/** Departments of the audience that are not (or no longer) in the organisation. */
async function unknownDepartments(db: DbOrTx, orgId: string, audience: CampaignAudience): Promise<CampaignProblem[]> {
	if (audience.departmentIds.length === 0) return [];
	const known = await existingDepartmentIds(db, orgId, audience.departmentIds);
	return audience.departmentIds.some((id) => !known.has(id)) ? [{ field: 'departmentIds', key: 'campaign.error.departmentNotFound' }] : [];
}

/**
 * Who an audience reaches, as a condition on `people`: active people of the org, filtered by
 * employment type AND department (with sub-departments) AND registered on or after a date.
 * `everyone` is no filter; an audience with no filter and not `everyone` reaches nobody.
 */
export function audienceCondition(orgId: string, audience: CampaignAudience): SQL {
	const conditions: SQL[] = [eq(people.orgId, orgId), eq(people.active, true)];
	if (!audience.everyone) {
		const audienceRoles = (audience.roles ?? []).filter((r): r is Role => (roles as readonly string[]).includes(r));
		const filtered = audience.employmentTypes.length > 0 || audience.departmentIds.length > 0 || !!audience.createdSince || audienceRoles.length > 0;
		if ((audience.roles ?? []).length > 0 && audienceRoles.length === 0) conditions.push(sql`false`);
		if (audienceRoles.length > 0) {
			conditions.push(
				sql`exists (select 1 from ${personRoles} pr where pr.person_id = ${people.id} and pr.role::text = any(${sql.param(audienceRoles)}::text[]))`
			);
		}
		if (!filtered) conditions.push(sql`false`);
		if (audience.employmentTypes.length > 0) {
			// Stored data is trusted only this far: an unknown type matches nobody rather than failing the cast.
			const types = audience.employmentTypes.filter((t): t is EmploymentType => (employmentTypes as readonly string[]).includes(t));
			conditions.push(types.length > 0 ? inArray(people.employmentType, types) : sql`false`);
		}
		if (audience.departmentIds.length > 0) {
			conditions.push(sql`${people.departmentId} in (${departmentSubtreeSql(orgId, audience.departmentIds)})`);
		}
		if (audience.createdSince) {
			const since = isIsoDate(audience.createdSince) ? audience.createdSince : '9999-12-31';
			// Midnight of that day in Japan, so the index-friendly column stays bare.
			conditions.push(sql`${people.createdAt} >= (${since}::date::timestamp at time zone 'Asia/Tokyo')`);
		}
	}
	return and(...conditions)!;
}

/** Ids of the active people an audience reaches now. */
export async function audienceMemberIds(db: DbOrTx, orgId: string, audience: CampaignAudience): Promise<string[]> {
	const rows = await db.select({ id: people.id }).from(people).where(audienceCondition(orgId, audience));
	return rows.map((r) => r.id);
}

/** How many people an audience would reach, for the form's 「対象者数を確認する」. */
export async function previewAudience(
	db: DbOrTx,
	orgId: string,
	audience: CampaignAudience
): Promise<{ ok: true; count: number } | { ok: false; problems: CampaignProblem[] }> {
	const normalised = normaliseAudience(audience);
	const problems = [...checkAudience(normalised), ...(await unknownDepartments(db, orgId, normalised))];
	if (problems.length > 0) return { ok: false, problems };
	const [row] = await db.select({ n: count() }).from(people).where(audienceCondition(orgId, normalised));
	return { ok: true, count: row.n };
}

function firstCount(result: unknown): number {
	const rows = (result as { rows: { n: number }[] }).rows;
	return Number(rows[0]?.n ?? 0);
}

/**
 * Gives everyone the campaign's audience reaches an assignment unless they have one, copying
 * their department and employment type. One INSERT … SELECT, whatever the number of people.
 * `personIds` limits it to those people (the roster's new hires and transfers).
 */
export async function syncCampaignAssignments(
	tx: DbOrTx,
	campaign: { id: string; orgId: string; audience: CampaignAudience },
	options: { personIds?: readonly string[] } = {}
): Promise<number> {
	const conditions = [audienceCondition(campaign.orgId, campaign.audience)];
	if (options.personIds) conditions.push(sql`${people.id} = any(${sql.param([...options.personIds])}::uuid[])`);
	// Skipping those already assigned is cheaper than letting each one hit the conflict; the
	// ON CONFLICT still covers a concurrent sync.
	conditions.push(sql`not exists (select 1 from ${assignments} x where x.campaign_id = ${campaign.id}::uuid and x.person_id = ${people.id})`);
	const result = await tx.execute(sql`
		with added as (
			insert into assignments (org_id, campaign_id, person_id, department_id, employment_type)
			select ${people.orgId}, ${campaign.id}::uuid, ${people.id}, ${people.departmentId}, ${people.employmentType}
			from ${people}
			where ${and(...conditions)}
			on conflict (campaign_id, person_id) do nothing
			returning 1
		) select count(*)::int as n from added`);
	return firstCount(result);
}

/**
 * After the roster or an admin changed people: each open campaign (not archived, due today or
 * later) assigns those who now belong to its audience, and their open assignments of every
 * current campaign take their present department and employment type, so a transfer moves the
 * training still to do to the new department's figures. Completed records keep the department
 * they were completed in; deactivated people (leavers) are left exactly as they were.
 */
export async function syncAssignmentsForPeople(
	tx: DbOrTx,
	orgId: string,
	personIds: readonly string[],
	options: { today?: string } = {}
): Promise<{ added: number; moved: number }> {
	const ids = [...new Set(personIds.filter(isUuid).map((id) => id.toLowerCase()))];
	if (ids.length === 0) return { added: 0, moved: 0 };
	const today = options.today ?? japanToday();
	const open = await tx
		.select({ id: campaigns.id, orgId: campaigns.orgId, audience: campaigns.audience })
		.from(campaigns)
		.where(and(eq(campaigns.orgId, orgId), eq(campaigns.archived, false), gte(campaigns.dueOn, today)));
	let added = 0;
	for (const campaign of open) added += await syncCampaignAssignments(tx, campaign, { personIds: ids });
	const moved = await tx.execute(sql`
		with moved as (
			update assignments a set department_id = p.department_id, employment_type = p.employment_type
			from people p, campaigns c
			where a.org_id = ${orgId} and a.person_id = any(${sql.param(ids)}::uuid[]) and a.status <> 'completed'
				and p.id = a.person_id and p.org_id = ${orgId} and p.active
				and c.id = a.campaign_id and not c.archived
				and (a.department_id is distinct from p.department_id or a.employment_type <> p.employment_type)
			returning 1
		) select count(*)::int as n from moved`);
	return { added, moved: firstCount(moved) };
}

/** What a campaign can assign: courses, and checklists for an inspection round. */
export async function campaignSubjectOptions(
	db: DbOrTx,
	orgId: string
): Promise<{ courses: { id: string; title: string }[]; checklists: { id: string; title: string }[] }> {
	const courseRows = await db.select({ id: courses.id, title: courses.title }).from(courses).where(eq(courses.orgId, orgId)).orderBy(asc(courses.title));
	const checklistRows = await db
		.select({ id: inspectionChecklists.id, title: inspectionChecklists.title })
		.from(inspectionChecklists)
		.where(eq(inspectionChecklists.orgId, orgId))
		.orderBy(asc(inspectionChecklists.title));
	return { courses: courseRows, checklists: checklistRows };
}

/** The columns a campaign's subject fills: its course, or its checklist; null when neither is the organisation's. */
async function subjectInOrg(
	db: DbOrTx,
	orgId: string,
	subjectId: string
): Promise<{ courseId: string | null; checklistId: string | null; title: string } | null> {
	if (!isUuid(subjectId)) return null;
	const id = subjectId.toLowerCase();
	const [course] = await db
		.select({ id: courses.id, title: courses.title })
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.id, id)));
	if (course) return { courseId: course.id, checklistId: null, title: course.title };
	const [checklist] = await db
		.select({ id: inspectionChecklists.id, title: inspectionChecklists.title })
		.from(inspectionChecklists)
		.where(and(eq(inspectionChecklists.orgId, orgId), eq(inspectionChecklists.id, id)));
	return checklist ? { courseId: null, checklistId: checklist.id, title: checklist.title } : null;
}

/** Creates a campaign and assigns its audience in the same transaction. */
export async function createCampaign(db: DbOrTx, actor: OrgActor, input: CampaignInput, options: { today?: string } = {}): Promise<CampaignCreateResult> {
	const orgId = actor.orgId;
	const checked = checkCampaignFields(input, { today: options.today ?? japanToday() });
	const problems = checked.ok ? [] : [...checked.problems];
	const subject = await subjectInOrg(db, orgId, input.subjectId);
	if (!subject) problems.unshift({ field: 'subjectId', key: 'campaign.error.courseNotFound' });
	if (checked.ok) problems.push(...(await unknownDepartments(db, orgId, checked.values.audience)));
	if (!checked.ok || !subject || problems.length > 0) return { ok: false, reason: 'invalid', problems };
	const values = { ...checked.values, courseId: subject.courseId, checklistId: subject.checklistId };
	return db.transaction(async (tx) => {
		const [created] = await tx
			.insert(campaigns)
			.values({ orgId, ...values, createdBy: actor.personId })
			.returning({ id: campaigns.id });
		const added = await syncCampaignAssignments(tx, { id: created.id, orgId, audience: values.audience });
		await recordAudit(tx, actor, {
			action: 'campaign.create',
			targetType: 'campaign',
			targetId: created.id,
			detail: { after: values, added, ...(subject.checklistId ? { checklistTitle: subject.title } : {}) }
		});
		return { ok: true, id: created.id, added } as const;
	});
}

/**
 * Changes title, dates, 年度 or audience, then assigns whoever the audience reaches now.
 * Nobody loses an assignment: people outside a narrowed audience keep theirs and its record.
 */
export async function updateCampaign(
	db: DbOrTx,
	actor: OrgActor,
	campaignId: string,
	input: CampaignUpdate,
	options: { today?: string } = {}
): Promise<CampaignUpdateResult> {
	if (!isUuid(campaignId)) return { ok: false, reason: 'not_found' };
	const orgId = actor.orgId;
	const id = campaignId.toLowerCase();
	return db.transaction(async (tx): Promise<CampaignUpdateResult> => {
		// FOR UPDATE: two saves at once give a consistent before/after in the audit log.
		const [current] = await tx
			.select({
				title: campaigns.title,
				fiscalYear: campaigns.fiscalYear,
				startsOn: campaigns.startsOn,
				dueOn: campaigns.dueOn,
				audience: campaigns.audience,
				archived: campaigns.archived
			})
			.from(campaigns)
			.where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, id)))
			.for('update');
		if (!current) return { ok: false, reason: 'not_found' };
		if (current.archived) return { ok: false, reason: 'archived' };
		const checked = checkCampaignFields(input, { today: options.today ?? japanToday(), previousDueOn: current.dueOn });
		if (!checked.ok) return { ok: false, reason: 'invalid', problems: checked.problems };
		const departmentProblems = await unknownDepartments(tx, orgId, checked.values.audience);
		if (departmentProblems.length > 0) return { ok: false, reason: 'invalid', problems: departmentProblems };
		const { archived: _archived, ...before } = current;
		const after = checked.values;
		await tx
			.update(campaigns)
			.set(after)
			.where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, id)));
		const added = await syncCampaignAssignments(tx, { id, orgId, audience: after.audience });
		await recordAudit(tx, actor, { action: 'campaign.update', targetType: 'campaign', targetId: id, detail: { before, after, added } });
		return { ok: true, id, added };
	});
}

/**
 * Archives a campaign (or brings it back): it leaves the learners' lists and takes in no one
 * new; its assignments and their records stay.
 */
export async function archiveCampaign(
	db: DbOrTx,
	actor: OrgActor,
	campaignId: string,
	archived = true
): Promise<{ ok: true; changed: boolean } | { ok: false; reason: 'not_found' }> {
	if (!isUuid(campaignId)) return { ok: false, reason: 'not_found' };
	const id = campaignId.toLowerCase();
	return db.transaction(async (tx) => {
		const [current] = await tx
			.select({ archived: campaigns.archived })
			.from(campaigns)
			.where(and(eq(campaigns.orgId, actor.orgId), eq(campaigns.id, id)))
			.for('update');
		if (!current) return { ok: false, reason: 'not_found' } as const;
		if (current.archived === archived) return { ok: true, changed: false } as const;
		await tx
			.update(campaigns)
			.set({ archived })
			.where(and(eq(campaigns.orgId, actor.orgId), eq(campaigns.id, id)));
		await recordAudit(tx, actor, {
			action: archived ? 'campaign.archive' : 'campaign.restore',
			targetType: 'campaign',
			targetId: id
		});
		return { ok: true, changed: true } as const;
	});
}

export interface CampaignCounts {
	assigned: number;
	completed: number;
	inProgress: number;
	notStarted: number;
	/** Not completed, and the due date has passed. */
	overdue: number;
}

export interface CampaignSummary {
	id: string;
	title: string;
	/** Training (a course) or an inspection round (a checklist). */
	kind: CampaignKind;
	courseId: string | null;
	checklistId: string | null;
	/** The course's or the checklist's title. */
	subjectTitle: string;
	fiscalYear: number;
	startsOn: string;
	dueOn: string;
	archived: boolean;
	audience: CampaignAudience;
	counts: CampaignCounts;
}

type CountKey = 'campaign' | 'department' | 'employmentType';

/**
 * Assignment counts by status, per campaign and optionally per department or employment type.
 * Reads the summary rows a trigger keeps current (insight schema), never the assignments;
 * overdue follows from the campaign's due date.
 */
async function assignmentCounts(
	db: DbOrTx,
	orgId: string,
	campaignIds: string[],
	by: CountKey = 'campaign'
): Promise<{ campaignId: string; key: string | null; assigned: number; completed: number; inProgress: number }[]> {
	if (campaignIds.length === 0) return [];
	const key =
		by === 'department'
			? sql<string | null>`${completionCounts.departmentId}`
			: by === 'employmentType'
				? sql<string | null>`${completionCounts.employmentType}::text`
				: sql<string | null>`null::text`;
	const rows = await db
		.select({
			campaignId: completionCounts.campaignId,
			key,
			assigned: sql<number>`sum(${completionCounts.assigned})::int`,
			completed: sql<number>`sum(${completionCounts.completed})::int`,
			inProgress: sql<number>`sum(${completionCounts.inProgress})::int`
		})
		.from(completionCounts)
		.where(and(eq(completionCounts.orgId, orgId), inArray(completionCounts.campaignId, campaignIds)))
		.groupBy(completionCounts.campaignId, key);
	// A group whose people all moved away keeps a row of zeros: not a group any more.
	return rows.filter((r) => r.assigned > 0);
}

function countsOf(row: { assigned: number; completed: number; inProgress: number } | undefined, overdue: boolean): CampaignCounts {
	const assigned = row?.assigned ?? 0;
	const completed = row?.completed ?? 0;
	const inProgress = row?.inProgress ?? 0;
	return { assigned, completed, inProgress, notStarted: assigned - completed - inProgress, overdue: overdue ? assigned - completed : 0 };
}

export type CampaignKind = 'course' | 'inspection';

const summaryColumns = {
	id: campaigns.id,
	title: campaigns.title,
	kind: sql<CampaignKind>`case when ${campaigns.checklistId} is null then 'course' else 'inspection' end`,
	courseId: campaigns.courseId,
	checklistId: campaigns.checklistId,
	subjectTitle: sql<string>`coalesce(${courses.title}, ${inspectionChecklists.title})`,
	fiscalYear: campaigns.fiscalYear,
	startsOn: campaigns.startsOn,
	dueOn: campaigns.dueOn,
	archived: campaigns.archived,
	audience: campaigns.audience
};

/** The organisation's campaigns, latest due first within a 年度, each with its counts. */
export async function listCampaigns(
	db: DbOrTx,
	orgId: string,
	options: { fiscalYear?: number; includeArchived?: boolean; today?: string } = {}
): Promise<CampaignSummary[]> {
	const today = options.today ?? japanToday();
	const conditions = [eq(campaigns.orgId, orgId)];
	if (options.fiscalYear !== undefined) conditions.push(eq(campaigns.fiscalYear, options.fiscalYear));
	if (!options.includeArchived) conditions.push(eq(campaigns.archived, false));
	const rows = await db
		.select(summaryColumns)
		.from(campaigns)
		.leftJoin(courses, eq(courses.id, campaigns.courseId))
		.leftJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(...conditions))
		.orderBy(asc(campaigns.archived), desc(campaigns.fiscalYear), desc(campaigns.dueOn), asc(campaigns.title));
	const counts = new Map(
		(
			await assignmentCounts(
				db,
				orgId,
				rows.map((r) => r.id)
			)
		).map((c) => [c.campaignId, c])
	);
	return rows.map((r) => ({ ...r, counts: countsOf(counts.get(r.id), r.dueOn < today) }));
}

/** The 年度 that have campaigns, newest first, for the list's year select. */
export async function campaignFiscalYears(db: DbOrTx, orgId: string): Promise<number[]> {
	const rows = await db
		.selectDistinct({ fiscalYear: campaigns.fiscalYear })
		.from(campaigns)
		.where(eq(campaigns.orgId, orgId))
		.orderBy(desc(campaigns.fiscalYear));
	return rows.map((r) => r.fiscalYear);
}

export interface DepartmentCounts extends CampaignCounts {
	/** Null: people without a department. */
	departmentId: string | null;
	code: string | null;
	name: string | null;
	depth: number;
}

export interface CampaignDetail extends CampaignSummary {
	createdAt: Date;
	/** Null: no automatic reminders. */
	reminderSchedule: ReminderSchedule | null;
	createdByName: string | null;
	/** The audience's departments with names, in the order chosen. */
	audienceDepartments: { id: string; code: string; name: string }[];
	/** In department tree order; people without a department last. */
	byDepartment: DepartmentCounts[];
	byEmploymentType: (CampaignCounts & { employmentType: EmploymentType })[];
}

/** One campaign of the organisation with counts by status, department and employment type. */
export async function getCampaign(db: DbOrTx, orgId: string, campaignId: string, options: { today?: string } = {}): Promise<CampaignDetail | null> {
	if (!isUuid(campaignId)) return null;
	const [row] = await db
		.select({ ...summaryColumns, createdAt: campaigns.createdAt, createdByName: people.name, reminderSchedule: campaigns.reminderSchedule })
		.from(campaigns)
		.leftJoin(courses, eq(courses.id, campaigns.courseId))
		.leftJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.leftJoin(people, eq(people.id, campaigns.createdBy))
		.where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, campaignId.toLowerCase())));
	if (!row) return null;
	const overdue = row.dueOn < (options.today ?? japanToday());
	// One after another: `db` may be a transaction, which runs one query at a time.
	const [total] = await assignmentCounts(db, orgId, [row.id]);
	const perDepartment = await assignmentCounts(db, orgId, [row.id], 'department');
	const perType = await assignmentCounts(db, orgId, [row.id], 'employmentType');
	const tree = await listDepartmentTree(db, orgId);
	const treeIndex = new Map(tree.map((d, i) => [d.id, i]));
	// Tree order; people without a department last.
	const rank = (id: string | null) => (id === null ? tree.length : (treeIndex.get(id) ?? tree.length));
	const byDepartment = perDepartment
		.map((c) => {
			const d = c.key === null ? undefined : tree[rank(c.key)];
			return { departmentId: c.key, code: d?.code ?? null, name: d?.name ?? null, depth: d?.depth ?? 0, ...countsOf(c, overdue) };
		})
		.sort((a, b) => rank(a.departmentId) - rank(b.departmentId));
	const byEmploymentType = employmentTypes
		.map((type) => ({
			employmentType: type,
			...countsOf(
				perType.find((c) => c.key === type),
				overdue
			)
		}))
		.filter((c) => c.assigned > 0);
	const audienceDepartments = row.audience.departmentIds.flatMap((id) => {
		const d = tree[rank(id)];
		return d ? [{ id: d.id, code: d.code, name: d.name }] : [];
	});
	return { ...row, counts: countsOf(total, overdue), audienceDepartments, byDepartment, byEmploymentType };
}

/** Departments by id with code and name, for showing audiences in a list. */
export async function departmentNames(db: DbOrTx, orgId: string): Promise<Map<string, { code: string; name: string }>> {
	const rows = await db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).where(eq(departments.orgId, orgId));
	return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}
