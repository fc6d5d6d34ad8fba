// 弱点分析: which clauses of a policy staff get wrong, where, and whether a revision helped. Read
// only from the summary rows kept at submit (section_answer_stats, question_answer_stats,
// section_daily_stats) and by the assignment trigger (completion_counts), never from answers.
//
// Privacy: figures of a group (department, employment type, heat-map cell) of fewer than
// `minGroupPeople` people who submitted are withheld, and so is a second group where needed, so
// the withheld figures cannot be recovered by subtracting the shown ones from a shown total. A
// 年度 sums campaigns that can each be viewed alone, so the same holds across campaigns: what a
// group's small campaign shares add up to must be none or at least k people.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { citationOfPath, excerptOf, sectionCitation, sectionTitle, titlesOf, truncateText as truncate } from '../policy/citation';
import type { DbOrTx } from '../db/client';
import {
	campaigns,
	completionCounts,
	courses,
	employmentTypes,
	policies,
	policySections,
	policyVersions,
	questionAnswerStats,
	questions,
	sectionAnswerStats,
	sectionDailyStats,
	type ChangeKind,
	type EmploymentType,
	type Role
} from '../db/schema';
import { listDepartmentTree, type DepartmentNode } from '../org/departments';
import { isUuid } from '../db/ids';
import { canSeeRestricted } from '../policy/visibility';
import { compareVersions } from '../policy/policies';
import { comparePolicyVersions } from '../policy/diff';
import { japanDay } from '../../format/calendar';
import { SharedFigures } from './shared-figures';
import { interpretItem, itemAnalysis, itemMinAnswers, wilsonInterval, type Interval, type ItemInterpretation } from './statistics';

/** k of k-anonymity: groups with fewer people who submitted show no figures. */
export const minGroupPeople = 5;
/** Fewer answers than this in a period before or after a revision are not compared. */
export const effectMinAnswers = 20;
/** Question stems are cut here: the table is for finding a question, not for reading it. */
export const stemLength = 60;

export type WeakSpotFilter = { campaignId: string } | { fiscalYear: number };

export interface WeakSpotOptions {
	/** The viewer's roles: 非公開 policies and sections stay hidden from roles they do not name. */
	roles: readonly Role[];
	/** Heat map drill-down: this department's own people and each of its sub-departments. */
	departmentId?: string | null;
	minGroupPeople?: number;
	itemMinAnswers?: number;
}

export interface RateFigures {
	answers: number;
	errors: number;
	/** 0–1; null without answers. */
	errorRate: number | null;
	/** Wilson 95% interval of the error rate. */
	interval: Interval | null;
}

/** A breakdown cell: its figures, or nothing at all when the group is too small. */
export type GroupCell = ({ suppressed: false } & RateFigures) | { suppressed: true };

export interface DepartmentGroup {
	/** The department id, or 'none' for people without a department. */
	key: string;
	departmentId: string | null;
	code: string | null;
	name: string | null;
	/** Only the people directly in the department, its sub-departments being columns of their own. */
	directOnly: boolean;
	/** Sums sub-departments: the heat map can drill into it. */
	hasChildren: boolean;
	suppressed: boolean;
	/** People who submitted; null when suppressed. */
	people: number | null;
}

export interface EmploymentGroup {
	key: EmploymentType;
	suppressed: boolean;
	people: number | null;
}

export interface WeakSection extends RateFigures {
	policyId: string;
	key: string;
	/** From the published version; null when the key is not in it. */
	label: string | null;
	/** As the document cites it (6(3)②); null when the key is not in the published version. */
	citation: string | null;
	heading: string | null;
	/** The start of the text, for an item without a heading (①, ア). */
	excerpt: string | null;
	/** 「6(3)③ インターネット接続系においては…」, from the version in force or, for a key it no longer has, the newest version that had it. */
	title: string;
	/** In the order of `departments`. */
	byDepartment: GroupCell[];
	/** In the order of `employmentTypes`. */
	byEmploymentType: GroupCell[];
}

export interface WeakQuestion extends RateFigures {
	id: string;
	policyId: string;
	stem: string;
	sectionKeys: string[];
	/** The sections it cites, as the document cites them (6(3)②). */
	sections: string[];
	/** Mean score 0–1 (partial credit counts). */
	facility: number | null;
	/** Corrected item-rest correlation. */
	discrimination: number | null;
	interpretation: ItemInterpretation;
}

export interface WeakSpotCampaign {
	id: string;
	title: string;
	fiscalYear: number;
	courseId: string;
	courseTitle: string;
	policyId: string;
}

export interface WeakSpots {
	filter: WeakSpotFilter;
	campaigns: WeakSpotCampaign[];
	policies: { id: string; slug: string; title: string }[];
	/** People who submitted at least once, summed over the campaigns (延べ). */
	people: number;
	/** False when fewer than `minGroupPeople` submitted: then nothing below is filled. */
	shown: boolean;
	minGroupPeople: number;
	/** Worst first: by error rate, then by the interval's lower bound. */
	sections: WeakSection[];
	/** By error rate, worst first; those with too few answers to read last. */
	questions: WeakQuestion[];
	departments: DepartmentGroup[];
	employmentTypes: EmploymentGroup[];
	/** The drill-down from the top to `departmentId`; empty at the top. */
	departmentPath: { id: string; name: string }[];
	/**
	 * Campaigns of the 年度 left out of its figures: each had fewer than k people, together too,
	 * so the 年度 minus the others would give them away.
	 */
	withheldCampaigns: { id: string; title: string }[];
	/** Some group's figures are withheld: the page explains why, once. */
	suppressedAny: boolean;
}

export function rateFigures(answers: number, errors: number): RateFigures {
	return { answers, errors, errorRate: answers > 0 ? errors / answers : null, interval: wilsonInterval(errors, answers) };
}

/** A group as suppression sees it. */
export interface SuppressionGroup {
	key: string;
	people: number;
	answers: number;
	/**
	 * For a 年度, whose campaigns can each be viewed alone: the people of the group's shares of 1
	 * to k−1 people in single campaigns, which the 年度 minus the campaigns' own figures would
	 * give away. 0 (the default) for a single campaign.
	 */
	smallShare?: number;
}

/**
 * Which groups to withhold: those under k people or with 1 to k−1 people of small shares. Then,
 * since a shown total minus the shown groups gives the withheld ones' figures together, while
 * those hold 1 to k−1 people one more is withheld (the smallest); while they hold 1 to k−1
 * people of small shares, one more with small shares, and when there is none, every group. A
 * group with answers counts as at least one person (the counts can lag a transfer).
 */
export function suppressedGroups(groups: readonly SuppressionGroup[], k = minGroupPeople): Set<string> {
	const risky = (n: number) => n > 0 && n < k;
	const weighed = groups.map((g) => ({ key: g.key, people: g.people, weight: Math.max(g.people, g.answers > 0 ? 1 : 0), small: g.smallShare ?? 0 }));
	const hidden = new Set(weighed.filter((g) => g.people < k || risky(g.small)).map((g) => g.key));
	const shown = weighed.filter((g) => !hidden.has(g.key)).sort((a, b) => a.people - b.people || a.key.localeCompare(b.key));
	const hiddenSum = (of: (g: (typeof weighed)[number]) => number) => sum(weighed.filter((g) => hidden.has(g.key)).map(of));
	for (;;) {
		const shareRisk = risky(hiddenSum((g) => g.small));
		if (!shareRisk && !risky(hiddenSum((g) => g.weight))) return hidden;
		const next = shareRisk ? shown.find((g) => g.small > 0) : shown[0];
		if (!next) return new Set(weighed.map((g) => g.key));
		hidden.add(next.key);
		shown.splice(shown.indexOf(next), 1);
	}
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);


/** The campaigns a filter names, with their course's policy, for policies the viewer may see. */
async function filteredCampaigns(db: DbOrTx, orgId: string, filter: WeakSpotFilter, roles: readonly Role[]) {
	if ('campaignId' in filter && !isUuid(filter.campaignId)) return null;
	const rows = await db
		.select({
			id: campaigns.id,
			title: campaigns.title,
			fiscalYear: campaigns.fiscalYear,
			courseId: courses.id,
			courseTitle: courses.title,
			policyId: courses.policyId
		})
		.from(campaigns)
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(
			and(
				eq(campaigns.orgId, orgId),
				'campaignId' in filter ? eq(campaigns.id, filter.campaignId) : and(eq(campaigns.fiscalYear, filter.fiscalYear), eq(campaigns.archived, false))
			)
		)
		.orderBy(asc(campaigns.startsOn), asc(campaigns.title));
	if ('campaignId' in filter && rows.length === 0) return null;
	const policyIds = [...new Set(rows.flatMap((r) => (r.policyId ? [r.policyId] : [])))];
	const policyRows = policyIds.length
		? await db
				.select({ id: policies.id, slug: policies.slug, title: policies.title, restrictedTo: policies.restrictedTo, sortOrder: policies.sortOrder })
				.from(policies)
				.where(and(eq(policies.orgId, orgId), inArray(policies.id, policyIds)))
				.orderBy(asc(policies.sortOrder), asc(policies.title))
		: [];
	const visible = policyRows.filter((p) => canSeeRestricted(p.restrictedTo, roles));
	const visibleIds = new Set(visible.map((p) => p.id));
	return {
		campaigns: rows.filter((r): r is typeof r & { policyId: string } => r.policyId !== null && visibleIds.has(r.policyId)),
		policies: visible.map((p) => ({ id: p.id, slug: p.slug, title: p.title }))
	};
}

/** What the page offers to choose from: campaigns on a policy (newest first) and their 年度. */
export async function weakSpotChoices(db: DbOrTx, orgId: string): Promise<{ campaigns: { id: string; title: string; fiscalYear: number; archived: boolean }[]; years: number[] }> {
	const rows = await db
		.select({ id: campaigns.id, title: campaigns.title, fiscalYear: campaigns.fiscalYear, archived: campaigns.archived })
		.from(campaigns)
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(campaigns.orgId, orgId), sql`${courses.policyId} is not null`))
		.orderBy(desc(campaigns.fiscalYear), desc(campaigns.startsOn), asc(campaigns.title));
	const years = [...new Set(rows.filter((r) => !r.archived).map((r) => r.fiscalYear))].sort((a, b) => b - a);
	return { campaigns: rows, years };
}

interface SectionInfo {
	label: string;
	/** As the document cites it: 6(3)②. */
	citation: string;
	heading: string;
	body: string;
	excerpt: string | null;
	hidden: boolean;
}


/**
 * The sections of each policy's published version by key, with 非公開 applied as the reader does:
 * a hidden section hides its sub-items. `visible(policyId, key)` also answers for keys the version
 * no longer has, by their nearest hidden ancestor.
 */
async function publishedSections(db: DbOrTx, orgId: string, policyIds: string[], roles: readonly Role[]) {
	const rows = policyIds.length
		? await db
				.select({
					policyId: policyVersions.policyId,
					key: policySections.key,
					label: policySections.label,
					heading: policySections.heading,
					body: policySections.body,
					restrictedTo: policySections.restrictedTo
				})
				.from(policySections)
				.innerJoin(policyVersions, eq(policyVersions.id, policySections.versionId))
				.where(and(eq(policySections.orgId, orgId), eq(policyVersions.status, 'published'), inArray(policyVersions.policyId, policyIds)))
				.orderBy(asc(policySections.position))
		: [];
	const info = new Map<string, SectionInfo>();
	const hiddenKeys = new Map<string, string[]>();
	for (const r of rows) {
		const hiddenHere = hiddenKeys.get(r.policyId) ?? [];
		const hidden = hiddenHere.some((k) => r.key.startsWith(k + '.')) || !canSeeRestricted(r.restrictedTo, roles);
		if (hidden) hiddenHere.push(r.key);
		hiddenKeys.set(r.policyId, hiddenHere);
		const labelOf = (key: string) => info.get(`${r.policyId} ${key}`)?.label ?? (key === r.key ? r.label : undefined);
		info.set(`${r.policyId} ${r.key}`, {
			label: r.label,
			citation: sectionCitation(r.key, labelOf),
			heading: r.heading,
			body: r.body,
			excerpt: r.heading.trim() ? null : excerptOf(r.body),
			hidden
		});
	}
	const visible = (policyId: string, key: string) => {
		const known = info.get(`${policyId} ${key}`);
		if (known) return !known.hidden;
		return !(hiddenKeys.get(policyId) ?? []).some((k) => key === k || key.startsWith(k + '.')) && !earlier.get(`${policyId} ${key}`)?.hidden;
	};
	// Keys answered under an earlier version that the one in force no longer has: named as the
	// newest version that had them cites them, so no figure is left without a name.
	const earlier = await earlierSectionTitles(db, orgId, policyIds, roles, (policyId, key) => info.has(`${policyId} ${key}`));
	return {
		info: (policyId: string, key: string) => info.get(`${policyId} ${key}`) ?? null,
		earlier: (policyId: string, key: string) => earlier.get(`${policyId} ${key}`) ?? null,
		visible
	};
}

/**
 * Titles of the sections of superseded versions whose keys the version in force lacks, from the
 * newest version that had each; a 非公開 section (or one under it) is marked hidden.
 */
async function earlierSectionTitles(
	db: DbOrTx,
	orgId: string,
	policyIds: string[],
	roles: readonly Role[],
	inForce: (policyId: string, key: string) => boolean
): Promise<Map<string, { title: string; citation: string; hidden: boolean }>> {
	if (!policyIds.length) return new Map();
	const rows = await db
		.select({
			policyId: policyVersions.policyId,
			versionId: policyVersions.id,
			version: policyVersions.version,
			key: policySections.key,
			label: policySections.label,
			heading: policySections.heading,
			body: policySections.body,
			restrictedTo: policySections.restrictedTo
		})
		.from(policySections)
		.innerJoin(policyVersions, eq(policyVersions.id, policySections.versionId))
		.where(and(eq(policySections.orgId, orgId), eq(policyVersions.status, 'superseded'), inArray(policyVersions.policyId, policyIds)))
		.orderBy(asc(policySections.position));
	const byVersion = new Map<string, typeof rows>();
	for (const r of rows) byVersion.set(r.versionId, [...(byVersion.get(r.versionId) ?? []), r]);
	const versions = [...byVersion.values()].sort((a, b) => compareVersions(b[0].version, a[0].version));
	const found = new Map<string, { title: string; citation: string; hidden: boolean }>();
	const labelsOf = (list: typeof rows) => new Map(list.map((r) => [r.key, r.label]));
	for (const sections of versions) {
		const titles = titlesOf(sections);
		const labels = labelsOf(sections);
		const hiddenHere: string[] = [];
		for (const r of sections) {
			const hidden = hiddenHere.some((k) => r.key.startsWith(k + '.')) || !canSeeRestricted(r.restrictedTo, roles);
			if (hidden) hiddenHere.push(r.key);
			const id = `${r.policyId} ${r.key}`;
			if (inForce(r.policyId, r.key) || found.has(id)) continue;
			found.set(id, { title: titles.get(r.key)!, citation: sectionCitation(r.key, (k) => labels.get(k)), hidden });
		}
	}
	return found;
}

/**
 * Department columns one level into the view, as the completion dashboard has them: at the top
 * the top-level departments (部) with their subtrees; drilled into a department, its own people
 * plus each sub-department with its subtree.
 */
function departmentColumns(tree: DepartmentNode[], rootId: string | null) {
	const childIds = (id: string | null) => tree.filter((d) => d.parentId === id).map((d) => d.id);
	const roots = rootId ? [rootId] : childIds(null);
	const rows =
		roots.length === 1 && childIds(roots[0]).length > 0
			? [{ id: roots[0], directOnly: true }, ...childIds(roots[0]).map((id) => ({ id, directOnly: false }))]
			: roots.map((id) => ({ id, directOnly: false }));
	const byId = new Map(tree.map((d) => [d.id, d]));
	const rowIds = new Set(rows.map((r) => r.id));
	const directRoot = rows.find((r) => r.directOnly)?.id;
	// Each department's figures go to the column of its nearest ancestor-or-self that is one.
	const columnOf = new Map<string, string>();
	for (const d of tree) {
		const seen = new Set<string>();
		for (let cur: DepartmentNode | undefined = d; cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
			seen.add(cur.id);
			if (rowIds.has(cur.id) && !(cur.id === directRoot && cur.id !== d.id)) {
				columnOf.set(d.id, cur.id);
				break;
			}
		}
	}
	return { rows, byId, columnOf };
}

/**
 * Weak spots of a campaign or of a 年度's campaigns: per section of the campaigns' policies, the
 * error rate with its interval, broken down by department and employment type; per question, its
 * item analysis. Null when the campaign or the drill-down department is not the organisation's.
 * Queries run one after another: `db` may be a transaction.
 */
export async function weakSpots(db: DbOrTx, orgId: string, filter: WeakSpotFilter, options: WeakSpotOptions): Promise<WeakSpots | null> {
	const k = options.minGroupPeople ?? minGroupPeople;
	const scope = await filteredCampaigns(db, orgId, filter, options.roles);
	if (!scope) return null;
	const tree = await listDepartmentTree(db, orgId, { memberCounts: false });
	const drill = options.departmentId ?? null;
	if (drill !== null && !tree.some((d) => d.id === drill)) return null;

	const empty: WeakSpots = {
		filter,
		campaigns: scope.campaigns,
		policies: scope.policies,
		people: 0,
		shown: false,
		minGroupPeople: k,
		sections: [],
		questions: [],
		departments: [],
		employmentTypes: [],
		departmentPath: pathTo(tree, drill),
		withheldCampaigns: [],
		suppressedAny: false
	};
	if (scope.campaigns.length === 0) return empty;

	const allPeopleRows = await db
		.select({
			campaignId: completionCounts.campaignId,
			departmentId: completionCounts.departmentId,
			employmentType: completionCounts.employmentType,
			people: sql<number>`sum(${completionCounts.attempted})::int`
		})
		.from(completionCounts)
		.where(and(eq(completionCounts.orgId, orgId), inArray(completionCounts.campaignId, scope.campaigns.map((c) => c.id))))
		.groupBy(completionCounts.campaignId, completionCounts.departmentId, completionCounts.employmentType);
	const campaignPeople = (id: string) => sum(allPeopleRows.filter((r) => r.campaignId === id).map((r) => r.people));
	const small = scope.campaigns.filter((c) => campaignPeople(c.id) > 0 && campaignPeople(c.id) < k);
	const smallPeople = sum(small.map((c) => campaignPeople(c.id)));
	const withheld = 'fiscalYear' in filter && smallPeople < k ? small : [];
	const included = scope.campaigns.filter((c) => !withheld.includes(c));
	const ids = included.map((c) => c.id);
	const peopleRows = allPeopleRows.filter((r) => ids.includes(r.campaignId));
	const people = sum(peopleRows.map((r) => r.people));
	const withheldCampaigns = withheld.map((c) => ({ id: c.id, title: c.title }));
	if (people < k) return { ...empty, campaigns: included, people, withheldCampaigns };

	// Department columns and who is behind each.
	const { rows: columnRows, byId, columnOf } = departmentColumns(tree, drill);
	const inView = (departmentId: string | null) => drill === null || (departmentId !== null && columnOf.has(departmentId));
	const columnKey = (departmentId: string | null) => (departmentId === null ? 'none' : (columnOf.get(departmentId) ?? departmentId));

	// One pass over the section counts, summed per campaign and section by department column and by
	// employment type: each department's column is passed in, so a few hundred rows come back
	// instead of one per section and department. A department outside the drill-down gets no
	// column (null). Campaigns map to their policy here, which saves joining every row.
	const mapped = [...columnOf];
	const column =
		drill === null
			? sql<string | null>`coalesce(m.column_key, case when ${sectionAnswerStats.departmentId} is null then 'none' else ${sectionAnswerStats.departmentId}::text end)`
			: sql<string | null>`m.column_key`;
	const sectionRows = await db
		.select({
			campaignId: sectionAnswerStats.campaignId,
			key: sectionAnswerStats.sectionKey,
			column,
			employmentType: sectionAnswerStats.employmentType,
			byDepartment: sql<number>`grouping(${sectionAnswerStats.employmentType})`,
			answers: sql<number>`sum(${sectionAnswerStats.answers})::int`,
			errors: sql<number>`sum(${sectionAnswerStats.errors})::int`
		})
		.from(sectionAnswerStats)
		.leftJoin(
			sql`unnest(${sql.param(mapped.map(([id]) => id))}::uuid[], ${sql.param(mapped.map(([, key]) => key))}::text[]) as m(department_id, column_key)`,
			sql`m.department_id = ${sectionAnswerStats.departmentId}`
		)
		.where(and(eq(sectionAnswerStats.orgId, orgId), inArray(sectionAnswerStats.campaignId, ids)))
		.groupBy(
			sql`grouping sets ((${sectionAnswerStats.campaignId}, ${sectionAnswerStats.sectionKey}, ${column}), (${sectionAnswerStats.campaignId}, ${sectionAnswerStats.sectionKey}, ${sectionAnswerStats.employmentType}))`
		);
	const policyOf = new Map(included.map((c) => [c.id, c.policyId]));
	const byDepartmentRows = sectionRows.flatMap((r) =>
		Number(r.byDepartment) === 1 && r.column !== null ? [{ ...r, policyId: policyOf.get(r.campaignId) ?? null, column: r.column }] : []
	);
	const byTypeRows = sectionRows.flatMap((r) =>
		Number(r.byDepartment) === 0 && r.employmentType !== null ? [{ ...r, policyId: policyOf.get(r.campaignId) ?? null, employmentType: r.employmentType }] : []
	);
	const sections = await publishedSections(
		db,
		orgId,
		scope.policies.map((p) => p.id),
		options.roles
	);

	const columnPeople = new Map<string, number>();
	const columnShares = new Map<string, number>();
	for (const r of peopleRows) {
		if (!inView(r.departmentId)) continue;
		const key = columnKey(r.departmentId);
		columnPeople.set(key, (columnPeople.get(key) ?? 0) + r.people);
		columnShares.set(`${r.campaignId} ${key}`, (columnShares.get(`${r.campaignId} ${key}`) ?? 0) + r.people);
	}
	const columnAnswers = new Map<string, number>();
	for (const r of byDepartmentRows) columnAnswers.set(r.column, (columnAnswers.get(r.column) ?? 0) + r.answers);
	const columnKeys = [
		...columnRows.map((r) => r.id),
		// Figures outside every column (no department, or a tree changed since) are shown, never lost.
		...[...new Set([...columnPeople.keys(), ...columnAnswers.keys()])].filter((key) => !columnRows.some((r) => r.id === key)).sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
	].filter((key) => (columnPeople.get(key) ?? 0) > 0 || (columnAnswers.get(key) ?? 0) > 0);
	// Only a 年度 (several campaigns, each viewable alone) can be subtracted from.
	const smallShare = (shares: Map<string, number>, key: string) =>
		ids.length < 2 ? 0 : sum(ids.map((id) => shares.get(`${id} ${key}`) ?? 0).filter((n) => n > 0 && n < k));
	const hiddenColumns = suppressedGroups(
		columnKeys.map((key) => ({ key, people: columnPeople.get(key) ?? 0, answers: columnAnswers.get(key) ?? 0, smallShare: smallShare(columnShares, key) })),
		k
	);
	const departments: DepartmentGroup[] = columnKeys.map((key) => {
		const d = key === 'none' ? undefined : byId.get(key);
		const row = columnRows.find((r) => r.id === key);
		const suppressed = hiddenColumns.has(key);
		return {
			key,
			departmentId: key === 'none' ? null : key,
			code: d?.code ?? null,
			name: d?.name ?? null,
			directOnly: row?.directOnly ?? false,
			hasChildren: !!row && !row.directOnly && tree.some((c) => c.parentId === key),
			suppressed,
			people: suppressed ? null : (columnPeople.get(key) ?? 0)
		};
	});

	const typePeople = new Map<string, number>();
	const typeShares = new Map<string, number>();
	for (const r of peopleRows) {
		typePeople.set(r.employmentType, (typePeople.get(r.employmentType) ?? 0) + r.people);
		typeShares.set(`${r.campaignId} ${r.employmentType}`, (typeShares.get(`${r.campaignId} ${r.employmentType}`) ?? 0) + r.people);
	}
	const typeAnswers = new Map<string, number>();
	for (const r of byTypeRows) typeAnswers.set(r.employmentType, (typeAnswers.get(r.employmentType) ?? 0) + r.answers);
	const typeKeys = employmentTypes.filter((t) => (typePeople.get(t) ?? 0) > 0 || (typeAnswers.get(t) ?? 0) > 0);
	const hiddenTypes = suppressedGroups(
		typeKeys.map((key) => ({ key, people: typePeople.get(key) ?? 0, answers: typeAnswers.get(key) ?? 0, smallShare: smallShare(typeShares, key) })),
		k
	);
	const types: EmploymentGroup[] = typeKeys.map((key) => ({
		key,
		suppressed: hiddenTypes.has(key),
		people: hiddenTypes.has(key) ? null : (typePeople.get(key) ?? 0)
	}));

	// Sections: totals from the by-type rows (every answer has exactly one type).
	type Acc = { answers: number; errors: number };
	const add = (map: Map<string, Acc>, key: string, r: Acc) => {
		const a = map.get(key) ?? { answers: 0, errors: 0 };
		a.answers += r.answers;
		a.errors += r.errors;
		map.set(key, a);
	};
	const sectionKey = (policyId: string | null, key: string) => `${policyId} ${key}`;
	const totals = new Map<string, Acc>();
	const cells = new Map<string, Acc>();
	for (const r of byTypeRows) {
		if (!r.policyId || !sections.visible(r.policyId, r.key)) continue;
		add(totals, sectionKey(r.policyId, r.key), r);
		add(cells, `${sectionKey(r.policyId, r.key)} type ${r.employmentType}`, r);
	}
	for (const r of byDepartmentRows) {
		if (!r.policyId) continue;
		add(cells, `${sectionKey(r.policyId, r.key)} dept ${r.column}`, r);
	}
	const cell = (acc: Acc | undefined, suppressed: boolean): GroupCell =>
		suppressed ? { suppressed: true } : { suppressed: false, ...rateFigures(acc?.answers ?? 0, acc?.errors ?? 0) };
	const weak: WeakSection[] = [...totals].map(([id, acc]) => {
		const cut = id.indexOf(' ');
		const policyId = id.slice(0, cut);
		const key = id.slice(cut + 1);
		const s = sections.info(policyId, key);
		return {
			policyId,
			key,
			label: s?.label ?? null,
			citation: s?.citation ?? null,
			heading: s?.heading ?? null,
			excerpt: s?.excerpt ?? null,
			title: s ? sectionTitle({ citation: s.citation, heading: s.heading, body: s.body }) : (sections.earlier(policyId, key)?.title ?? key),
			...rateFigures(acc.answers, acc.errors),
			byDepartment: departments.map((d) => cell(cells.get(`${id} dept ${d.key}`), d.suppressed)),
			byEmploymentType: types.map((t) => cell(cells.get(`${id} type ${t.key}`), t.suppressed))
		};
	});
	weak.sort(
		(a, b) =>
			(b.errorRate ?? 0) - (a.errorRate ?? 0) ||
			(b.interval?.low ?? 0) - (a.interval?.low ?? 0) ||
			b.answers - a.answers ||
			a.key.localeCompare(b.key, 'en', { numeric: true })
	);

	return {
		...empty,
		campaigns: included,
		people,
		shown: true,
		withheldCampaigns,
		sections: weak,
		questions: await questionFigures(db, orgId, included, sections, options.itemMinAnswers ?? itemMinAnswers),
		departments,
		employmentTypes: types,
		suppressedAny: departments.some((d) => d.suppressed) || types.some((t) => t.suppressed)
	};
}

/** How long the weak-spot page reuses figures: a submit shows within this. */
export const weakSpotsReuseMs = 30_000;
const recentFigures = new SharedFigures<(WeakSpots & { computedAt: Date }) | null>(weakSpotsReuseMs);

/**
 * The weak-spot figures as the page shows them: computed at most once per view every
 * `weakSpotsReuseMs` (the view is the organisation, filter, drill-down and the roles that decide
 * which 非公開 sections show), however many people ask at once.
 */
export function recentWeakSpots(db: DbOrTx, orgId: string, filter: WeakSpotFilter, options: WeakSpotOptions) {
	const key = [orgId, JSON.stringify(filter), options.departmentId ?? '', [...options.roles].sort().join(','), options.minGroupPeople ?? '', options.itemMinAnswers ?? ''].join('|');
	return recentFigures.get(key, async () => {
		const spots = await weakSpots(db, orgId, filter, options);
		return spots && { ...spots, computedAt: new Date() };
	});
}

/** A publish changes the sections in force: the next view computes afresh. */
export function forgetRecentWeakSpots(orgId: string): void {
	recentFigures.forget(`${orgId}|`);
}

/**
 * Item analysis per question over the campaigns. With a partial draw each attempt's total covers
 * its own questions; the correlation still tells whether those who do well overall do well here.
 */
async function questionFigures(
	db: DbOrTx,
	orgId: string,
	scopeCampaigns: WeakSpotCampaign[],
	sections: Pick<Awaited<ReturnType<typeof publishedSections>>, 'visible' | 'info' | 'earlier'>,
	minAnswers: number
): Promise<WeakQuestion[]> {
	const { visible } = sections;
	// A cited key as the document cites it: from the version in force, or the newest that had it.
	const citationOf = (policyId: string, key: string) => sections.info(policyId, key)?.citation ?? sections.earlier(policyId, key)?.citation ?? key;
	const s = questionAnswerStats;
	const rows = await db
		.select({
			questionId: s.questionId,
			answers: sql<number>`sum(${s.answers})::int`,
			errors: sql<number>`sum(${s.errors})::int`,
			sumX: sql<number>`sum(${s.scoreSum})::float8`,
			sumX2: sql<number>`sum(${s.scoreSqSum})::float8`,
			sumY: sql<number>`sum(${s.totalSum})::float8`,
			sumY2: sql<number>`sum(${s.totalSqSum})::float8`,
			sumXY: sql<number>`sum(${s.crossSum})::float8`
		})
		.from(s)
		.where(and(eq(s.orgId, orgId), inArray(s.campaignId, scopeCampaigns.map((c) => c.id))))
		.groupBy(s.questionId);
	if (rows.length === 0) return [];
	const content = await db
		.select({ id: questions.id, courseId: questions.courseId, stem: questions.stem, sectionKeys: questions.sectionKeys })
		.from(questions)
		.where(and(eq(questions.orgId, orgId), inArray(questions.id, rows.map((r) => r.questionId))));
	const contentOf = new Map(content.map((q) => [q.id, q]));
	const policyOfCourse = new Map(scopeCampaigns.map((c) => [c.courseId, c.policyId]));
	const out: WeakQuestion[] = [];
	for (const r of rows) {
		const q = contentOf.get(r.questionId);
		const policyId = q ? policyOfCourse.get(q.courseId) : null;
		// A question citing a 非公開 section could give it away: left out with it.
		if (!q || !policyId || q.sectionKeys.some((key) => !visible(policyId, key))) continue;
		const item = itemAnalysis({ n: r.answers, sumX: r.sumX, sumX2: r.sumX2, sumY: r.sumY, sumY2: r.sumY2, sumXY: r.sumXY });
		out.push({
			id: q.id,
			policyId,
			stem: truncate(q.stem, stemLength),
			sectionKeys: [...q.sectionKeys],
			sections: q.sectionKeys.map((key) => citationOf(policyId, key)),
			...rateFigures(r.answers, r.errors),
			...item,
			interpretation: interpretItem(item.facility, item.discrimination, r.answers, minAnswers)
		});
	}
	// Questions with too few answers to read go last: a rate of one answer is no finding.
	const few = (q: WeakQuestion) => (q.interpretation === 'too_few' ? 1 : 0);
	return out.sort((a, b) => few(a) - few(b) || (b.errorRate ?? 0) - (a.errorRate ?? 0) || b.answers - a.answers || a.stem.localeCompare(b.stem));
}

function pathTo(tree: DepartmentNode[], departmentId: string | null): { id: string; name: string }[] {
	if (!departmentId) return [];
	const byId = new Map(tree.map((d) => [d.id, d]));
	const path: { id: string; name: string }[] = [];
	const seen = new Set<string>();
	for (let cur = byId.get(departmentId); cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
		seen.add(cur.id);
		path.unshift({ id: cur.id, name: cur.name });
	}
	return path;
}

// ---------------------------------------------------------------------------------------------
// Evidence for a revision draft

export interface WeakSpotEvidence {
	kind: 'weak_spots';
	/** ISO time the figures were taken. */
	takenAt: string;
	filter: WeakSpotFilter;
	campaigns: { id: string; title: string; fiscalYear: number }[];
	policyId: string;
	people: number;
	minGroupPeople: number;
	section: RateFigures & {
		key: string;
		label: string | null;
		citation: string | null;
		heading: string | null;
		excerpt: string | null;
		/** 1 for the worst section of the filter. */
		rank: number;
		/** Sections with answers under the filter. */
		of: number;
	};
	questions: WeakQuestion[];
	/** Top-level departments; withheld groups carry no figures. */
	byDepartment: (GroupCell & { key: string; name: string | null })[];
	byEmploymentType: (GroupCell & { key: EmploymentType })[];
}

/**
 * The figures behind a revision of one section, frozen as plain JSON for the draft: the section,
 * its questions and its breakdowns (already withheld where groups are small), the filter and the
 * time. Null when the filter, the policy or the section is not there for the viewer, or there are
 * no figures to freeze (no answers, or too few people).
 */
export async function weakSpotEvidence(
	db: DbOrTx,
	orgId: string,
	request: { policyId: string; sectionKey: string; campaignId?: string | null; fiscalYear?: number | null },
	options: { roles?: readonly Role[]; now?: Date } = {}
): Promise<WeakSpotEvidence | null> {
	const filter: WeakSpotFilter | null = request.campaignId
		? { campaignId: request.campaignId }
		: Number.isInteger(request.fiscalYear)
			? { fiscalYear: request.fiscalYear as number }
			: null;
	if (!filter) return null;
	const spots = await weakSpots(db, orgId, filter, { roles: options.roles ?? [] });
	if (!spots || !spots.shown) return null;
	const policySections = spots.sections.filter((s) => s.policyId === request.policyId);
	const index = policySections.findIndex((s) => s.key === request.sectionKey);
	if (index < 0) return null;
	const s = policySections[index];
	return {
		kind: 'weak_spots',
		takenAt: (options.now ?? new Date()).toISOString(),
		filter,
		campaigns: spots.campaigns.filter((c) => c.policyId === request.policyId).map((c) => ({ id: c.id, title: c.title, fiscalYear: c.fiscalYear })),
		policyId: s.policyId,
		people: spots.people,
		minGroupPeople: spots.minGroupPeople,
		section: {
			key: s.key,
			label: s.label,
			citation: s.citation,
			heading: s.heading,
			excerpt: s.excerpt,
			answers: s.answers,
			errors: s.errors,
			errorRate: s.errorRate,
			interval: s.interval,
			rank: index + 1,
			of: policySections.length
		},
		questions: spots.questions.filter((q) => q.policyId === s.policyId && q.sectionKeys.includes(s.key)),
		byDepartment: spots.departments.map((d, i) => ({ key: d.key, name: d.name, ...s.byDepartment[i] })),
		byEmploymentType: spots.employmentTypes.map((t, i) => ({ key: t.key, ...s.byEmploymentType[i] }))
	};
}

// ---------------------------------------------------------------------------------------------
// Effect of revisions

export interface PeriodFigures {
	/** First day counted (Japan time), or null from the beginning. */
	from: string | null;
	/** First day no longer counted, or null up to today. */
	until: string | null;
	answers: number;
	/** Withheld (null) unless `enough`. */
	errors: number | null;
	errorRate: number | null;
	interval: Interval | null;
	/** Enough answers (and people) to compare. */
	enough: boolean;
}

export interface SectionEffect {
	key: string;
	/** The key before the revision, when it was renumbered. */
	fromKey: string | null;
	/** …and how the earlier version cited it. */
	fromCitation: string | null;
	label: string;
	/** 「6(3)③ インターネット接続系においては…」 */
	title: string;
	heading: string;
	excerpt: string | null;
	before: PeriodFigures;
	after: PeriodFigures;
}

export interface VersionEffect {
	versionId: string;
	version: string;
	previousVersion: string;
	changeKind: ChangeKind;
	/** Japan day of publication: answers from this day on count as after. */
	publishedOn: string;
	sections: SectionEffect[];
}

export interface RevisionEffects {
	policyId: string;
	/** People who submitted in any campaign of a course on this policy (延べ). */
	people: number;
	shown: boolean;
	minAnswers: number;
	/** Newest first. */
	versions: VersionEffect[];
}

/**
 * For each published revision of a policy (一部改訂 or 全部改訂, with a publication time and a
 * previous version with text): the sections whose text changed, and their error rate over every
 * campaign on the policy before and from the publication day. Each period runs only while the
 * version concerned was in force, so a later revision does not blur an earlier one's effect.
 * Null when the policy is not there for the viewer.
 */
export async function revisionEffects(
	db: DbOrTx,
	orgId: string,
	policyId: string,
	options: { roles: readonly Role[]; minAnswers?: number; minGroupPeople?: number }
): Promise<RevisionEffects | null> {
	if (!isUuid(policyId)) return null;
	const minAnswers = options.minAnswers ?? effectMinAnswers;
	const [policy] = await db.select().from(policies).where(and(eq(policies.orgId, orgId), eq(policies.id, policyId)));
	if (!policy || !canSeeRestricted(policy.restrictedTo, options.roles)) return null;
	const history = (
		await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.policyId, policyId), inArray(policyVersions.status, ['published', 'superseded'])))
			.orderBy(desc(policyVersions.createdAt))
	).sort((a, b) => compareVersions(a.version, b.version));
	const [{ people }] = await db
		.select({ people: sql<number>`coalesce(sum(${completionCounts.attempted}), 0)::int` })
		.from(completionCounts)
		.innerJoin(campaigns, eq(campaigns.id, completionCounts.campaignId))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(completionCounts.orgId, orgId), eq(campaigns.orgId, orgId), eq(courses.policyId, policyId)));
	const shown = people >= (options.minGroupPeople ?? minGroupPeople);

	const viewer = { orgId, roles: options.roles };
	const revised: Omit<VersionEffect, 'sections'>[] = [];
	const changed = new Map<string, Omit<SectionEffect, 'before' | 'after'>[]>();
	for (let i = 1; i < history.length; i++) {
		const v = history[i];
		const prev = history[i - 1];
		if (v.changeKind === 'enacted' || !v.publishedAt || !v.textHeld || !prev.textHeld) continue;
		const comparison = await comparePolicyVersions(db, viewer, policy.slug, prev.version, v.version);
		if (!comparison) continue;
		revised.push({ versionId: v.id, version: v.version, previousVersion: prev.version, changeKind: v.changeKind, publishedOn: japanDay(v.publishedAt) });
		changed.set(
			v.id,
			comparison.changes
				.filter((c) => c.kind === 'changed' || (c.kind === 'moved' && (c.headingParts || c.bodyParts)))
				.map((c) => ({
					key: c.key,
					fromKey: c.fromKey ?? null,
					fromCitation: c.fromPath ? citationOfPath(c.fromPath) : null,
					label: c.label,
					heading: c.heading,
					excerpt: c.heading.trim() ? null : excerptOf(c.after?.body ?? ''),
					title: sectionTitle({ citation: citationOfPath(c.path), heading: c.heading, body: c.after?.body ?? '' })
				}))
		);
	}
	const keys = [...new Set([...changed.values()].flatMap((list) => list.flatMap((c) => (c.fromKey ? [c.key, c.fromKey] : [c.key]))))];
	const daily = keys.length
		? await db
				.select({
					key: sectionDailyStats.sectionKey,
					day: sectionDailyStats.day,
					answers: sql<number>`sum(${sectionDailyStats.answers})::int`,
					errors: sql<number>`sum(${sectionDailyStats.errors})::int`
				})
				.from(sectionDailyStats)
				.innerJoin(campaigns, eq(campaigns.id, sectionDailyStats.campaignId))
				.innerJoin(courses, eq(courses.id, campaigns.courseId))
				.where(and(eq(sectionDailyStats.orgId, orgId), eq(campaigns.orgId, orgId), eq(courses.policyId, policyId), inArray(sectionDailyStats.sectionKey, keys)))
				.groupBy(sectionDailyStats.sectionKey, sectionDailyStats.day)
		: [];

	// Publication days of every version in the history, to bound each period to one version in force.
	const publishedDays = history.flatMap((v) => (v.publishedAt ? [japanDay(v.publishedAt)] : [])).sort();
	const period = (key: string, from: string | null, until: string | null): PeriodFigures => {
		const rows = daily.filter((d) => d.key === key && (from === null || d.day >= from) && (until === null || d.day < until));
		const answers = sum(rows.map((r) => r.answers));
		const enough = shown && answers >= minAnswers;
		const errors = sum(rows.map((r) => r.errors));
		return {
			from,
			until,
			answers,
			errors: enough ? errors : null,
			errorRate: enough ? errors / answers : null,
			interval: enough ? wilsonInterval(errors, answers) : null,
			enough
		};
	};
	const versions: VersionEffect[] = revised.map((v) => {
		const previousDay = publishedDays.filter((d) => d < v.publishedOn).at(-1) ?? null;
		const nextDay = publishedDays.find((d) => d > v.publishedOn) ?? null;
		return {
			...v,
			sections: (changed.get(v.versionId) ?? []).map((c) => ({
				...c,
				before: period(c.fromKey ?? c.key, previousDay, v.publishedOn),
				after: period(c.key, v.publishedOn, nextDay)
			}))
		};
	});
	return { policyId, people, shown, minAnswers, versions: versions.reverse() };
}
