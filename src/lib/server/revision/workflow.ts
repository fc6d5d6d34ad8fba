// The review of a revision as a state machine. Each move locks the version row, checks the move
// and the person, and writes the new state, a revision_events row and an audit event in one
// transaction, so two moves at once cannot both succeed (the second sees the first's state).
//
//   draft ──submit──► in_review ──approve──► approved ──publish──► published
//                       │   ▲
//                 return│   │resubmit
//                       ▼   │
//                     returned
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { people, policies, policySections, policyVersions, revisionComments, revisionEvents, type PolicyVersionStatus, type Role } from '../db/schema';
import { recordAudit } from '../audit/log';
import { formatIsoDate, formatWareki, parseJapaneseDate } from '../../format/wareki';
import { isUniqueViolation } from '../db/ids';
import { policyVersionLabel } from '../policy/save-import';
import { compareVersions, versionInForce } from '../policy/policies';
import { canSeeRestricted } from '../policy/visibility';
import { afterPublish, type AfterPublishResult } from './retraining';
import {
	editorRoles,
	holdsAny,
	lockVersion,
	refusable,
	refuse,
	reviewerRoles,
	revisionReaderRoles,
	type Refusal,
	type RevisionActor,
	type VersionRow
} from './common';
import { draftWriters } from './drafts';
import { isRevisionKind, nextVersionLabel } from './numbering';
import { forgetRecentWeakSpots } from '../insight/weak-spots';

export type MoveName = 'submit' | 'resubmit' | 'return' | 'approve' | 'publish';

export interface Move {
	name: MoveName;
	from: PolicyVersionStatus;
	to: PolicyVersionStatus;
	/** Who may make it. */
	roles: readonly Role[];
	commentRequired: boolean;
	/** The draft's author and editors may not make it (four eyes). */
	notByWriters: boolean;
}

export const moves: readonly Move[] = [
	{ name: 'submit', from: 'draft', to: 'in_review', roles: editorRoles, commentRequired: false, notByWriters: false },
	{ name: 'resubmit', from: 'returned', to: 'in_review', roles: editorRoles, commentRequired: false, notByWriters: false },
	{ name: 'return', from: 'in_review', to: 'returned', roles: reviewerRoles, commentRequired: true, notByWriters: false },
	{ name: 'approve', from: 'in_review', to: 'approved', roles: reviewerRoles, commentRequired: false, notByWriters: true },
	{ name: 'publish', from: 'approved', to: 'published', roles: reviewerRoles, commentRequired: false, notByWriters: false }
];

export function findMove(from: PolicyVersionStatus, to: PolicyVersionStatus): Move | null {
	return moves.find((m) => m.from === from && m.to === to) ?? null;
}

export const commentMax = 4000;

export type TransitionProblem =
	| 'not_found'
	/** No such move from this state (params: from, to). */
	| 'illegal_move'
	/** The move exists but not for the actor's roles (params: to). */
	| 'forbidden'
	| 'comment_required'
	| 'comment_too_long'
	/** The author may not approve their own draft. */
	| 'own_draft'
	/** Nor may anyone who edited it. */
	| 'own_edit'
	| PublishProblem;

export type PublishProblem = 'bad_version' | 'version_taken' | 'version_behind' | 'bad_date';

export interface PublishInput {
	/** '' or absent: the next minor (一部改訂) or major (全部改訂) after the version in force. */
	version?: string;
	/** YYYY-MM-DD or 和暦; '' or absent: today in Japan. */
	effectiveDate?: string;
}

export type TransitionResult = { ok: true; from: PolicyVersionStatus; to: PolicyVersionStatus; published?: PublishedInfo } | Refusal<TransitionProblem>;

export interface PublishedInfo {
	version: string;
	effectiveDate: string;
	dateLabel: string;
	previousVersionId: string | null;
	retraining: AfterPublishResult;
}

/** Why a move would be refused for this actor, without making it; null when it would go. */
export async function moveRefusal(
	tx: DbOrTx,
	actor: RevisionActor,
	version: VersionRow,
	to: PolicyVersionStatus,
	comment: string
): Promise<{ problem: TransitionProblem; params?: Record<string, string> } | null> {
	const move = findMove(version.status, to);
	if (!move) return { problem: 'illegal_move', params: { from: version.status, to } };
	if (!holdsAny(actor, move.roles)) return { problem: 'forbidden', params: { to } };
	if (move.commentRequired && !comment.trim()) return { problem: 'comment_required' };
	if (comment.length > commentMax) return { problem: 'comment_too_long', params: { max: String(commentMax) } };
	if (move.notByWriters) {
		const writers = await draftWriters(tx, version);
		if (writers.author === actor.personId) return { problem: 'own_draft' };
		if (writers.editors.has(actor.personId)) return { problem: 'own_edit' };
	}
	return null;
}

async function visiblePolicy(tx: DbOrTx, actor: RevisionActor, version: VersionRow) {
	const [policy] = await tx.select().from(policies).where(eq(policies.id, version.policyId));
	return policy && canSeeRestricted(policy.restrictedTo, actor.roles) ? policy : null;
}

/** Publishes the locked, approved version: numbering, dates, the old version superseded, retraining. */
async function publishLocked(tx: DbOrTx, actor: RevisionActor, version: VersionRow, input: PublishInput): Promise<PublishedInfo> {
	// The policy row keeps two publications of one policy apart.
	await tx.select({ id: policies.id }).from(policies).where(eq(policies.id, version.policyId)).for('update');
	const previous = await versionInForce(tx, version.policyId);
	const kind = isRevisionKind(version.changeKind) ? version.changeKind : 'partial';
	const typed = input.version?.trim() ?? '';
	const label = typed ? policyVersionLabel(typed) : previous ? nextVersionLabel(previous.version, kind) : version.version;
	if (!label) return refuse('bad_version');
	const [taken] = await tx
		.select({ id: policyVersions.id })
		.from(policyVersions)
		.where(and(eq(policyVersions.policyId, version.policyId), eq(policyVersions.version, label), ne(policyVersions.id, version.id)));
	if (taken) refuse('version_taken', { version: label });
	if (previous && compareVersions(label, previous.version) <= 0) refuse('version_behind', { current: previous.version });
	const typedDate = input.effectiveDate?.trim() ?? '';
	const effectiveDate = typedDate ? parseJapaneseDate(typedDate) : formatIsoDate(new Date());
	if (!effectiveDate) return refuse('bad_date');
	const dateLabel = formatWareki(effectiveDate);

	// One version in force per policy (a partial unique index): the old one steps down first.
	if (previous) await tx.update(policyVersions).set({ status: 'superseded' }).where(eq(policyVersions.id, previous.id));
	await tx
		.update(policyVersions)
		.set({ status: 'published', version: label, effectiveDate, dateLabel, publishedAt: new Date() })
		.where(eq(policyVersions.id, version.id));
	const retraining = await afterPublish(tx, {
		orgId: version.orgId,
		policyId: version.policyId,
		versionId: version.id,
		previousVersionId: previous?.id ?? null,
		actorId: actor.personId
	});
	return { version: label, effectiveDate, dateLabel, previousVersionId: previous?.id ?? null, retraining };
}

/**
 * Moves a revision to another state. Every move not in `moves` is refused with its reason; a
 * move to 'published' publishes with the default number and today's date (see publishRevision).
 */
export async function transition(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	to: PolicyVersionStatus,
	comment = '',
	publish: PublishInput = {}
): Promise<TransitionResult> {
	const text = comment.replace(/\r\n?/g, '\n').trim();
	try {
		const result = await refusable<TransitionResult, TransitionProblem>(() =>
			db.transaction(async (tx) => {
				const version = await lockVersion(tx, actor.orgId, versionId, 'update');
				if (!version || !holdsAny(actor, revisionReaderRoles) || !(await visiblePolicy(tx, actor, version))) return refuse('not_found');
				const refusal = await moveRefusal(tx, actor, version, to, text);
				if (refusal) refuse(refusal.problem, refusal.params);
				const move = findMove(version.status, to)!;
				let published: PublishedInfo | undefined;
				if (to === 'published') published = await publishLocked(tx, actor, version, publish);
				else await tx.update(policyVersions).set({ status: to }).where(eq(policyVersions.id, version.id));
				await tx
					.insert(revisionEvents)
					.values({ orgId: actor.orgId, versionId: version.id, fromStatus: version.status, toStatus: to, actorId: actor.personId, comment: text });
				await recordAudit(tx, actor, {
					action: `revision.${move.name}`,
					targetType: 'policy_version',
					targetId: version.id,
					detail: {
						policyId: version.policyId,
						from: version.status,
						to,
						version: published?.version ?? version.version,
						...(published ? { previousVersionId: published.previousVersionId, effectiveDate: published.effectiveDate } : {}),
						...(text ? { comment: text } : {})
					}
				});
				return { ok: true as const, from: version.status, to, ...(published ? { published } : {}) };
			})
		);
		if (result.ok && result.published) forgetRecentWeakSpots(actor.orgId);
		return result;
	} catch (err) {
		// Two publications racing for one label: the unique index stops the second.
		if (isUniqueViolation(err)) return { ok: false, problem: 'version_taken', params: { version: publish.version ?? '' } };
		throw err;
	}
}

/**
 * Publishes an approved revision: 版 (default: the next minor for 一部改訂, the next major for
 * 全部改訂; unique per policy), 施行日 (default: today), the previous version becomes 旧版, and
 * retraining is prepared in the same transaction.
 */
export function publishRevision(db: Db, actor: RevisionActor, versionId: string, input: PublishInput = {}): Promise<TransitionResult> {
	return transition(db, actor, versionId, 'published', '', input);
}

/** The version label a publication would take by default. */
export async function defaultPublishLabel(db: DbOrTx, version: { policyId: string; version: string; changeKind: string }): Promise<string> {
	const inForce = await versionInForce(db, version.policyId);
	return nextVersionLabel(inForce?.version ?? version.version, isRevisionKind(version.changeKind) ? version.changeKind : 'partial');
}

/** The moves the actor could make now, each with the reason it would be refused (null: it would go). */
export async function availableMoves(db: DbOrTx, actor: RevisionActor, versionId: string) {
	const version = await lockFree(db, actor.orgId, versionId);
	if (!version) return [];
	const out: { move: Move; refusal: { problem: TransitionProblem; params?: Record<string, string> } | null }[] = [];
	for (const move of moves.filter((m) => m.from === version.status)) {
		// The comment is checked when it is given; here only who may move.
		out.push({ move, refusal: await moveRefusal(db, actor, version, move.to, move.commentRequired ? '-' : '') });
	}
	return out;
}

async function lockFree(db: DbOrTx, orgId: string, versionId: string): Promise<VersionRow | null> {
	const [row] = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.id, versionId)));
	return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Events and comments

export interface RevisionEvent {
	from: PolicyVersionStatus | null;
	to: PolicyVersionStatus;
	actor: string | null;
	comment: string;
	at: Date;
}

export async function revisionHistory(db: DbOrTx, orgId: string, versionId: string): Promise<RevisionEvent[]> {
	const rows = await db
		.select({ from: revisionEvents.fromStatus, to: revisionEvents.toStatus, actor: people.name, comment: revisionEvents.comment, at: revisionEvents.at })
		.from(revisionEvents)
		.leftJoin(people, eq(people.id, revisionEvents.actorId))
		.where(and(eq(revisionEvents.orgId, orgId), eq(revisionEvents.versionId, versionId)))
		.orderBy(asc(revisionEvents.at), asc(revisionEvents.id));
	return rows;
}

export interface RevisionComment {
	id: string;
	sectionKey: string | null;
	author: string;
	authorId: string;
	body: string;
	createdAt: Date;
}

export async function revisionCommentsOf(db: DbOrTx, orgId: string, versionId: string): Promise<RevisionComment[]> {
	return db
		.select({
			id: revisionComments.id,
			sectionKey: revisionComments.sectionKey,
			author: people.name,
			authorId: revisionComments.authorId,
			body: revisionComments.body,
			createdAt: revisionComments.createdAt
		})
		.from(revisionComments)
		.innerJoin(people, eq(people.id, revisionComments.authorId))
		.where(and(eq(revisionComments.orgId, orgId), eq(revisionComments.versionId, versionId)))
		.orderBy(asc(revisionComments.createdAt), asc(revisionComments.id));
}

export type CommentProblem = 'not_found' | 'forbidden' | 'not_in_review' | 'comment_empty' | 'comment_too_long' | 'unknown_section' | 'reply_only';

/**
 * A comment on one section (`sectionKey`) or on the whole revision (null), while it is in review.
 * Approvers and admins comment; policy owners reply (in review, or after it was sent back) to a
 * comment already made on the same section or on the whole.
 */
export async function addComment(
	db: Db,
	actor: RevisionActor,
	versionId: string,
	input: { sectionKey: string | null; body: string }
): Promise<{ ok: true; id: string } | Refusal<CommentProblem>> {
	const body = input.body.replace(/\r\n?/g, '\n').trim();
	const sectionKey = input.sectionKey?.trim() || null;
	return refusable<{ ok: true; id: string }, CommentProblem>(() =>
		db.transaction(async (tx) => {
			// A shared lock: comments go in side by side, but not past a change of state.
			const version = await lockVersion(tx, actor.orgId, versionId, 'share');
			if (!version || !holdsAny(actor, revisionReaderRoles) || !(await visiblePolicy(tx, actor, version))) return refuse('not_found');
			const reviewer = holdsAny(actor, reviewerRoles);
			const allowed = reviewer ? version.status === 'in_review' : version.status === 'in_review' || version.status === 'returned';
			if (!allowed) refuse('not_in_review', { status: version.status });
			if (!body) refuse('comment_empty');
			if (body.length > commentMax) refuse('comment_too_long', { max: String(commentMax) });
			if (sectionKey) {
				const ids = [version.id, ...(version.basedOnVersionId ? [version.basedOnVersionId] : [])];
				const found = [];
				for (const id of ids) {
					const [row] = await tx
						.select({ restrictedTo: policySections.restrictedTo })
						.from(policySections)
						.where(and(eq(policySections.versionId, id), eq(policySections.key, sectionKey)));
					if (row && canSeeRestricted(row.restrictedTo, actor.roles)) found.push(row);
				}
				if (found.length === 0) refuse('unknown_section');
			}
			if (!reviewer) {
				const thread = await tx
					.select({ id: revisionComments.id, sectionKey: revisionComments.sectionKey })
					.from(revisionComments)
					.where(eq(revisionComments.versionId, version.id));
				if (!thread.some((c) => c.sectionKey === sectionKey)) refuse('reply_only');
			}
			const [row] = await tx
				.insert(revisionComments)
				.values({ orgId: actor.orgId, versionId: version.id, sectionKey, authorId: actor.personId, body })
				.returning({ id: revisionComments.id });
			await recordAudit(tx, actor, {
				action: 'revision.comment',
				targetType: 'policy_version',
				targetId: version.id,
				detail: { sectionKey, commentId: row.id }
			});
			return { ok: true as const, id: row.id };
		})
	);
}
