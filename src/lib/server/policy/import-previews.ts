import { and, desc, eq, gt, lt, notInArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policyImportPreviews } from '../db/schema';
import { isUuid } from '../db/ids';

/** How long a previewed document waits for its save, and how many one person keeps at once. */
const keptForMs = 24 * 3_600_000;
const keptPerPerson = 5;

export interface PreviewedDocument {
	text: string;
	encoding: string;
	fileName: string;
}

interface Owner {
	orgId: string;
	personId: string;
}

/** Keeps a previewed document for its save; the person's expired and oldest previews are dropped. */
export async function keepPreviewedDocument(db: DbOrTx, owner: Owner, document: PreviewedDocument, now = new Date()): Promise<string> {
	const [row] = await db
		.insert(policyImportPreviews)
		.values({ orgId: owner.orgId, personId: owner.personId, ...document, fileName: document.fileName.slice(0, 255), createdAt: now })
		.returning({ id: policyImportPreviews.id });
	const newest = db
		.select({ id: policyImportPreviews.id })
		.from(policyImportPreviews)
		.where(eq(policyImportPreviews.personId, owner.personId))
		.orderBy(desc(policyImportPreviews.createdAt))
		.limit(keptPerPerson);
	await db
		.delete(policyImportPreviews)
		.where(
			or(
				lt(policyImportPreviews.createdAt, new Date(now.getTime() - keptForMs)),
				and(eq(policyImportPreviews.personId, owner.personId), notInArray(policyImportPreviews.id, newest))
			)
		);
	return row.id;
}

/** The document the person previewed under this id, or null: another person's, expired or unknown. */
export async function previewedDocument(db: DbOrTx, owner: Owner, id: string, now = new Date()): Promise<PreviewedDocument | null> {
	if (!isUuid(id)) return null;
	const [row] = await db
		.select({ text: policyImportPreviews.text, encoding: policyImportPreviews.encoding, fileName: policyImportPreviews.fileName })
		.from(policyImportPreviews)
		.where(
			and(
				eq(policyImportPreviews.id, id),
				eq(policyImportPreviews.orgId, owner.orgId),
				eq(policyImportPreviews.personId, owner.personId),
				gt(policyImportPreviews.createdAt, new Date(now.getTime() - keptForMs))
			)
		);
	return row ?? null;
}

/** After the save: the previewed text is in the policy now. */
export async function forgetPreviewedDocument(db: DbOrTx, owner: Owner, id: string): Promise<void> {
	if (!isUuid(id)) return;
	await db.delete(policyImportPreviews).where(and(eq(policyImportPreviews.id, id), eq(policyImportPreviews.personId, owner.personId)));
}
