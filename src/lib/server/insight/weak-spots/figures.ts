// The figures of a campaign or a 年度: per section the error rate with its interval and its
// breakdowns (withheld where groups are small), per question its item analysis.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { sectionTitle, truncateText as truncate } from '../../policy/citation';
import type { DbOrTx } from '../../db/client';
import {
	campaigns,
	completionCounts,
	courses,
	employmentTypes,
	inspectionChecklists,
	policies,
	questionAnswerStats,
	questions,
	sectionAnswerStats,
	type Role
} from '../../db/schema';
import { listDepartmentTree, type DepartmentNode } from '../../org/departments';
import { isUuid } from '../../db/ids';
import { canSeeRestricted } from '../../policy/visibility';
import { SharedFigures } from '../shared-figures';
import { interpretItem, itemAnalysis, itemMinAnswers } from '../statistics';
import { departmentColumns, topLevelIds } from '../department-columns';
import {
	byWeakness,
	rateFigures,
	sum,
	type DepartmentGroup,
	type EmploymentGroup,
	type GroupCell,
	type WeakQuestion,
	type WeakSection,
	type WeakSpotCampaign,
	type WeakSpotFilter,
	type WeakSpotOptions,
	type WeakSpotSource,
	type WeakSpots
} from './model';
import { minGroupPeople, suppressedGroups } from './withholding';
import { publishedSections, type PublishedSections } from './sections';

/** Question stems are cut here: the table is for finding a question, not for reading it. */
export const stemLength = 60;

/**
 * The campaigns a filter names, with their course's (or, for inspection rounds, their
 * checklist's) policy, for policies the viewer may see.
 */
async function filteredCampaigns(db: DbOrTx, orgId: string, filter: WeakSpotFilter, roles: readonly Role[], source: WeakSpotSource) {
	if ('campaignId' in filter && !isUuid(filter.campaignId)) return null;
	const subject = source === 'inspection' ? inspectionChecklists : courses;
	const rows = await db
		.select({
			id: campaigns.id,
			title: campaigns.title,
			fiscalYear: campaigns.fiscalYear,
			courseId: subject.id,
			courseTitle: subject.title,
			policyId: subject.policyId
		})
		.from(campaigns)
		.innerJoin(subject, eq(subject.id, source === 'inspection' ? campaigns.checklistId : campaigns.courseId))
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
export async function weakSpotChoices(
	db: DbOrTx,
	orgId: string
): Promise<{ campaigns: { id: string; title: string; fiscalYear: number; archived: boolean }[]; years: number[] }> {
	const rows = await db
		.select({ id: campaigns.id, title: campaigns.title, fiscalYear: campaigns.fiscalYear, archived: campaigns.archived })
		.from(campaigns)
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(campaigns.orgId, orgId), sql`${courses.policyId} is not null`))
		.orderBy(desc(campaigns.fiscalYear), desc(campaigns.startsOn), asc(campaigns.title));
	const years = [...new Set(rows.filter((r) => !r.archived).map((r) => r.fiscalYear))].sort((a, b) => b - a);
	return { campaigns: rows, years };
}
/**
 * Weak spots of a campaign or of a 年度's campaigns: per section of the campaigns' policies, the
 * error rate with its interval, broken down by department and employment type; per question, its
 * item analysis. Null when the campaign or the drill-down department is not the organisation's.
 * Queries run one after another: `db` may be a transaction.
 */
export async function weakSpots(db: DbOrTx, orgId: string, filter: WeakSpotFilter, options: WeakSpotOptions): Promise<WeakSpots | null> {
	const k = options.minGroupPeople ?? minGroupPeople;
	const source = options.source ?? 'quiz';
	const scope = await filteredCampaigns(db, orgId, filter, options.roles, source);
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
		.where(
			and(
				eq(completionCounts.orgId, orgId),
				inArray(
					completionCounts.campaignId,
					scope.campaigns.map((c) => c.id)
				)
			)
		)
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
	const { rows: columnRows, byId, columnOf } = departmentColumns(tree, drill ? [drill] : topLevelIds(tree));
	const inView = (departmentId: string | null) => drill === null || (departmentId !== null && columnOf.has(departmentId));
	const columnKey = (departmentId: string | null) => (departmentId === null ? 'none' : (columnOf.get(departmentId) ?? departmentId));

	// One pass over the section counts, summed per campaign and section by department column and by
	// employment type: each department's column is passed in, so a few hundred rows come back
	// instead of one per section and department. A department outside the drill-down gets no
	// column (null). Campaigns map to their policy here, which saves joining every row.
	const mapped = [...columnOf];
	const column =
		drill === null
			? sql<
					string | null
				>`coalesce(m.column_key, case when ${sectionAnswerStats.departmentId} is null then 'none' else ${sectionAnswerStats.departmentId}::text end)`
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
		...[...new Set([...columnPeople.keys(), ...columnAnswers.keys()])]
			.filter((key) => !columnRows.some((r) => r.id === key))
			.sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
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
	weak.sort(byWeakness);

	return {
		...empty,
		campaigns: included,
		people,
		shown: true,
		withheldCampaigns,
		sections: weak,
		questions: source === 'quiz' ? await questionFigures(db, orgId, included, sections, options.itemMinAnswers ?? itemMinAnswers) : [],
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
	const key = [
		orgId,
		JSON.stringify(filter),
		options.departmentId ?? '',
		[...options.roles].sort().join(','),
		options.minGroupPeople ?? '',
		options.itemMinAnswers ?? '',
		options.source ?? 'quiz'
	].join('|');
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
	sections: Pick<PublishedSections, 'visible' | 'info' | 'earlier'>,
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
		.where(
			and(
				eq(s.orgId, orgId),
				inArray(
					s.campaignId,
					scopeCampaigns.map((c) => c.id)
				)
			)
		)
		.groupBy(s.questionId);
	if (rows.length === 0) return [];
	const content = await db
		.select({ id: questions.id, courseId: questions.courseId, stem: questions.stem, sectionKeys: questions.sectionKeys })
		.from(questions)
		.where(
			and(
				eq(questions.orgId, orgId),
				inArray(
					questions.id,
					rows.map((r) => r.questionId)
				)
			)
		);
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
