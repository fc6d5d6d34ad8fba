// The 自己点検 figures of one round or of a 年度's rounds: per item the はい / いいえ / 該当しない
// counts and the non-compliance rate (いいえ among はい+いいえ) with its interval, per top-level
// department the same rate (withheld where fewer than k people answered, as the weak spots do),
// completion per department, and the 改善計画 rows of the items. Read from the summary rows kept
// at answer time (inspection_item_stats, completion_counts), never from every answer. Shared by
// /insight/inspection, its export (the auditor's evidence file) and the 年度報告.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { campaigns, completionCounts, inspectionChecklists, inspectionItemStats, inspectionItems, type InspectionTier, type Role } from '../db/schema';
import { isUuid } from '../db/ids';
import { listDepartmentTree } from '../org/departments';
import { departmentColumns, topLevelIds } from '../insight/department-columns';
import { wilsonInterval, type Interval } from '../insight/statistics';
import { minGroupPeople, suppressedGroups } from '../insight/weak-spots/withholding';
import { publishedSections } from '../insight/weak-spots/sections';
import { sectionTitle } from '../policy/citation';
import { listImprovements, type ImprovementRow } from './improvements';

export type InspectionFilter = { campaignId: string } | { fiscalYear: number };

export interface InspectionRound {
	id: string;
	title: string;
	fiscalYear: number;
	archived: boolean;
	startsOn: string;
	dueOn: string;
	checklistId: string;
	checklistTitle: string;
	tier: InspectionTier;
}

export interface NonCompliance {
	yes: number;
	no: number;
	na: number;
	/** いいえ / (はい + いいえ), 0–1; null without a はい or いいえ. */
	rate: number | null;
	interval: Interval | null;
}

export type DepartmentCell = ({ suppressed: false } & NonCompliance) | { suppressed: true };

export interface ItemSection {
	key: string;
	/** As the document cites it: 6(5), 4(2)①; the key itself when no version has it. */
	citation: string;
	/** The citation and the section's heading or first words, when the viewer may see it. */
	title: string;
}

export interface InspectionItemFigures extends NonCompliance {
	itemId: string;
	checklistId: string;
	checklistTitle: string;
	tier: InspectionTier;
	/** 1-based place in its checklist. */
	number: number;
	text: string;
	auditItem: string | null;
	active: boolean;
	sections: ItemSection[];
	/** Fewer than k people answered the item's checklist: no figures at all. */
	suppressed: boolean;
	/** One per `departments` column, in order. */
	byDepartment: DepartmentCell[];
}

export interface InspectionDepartment {
	key: string;
	/** Null: people without a department. */
	departmentId: string | null;
	code: string | null;
	name: string | null;
	/** The column holds only the people directly in the department (its sub-departments are columns). */
	directOnly: boolean;
	assigned: number;
	completed: number;
	/** People who answered anything, over the rounds shown. */
	people: number;
}

export interface InspectionFigures {
	filter: InspectionFilter;
	/** Every round of the choice, with its completion (withheld ones too: completion is no answer). */
	rounds: (InspectionRound & { assigned: number; completed: number; people: number })[];
	/** Rounds of a 年度 left out: they had 1 to k−1 people, and the 年度 would give them away. */
	withheldRounds: { id: string; title: string }[];
	minGroupPeople: number;
	/** People who answered anything, over the rounds shown. */
	people: number;
	/** Completion over every round. */
	assigned: number;
	completed: number;
	/** Least followed first; items without a はい or いいえ last. */
	items: InspectionItemFigures[];
	departments: InspectionDepartment[];
	/** The 改善計画 of the items: unfinished ones, and those opened in or carried into the 年度. */
	improvements: ImprovementRow[];
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

export function nonCompliance(yes: number, no: number, na: number): NonCompliance {
	const n = yes + no;
	return { yes, no, na, rate: n > 0 ? no / n : null, interval: wilsonInterval(no, n) };
}

/** Least followed first: by rate, then the interval's lower bound, then the answers behind it. */
export const byLeastFollowed = (a: InspectionItemFigures, b: InspectionItemFigures): number =>
	Number(a.suppressed) - Number(b.suppressed) ||
	Number(a.rate === null) - Number(b.rate === null) ||
	(b.rate ?? 0) - (a.rate ?? 0) ||
	(b.interval?.low ?? 0) - (a.interval?.low ?? 0) ||
	b.yes + b.no - (a.yes + a.no) ||
	a.checklistTitle.localeCompare(b.checklistTitle, 'ja') ||
	a.number - b.number;

const roundColumns = {
	id: campaigns.id,
	title: campaigns.title,
	fiscalYear: campaigns.fiscalYear,
	archived: campaigns.archived,
	startsOn: campaigns.startsOn,
	dueOn: campaigns.dueOn,
	checklistId: inspectionChecklists.id,
	checklistTitle: inspectionChecklists.title,
	tier: inspectionChecklists.tier
};

/** The organisation's inspection rounds (newest first) and the 年度 that have any not archived. */
export async function inspectionChoices(db: DbOrTx, orgId: string): Promise<{ rounds: InspectionRound[]; years: number[] }> {
	const rounds = await db
		.select(roundColumns)
		.from(campaigns)
		.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(eq(campaigns.orgId, orgId), isNotNull(campaigns.checklistId)))
		.orderBy(desc(campaigns.fiscalYear), desc(campaigns.startsOn), asc(campaigns.title));
	const years = [...new Set(rounds.filter((r) => !r.archived).map((r) => r.fiscalYear))].sort((a, b) => b - a);
	return { rounds, years };
}

/**
 * The figures of a round, or of a 年度's rounds that are not archived. Null when the round is not
 * one of the organisation's inspection rounds. `roles` decides which 非公開 sections are named
 * (a citation is always given). Queries run one after another: `db` may be a transaction.
 */
export async function inspectionFigures(
	db: DbOrTx,
	orgId: string,
	filter: InspectionFilter,
	options: { roles: readonly Role[]; minGroupPeople?: number }
): Promise<InspectionFigures | null> {
	const k = options.minGroupPeople ?? minGroupPeople;
	if ('campaignId' in filter && !isUuid(filter.campaignId)) return null;
	const allRounds = await db
		.select(roundColumns)
		.from(campaigns)
		.innerJoin(inspectionChecklists, and(eq(inspectionChecklists.id, campaigns.checklistId), eq(inspectionChecklists.orgId, orgId)))
		.where(
			and(
				eq(campaigns.orgId, orgId),
				isNotNull(campaigns.checklistId),
				'campaignId' in filter
					? eq(campaigns.id, filter.campaignId.toLowerCase())
					: and(eq(campaigns.fiscalYear, filter.fiscalYear), eq(campaigns.archived, false))
			)
		)
		.orderBy(asc(campaigns.startsOn), asc(campaigns.title));
	if ('campaignId' in filter && allRounds.length === 0) return null;

	const countRows = allRounds.length
		? await db
				.select({
					campaignId: completionCounts.campaignId,
					departmentId: completionCounts.departmentId,
					assigned: sql<number>`sum(${completionCounts.assigned})::int`,
					completed: sql<number>`sum(${completionCounts.completed})::int`,
					people: sql<number>`sum(${completionCounts.attempted})::int`
				})
				.from(completionCounts)
				.where(
					and(
						eq(completionCounts.orgId, orgId),
						inArray(
							completionCounts.campaignId,
							allRounds.map((r) => r.id)
						)
					)
				)
				.groupBy(completionCounts.campaignId, completionCounts.departmentId)
		: [];
	const roundPeople = (id: string) => sum(countRows.filter((r) => r.campaignId === id).map((r) => r.people));

	// A 年度 sums rounds that can each be viewed alone: per checklist, rounds of 1 to k−1 people
	// that together stay under k would be given away by the 年度 minus the others, so they are left
	// out (as the weak spots leave out such campaigns).
	const withheld: typeof allRounds = [];
	if ('fiscalYear' in filter) {
		for (const checklistId of new Set(allRounds.map((r) => r.checklistId))) {
			const small = allRounds.filter((r) => r.checklistId === checklistId && roundPeople(r.id) > 0 && roundPeople(r.id) < k);
			if (sum(small.map((r) => roundPeople(r.id))) < k) withheld.push(...small);
		}
	}
	const rounds = allRounds.filter((r) => !withheld.includes(r));
	const ids = rounds.map((r) => r.id);
	const counts = countRows.filter((r) => ids.includes(r.campaignId));

	// Department columns, as the weak spots' heat map has them.
	const tree = await listDepartmentTree(db, orgId, { memberCounts: false });
	const { rows: columnRows, byId, columnOf } = departmentColumns(tree, topLevelIds(tree));
	const columnKey = (departmentId: string | null) => (departmentId === null ? 'none' : (columnOf.get(departmentId) ?? departmentId));
	const perColumn = new Map<string, { assigned: number; completed: number; people: number }>();
	// Completion counts every round; the people behind figures only the rounds shown.
	for (const r of countRows) {
		const key = columnKey(r.departmentId);
		const acc = perColumn.get(key) ?? { assigned: 0, completed: 0, people: 0 };
		acc.assigned += r.assigned;
		acc.completed += r.completed;
		if (ids.includes(r.campaignId)) acc.people += r.people;
		perColumn.set(key, acc);
	}

	const statRows = ids.length
		? await db
				.select({
					campaignId: inspectionItemStats.campaignId,
					itemId: inspectionItemStats.itemId,
					departmentId: inspectionItemStats.departmentId,
					yes: sql<number>`sum(${inspectionItemStats.yes})::int`,
					no: sql<number>`sum(${inspectionItemStats.no})::int`,
					na: sql<number>`sum(${inspectionItemStats.na})::int`
				})
				.from(inspectionItemStats)
				.where(and(eq(inspectionItemStats.orgId, orgId), inArray(inspectionItemStats.campaignId, ids)))
				.groupBy(inspectionItemStats.campaignId, inspectionItemStats.itemId, inspectionItemStats.departmentId)
		: [];
	const answersOf = new Map<string, number>();
	for (const r of statRows) answersOf.set(columnKey(r.departmentId), (answersOf.get(columnKey(r.departmentId)) ?? 0) + r.yes + r.no + r.na);

	const columnKeys = [
		...columnRows.map((r) => r.id),
		// Figures outside every column (no department, a tree changed since) are shown, never lost.
		...[...new Set([...perColumn.keys(), ...answersOf.keys()])]
			.filter((key) => !columnRows.some((r) => r.id === key))
			.sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
	].filter((key) => (perColumn.get(key)?.assigned ?? 0) > 0 || (answersOf.get(key) ?? 0) > 0);
	const departments: InspectionDepartment[] = columnKeys.map((key) => {
		const d = key === 'none' ? undefined : byId.get(key);
		const n = perColumn.get(key) ?? { assigned: 0, completed: 0, people: 0 };
		return {
			key,
			departmentId: key === 'none' ? null : key,
			code: d?.code ?? null,
			name: d?.name ?? null,
			directOnly: columnRows.find((r) => r.id === key)?.directOnly ?? false,
			...n
		};
	});

	// Withholding per checklist: an item's answers come only from its own checklist's rounds, so the
	// people behind a department's cell are those of that checklist's rounds.
	// Checklists of withheld rounds too: their items are listed, withheld, with their 改善計画.
	const checklistIds = [...new Set(allRounds.map((r) => r.checklistId))];
	const hiddenOf = new Map<string, { all: boolean; columns: Set<string> }>();
	for (const checklistId of checklistIds) {
		const own = rounds.filter((r) => r.checklistId === checklistId).map((r) => r.id);
		const ownCounts = counts.filter((r) => own.includes(r.campaignId));
		const people = new Map<string, number>();
		const shares = new Map<string, number>();
		for (const r of ownCounts) {
			const key = columnKey(r.departmentId);
			people.set(key, (people.get(key) ?? 0) + r.people);
			shares.set(`${r.campaignId} ${key}`, (shares.get(`${r.campaignId} ${key}`) ?? 0) + r.people);
		}
		const answers = new Map<string, number>();
		for (const r of statRows)
			if (own.includes(r.campaignId)) answers.set(columnKey(r.departmentId), (answers.get(columnKey(r.departmentId)) ?? 0) + r.yes + r.no + r.na);
		const smallShare = (key: string) => (own.length < 2 ? 0 : sum(own.map((id) => shares.get(`${id} ${key}`) ?? 0).filter((n) => n > 0 && n < k)));
		const groups = columnKeys
			.filter((key) => (people.get(key) ?? 0) > 0 || (answers.get(key) ?? 0) > 0)
			.map((key) => ({ key, people: people.get(key) ?? 0, answers: answers.get(key) ?? 0, smallShare: smallShare(key) }));
		hiddenOf.set(checklistId, { all: sum(ownCounts.map((r) => r.people)) < k, columns: suppressedGroups(groups, k) });
	}

	const itemRows = checklistIds.length
		? await db
				.select({
					id: inspectionItems.id,
					checklistId: inspectionItems.checklistId,
					checklistTitle: inspectionChecklists.title,
					tier: inspectionChecklists.tier,
					policyId: inspectionChecklists.policyId,
					position: inspectionItems.position,
					text: inspectionItems.text,
					sectionKeys: inspectionItems.sectionKeys,
					auditItem: inspectionItems.auditItem,
					active: inspectionItems.active
				})
				.from(inspectionItems)
				.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, inspectionItems.checklistId))
				.where(and(eq(inspectionItems.orgId, orgId), inArray(inspectionItems.checklistId, checklistIds)))
				.orderBy(asc(inspectionChecklists.title), asc(inspectionItems.position))
		: [];
	const answeredItems = new Set(statRows.map((r) => r.itemId));
	// Items taken out of a checklist stay when the rounds hold answers to them.
	const shownItems = itemRows.filter((i) => i.active || answeredItems.has(i.id));
	const policyIds = [...new Set(shownItems.flatMap((i) => (i.policyId ? [i.policyId] : [])))];
	const sections = await publishedSections(db, orgId, policyIds, options.roles);
	const sectionOf = (policyId: string | null, key: string): ItemSection => {
		const info = policyId ? sections.info(policyId, key) : null;
		const earlier = policyId ? sections.earlier(policyId, key) : null;
		const visible = policyId ? sections.visible(policyId, key) : false;
		const citation = info?.citation ?? earlier?.citation ?? key;
		const title =
			visible && info ? sectionTitle({ citation: info.citation, heading: info.heading, body: info.body }) : visible && earlier ? earlier.title : citation;
		return { key, citation, title };
	};

	type Acc = { yes: number; no: number; na: number };
	const totals = new Map<string, Acc>();
	const cells = new Map<string, Acc>();
	const add = (map: Map<string, Acc>, key: string, r: Acc) => {
		const a = map.get(key) ?? { yes: 0, no: 0, na: 0 };
		a.yes += r.yes;
		a.no += r.no;
		a.na += r.na;
		map.set(key, a);
	};
	for (const r of statRows) {
		add(totals, r.itemId, r);
		add(cells, `${r.itemId} ${columnKey(r.departmentId)}`, r);
	}
	// Numbered among the checklist's active items, as the people answering saw them.
	const numberOf = new Map<string, number>();
	for (const checklistId of checklistIds) {
		itemRows
			.filter((i) => i.checklistId === checklistId)
			.sort((a, b) => Number(b.active) - Number(a.active) || a.position - b.position)
			.forEach((i, n) => numberOf.set(i.id, n + 1));
	}
	const items: InspectionItemFigures[] = shownItems.map((i) => {
		const hidden = hiddenOf.get(i.checklistId) ?? { all: true, columns: new Set<string>() };
		const t = totals.get(i.id) ?? { yes: 0, no: 0, na: 0 };
		const figures = hidden.all ? nonCompliance(0, 0, 0) : nonCompliance(t.yes, t.no, t.na);
		return {
			itemId: i.id,
			checklistId: i.checklistId,
			checklistTitle: i.checklistTitle,
			tier: i.tier,
			number: numberOf.get(i.id) ?? i.position,
			text: i.text,
			auditItem: i.auditItem,
			active: i.active,
			sections: i.sectionKeys.map((key) => sectionOf(i.policyId, key)),
			...figures,
			suppressed: hidden.all,
			byDepartment: departments.map((d): DepartmentCell => {
				if (hidden.all || hidden.columns.has(d.key)) return { suppressed: true };
				const c = cells.get(`${i.id} ${d.key}`) ?? { yes: 0, no: 0, na: 0 };
				return { suppressed: false, ...nonCompliance(c.yes, c.no, c.na) };
			})
		};
	});
	items.sort(byLeastFollowed);

	const itemIds = new Set(itemRows.map((i) => i.id));
	const scope = { orgId, departmentIds: null, rootIds: [] };
	const years = [...new Set(rounds.map((r) => r.fiscalYear))];
	const found = new Map<string, ImprovementRow>();
	for (const r of await listImprovements(db, scope, { status: 'unfinished' })) found.set(r.id, r);
	for (const year of years) for (const r of await listImprovements(db, scope, { fiscalYear: year })) found.set(r.id, r);
	const improvements = [...found.values()]
		.filter((r) => itemIds.has(r.itemId))
		.sort(
			(a, b) =>
				Number(a.status === 'done') - Number(b.status === 'done') ||
				a.departmentCode.localeCompare(b.departmentCode) ||
				(numberOf.get(a.itemId) ?? 0) - (numberOf.get(b.itemId) ?? 0)
		);

	return {
		filter,
		rounds: allRounds.map((r) => {
			const own = countRows.filter((c) => c.campaignId === r.id);
			return { ...r, assigned: sum(own.map((c) => c.assigned)), completed: sum(own.map((c) => c.completed)), people: sum(own.map((c) => c.people)) };
		}),
		withheldRounds: withheld.map((r) => ({ id: r.id, title: r.title })),
		minGroupPeople: k,
		people: sum(counts.map((r) => r.people)),
		assigned: sum(countRows.map((r) => r.assigned)),
		completed: sum(countRows.map((r) => r.completed)),
		items,
		departments,
		improvements
	};
}
