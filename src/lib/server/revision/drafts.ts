// Revision drafts: the next version of a policy, started from the version in force, edited section
// by section. Two people may edit at once: every section carries a revision counter, a save names
// the one it started from, and a save that lost the race gets the stored text back instead of
// overwriting it. Structure changes (add, remove, move) lock the draft for their short moment.
import { markdownBoundsProblem } from '../text/bounds';
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNotNull, like, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { auditEvents, people, policies, policySections, policyVersions, revisionComments, revisionEvents, type ChangeKind, type Role } from '../db/schema';
import { recordAudit } from '../audit/log';
import { isUuid } from '../db/ids';
import { policyVersionLabel } from '../policy/save-import';
import { compareVersions, versionInForce } from '../policy/policies';
import { defaultLabel } from '../policy/versions';
import { canSeeRestricted } from '../policy/visibility';
import {
	editorRoles,
	holdsAny,
	isEditableStatus,
	lockVersion,
	openStatuses,
	refusable,
	refuse,
	revisionReaderRoles,
	type Refusal,
	type RevisionActor,
	type VersionRow
} from './common';
import { freeVersionLabel, isRevisionKind, type RevisionKind } from './numbering';

export const sectionKeyMax = 40;
export const sectionLabelMax = 32;
export const sectionHeadingMax = 200;
export const sectionBodyMax = 100_000;
export const reasonMax = 2000;
export const sectionLevelMax = 6;
// Keys as the importer builds them: 6.3.2, ch1.s1, 10-2, suppl, appx1.
const sectionKeyPattern = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

export interface PersonRef {
	id: string;
	name: string;
}

async function namesOf(db: DbOrTx, orgId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
	const wanted = [...new Set(ids.filter((id): id is string => !!id))];
	if (wanted.length === 0) return new Map();
	const rows = await db
		.select({ id: people.id, name: people.name })
		.from(people)
		.where(and(eq(people.orgId, orgId), inArray(people.id, wanted)));
	return new Map(rows.map((r) => [r.id, r.name]));
}

const personRef = (names: Map<string, string>, id: string | null): PersonRef | null => (id ? { id, name: names.get(id) ?? '' } : null);

// ---------------------------------------------------------------------------------------------
// Starting

export interface StartInput {
	policyId: string;
	/** The weak-spot figures that prompted the revision; stored as given and never changed. */
	evidence?: Record<string, unknown> | null;
	/** The section the revision is about, to open the editor there. */
	sectionKey?: string;
}

export type StartProblem = 'not_found' | 'forbidden' | 'no_version_in_force';
export type StartResult = { ok: true; versionId: string; created: boolean; sectionKey: string | null } | Refusal<StartProblem>;

/**
 * Starts the next version of a policy as a draft holding every section of the version in force,
 * or returns the revision already open for the policy (one at a time).
 */
export async function startRevision(db: Db, actor: RevisionActor, input: StartInput): Promise<StartResult> {
	if (!holdsAny(actor, editorRoles)) return { ok: false, problem: 'forbidden' };
	if (!isUuid(input.policyId)) return { ok: false, problem: 'not_found' };
	return refusable<StartResult, StartProblem>(() =>
		db.transaction(async (tx) => {
			// The policy row serialises two starts, so the second one finds the first one's draft.
			const [policy] = await tx
				.select()
				.from(policies)
				.where(and(eq(policies.orgId, actor.orgId), eq(policies.id, input.policyId)))
				.for('update');
			if (!policy || !canSeeRestricted(policy.restrictedTo, actor.roles)) refuse('not_found');
			const sectionKey = input.sectionKey?.trim() || null;

			const [open] = await tx
				.select({ id: policyVersions.id })
				.from(policyVersions)
				.where(and(eq(policyVersions.policyId, policy.id), inArray(policyVersions.status, [...openStatuses])))
				.orderBy(asc(policyVersions.createdAt))
				.limit(1);
			if (open) return { ok: true as const, versionId: open.id, created: false, sectionKey };

			const base = await versionInForce(tx, policy.id);
			if (!base || !base.textHeld) refuse('no_version_in_force');
			const taken = new Set(
				(await tx.select({ version: policyVersions.version }).from(policyVersions).where(eq(policyVersions.policyId, policy.id))).map((v) => v.version)
			);
			const version = freeVersionLabel(base.version, 'partial', taken);
			const evidence = input.evidence ?? null;
			const [row] = await tx
				.insert(policyVersions)
				.values({
					orgId: actor.orgId,
					policyId: policy.id,
					version,
					status: 'draft',
					changeKind: 'partial',
					title: base.title,
					preamble: base.preamble,
					textHeld: true,
					basedOnVersionId: base.id,
					evidence,
					createdBy: actor.personId
				})
				.returning({ id: policyVersions.id });
			// The whole document, 非公開 sections included: the draft becomes the next version.
			await tx.execute(sql`
				INSERT INTO policy_sections (org_id, version_id, key, position, level, label, heading, body, restricted_to, rev, updated_by, updated_at)
				SELECT org_id, ${row.id}, key, position, level, label, heading, body, restricted_to, 0, NULL, now()
				FROM policy_sections WHERE org_id = ${actor.orgId} AND version_id = ${base.id}`);
			await tx.insert(revisionEvents).values({ orgId: actor.orgId, versionId: row.id, fromStatus: null, toStatus: 'draft', actorId: actor.personId });
			await recordAudit(tx, actor, {
				action: 'revision.start',
				targetType: 'policy_version',
				targetId: row.id,
				detail: { policyId: policy.id, basedOn: base.version, version, sectionKey, evidence: evidence !== null }
			});
			return { ok: true as const, versionId: row.id, created: true, sectionKey };
		})
	);
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RevisionSummary {
	id: string;
	policyId: string;
	policySlug: string;
	policyTitle: string;
	version: string;
	status: VersionRow['status'];
	changeKind: ChangeKind;
	reason: string;
	basedOn: { id: string; version: string } | null;
	evidence: Record<string, unknown> | null;
	createdBy: PersonRef | null;
	createdAt: Date;
	publishedAt: Date | null;
	effectiveDate: string | null;
	dateLabel: string;
	/** Names the metadata as loaded: a save that carries an older one is a conflict. */
	metaToken: string;
}

export interface DraftSection {
	key: string;
	position: number;
	level: number;
	label: string;
	heading: string;
	body: string;
	rev: number;
	updatedBy: PersonRef | null;
	updatedAt: Date;
}

/** The token of a version's editable metadata: changes whenever 版, 区分 or 理由 changes. */
export function metadataToken(meta: { version: string; changeKind: string; reason: string }): string {
	return createHash('sha256').update(JSON.stringify([meta.version, meta.changeKind, meta.reason])).digest('base64url').slice(0, 22);
}

/** Sections the viewer may see: a 非公開 section hides its sub-items too. */
function visibleOnly<T extends { key: string; restrictedTo: Role[] | null }>(rows: readonly T[], roles: readonly Role[]): T[] {
	const hidden: string[] = [];
	return rows.filter((s) => {
		if (hidden.some((k) => s.key.startsWith(k + '.'))) return false;
		if (canSeeRestricted(s.restrictedTo, roles)) return true;
		hidden.push(s.key);
		return false;
	});
}

async function sectionRows(db: DbOrTx, orgId: string, versionId: string) {
	return db
		.select()
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId)))
		.orderBy(asc(policySections.position));
}

/** The base a revision is compared with: the version it started from, or (for an imported draft) the one in force. */
async function baseOf(db: DbOrTx, version: VersionRow): Promise<VersionRow | null> {
	if (version.basedOnVersionId) {
		const [row] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, version.orgId), eq(policyVersions.id, version.basedOnVersionId)));
		if (row) return row;
	}
	if (version.status === 'published' || version.status === 'superseded') return null;
	return versionInForce(db, version.policyId);
}

export interface LoadedRevision {
	revision: RevisionSummary;
	sections: DraftSection[];
}

/**
 * A revision with its sections as the viewer may see them; null when it is not there for the
 * viewer (another organisation, a 非公開 policy, or a learner).
 */
export async function loadRevision(db: DbOrTx, viewer: { orgId: string; roles: readonly Role[] }, versionId: string): Promise<LoadedRevision | null> {
	if (!holdsAny(viewer, revisionReaderRoles) || !isUuid(versionId)) return null;
	const [row] = await db
		.select({ version: policyVersions, policy: policies })
		.from(policyVersions)
		.innerJoin(policies, eq(policies.id, policyVersions.policyId))
		.where(and(eq(policyVersions.orgId, viewer.orgId), eq(policyVersions.id, versionId)));
	if (!row || !row.version.textHeld || !canSeeRestricted(row.policy.restrictedTo, viewer.roles)) return null;
	const { version, policy } = row;
	const [base, rows] = await Promise.all([baseOf(db, version), sectionRows(db, viewer.orgId, version.id)]);
	const sections = visibleOnly(rows, viewer.roles);
	const names = await namesOf(db, viewer.orgId, [version.createdBy, ...sections.map((s) => s.updatedBy)]);
	return {
		revision: {
			id: version.id,
			policyId: policy.id,
			policySlug: policy.slug,
			policyTitle: policy.title,
			version: version.version,
			status: version.status,
			changeKind: version.changeKind,
			reason: version.reason,
			basedOn: base ? { id: base.id, version: base.version } : null,
			evidence: version.evidence ?? null,
			createdBy: personRef(names, version.createdBy),
			createdAt: version.createdAt,
			publishedAt: version.publishedAt,
			effectiveDate: version.effectiveDate,
			dateLabel: version.dateLabel,
			metaToken: metadataToken(version)
		},
		sections: sections.map((s) => ({
			key: s.key,
			position: s.position,
			level: s.level,
			label: s.label,
			heading: s.heading,
			body: s.body,
			rev: s.rev,
			updatedBy: personRef(names, s.updatedBy),
			updatedAt: s.updatedAt
		}))
	};
}

export interface RevisionListItem {
	id: string;
	policySlug: string;
	policyTitle: string;
	version: string;
	status: VersionRow['status'];
	changeKind: ChangeKind;
	createdBy: PersonRef | null;
	createdAt: Date;
	publishedAt: Date | null;
	effectiveDate: string | null;
	/** The last change of state, or the start. */
	lastEventAt: Date;
}

/** Open revisions, and the revisions published most recently through the app. */
export async function listRevisions(
	db: DbOrTx,
	viewer: { orgId: string; roles: readonly Role[] },
	recent = 10
): Promise<{ open: RevisionListItem[]; published: RevisionListItem[] }> {
	if (!holdsAny(viewer, revisionReaderRoles)) return { open: [], published: [] };
	const lastEvent = sql<Date>`(SELECT max(e.at) FROM revision_events e WHERE e.version_id = ${policyVersions.id})`.mapWith(policyVersions.createdAt);
	const columns = { version: policyVersions, policy: policies, lastEventAt: lastEvent };
	const [openRows, publishedRows] = await Promise.all([
		db
			.select(columns)
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(and(eq(policyVersions.orgId, viewer.orgId), inArray(policyVersions.status, [...openStatuses])))
			.orderBy(asc(policies.sortOrder), asc(policyVersions.createdAt)),
		db
			.select(columns)
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(
				and(
					eq(policyVersions.orgId, viewer.orgId),
					inArray(policyVersions.status, ['published', 'superseded']),
					isNotNull(policyVersions.basedOnVersionId),
					isNotNull(policyVersions.publishedAt)
				)
			)
			.orderBy(desc(policyVersions.publishedAt))
			.limit(recent)
	]);
	const visible = [...openRows, ...publishedRows].filter((r) => canSeeRestricted(r.policy.restrictedTo, viewer.roles));
	const names = await namesOf(db, viewer.orgId, visible.map((r) => r.version.createdBy));
	const item = (r: (typeof visible)[number]): RevisionListItem => ({
		id: r.version.id,
		policySlug: r.policy.slug,
		policyTitle: r.policy.title,
		version: r.version.version,
		status: r.version.status,
		changeKind: r.version.changeKind,
		createdBy: personRef(names, r.version.createdBy),
		createdAt: r.version.createdAt,
		publishedAt: r.version.publishedAt,
		effectiveDate: r.version.effectiveDate,
		lastEventAt: r.lastEventAt ?? r.version.createdAt
	});
	const shown = new Set(visible);
	return { open: openRows.filter((r) => shown.has(r)).map(item), published: publishedRows.filter((r) => shown.has(r)).map(item) };
}

/** Policies the viewer can start a revision of, each with its version in force and any open revision. */
export async function startablePolicies(db: DbOrTx, viewer: { orgId: string; roles: readonly Role[] }) {
	const rows = await db
		.select({ policy: policies, inForce: policyVersions })
		.from(policies)
		.leftJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.status, 'published')))
		.where(eq(policies.orgId, viewer.orgId))
		.orderBy(asc(policies.sortOrder), asc(policies.title));
	const open = await db
		.select({ policyId: policyVersions.policyId, id: policyVersions.id })
		.from(policyVersions)
		.where(and(eq(policyVersions.orgId, viewer.orgId), inArray(policyVersions.status, [...openStatuses])));
	const openByPolicy = new Map(open.map((o) => [o.policyId, o.id]));
	return rows
		.filter((r) => canSeeRestricted(r.policy.restrictedTo, viewer.roles) && r.inForce?.textHeld)
		.map((r) => ({ id: r.policy.id, slug: r.policy.slug, title: r.policy.title, version: r.inForce!.version, openRevisionId: openByPolicy.get(r.policy.id) ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Editing

/** Locks the draft and checks that the actor may edit it now. */
async function editableDraft(tx: DbOrTx, actor: RevisionActor, versionId: string, mode: 'update' | 'share'): Promise<VersionRow> {
	if (!holdsAny(actor, editorRoles)) refuse('forbidden');
	const version = await lockVersion(tx, actor.orgId, versionId, mode);
	if (!version) return refuse('not_found');
	const [policy] = await tx.select({ restrictedTo: policies.restrictedTo }).from(policies).where(eq(policies.id, version.policyId));
	if (!policy || !canSeeRestricted(policy.restrictedTo, actor.roles)) refuse('not_found');
	if (!isEditableStatus(version.status)) refuse('not_editable', { status: version.status });
	return version;
}

async function visibleSection(tx: DbOrTx, actor: RevisionActor, versionId: string, key: string) {
	const rows = visibleOnly(await sectionRows(tx, actor.orgId, versionId), actor.roles);
	return rows.find((s) => s.key === key) ?? null;
}

function editAudit(tx: DbOrTx, actor: RevisionActor, versionId: string, what: 'section' | 'add' | 'remove' | 'move' | 'metadata', detail: Record<string, unknown>) {
	return recordAudit(tx, actor, { action: `revision.edit.${what}`, targetType: 'policy_version', targetId: versionId, detail });
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

export type SectionProblem = 'not_found' | 'forbidden' | 'not_editable' | 'label_too_long' | 'heading_too_long' | 'body_too_long' | 'body_line_too_long' | 'body_too_deep';

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
export async function saveSection(db: Db, actor: RevisionActor, versionId: string, key: string, edit: SectionText & { rev: number }): Promise<SaveSectionResult> {
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
export async function addSection(db: Db, actor: RevisionActor, versionId: string, input: NewSection): Promise<{ ok: true; key: string } | Refusal<AddSectionProblem>> {
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
export async function moveSection(db: Db, actor: RevisionActor, versionId: string, key: string, direction: 'up' | 'down'): Promise<{ ok: true } | Refusal<MoveProblem>> {
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

export interface MetadataEdit {
	/** The token of the metadata the form was loaded with. */
	token: string;
	version: string;
	changeKind: string;
	reason: string;
}

export interface StoredMetadata {
	version: string;
	changeKind: RevisionKind;
	reason: string;
	token: string;
	editedBy: PersonRef | null;
	editedAt: Date | null;
}

export type MetadataProblem = 'not_found' | 'forbidden' | 'not_editable' | 'bad_version' | 'version_taken' | 'version_behind' | 'bad_kind' | 'reason_too_long';

export type SaveMetadataResult =
	| { ok: true; token: string; version: string; changed: boolean }
	| { ok: false; problem: 'conflict'; theirs: StoredMetadata; params?: undefined }
	| Refusal<MetadataProblem>;

async function storedMetadata(tx: DbOrTx, version: VersionRow): Promise<StoredMetadata> {
	const [last] = await tx
		.select({ actorId: auditEvents.actorId, at: auditEvents.at })
		.from(auditEvents)
		.where(
			and(
				eq(auditEvents.orgId, version.orgId),
				gte(auditEvents.at, version.createdAt),
				eq(auditEvents.action, 'revision.edit.metadata'),
				eq(auditEvents.targetId, version.id)
			)
		)
		.orderBy(desc(auditEvents.at))
		.limit(1);
	const editor = last?.actorId ?? version.createdBy;
	const names = await namesOf(tx, version.orgId, [editor]);
	return {
		version: version.version,
		changeKind: isRevisionKind(version.changeKind) ? version.changeKind : 'partial',
		reason: version.reason,
		token: metadataToken(version),
		editedBy: personRef(names, editor),
		editedAt: last?.at ?? version.createdAt
	};
}

/**
 * Saves 版, 区分 and 理由及び内容 when they are still as the form loaded them (`token`);
 * otherwise returns what is stored and writes nothing. Switching 区分 moves a proposed label
 * along (5.1 ↔ 6.0) unless the label was chosen by hand.
 */
export async function saveMetadata(db: Db, actor: RevisionActor, versionId: string, edit: MetadataEdit): Promise<SaveMetadataResult> {
	return refusable<SaveMetadataResult, MetadataProblem>(() =>
		db.transaction(async (tx) => {
			const current = await editableDraft(tx, actor, versionId, 'update');
			if (edit.token !== metadataToken(current)) return { ok: false as const, problem: 'conflict' as const, theirs: await storedMetadata(tx, current) };
			if (!isRevisionKind(edit.changeKind)) refuse('bad_kind');
			const reason = edit.reason.replace(/\r\n?/g, '\n').trim();
			if (reason.length > reasonMax) refuse('reason_too_long', { max: String(reasonMax) });
			let version = policyVersionLabel(edit.version);
			if (!version) return refuse('bad_version');
			const others = await tx
				.select({ id: policyVersions.id, version: policyVersions.version, status: policyVersions.status })
				.from(policyVersions)
				.where(eq(policyVersions.policyId, current.policyId));
			const taken = new Set(others.filter((v) => v.id !== current.id).map((v) => v.version));
			const base = await baseOf(tx, current);
			if (base && edit.changeKind !== current.changeKind && version === current.version && isRevisionKind(current.changeKind)) {
				if (current.version === freeVersionLabel(base.version, current.changeKind, taken)) version = freeVersionLabel(base.version, edit.changeKind, taken);
			}
			const inForce = others.find((v) => v.status === 'published');
			if (taken.has(version)) refuse('version_taken', { version });
			if (inForce && compareVersions(version, inForce.version) <= 0) refuse('version_behind', { current: inForce.version });
			const next = { version, changeKind: edit.changeKind, reason };
			if (version === current.version && edit.changeKind === current.changeKind && reason === current.reason) {
				return { ok: true as const, token: metadataToken(current), version, changed: false };
			}
			await tx.update(policyVersions).set(next).where(eq(policyVersions.id, current.id));
			await editAudit(tx, actor, current.id, 'metadata', {
				before: { version: current.version, changeKind: current.changeKind },
				after: { version, changeKind: edit.changeKind },
				reasonChanged: reason !== current.reason
			});
			return { ok: true as const, token: metadataToken(next), version, changed: true };
		})
	);
}

export type DiscardProblem = 'not_found' | 'forbidden' | 'not_editable';

/** Drops a draft that is not wanted (only before review or after being sent back); the audit log keeps that it existed. */
export async function discardRevision(db: Db, actor: RevisionActor, versionId: string): Promise<{ ok: true; policySlug: string } | Refusal<DiscardProblem>> {
	return refusable<{ ok: true; policySlug: string }, DiscardProblem>(() =>
		db.transaction(async (tx) => {
			const version = await editableDraft(tx, actor, versionId, 'update');
			const [policy] = await tx.select({ slug: policies.slug }).from(policies).where(eq(policies.id, version.policyId));
			await tx.delete(revisionComments).where(eq(revisionComments.versionId, version.id));
			await tx.delete(revisionEvents).where(eq(revisionEvents.versionId, version.id));
			await tx.delete(policyVersions).where(eq(policyVersions.id, version.id));
			await recordAudit(tx, actor, {
				action: 'revision.discard',
				targetType: 'policy_version',
				targetId: version.id,
				detail: { policyId: version.policyId, version: version.version, status: version.status }
			});
			return { ok: true as const, policySlug: policy.slug };
		})
	);
}

/**
 * Everyone who wrote the draft: its author, the last editor of each section, and anyone who
 * saved, added, removed or moved a section or changed the metadata. None of them may approve it.
 */
export async function draftWriters(tx: DbOrTx, version: VersionRow): Promise<{ author: string | null; editors: Set<string> }> {
	const [sectionEditors, audited] = await Promise.all([
		tx
			.selectDistinct({ id: policySections.updatedBy })
			.from(policySections)
			.where(and(eq(policySections.versionId, version.id), isNotNull(policySections.updatedBy))),
		tx
			.selectDistinct({ id: auditEvents.actorId })
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.orgId, version.orgId),
					gte(auditEvents.at, version.createdAt),
					like(auditEvents.action, 'revision.edit.%'),
					eq(auditEvents.targetId, version.id)
				)
			)
	]);
	const editors = new Set([...sectionEditors, ...audited].map((r) => r.id).filter((id): id is string => !!id));
	return { author: version.createdBy, editors };
}
