// An inspection round as the person answering it sees it: their rounds, one round's items with
// the answers given so far, and saving answers. A save is one short transaction: the assignment
// row is locked (one person's saves one after another), the answers are written, and the summary
// rows — per item and per section, under the department and employment type the answer counts
// in — move by exactly the change, so the figures never read every answer.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db/client';
import {
	assignments,
	campaigns,
	improvementActions,
	inspectionChecklists,
	inspectionItems,
	inspectionResponses,
	inspectionAnswers,
	type EmploymentType,
	type InspectionAnswer,
	type InspectionTier,
	type ImprovementStatus
} from '../db/schema';
import { isUuid } from '../db/ids';
import { daysLeft, japanToday } from '../../format/calendar';
import { learnerStatus, type LearnerStatus } from '../learning/assignments';

/** A comment on one answer: a note, not a report. */
export const commentMax = 1000;

export interface LearnerRound {
	id: string;
	campaignId: string;
	campaignTitle: string;
	checklistId: string;
	checklistTitle: string;
	tier: InspectionTier;
	fiscalYear: number;
	startsOn: string;
	dueOn: string;
	status: LearnerStatus;
	daysLeft: number;
	answered: number;
	itemsTotal: number;
	completedAt: Date | null;
}

const itemsTotal = sql<number>`(select count(*)::int from ${inspectionItems} i where i.checklist_id = ${campaigns.checklistId} and i.active)`;
const answered = sql<number>`(select count(*)::int from ${inspectionResponses} r join ${inspectionItems} i on i.id = r.item_id
	where r.assignment_id = ${assignments.id} and i.active)`;

const roundColumns = {
	id: assignments.id,
	status: assignments.status,
	completedAt: assignments.completedAt,
	departmentId: assignments.departmentId,
	employmentType: assignments.employmentType,
	campaignId: campaigns.id,
	campaignTitle: campaigns.title,
	checklistId: inspectionChecklists.id,
	checklistTitle: inspectionChecklists.title,
	description: inspectionChecklists.description,
	policyId: inspectionChecklists.policyId,
	tier: inspectionChecklists.tier,
	fiscalYear: campaigns.fiscalYear,
	startsOn: campaigns.startsOn,
	dueOn: campaigns.dueOn,
	answered,
	itemsTotal
};

/** Like a course: rounds of campaigns that have started and are not archived. */
const visibleToPerson = (orgId: string, personId: string, today: string) =>
	and(eq(assignments.orgId, orgId), eq(assignments.personId, personId), eq(campaigns.archived, false), lte(campaigns.startsOn, today));

function shape<T extends { status: LearnerRound['status'] | 'not_started' | 'in_progress' | 'completed'; dueOn: string }>(row: T, today: string) {
	return { ...row, status: learnerStatus(row.status as 'not_started' | 'in_progress' | 'completed', row.dueOn, today), daysLeft: daysLeft(row.dueOn, today) };
}

/** The person's inspection rounds: overdue first, then by due date, completed last. */
export async function learnerRounds(db: DbOrTx, orgId: string, personId: string, today = japanToday()): Promise<LearnerRound[]> {
	if (!isUuid(personId)) return [];
	const rows = await db
		.select(roundColumns)
		.from(assignments)
		.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
		.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(visibleToPerson(orgId, personId, today));
	const rank: Record<LearnerStatus, number> = { overdue: 0, in_progress: 1, not_started: 1, completed: 2 };
	return rows
		.map(({ description: _d, policyId: _p, departmentId: _dept, employmentType: _type, ...r }) => shape(r, today))
		.sort((a, b) => rank[a.status] - rank[b.status] || a.dueOn.localeCompare(b.dueOn) || a.campaignTitle.localeCompare(b.campaignTitle, 'ja'));
}

export interface RoundItem {
	id: string;
	slug: string;
	position: number;
	text: string;
	explanation: string;
	sectionKeys: string[];
	answer: InspectionAnswer | null;
	comment: string;
	/** A 所属長's round: the department's plan still open for this item, from this round or an earlier one. */
	openPlan: { id: string; status: ImprovementStatus; plan: string; dueOn: string | null; fiscalYear: number } | null;
}

export interface RoundDetail extends LearnerRound {
	description: string;
	policyId: string | null;
	departmentId: string | null;
	items: RoundItem[];
}

/** One of the person's own rounds with its items and their answers; null when it is not theirs. */
export async function getRound(db: DbOrTx, orgId: string, personId: string, assignmentId: string, today = japanToday()): Promise<RoundDetail | null> {
	if (!isUuid(personId) || !isUuid(assignmentId)) return null;
	const [row] = await db
		.select(roundColumns)
		.from(assignments)
		.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
		.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(visibleToPerson(orgId, personId, today), eq(assignments.id, assignmentId.toLowerCase())));
	if (!row) return null;
	const items = await db
		.select({
			id: inspectionItems.id,
			slug: inspectionItems.slug,
			position: inspectionItems.position,
			text: inspectionItems.text,
			explanation: inspectionItems.explanation,
			sectionKeys: inspectionItems.sectionKeys,
			answer: inspectionResponses.answer,
			comment: inspectionResponses.comment
		})
		.from(inspectionItems)
		.leftJoin(inspectionResponses, and(eq(inspectionResponses.itemId, inspectionItems.id), eq(inspectionResponses.assignmentId, row.id)))
		.where(and(eq(inspectionItems.orgId, orgId), eq(inspectionItems.checklistId, row.checklistId), eq(inspectionItems.active, true)))
		.orderBy(asc(inspectionItems.position));
	const plans =
		row.tier === 'supervisor' && row.departmentId
			? await db
					.select({
						id: improvementActions.id,
						itemId: improvementActions.itemId,
						status: improvementActions.status,
						plan: improvementActions.plan,
						dueOn: improvementActions.dueOn,
						fiscalYear: improvementActions.fiscalYear
					})
					.from(improvementActions)
					.where(and(eq(improvementActions.orgId, orgId), eq(improvementActions.departmentId, row.departmentId), sql`${improvementActions.status} <> 'done'`))
			: [];
	const planOf = new Map(plans.map(({ itemId, ...p }) => [itemId, p]));
	const { employmentType: _type, ...rest } = row;
	return {
		...shape(rest, today),
		items: items.map((i) => ({ ...i, comment: i.comment ?? '', openPlan: planOf.get(i.id) ?? null }))
	};
}

export interface AnswerInput {
	itemId: string;
	answer: InspectionAnswer;
	comment: string;
}

export type SaveAnswersResult =
	{ ok: true; saved: number; answered: number; itemsTotal: number; completed: boolean; plansOpened: number } | { ok: false; reason: 'not_found' | 'invalid' };

type Group = { departmentId: string | null; employmentType: EmploymentType };
type Counts = { yes: number; no: number; na: number };

const groupKey = (g: Group) => `${g.departmentId ?? ''}|${g.employmentType}`;

/**
 * Saves the person's answers to items of their round. Answers equal to those stored change
 * nothing; a changed one moves its count in the summary rows from its old group and answer to
 * the new. When every active item has an answer the round is complete. A 所属長's いいえ opens
 * the department's 改善計画 row for the item (or carries on the one still open).
 */
export async function saveInspectionAnswers(
	db: DbOrTx,
	orgId: string,
	personId: string,
	assignmentId: string,
	input: readonly AnswerInput[],
	today = japanToday()
): Promise<SaveAnswersResult> {
	if (!isUuid(personId) || !isUuid(assignmentId)) return { ok: false, reason: 'not_found' };
	if (input.some((a) => !isUuid(a.itemId) || !inspectionAnswers.includes(a.answer) || a.comment.length > commentMax)) return { ok: false, reason: 'invalid' };
	const byItem = new Map(input.map((a) => [a.itemId.toLowerCase(), { ...a, comment: a.comment.trim() }]));
	const aId = assignmentId.toLowerCase();
	return db.transaction(async (tx): Promise<SaveAnswersResult> => {
		const [round] = await tx
			.select({
				id: assignments.id,
				status: assignments.status,
				departmentId: assignments.departmentId,
				employmentType: assignments.employmentType,
				campaignId: campaigns.id,
				fiscalYear: campaigns.fiscalYear,
				checklistId: campaigns.checklistId,
				tier: inspectionChecklists.tier
			})
			.from(assignments)
			.innerJoin(campaigns, and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId)))
			.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
			.where(and(visibleToPerson(orgId, personId, today), eq(assignments.id, aId)))
			.for('update', { of: assignments });
		if (!round || !round.checklistId) return { ok: false, reason: 'not_found' };
		const items = await tx
			.select({ id: inspectionItems.id, sectionKeys: inspectionItems.sectionKeys })
			.from(inspectionItems)
			.where(and(eq(inspectionItems.checklistId, round.checklistId), eq(inspectionItems.active, true)));
		const itemOf = new Map(items.map((i) => [i.id, i]));
		if ([...byItem.keys()].some((id) => !itemOf.has(id))) return { ok: false, reason: 'invalid' };

		const ids = [...byItem.keys()];
		const before = ids.length
			? await tx
					.select()
					.from(inspectionResponses)
					.where(and(eq(inspectionResponses.assignmentId, aId), inArray(inspectionResponses.itemId, ids)))
			: [];
		const old = new Map(before.map((r) => [r.itemId, r]));
		const group: Group = { departmentId: round.departmentId, employmentType: round.employmentType };
		const changed = ids.filter((id) => {
			const was = old.get(id);
			const want = byItem.get(id)!;
			return !was || was.answer !== want.answer || was.comment !== want.comment || groupKey(was) !== groupKey(group);
		});
		if (changed.length) {
			await tx
				.insert(inspectionResponses)
				.values(changed.map((id) => ({ assignmentId: aId, itemId: id, answer: byItem.get(id)!.answer, comment: byItem.get(id)!.comment, ...group })))
				.onConflictDoUpdate({
					target: [inspectionResponses.assignmentId, inspectionResponses.itemId],
					set: {
						answer: sql`excluded.answer`,
						comment: sql`excluded.comment`,
						departmentId: sql`excluded.department_id`,
						employmentType: sql`excluded.employment_type`,
						answeredAt: sql`now()`
					}
				});
			await moveCounts(tx, orgId, round.campaignId, changed, old, byItem, group, itemOf);
		}

		const [{ n: answeredNow }] = await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(inspectionResponses)
			.innerJoin(inspectionItems, and(eq(inspectionItems.id, inspectionResponses.itemId), eq(inspectionItems.active, true)))
			.where(eq(inspectionResponses.assignmentId, aId));
		const completed = items.length > 0 && answeredNow >= items.length;
		if (changed.length || (completed && round.status !== 'completed')) {
			await tx
				.update(assignments)
				.set({
					status: completed ? 'completed' : answeredNow > 0 ? 'in_progress' : round.status,
					// For a round, 1 once anything is answered: the people behind its figures.
					attemptCount: answeredNow > 0 ? 1 : 0,
					startedAt: sql`coalesce(${assignments.startedAt}, now())`,
					completedAt: completed ? sql`coalesce(${assignments.completedAt}, now())` : null,
					lastActivityAt: sql`now()`
				})
				.where(eq(assignments.id, aId));
		}
		const plansOpened =
			round.tier === 'supervisor' && round.departmentId
				? await followPlans(tx, orgId, round.departmentId, round.campaignId, round.fiscalYear, changed, old, byItem)
				: 0;
		return { ok: true, saved: changed.length, answered: answeredNow, itemsTotal: items.length, completed, plansOpened };
	});
}

/** The summary rows move by the difference between the answers before and after. */
async function moveCounts(
	tx: DbOrTx,
	orgId: string,
	campaignId: string,
	changed: readonly string[],
	old: ReadonlyMap<string, { answer: InspectionAnswer; departmentId: string | null; employmentType: EmploymentType }>,
	byItem: ReadonlyMap<string, AnswerInput>,
	group: Group,
	itemOf: ReadonlyMap<string, { sectionKeys: string[] }>
): Promise<void> {
	const itemDelta = new Map<string, Group & Counts & { itemId: string }>();
	const sectionDelta = new Map<string, Group & { sectionKey: string; answers: number; errors: number }>();
	const add = (itemId: string, g: Group, answer: InspectionAnswer, sign: 1 | -1) => {
		const key = `${itemId}|${groupKey(g)}`;
		const d = itemDelta.get(key) ?? { itemId, ...g, yes: 0, no: 0, na: 0 };
		d[answer] += sign;
		itemDelta.set(key, d);
		for (const sectionKey of itemOf.get(itemId)?.sectionKeys ?? []) {
			const sk = `${sectionKey}|${groupKey(g)}`;
			const s = sectionDelta.get(sk) ?? { sectionKey, ...g, answers: 0, errors: 0 };
			if (answer !== 'na') s.answers += sign;
			if (answer === 'no') s.errors += sign;
			sectionDelta.set(sk, s);
		}
	};
	for (const id of changed) {
		const was = old.get(id);
		if (was) add(id, { departmentId: was.departmentId, employmentType: was.employmentType }, was.answer, -1);
		add(id, group, byItem.get(id)!.answer, 1);
	}
	// Sorted, so concurrent saves take the rows' locks in the same order. Enum arrays travel as
	// text[] and are cast in the query: the embedded database's driver knows no enum array type.
	const items = [...itemDelta.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([, d]) => d)
		.filter((d) => d.yes || d.no || d.na);
	if (items.length) {
		await tx.execute(sql`
			insert into inspection_item_stats as s (org_id, campaign_id, item_id, department_id, employment_type, yes, no, na)
			select ${orgId}::uuid, ${campaignId}::uuid, d.item_id, d.department_id, d.employment_type::employment_type, d.yes, d.no, d.na
			from unnest(${sql.param(items.map((d) => d.itemId))}::uuid[], ${sql.param(items.map((d) => d.departmentId))}::uuid[],
				${sql.param(items.map((d) => d.employmentType))}::text[], ${sql.param(items.map((d) => d.yes))}::int[],
				${sql.param(items.map((d) => d.no))}::int[], ${sql.param(items.map((d) => d.na))}::int[])
				as d(item_id, department_id, employment_type, yes, no, na)
			on conflict (campaign_id, item_id, department_id, employment_type)
			do update set yes = s.yes + excluded.yes, no = s.no + excluded.no, na = s.na + excluded.na`);
	}
	const sections = [...sectionDelta.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([, d]) => d)
		.filter((d) => d.answers || d.errors);
	if (sections.length) {
		await tx.execute(sql`
			insert into section_answer_stats as s (org_id, campaign_id, section_key, department_id, employment_type, answers, errors)
			select ${orgId}::uuid, ${campaignId}::uuid, d.section_key, d.department_id, d.employment_type::employment_type, d.answers, d.errors
			from unnest(${sql.param(sections.map((d) => d.sectionKey))}::text[], ${sql.param(sections.map((d) => d.departmentId))}::uuid[],
				${sql.param(sections.map((d) => d.employmentType))}::text[], ${sql.param(sections.map((d) => d.answers))}::int[],
				${sql.param(sections.map((d) => d.errors))}::int[])
				as d(section_key, department_id, employment_type, answers, errors)
			on conflict (campaign_id, section_key, department_id, employment_type)
			do update set answers = s.answers + excluded.answers, errors = s.errors + excluded.errors`);
	}
}

/**
 * A 所属長's いいえ opens the department's plan for the item, or carries on the one still open from
 * an earlier round; an いいえ taken back removes a plan this round opened that nobody has filled in.
 */
async function followPlans(
	tx: DbOrTx,
	orgId: string,
	departmentId: string,
	campaignId: string,
	fiscalYear: number,
	changed: readonly string[],
	old: ReadonlyMap<string, { answer: InspectionAnswer }>,
	byItem: ReadonlyMap<string, AnswerInput>
): Promise<number> {
	let opened = 0;
	for (const itemId of [...changed].sort()) {
		const want = byItem.get(itemId)!;
		if (want.answer === 'no') {
			const rows = await rowsOf<{ inserted: boolean }>(
				tx,
				sql`
				insert into improvement_actions (org_id, department_id, item_id, campaign_id, last_campaign_id, fiscal_year, finding)
				values (${orgId}, ${departmentId}, ${itemId}, ${campaignId}, ${campaignId}, ${fiscalYear}, ${want.comment})
				on conflict (department_id, item_id) where status <> 'done'
				do update set last_campaign_id = excluded.last_campaign_id,
					finding = case when excluded.finding <> '' then excluded.finding else improvement_actions.finding end,
					updated_at = now()
				returning (xmax = 0) as inserted`
			);
			if (rows[0]?.inserted) opened++;
		} else if (old.get(itemId)?.answer === 'no') {
			await tx
				.delete(improvementActions)
				.where(
					and(
						eq(improvementActions.orgId, orgId),
						eq(improvementActions.departmentId, departmentId),
						eq(improvementActions.itemId, itemId),
						eq(improvementActions.campaignId, campaignId),
						eq(improvementActions.status, 'open'),
						eq(improvementActions.plan, ''),
						eq(improvementActions.assignee, ''),
						sql`${improvementActions.dueOn} is null`
					)
				);
		}
	}
	return opened;
}
