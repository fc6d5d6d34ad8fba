// Section edits: save a section's text against the rev it started from (a stale one is a conflict
// that returns the stored text), add, remove and move sections under a lock on the draft.
import { markdownBoundsProblem } from '../../text/bounds';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { policySections } from '../../db/schema';
import { defaultLabel } from '../../policy/versions';
import { refusable, refuse, type Refusal, type RevisionActor } from '../common';
import { editAudit, editableDraft, namesOf, personRef, sectionRows, visibleOnly, type PersonRef } from './shared';

export const sectionKeyMax = 40;
export const sectionLabelMax = 32;
export const sectionHeadingMax = 200;
export const sectionBodyMax = 100_000;
export const sectionLevelMax = 6;
// Keys as the importer builds them: 6.3.2, ch1.s1, 10-2, suppl, appx1.
const sectionKeyPattern = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

async function visibleSection(tx: DbOrTx, actor: RevisionActor, versionId: string, key: string) {
	const rows = visibleOnly(await sectionRows(tx, actor.orgId, versionId), actor.roles);
	return rows.find((s) => s.key === key) ?? null;
}

export interface SectionText {
	label: string;
	heading: string;
	body: string;
}

export interface StoredSection extends SectionText {
	rev: number;
	updatedBy: PersonRef | null;
	updatedAt: Date;
}

export type SectionProblem =
	'not_found' | 'forbidden' | 'not_editable' | 'label_too_long' | 'heading_too_long' | 'body_too_long' | 'body_line_too_long' | 'body_too_deep';

export type SaveSectionResult =
	| { ok: true; rev: number; updatedAt: Date; changed: boolean }
	/** Someone saved first (theirs is what is stored now), or removed the section (theirs null). */
	| { ok: false; problem: 'conflict'; theirs: StoredSection | null; params?: undefined }
	| Refusal<SectionProblem>;

function checkSectionText(text: SectionText) {
	if (text.label.length > sectionLabelMax) refuse('label_too_long', { max: String(sectionLabelMax) });
	if (text.heading.length > sectionHeadingMax) refuse('heading_too_long', { max: String(sectionHeadingMax) });
	if (text.body.length > sectionBodyMax) refuse('body_too_long', { max: String(sectionBodyMax) });
	// Stored text must render: no line past the bound, no nesting deeper than a document needs.
	const bounds = markdownBoundsProblem(text.body);
	if (bounds) refuse(bounds.kind === 'line_too_long' ? 'body_line_too_long' : 'body_too_deep', { line: String(bounds.line), max: String(bounds.max) });
}

/** Windows line ends from a textarea would otherwise show as a change of every line. */
const normaliseText = (text: SectionText): SectionText => ({
	label: text.label.trim(),
	heading: text.heading.trim(),
	body: text.body.replace(/\r\n?/g, '\n').replace(/\s+$/, '')
});

const sameText = (a: SectionText, b: SectionText) => a.label === b.label && a.heading === b.heading && a.body === b.body;

async function storedSection(tx: DbOrTx, orgId: string, versionId: string, key: string): Promise<StoredSection | null> {
	const [row] = await tx
		.select()
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId), eq(policySections.key, key)));
	if (!row) return null;
	const names = await namesOf(tx, orgId, [row.updatedBy]);
	return { label: row.label, heading: row.heading, body: row.body, rev: row.rev, updatedBy: personRef(names, row.updatedBy), updatedAt: row.updatedAt };
}

/**
 * Saves a section's text when it is still at revision `rev`; otherwise returns what is stored
 * (who saved it and when) and writes nothing. A save that changes nothing writes nothing.
 */
export async function saveSection(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	key: string,
	edit: SectionText & { rev: number }
): Promise<SaveSectionResult> {
	const text = normaliseText(edit);
	return refusable<SaveSectionResult, SectionProblem>(() =>
		db.transaction(async (tx) => {
			await editableDraft(tx, actor, versionId, 'share');
			checkSectionText(text);
			const current = await visibleSection(tx, actor, versionId, key);
			if (!current) return { ok: false as const, problem: 'conflict' as const, theirs: null };
			if (sameText(current, text)) {
				// Both sides typed the same, or nothing changed: nothing to write and nothing to resolve.
				return { ok: true as const, rev: current.rev, updatedAt: current.updatedAt, changed: false };
			}
			const updated = await tx
				.update(policySections)
				.set({ ...text, rev: sql`${policySections.rev} + 1`, updatedBy: actor.personId, updatedAt: sql`now()` })
				.where(
					and(eq(policySections.orgId, actor.orgId), eq(policySections.versionId, versionId), eq(policySections.key, key), eq(policySections.rev, edit.rev))
				)
				.returning({ rev: policySections.rev, updatedAt: policySections.updatedAt });
			if (updated.length === 0) {
				return { ok: false as const, problem: 'conflict' as const, theirs: await storedSection(tx, actor.orgId, versionId, key) };
			}
			await editAudit(tx, actor, versionId, 'section', { key, rev: updated[0].rev });
			return { ok: true as const, ...updated[0], changed: true };
		})
	);
}

export interface NewSection extends SectionText {
	key: string;
	level: number;
	/** The section it follows: a deeper level goes right after it, as its first sub-item; the
	 * same or a higher level goes after it and all its sub-items. Null: at the very start. */
	after: string | null;
}

export type AddSectionProblem = SectionProblem | 'bad_key' | 'key_taken' | 'bad_level' | 'unknown_after' | 'heading_required';

/** Adds a section to a draft. */
export async function addSection(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	input: NewSection
): Promise<{ ok: true; key: string } | Refusal<AddSectionProblem>> {
	const key = input.key.trim();
	const text = normaliseText(input);
	return refusable<{ ok: true; key: string }, AddSectionProblem>(() =>
		db.transaction(async (tx) => {
			await editableDraft(tx, actor, versionId, 'update');
			if (!key || key.length > sectionKeyMax || !sectionKeyPattern.test(key)) refuse('bad_key', { max: String(sectionKeyMax) });
			if (!Number.isInteger(input.level) || input.level < 1 || input.level > sectionLevelMax) refuse('bad_level', { max: String(sectionLevelMax) });
			if (!text.heading && !text.body) refuse('heading_required');
			checkSectionText(text);
			const rows = await sectionRows(tx, actor.orgId, versionId);
			if (rows.some((s) => s.key === key)) refuse('key_taken', { key });
			let index = 0;
			if (input.after) {
				const visible = visibleOnly(rows, actor.roles);
				const afterIndex = rows.findIndex((s) => s.key === input.after);
				if (afterIndex < 0 || !visible.some((s) => s.key === input.after)) refuse('unknown_after');
				const after = rows[afterIndex];
				index = afterIndex + 1;
				if (input.level <= after.level) while (index < rows.length && rows[index].level > after.level) index++;
			}
			const position = index < rows.length ? rows[index].position : (rows.at(-1)?.position ?? -1) + 1;
			await tx
				.update(policySections)
				.set({ position: sql`${policySections.position} + 1` })
				.where(and(eq(policySections.versionId, versionId), gte(policySections.position, position)));
			await tx.insert(policySections).values({
				orgId: actor.orgId,
				versionId,
				key,
				position,
				level: input.level,
				label: text.label || defaultLabel(key, input.level),
				heading: text.heading,
				body: text.body,
				rev: 0,
				updatedBy: actor.personId
			});
			await editAudit(tx, actor, versionId, 'add', { key, after: input.after, level: input.level });
			return { ok: true as const, key };
		})
	);
}

export type RemoveSectionProblem = SectionProblem | 'has_children';

/** Removes a section that has no sub-items, when it is still at revision `rev` (else: a conflict). */
export async function removeSection(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	key: string,
	rev: number
): Promise<{ ok: true } | { ok: false; problem: 'conflict'; theirs: StoredSection | null; params?: undefined } | Refusal<RemoveSectionProblem>> {
	return refusable<{ ok: true } | { ok: false; problem: 'conflict'; theirs: StoredSection | null }, RemoveSectionProblem>(() =>
		db.transaction(async (tx) => {
			await editableDraft(tx, actor, versionId, 'update');
			const rows = await sectionRows(tx, actor.orgId, versionId);
			const index = rows.findIndex((s) => s.key === key);
			const section = rows[index];
			if (!section || !(await visibleSection(tx, actor, versionId, key))) return { ok: false as const, problem: 'conflict' as const, theirs: null };
			if (section.rev !== rev) return { ok: false as const, problem: 'conflict' as const, theirs: await storedSection(tx, actor.orgId, versionId, key) };
			// Sub-items would be left under whatever precedes them: they go first, one by one.
			if (rows[index + 1] && rows[index + 1].level > section.level) refuse('has_children');
			await tx.delete(policySections).where(and(eq(policySections.versionId, versionId), eq(policySections.key, key)));
			// The removed text stays in the audit log, so a removal can be undone by hand.
			await editAudit(tx, actor, versionId, 'remove', { key, label: section.label, heading: section.heading, body: section.body, level: section.level });
			return { ok: true as const };
		})
	);
}

export type MoveProblem = 'not_found' | 'forbidden' | 'not_editable' | 'cannot_move';

/** Moves a section, with its sub-items, before its previous or after its next sibling. */
export async function moveSection(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	key: string,
	direction: 'up' | 'down'
): Promise<{ ok: true } | Refusal<MoveProblem>> {
	return refusable<{ ok: true }, MoveProblem>(() =>
		db.transaction(async (tx) => {
			await editableDraft(tx, actor, versionId, 'update');
			if (!(await visibleSection(tx, actor, versionId, key))) refuse('not_found');
			const rows = await sectionRows(tx, actor.orgId, versionId);
			const start = rows.findIndex((s) => s.key === key);
			const level = rows[start].level;
			const endOf = (i: number) => {
				let j = i + 1;
				while (j < rows.length && rows[j].level > rows[i].level) j++;
				return j;
			};
			const end = endOf(start);
			let from: number;
			let order: typeof rows;
			if (direction === 'up') {
				let prev = start - 1;
				while (prev >= 0 && rows[prev].level > level) prev--;
				if (prev < 0 || rows[prev].level !== level) refuse('cannot_move');
				from = prev;
				order = [...rows.slice(start, end), ...rows.slice(prev, start)];
			} else {
				if (end >= rows.length || rows[end].level !== level) refuse('cannot_move');
				from = start;
				order = [...rows.slice(end, endOf(end)), ...rows.slice(start, end)];
			}
			// The moved range keeps its set of positions, handed out in the new order.
			const positions = rows.slice(from, from + order.length).map((s) => s.position);
			for (const [i, s] of order.entries()) {
				if (s.position === positions[i]) continue;
				await tx
					.update(policySections)
					.set({ position: positions[i] })
					.where(and(eq(policySections.versionId, versionId), eq(policySections.key, s.key)));
			}
			await editAudit(tx, actor, versionId, 'move', { key, direction });
			return { ok: true as const };
		})
	);
}
