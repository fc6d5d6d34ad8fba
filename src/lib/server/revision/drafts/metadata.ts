// Metadata edits: 版, 区分 and 理由及び内容, saved against the token they were loaded with.
import { and, desc, eq, gte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { auditEvents, policyVersions } from '../../db/schema';
import { policyVersionLabel } from '../../policy/save-import';
import { compareVersions } from '../../policy/policies';
import { refusable, refuse, type Refusal, type RevisionActor, type VersionRow } from '../common';
import { freeVersionLabel, isRevisionKind, type RevisionKind } from '../numbering';
import { baseOf, editAudit, editableDraft, metadataToken, namesOf, personRef, type PersonRef } from './shared';

export const reasonMax = 2000;

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
