// Loads content/inspections/<slug>/ into the database: checklists by (organisation, slug), items by
// id within their checklist. An item the files drop is deactivated, never deleted: answers and
// statistics point at it. Everything is checked (format, section keys of the policy in force)
// before anything is written; unchanged files leave edits made in the app alone.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { inspectionChecklists, inspectionItems } from '../../db/schema';
import { recordAudit } from '../../audit/log';
import { defaultContentDir } from '../../policy/content';
import { ContentErrors, shownPath, type ContentError } from '../../text/labelled';
import { policyInForce } from '../../learning/content/policy-sections';
import { parseChecklistJson, parseInspectionItems, type ChecklistMeta, type ParsedItem } from './parse';

export interface ParsedChecklist {
	checklist: ChecklistMeta;
	items: ParsedItem[];
	files: { checklist: string; items: string };
}

export interface ChecklistSyncSummary {
	checklist: string;
	changed: boolean;
	policy: string | null;
	items: { added: number; updated: number; unchanged: number };
	deactivated: string[];
	warnings: string[];
}

export function readChecklistDir(dir: string): { checklist: ParsedChecklist | null; errors: ContentError[] } {
	const files = { checklist: shownPath(path.join(dir, 'checklist.json')), items: shownPath(path.join(dir, 'items.md')) };
	if (!existsSync(path.join(dir, 'checklist.json'))) {
		return { checklist: null, errors: [{ file: files.checklist, line: 0, message: 'missing: every checklist folder needs a checklist.json' }] };
	}
	const errors: ContentError[] = [];
	const meta = parseChecklistJson(readFileSync(path.join(dir, 'checklist.json'), 'utf8'), files.checklist);
	errors.push(...meta.errors);
	if (meta.value && meta.value.slug !== path.basename(dir)) {
		errors.push({ file: files.checklist, line: 0, message: `"slug" is "${meta.value.slug}" but the folder is ${path.basename(dir)}; they must be the same` });
	}
	if (!existsSync(path.join(dir, 'items.md'))) {
		errors.push({ file: files.items, line: 0, message: 'missing: every checklist folder needs an items.md' });
		return { checklist: null, errors };
	}
	const items = parseInspectionItems(readFileSync(path.join(dir, 'items.md'), 'utf8'), files.items);
	errors.push(...items.errors);
	if (!meta.value || errors.length) return { checklist: null, errors };
	return { checklist: { checklist: meta.value, items: items.value, files }, errors };
}

/** Every checklist folder under <contentDir>/inspections, in folder-name order. */
export function readChecklists(contentDir: string): { checklists: ParsedChecklist[]; errors: ContentError[] } {
	const dir = path.join(contentDir, 'inspections');
	if (!existsSync(dir)) return { checklists: [], errors: [] };
	const checklists: ParsedChecklist[] = [];
	const errors: ContentError[] = [];
	const names = readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name)
		.sort();
	for (const name of names) {
		const read = readChecklistDir(path.join(dir, name));
		errors.push(...read.errors);
		if (read.checklist) checklists.push(read.checklist);
	}
	return { checklists, errors };
}

/** Items citing keys the policy does not have, each an error of its `sections:` line. */
export function unknownItemKeys(items: readonly ParsedItem[], file: string, policyKeys: ReadonlySet<string>, policyLabel: string): ContentError[] {
	return items.flatMap((item) => {
		const unknown = item.sectionKeys.filter((k) => !policyKeys.has(k));
		return unknown.length ? [{ file, line: item.sectionsLine, message: `item "${item.slug}" cites ${unknown.join(', ')}, not a section of ${policyLabel}` }] : [];
	});
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameItem = (row: typeof inspectionItems.$inferSelect, want: ParsedItem) =>
	row.text === want.text && row.explanation === want.explanation && row.auditItem === want.auditItem && sameList(row.sectionKeys, want.sectionKeys);

// Any fixed number: processes starting together sync one after the other.
const syncLockKey = 727_016;

/** Holds the organisation's checklist writes (the content sync, the app's editor) until the transaction ends. */
export async function lockChecklistWrites(tx: DbOrTx, orgId: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${syncLockKey}, hashtext(${orgId}))`);
}

/**
 * Makes a checklist's items what `items` says, by id: new ids are added, changed ones updated,
 * missing ones deactivated. Shared by the content sync and the app's editor.
 */
export async function writeChecklistItems(
	tx: DbOrTx,
	orgId: string,
	checklistId: string,
	items: readonly ParsedItem[]
): Promise<{ added: number; updated: number; unchanged: number; deactivated: string[] }> {
	const now = new Date();
	const existing = await tx.select().from(inspectionItems).where(eq(inspectionItems.checklistId, checklistId));
	const bySlug = new Map(existing.map((r) => [r.slug, r]));
	let added = 0;
	let updated = 0;
	let unchanged = 0;
	const fresh: (typeof inspectionItems.$inferInsert)[] = [];
	for (const [i, want] of items.entries()) {
		const position = i + 1;
		const row = bySlug.get(want.slug);
		const values = { position, text: want.text, explanation: want.explanation, sectionKeys: want.sectionKeys, auditItem: want.auditItem };
		if (!row) {
			fresh.push({ orgId, checklistId, slug: want.slug, ...values });
			added++;
		} else if (row.active && row.position === position && sameItem(row, want)) unchanged++;
		else {
			await tx
				.update(inspectionItems)
				.set({ ...values, active: true, updatedAt: now })
				.where(eq(inspectionItems.id, row.id));
			updated++;
		}
	}
	if (fresh.length) await tx.insert(inspectionItems).values(fresh);
	const kept = new Set(items.map((i) => i.slug));
	const gone = existing.filter((r) => r.active && !kept.has(r.slug));
	if (gone.length) {
		await tx
			.update(inspectionItems)
			.set({ active: false, updatedAt: now })
			.where(
				inArray(
					inspectionItems.id,
					gone.map((r) => r.id)
				)
			);
	}
	return { added, updated, unchanged, deactivated: gone.map((r) => r.slug) };
}

/**
 * Loads every checklist in <contentDir>/inspections into the organisation. Throws ContentErrors
 * listing every problem before writing anything; then writes each checklist in its own
 * transaction. Running it again on unchanged files writes nothing.
 */
export async function syncInspectionContent(db: Db, orgId: string, contentDir = defaultContentDir): Promise<ChecklistSyncSummary[]> {
	const { checklists: parsed, errors } = readChecklists(contentDir);
	const policies = new Map<string, Awaited<ReturnType<typeof policyInForce>>>();
	const warnings = new Map<string, string[]>();
	for (const c of parsed) {
		const notes: string[] = [];
		warnings.set(c.checklist.slug, notes);
		const slug = c.checklist.policy;
		if (!slug) continue;
		if (!policies.has(slug)) policies.set(slug, await policyInForce(db, orgId, slug));
		const policy = policies.get(slug);
		if (!policy) notes.push(`policy "${slug}" is not in this organisation: the checklist is not linked and its section keys are not checked`);
		else if (!policy.version) notes.push(`policy "${slug}" has no version in force: section keys are not checked`);
		else errors.push(...unknownItemKeys(c.items, c.files.items, new Set(policy.sections.map((s) => s.key)), `${slug} 第${policy.version.version}版`));
	}
	if (errors.length) throw new ContentErrors(errors, 'checklist content has errors');

	const summaries: ChecklistSyncSummary[] = [];
	for (const c of parsed) {
		const policy = c.checklist.policy ? policies.get(c.checklist.policy) : null;
		const policyId = policy?.policy.id ?? null;
		const hash = createHash('sha256').update(JSON.stringify([c.checklist, c.items.map(({ line: _l, sectionsLine: _s, ...rest }) => rest), policyId])).digest('hex');
		const base = { checklist: c.checklist.slug, policy: policy?.policy.slug ?? null, warnings: warnings.get(c.checklist.slug) ?? [] };
		const summary = await db.transaction(async (tx) => {
			await lockChecklistWrites(tx, orgId);
			const [stored] = await tx
				.select()
				.from(inspectionChecklists)
				.where(and(eq(inspectionChecklists.orgId, orgId), eq(inspectionChecklists.slug, c.checklist.slug)));
			// Files unchanged since the last sync leave the checklist alone, so edits made in the app
			// survive a restart; changed files are an explicit update and win.
			if (stored?.contentHash === hash) return { ...base, changed: false, items: { added: 0, updated: 0, unchanged: c.items.length }, deactivated: [] };
			const fields = { title: c.checklist.title, description: c.checklist.description, tier: c.checklist.tier, policyId, contentHash: hash, updatedAt: new Date() };
			const [row] = stored
				? await tx.update(inspectionChecklists).set(fields).where(eq(inspectionChecklists.id, stored.id)).returning({ id: inspectionChecklists.id })
				: await tx
						.insert(inspectionChecklists)
						.values({ orgId, slug: c.checklist.slug, ...fields })
						.returning({ id: inspectionChecklists.id });
			const { deactivated, ...items } = await writeChecklistItems(tx, orgId, row.id, c.items);
			const result = { ...base, changed: true, items, deactivated };
			await recordAudit(tx, { orgId, personId: null }, { action: 'inspection.content_sync', targetType: 'checklist', targetId: row.id, detail: { checklist: c.checklist.slug, title: c.checklist.title, items, deactivated } });
			return result;
		});
		summaries.push(summary);
	}
	return summaries;
}
