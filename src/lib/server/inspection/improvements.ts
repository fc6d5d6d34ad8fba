// 改善計画: each いいえ a 所属長 gives for the department becomes a row of what will be done, by whom
// and by when, with its status. The supervisor sees and edits their departments' rows; policy
// owners and admins see every department's. A row stays open across 年度 until it is 完了, and
// next year's round shows it beside its item (rounds.ts).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { campaigns, departments, improvementActions, improvementStatuses, inspectionChecklists, inspectionItems, type ImprovementStatus } from '../db/schema';
import { hasRole, type CurrentUser } from '../auth/current-user';
import { completionScopeFor, type CompletionScope } from '../insight/completion';
import { recordAudit } from '../audit/log';
import { isUniqueViolation, isUuid } from '../db/ids';
import type { OrgActor } from '../org/departments';
import { parseJapaneseDate } from '../../format/wareki';

export const planMax = 1000;
export const assigneeMax = 100;

/** Who may see which departments' plans: owners and admins all, a supervisor their own. */
export async function improvementScopeFor(db: DbOrTx, user: CurrentUser): Promise<CompletionScope | null> {
	if (hasRole(user, 'admin') || hasRole(user, 'policy_owner')) return { orgId: user.orgId, departmentIds: null, rootIds: [] };
	if (hasRole(user, 'supervisor')) return completionScopeFor(db, user);
	return null;
}

const inScope = (scope: CompletionScope) =>
	scope.departmentIds === null ? undefined : scope.departmentIds.length ? inArray(improvementActions.departmentId, scope.departmentIds) : sql`false`;

export interface ImprovementRow {
	id: string;
	departmentId: string;
	departmentName: string;
	departmentCode: string;
	itemId: string;
	checklistTitle: string;
	itemText: string;
	sectionKeys: string[];
	auditItem: string | null;
	fiscalYear: number;
	/** The 年度 of the latest round that answered いいえ: later than `fiscalYear` when carried over. */
	lastFiscalYear: number;
	finding: string;
	plan: string;
	assignee: string;
	dueOn: string | null;
	status: ImprovementStatus;
	updatedAt: Date;
}

export interface ImprovementFilter {
	status?: ImprovementStatus | 'unfinished' | null;
	/** The 年度 a plan was opened in, or carried into. */
	fiscalYear?: number | null;
	/** At most this many rows (the page pages; exports take all). */
	limit?: number;
}

/** Plans inside the scope: unfinished first, then by department and item order. */
export async function listImprovements(db: DbOrTx, scope: CompletionScope, filter: ImprovementFilter = {}): Promise<ImprovementRow[]> {
	const conditions = [eq(improvementActions.orgId, scope.orgId), inScope(scope)];
	if (filter.status === 'unfinished') conditions.push(sql`${improvementActions.status} <> 'done'`);
	else if (filter.status) conditions.push(eq(improvementActions.status, filter.status));
	if (filter.fiscalYear) {
		conditions.push(
			sql`(${improvementActions.fiscalYear} = ${filter.fiscalYear} or (select fiscal_year from ${campaigns} c where c.id = ${improvementActions.lastCampaignId}) = ${filter.fiscalYear})`
		);
	}
	const rows = await db
		.select({
			id: improvementActions.id,
			departmentId: improvementActions.departmentId,
			departmentName: departments.name,
			departmentCode: departments.code,
			itemId: improvementActions.itemId,
			checklistTitle: inspectionChecklists.title,
			itemText: inspectionItems.text,
			sectionKeys: inspectionItems.sectionKeys,
			auditItem: inspectionItems.auditItem,
			fiscalYear: improvementActions.fiscalYear,
			lastFiscalYear: campaigns.fiscalYear,
			finding: improvementActions.finding,
			plan: improvementActions.plan,
			assignee: improvementActions.assignee,
			dueOn: improvementActions.dueOn,
			status: improvementActions.status,
			updatedAt: improvementActions.updatedAt
		})
		.from(improvementActions)
		.innerJoin(departments, eq(departments.id, improvementActions.departmentId))
		.innerJoin(inspectionItems, eq(inspectionItems.id, improvementActions.itemId))
		.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, inspectionItems.checklistId))
		.innerJoin(campaigns, eq(campaigns.id, improvementActions.lastCampaignId))
		.where(and(...conditions))
		.orderBy(sql`${improvementActions.status} = 'done'`, asc(departments.code), asc(inspectionItems.position), desc(improvementActions.createdAt))
		.limit(filter.limit ?? 5000);
	return rows;
}

export interface ImprovementInput {
	plan: string;
	assignee: string;
	/** YYYY-MM-DD or 令和 form, or '' for none. */
	dueOn: string;
	status: string;
}

export type ImprovementField = 'plan' | 'assignee' | 'dueOn' | 'status';
export type ImprovementUpdateResult =
	| { ok: true }
	| { ok: false; reason: 'not_found' }
	| {
			ok: false;
			reason: 'invalid';
			problems: {
				field: ImprovementField;
				key:
					'improvement.error.plan' | 'improvement.error.assignee' | 'improvement.error.dueOn' | 'improvement.error.status' | 'improvement.error.doneNeedsPlan';
			}[];
	  };

/** Checks and saves one plan inside the viewer's scope, audited with what changed. */
export async function updateImprovement(
	db: DbOrTx,
	actor: OrgActor,
	scope: CompletionScope,
	id: string,
	input: ImprovementInput
): Promise<ImprovementUpdateResult> {
	if (!isUuid(id)) return { ok: false, reason: 'not_found' };
	const plan = input.plan.trim();
	const assignee = input.assignee.trim();
	const dueRaw = input.dueOn.trim();
	const dueOn = dueRaw ? parseJapaneseDate(dueRaw) : null;
	const problems: Extract<ImprovementUpdateResult, { reason: 'invalid' }>['problems'] = [];
	if (plan.length > planMax) problems.push({ field: 'plan', key: 'improvement.error.plan' });
	if (assignee.length > assigneeMax) problems.push({ field: 'assignee', key: 'improvement.error.assignee' });
	if (dueRaw && !dueOn) problems.push({ field: 'dueOn', key: 'improvement.error.dueOn' });
	if (!(improvementStatuses as readonly string[]).includes(input.status)) problems.push({ field: 'status', key: 'improvement.error.status' });
	else if (input.status === 'done' && !plan) problems.push({ field: 'plan', key: 'improvement.error.doneNeedsPlan' });
	if (problems.length) return { ok: false, reason: 'invalid', problems };
	const status = input.status as ImprovementStatus;
	return db.transaction(async (tx): Promise<ImprovementUpdateResult> => {
		const [found] = await tx
			.select({
				plan: improvementActions.plan,
				assignee: improvementActions.assignee,
				dueOn: improvementActions.dueOn,
				status: improvementActions.status,
				department: departments.name,
				item: inspectionItems.text
			})
			.from(improvementActions)
			.innerJoin(departments, eq(departments.id, improvementActions.departmentId))
			.innerJoin(inspectionItems, eq(inspectionItems.id, improvementActions.itemId))
			.where(and(eq(improvementActions.orgId, actor.orgId), eq(improvementActions.id, id.toLowerCase()), inScope(scope)))
			.for('update', { of: improvementActions });
		if (!found) return { ok: false, reason: 'not_found' };
		const { department, item, ...current } = found;
		const after = { plan, assignee, dueOn, status };
		if (current.plan === plan && current.assignee === assignee && current.dueOn === dueOn && current.status === status) return { ok: true };
		try {
			await tx
				.update(improvementActions)
				.set({ ...after, updatedAt: new Date(), updatedBy: actor.personId })
				.where(eq(improvementActions.id, id.toLowerCase()));
		} catch (error) {
			// Reopening a finished plan while a newer one for the item is open: one open plan at a time.
			if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', problems: [{ field: 'status', key: 'improvement.error.status' }] };
			throw error;
		}
		await recordAudit(tx, actor, {
			action: 'improvement.update',
			targetType: 'improvement',
			targetId: id.toLowerCase(),
			detail: { department, item, before: current, after }
		});
		return { ok: true };
	});
}
