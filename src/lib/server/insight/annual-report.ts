// 年度報告: what the training of one fiscal year reached, for the report the information-security
// committee receives. Totals come from the summary rows the assignment trigger keeps current
// (completion_counts) and the submit keeps current (section_answer_stats), never from every answer.
import { and, asc, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	assignments,
	campaigns,
	completionCounts,
	courses,
	departments,
	employmentTypes,
	organizations,
	people,
	sectionAnswerStats,
	type EmploymentType
} from '../db/schema';
import { percent, policyYear, type PolicyAcknowledgement, type ReportRevision, type SectionName } from './report-policies';
import { shortPolicyTitle } from '../revision/retraining';
import { inspectionFigures } from '../inspection/figures';
import type { ImprovementRow } from '../inspection/improvements';

export { percent };
export type { AcknowledgementFigures, PolicyAcknowledgement, ReportRevision, RevisionSectionChange, VersionAcknowledgement } from './report-policies';

/** Sections with fewer answers than this say more about chance than about understanding. */
export const weakSectionMinAnswers = 20;
export const weakSectionLimit = 10;
/** The printed list stops here; the count above it still says how many there are. */
export const overduePeopleLimit = 1000;

export interface CompletionFigures {
	assigned: number;
	completed: number;
	/** Percent completed, one decimal (87.5); null when nobody was assigned. */
	rate: number | null;
}

export interface ReportCampaign extends CompletionFigures {
	id: string;
	title: string;
	courseTitle: string;
	startsOn: string;
	dueOn: string;
	/** Assigned but not completed once the due date has passed; 0 before. */
	overdue: number;
}

export interface ReportDepartmentRow extends CompletionFigures {
	/** Null: people without a department. */
	departmentId: string | null;
	code: string | null;
	name: string | null;
}

export interface ReportEmploymentTypeRow extends CompletionFigures {
	employmentType: EmploymentType;
}

export interface OverduePerson {
	personId: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	/** False for people who have left since; their record still counts for the year. */
	active: boolean;
	departmentCode: string | null;
	departmentName: string | null;
	employmentType: EmploymentType;
	campaignId: string;
	campaignTitle: string;
	dueOn: string;
}

export interface WeakSection {
	policyId: string;
	/** The policy's name without the organisation's (基本方針). */
	policyTitle: string;
	/** Internal: what the answers were counted under. Never shown; `name.title` is. */
	sectionKey: string;
	name: SectionName;
	answers: number;
	errors: number;
	/** Percent of answers wrong, one decimal. */
	errorRate: number;
}

/** The 自己点検 section: how many least-followed items it lists. */
export const leastFollowedLimit = 10;

export interface ReportInspectionRound extends CompletionFigures {
	id: string;
	title: string;
	checklistTitle: string;
	dueOn: string;
}

export interface ReportInspectionItem {
	itemId: string;
	checklistTitle: string;
	/** Its place in the checklist. */
	number: number;
	text: string;
	auditItem: string | null;
	/** As the document cites them: 6(5)、4(2)①. */
	citations: string;
	yes: number;
	no: number;
	na: number;
	/** Percent いいえ among はい+いいえ, one decimal. */
	rate: number;
}

export interface ReportInspection {
	rounds: ReportInspectionRound[];
	totals: CompletionFigures;
	byDepartment: ReportDepartmentRow[];
	/** The least followed items whose figures may be shown, worst first. */
	leastFollowed: ReportInspectionItem[];
	/** Checklists answered by fewer than `minGroupPeople` people: their items are not listed. */
	withheldChecklists: string[];
	minGroupPeople: number;
	/** 改善計画 not yet 完了 for the items of the year's checklists. */
	openPlans: ImprovementRow[];
}

export interface AnnualReport {
	fiscalYear: number;
	today: string;
	organisation: { name: string; nameEn: string };
	campaigns: ReportCampaign[];
	totals: CompletionFigures & { overdue: number };
	byDepartment: ReportDepartmentRow[];
	byEmploymentType: ReportEmploymentTypeRow[];
	/** Campaigns of the year whose due date has passed. */
	campaignsPastDue: number;
	overduePeople: OverduePerson[];
	/** All overdue assignments; the list above may stop at `overduePeopleLimit`. */
	overdueTotal: number;
	/** Per policy, each version in force during the year. */
	acknowledgements: PolicyAcknowledgement[];
	/** Versions published during the year, in the order they were. */
	revisions: ReportRevision[];
	weakSections: WeakSection[];
	/** Null when the year has no inspection rounds. */
	inspection: ReportInspection | null;
}

const figures = (assigned: number, completed: number): CompletionFigures => ({ assigned, completed, rate: percent(completed, assigned) });

/** The 年度 that have campaigns (not archived), and the current one, newest first. */
export async function reportFiscalYears(db: DbOrTx, orgId: string, currentYear: number): Promise<number[]> {
	const rows = await db
		.selectDistinct({ fiscalYear: campaigns.fiscalYear })
		.from(campaigns)
		.where(and(eq(campaigns.orgId, orgId), eq(campaigns.archived, false)));
	return [...new Set([currentYear, ...rows.map((r) => r.fiscalYear)])].sort((a, b) => b - a);
}

/**
 * The annual report of a 年度 as of `today` (YYYY-MM-DD, Japan): campaigns, completion by
 * department and employment type, overdue people, acknowledgement of every version in force
 * during the year, the revisions published in it, and the sections answered worst. Queries run
 * one after another: `db` may be a transaction.
 */
export async function annualReport(db: DbOrTx, orgId: string, fiscalYear: number, today: string): Promise<AnnualReport> {
	const [org] = await db.select({ name: organizations.name, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, orgId));
	const yearCampaigns = await db
		.select({
			id: campaigns.id,
			title: campaigns.title,
			courseTitle: courses.title,
			startsOn: campaigns.startsOn,
			dueOn: campaigns.dueOn
		})
		.from(campaigns)
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(campaigns.orgId, orgId), eq(campaigns.fiscalYear, fiscalYear), eq(campaigns.archived, false)))
		.orderBy(asc(campaigns.startsOn), asc(campaigns.dueOn), asc(campaigns.title));
	const campaignIds = yearCampaigns.map((c) => c.id);
	const pastDueIds = yearCampaigns.filter((c) => c.dueOn < today).map((c) => c.id);

	const perCampaign = await completionBy(db, orgId, campaignIds, 'campaign');
	const countsOf = new Map(perCampaign.map((r) => [r.key, r]));
	const reportCampaigns: ReportCampaign[] = yearCampaigns.map((c) => {
		const n = countsOf.get(c.id) ?? { assigned: 0, completed: 0 };
		return { ...c, ...figures(n.assigned, n.completed), overdue: c.dueOn < today ? n.assigned - n.completed : 0 };
	});
	const assigned = reportCampaigns.reduce((s, c) => s + c.assigned, 0);
	const completed = reportCampaigns.reduce((s, c) => s + c.completed, 0);
	const overdueTotal = reportCampaigns.reduce((s, c) => s + c.overdue, 0);

	const byDepartment = await departmentCompletion(db, orgId, campaignIds);
	const perType = new Map((await completionBy(db, orgId, campaignIds, 'employmentType')).map((r) => [r.key, r]));
	const byEmploymentType = employmentTypes.map((employmentType) => {
		const n = perType.get(employmentType);
		return { employmentType, ...figures(n?.assigned ?? 0, n?.completed ?? 0) };
	});

	const answered = await answeredSections(db, orgId, campaignIds);
	const policy = await policyYear(db, orgId, fiscalYear, today, answered);

	return {
		fiscalYear,
		today,
		organisation: { name: org?.name ?? '', nameEn: org?.nameEn ?? '' },
		campaigns: reportCampaigns,
		totals: { ...figures(assigned, completed), overdue: overdueTotal },
		byDepartment,
		byEmploymentType,
		campaignsPastDue: pastDueIds.length,
		overduePeople: await overduePeople(db, orgId, pastDueIds),
		overdueTotal,
		acknowledgements: policy.acknowledgements,
		revisions: policy.revisions,
		weakSections: weakestSections(answered, policy.names, policy.policyTitles, organisationName(org)),
		inspection: await inspectionSection(db, orgId, fiscalYear)
	};
}

/** The year's 自己点検: completion per department, the least followed items, the open plans. */
async function inspectionSection(db: DbOrTx, orgId: string, fiscalYear: number): Promise<ReportInspection | null> {
	const found = await inspectionFigures(db, orgId, { fiscalYear }, { roles: [] });
	if (!found || found.rounds.length === 0) return null;
	const roundIds = found.rounds.map((r) => r.id);
	const withheldIds = new Set(found.withheldRounds.map((r) => r.id));
	const withheldChecklists = [
		...new Set([
			...found.items.filter((i) => i.suppressed).map((i) => i.checklistTitle),
			...found.rounds.filter((r) => withheldIds.has(r.id) && !found.items.some((i) => i.checklistId === r.checklistId)).map((r) => r.checklistTitle)
		])
	];
	return {
		rounds: found.rounds.map((r) => ({ id: r.id, title: r.title, checklistTitle: r.checklistTitle, dueOn: r.dueOn, ...figures(r.assigned, r.completed) })),
		totals: figures(found.assigned, found.completed),
		byDepartment: await departmentCompletion(db, orgId, roundIds),
		leastFollowed: found.items
			.filter((i) => !i.suppressed && i.rate !== null)
			.slice(0, leastFollowedLimit)
			.map((i) => ({
				itemId: i.itemId,
				checklistTitle: i.checklistTitle,
				number: i.number,
				text: i.text,
				auditItem: i.auditItem,
				citations: i.sections.map((s) => s.citation).join('、'),
				yes: i.yes,
				no: i.no,
				na: i.na,
				rate: percent(i.no, i.yes + i.no) ?? 0
			})),
		withheldChecklists,
		minGroupPeople: found.minGroupPeople,
		openPlans: found.improvements.filter((p) => p.status !== 'done')
	};
}

/** Summed completion_counts rows per campaign or per employment type. */
async function completionBy(
	db: DbOrTx,
	orgId: string,
	campaignIds: string[],
	by: 'campaign' | 'employmentType'
): Promise<{ key: string; assigned: number; completed: number }[]> {
	if (campaignIds.length === 0) return [];
	const key = by === 'campaign' ? sql<string>`${completionCounts.campaignId}::text` : sql<string>`${completionCounts.employmentType}::text`;
	return db
		.select({
			key,
			assigned: sql<number>`sum(${completionCounts.assigned})::int`,
			completed: sql<number>`sum(${completionCounts.completed})::int`
		})
		.from(completionCounts)
		.where(and(eq(completionCounts.orgId, orgId), inArray(completionCounts.campaignId, campaignIds)))
		.groupBy(key);
}

/** Every department with assignments in the campaigns, by code; people without a department last. */
async function departmentCompletion(db: DbOrTx, orgId: string, campaignIds: string[]): Promise<ReportDepartmentRow[]> {
	if (campaignIds.length === 0) return [];
	const assignedSum = sql<number>`sum(${completionCounts.assigned})::int`;
	const rows = await db
		.select({
			departmentId: completionCounts.departmentId,
			code: departments.code,
			name: departments.name,
			assigned: assignedSum,
			completed: sql<number>`sum(${completionCounts.completed})::int`
		})
		.from(completionCounts)
		.leftJoin(departments, eq(departments.id, completionCounts.departmentId))
		.where(and(eq(completionCounts.orgId, orgId), inArray(completionCounts.campaignId, campaignIds)))
		.groupBy(completionCounts.departmentId, departments.code, departments.name)
		// Rows left at zero by transfers are not departments with assignments.
		.having(sql`${assignedSum} > 0`)
		.orderBy(sql`${departments.code} asc nulls last`);
	return rows.map((r) => ({ departmentId: r.departmentId, code: r.code, name: r.name, ...figures(r.assigned, r.completed) }));
}

/**
 * People, active or not, with an assignment not completed in a campaign past its due date. The
 * department and employment type are the assignment's, as in the counts.
 */
async function overduePeople(db: DbOrTx, orgId: string, pastDueIds: string[]): Promise<OverduePerson[]> {
	if (pastDueIds.length === 0) return [];
	return db
		.select({
			personId: people.id,
			employeeNumber: people.employeeNumber,
			name: people.name,
			nameKana: people.nameKana,
			active: people.active,
			departmentCode: departments.code,
			departmentName: departments.name,
			employmentType: assignments.employmentType,
			campaignId: campaigns.id,
			campaignTitle: campaigns.title,
			dueOn: campaigns.dueOn
		})
		.from(assignments)
		.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
		.innerJoin(people, eq(people.id, assignments.personId))
		.leftJoin(departments, eq(departments.id, assignments.departmentId))
		.where(and(eq(assignments.orgId, orgId), inArray(assignments.campaignId, pastDueIds), ne(assignments.status, 'completed')))
		.orderBy(sql`${departments.code} asc nulls last`, asc(people.nameKana), asc(people.employeeNumber), asc(campaigns.dueOn), asc(campaigns.title))
		.limit(overduePeopleLimit);
}

const organisationName = (org: { name: string } | undefined) => org?.name ?? '';

interface AnsweredSection {
	policyId: string;
	key: string;
	answers: number;
	errors: number;
}

/**
 * Sections with enough answers over the year's campaigns, worst first. Keys belong to the policy
 * the course cites, so they are grouped per policy too.
 */
async function answeredSections(db: DbOrTx, orgId: string, campaignIds: string[]): Promise<AnsweredSection[]> {
	if (campaignIds.length === 0) return [];
	const answers = sql<number>`sum(${sectionAnswerStats.answers})::int`;
	const errors = sql<number>`sum(${sectionAnswerStats.errors})::int`;
	const rows = await db
		.select({ policyId: courses.policyId, key: sectionAnswerStats.sectionKey, answers, errors })
		.from(sectionAnswerStats)
		.innerJoin(campaigns, eq(campaigns.id, sectionAnswerStats.campaignId))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(sectionAnswerStats.orgId, orgId), inArray(sectionAnswerStats.campaignId, campaignIds), sql`${courses.policyId} is not null`))
		.groupBy(courses.policyId, sectionAnswerStats.sectionKey)
		.having(gte(answers, weakSectionMinAnswers))
		.orderBy(desc(sql`${errors}::float8 / ${answers}`), desc(answers), asc(sectionAnswerStats.sectionKey));
	return rows.flatMap((r) => (r.policyId ? [{ ...r, policyId: r.policyId }] : []));
}

/**
 * The worst sections that have a name to print: a section 非公開 where it is found, of a 非公開
 * policy, or in no version at all is left out rather than shown as a bare key.
 */
function weakestSections(answered: AnsweredSection[], names: Map<string, SectionName>, policyTitles: Map<string, string>, orgName: string): WeakSection[] {
	const out: WeakSection[] = [];
	for (const r of answered) {
		const name = names.get(`${r.policyId} ${r.key}`);
		if (!name) continue;
		out.push({
			policyId: r.policyId,
			policyTitle: shortPolicyTitle(policyTitles.get(r.policyId) ?? '', orgName),
			sectionKey: r.key,
			name,
			answers: r.answers,
			errors: r.errors,
			errorRate: percent(r.errors, r.answers) ?? 0
		});
		if (out.length === weakSectionLimit) break;
	}
	return out;
}
