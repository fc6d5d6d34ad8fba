// Policy owners edit a 点検票 in the app: its title, description and tier, and its items as one
// text in the items.md format (docs/content-format.md). The text is read by the same parser as the
// content files and checked against the sections of the policy in force; any error, each with its
// line, and nothing is written. A save writes the items by id in one transaction with its audit
// event: an item the text drops is deactivated, never deleted (answers and figures point at it),
// and an id typed again brings it back.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { inspectionChecklists, inspectionItems, inspectionTiers, policies, type InspectionTier } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/log';
import { isUuid } from '../db/ids';
import type { ContentError } from '../text/labelled';
import { OffThreadTimeout, runOffThread } from '../text/off-thread';
import { policyInForce } from '../learning/content/policy-sections';
import { formatInspectionItems, itemsMax, type Parsed, type ParsedItem } from './content/parse';
import { lockChecklistWrites, unknownItemKeys, writeChecklistItems } from './content/sync';

/**
 * The longest items text the editor takes: a full checklist of `itemsMax` items at a thousand
 * characters each (the shipped ones run to about 250).
 */
export const itemsTextMax = itemsMax * 1000;
export const checklistTitleMax = 200;
export const checklistDescriptionMax = 2000;

export interface ChecklistEditor extends AuditActor {
	orgId: string;
	personId: string;
}

/** A problem with a line number within the items text (1-based). */
export type ItemsError = Pick<ContentError, 'line' | 'message'>;

export async function listChecklists(db: DbOrTx, orgId: string) {
	return db
		.select({
			id: inspectionChecklists.id,
			slug: inspectionChecklists.slug,
			title: inspectionChecklists.title,
			tier: inspectionChecklists.tier,
			policyTitle: policies.title,
			// Spelled out: drizzle leaves a lone table's columns unqualified, which the subquery would misread.
			activeItems: sql<number>`(select count(*)::int from ${inspectionItems} i where i.checklist_id = inspection_checklists.id and i.active)`
		})
		.from(inspectionChecklists)
		.leftJoin(policies, eq(policies.id, inspectionChecklists.policyId))
		.where(eq(inspectionChecklists.orgId, orgId))
		.orderBy(asc(inspectionChecklists.slug));
}

async function findChecklist(db: DbOrTx, orgId: string, checklistId: string) {
	if (!isUuid(checklistId)) return null;
	const [row] = await db
		.select()
		.from(inspectionChecklists)
		.where(and(eq(inspectionChecklists.orgId, orgId), eq(inspectionChecklists.id, checklistId)));
	return row ?? null;
}

/** The checklist as the editor shows it: its fields and its active items as one text. */
export async function checklistForEditing(db: DbOrTx, orgId: string, checklistId: string) {
	const row = await findChecklist(db, orgId, checklistId);
	if (!row) return null;
	const [policy] = row.policyId
		? await db
				.select({ slug: policies.slug, title: policies.title })
				.from(policies)
				.where(and(eq(policies.orgId, orgId), eq(policies.id, row.policyId)))
		: [];
	const rows = await db
		.select()
		.from(inspectionItems)
		.where(eq(inspectionItems.checklistId, row.id))
		.orderBy(asc(inspectionItems.position), asc(inspectionItems.slug));
	const items = rows.filter((r) => r.active);
	return {
		checklist: { id: row.id, slug: row.slug, title: row.title, description: row.description, tier: row.tier, policyTitle: policy?.title ?? null },
		itemCount: items.length,
		items: formatInspectionItems(items),
		/** Items dropped from the text: kept with their answers, and back when their block is written again. */
		inactive: formatInspectionItems(rows.filter((r) => !r.active))
	};
}

/** The section keys of the checklist's policy in force; null when there is none to check against. */
async function policyKeys(db: DbOrTx, orgId: string, policyId: string | null): Promise<{ keys: Set<string>; label: string } | null> {
	if (!policyId) return null;
	const [policy] = await db
		.select({ slug: policies.slug })
		.from(policies)
		.where(and(eq(policies.orgId, orgId), eq(policies.id, policyId)));
	const inForce = policy ? await policyInForce(db, orgId, policy.slug) : null;
	if (!inForce?.version) return null;
	return { keys: new Set(inForce.sections.map((s) => s.key)), label: `${policy.slug} 第${inForce.version.version}版` };
}

/** The items text, read on the text worker: a full checklist takes long enough to hold up other requests. */
async function parseItemsOffThread(text: string): Promise<Parsed<ParsedItem[]>> {
	try {
		return await runOffThread('inspection.parse', text);
	} catch (error) {
		if (!(error instanceof OffThreadTimeout)) throw error;
		const message = '読み取りに時間がかかりすぎたため中止しました / reading the text took too long and was stopped';
		return { value: [], errors: [{ file: 'items', line: 1, message }] };
	}
}

export interface ChecklistInput {
	title: string;
	description: string;
	tier: string;
	items: string;
}

export type ChecklistField = 'title' | 'description' | 'tier' | 'items';
export type ChecklistFieldProblem = 'title' | 'titleTooLong' | 'descriptionTooLong' | 'tier' | 'itemsTooLong';

export interface ItemCounts {
	added: number;
	updated: number;
	unchanged: number;
}

export type ChecklistSave =
	| { ok: true; items: ItemCounts; deactivated: string[] }
	| { ok: false; notFound: true }
	| { ok: false; notFound?: false; fields: Partial<Record<ChecklistField, ChecklistFieldProblem>>; errors: ItemsError[] };

function fieldProblems(input: ChecklistInput): Partial<Record<ChecklistField, ChecklistFieldProblem>> {
	const fields: Partial<Record<ChecklistField, ChecklistFieldProblem>> = {};
	const title = input.title.trim();
	if (!title) fields.title = 'title';
	else if (title.length > checklistTitleMax) fields.title = 'titleTooLong';
	if (input.description.trim().length > checklistDescriptionMax) fields.description = 'descriptionTooLong';
	if (!(inspectionTiers as readonly string[]).includes(input.tier)) fields.tier = 'tier';
	if (input.items.length > itemsTextMax) fields.items = 'itemsTooLong';
	return fields;
}

/**
 * Reads and checks everything, then writes the checklist and its items with the audit event in one
 * transaction. Any problem (a field, or an error of the items text with its line) and nothing is
 * written.
 */
export async function saveChecklist(db: Db, actor: ChecklistEditor, checklistId: string, input: ChecklistInput): Promise<ChecklistSave> {
	const row = await findChecklist(db, actor.orgId, checklistId);
	if (!row) return { ok: false, notFound: true };
	const fields = fieldProblems(input);
	if (fields.items) return { ok: false, fields, errors: [] };

	const parsed = await parseItemsOffThread(input.items);
	const errors: ItemsError[] = parsed.errors.map(({ line, message }) => ({ line, message }));
	const policy = await policyKeys(db, actor.orgId, row.policyId);
	if (policy) errors.push(...unknownItemKeys(parsed.value, 'items', policy.keys, policy.label).map(({ line, message }) => ({ line, message })));
	errors.sort((a, b) => a.line - b.line);
	if (errors.length || Object.keys(fields).length) return { ok: false, fields, errors };

	const after = { title: input.title.trim(), description: input.description.trim(), tier: input.tier as InspectionTier };
	return db.transaction(async (tx) => {
		// One writer at a time per organisation, the content sync included.
		await lockChecklistWrites(tx, actor.orgId);
		const [current] = await tx.select().from(inspectionChecklists).where(eq(inspectionChecklists.id, row.id)).for('update');
		const changed = (['title', 'description', 'tier'] as const).filter((f) => current[f] !== after[f]);
		const { deactivated, ...items } = await writeChecklistItems(tx, actor.orgId, row.id, parsed.value);
		// The content hash stays: files unchanged since the last sync leave this edit alone.
		await tx
			.update(inspectionChecklists)
			.set({ ...after, updatedAt: new Date() })
			.where(eq(inspectionChecklists.id, row.id));
		await recordAudit(tx, actor, {
			action: 'inspection.items_update',
			targetType: 'checklist',
			targetId: row.id,
			detail: { title: after.title, items, deactivated, ...(changed.length ? { fields: changed } : {}) }
		});
		return { ok: true, items, deactivated } as const;
	});
}
