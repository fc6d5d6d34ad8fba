// How the organisation's documents are laid out: which side of the 新旧対照表 comes first, and the
// 決裁欄 printed on reports. Admins set them; every document reads them.
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { comparisonOrders, documentSettings, type ComparisonOrder } from '../db/schema';
import { recordAudit } from '../audit/log';
import type { OrgActor } from './departments';

export interface DocumentSettings {
	comparisonOrder: ComparisonOrder;
	/** Titles of the stamp boxes, left to right (e.g. 課長, CISO); none prints no 決裁欄. */
	approvalBoxes: string[];
}

export const defaultDocumentSettings: DocumentSettings = { comparisonOrder: 'new_first', approvalBoxes: [] };

/** A 決裁欄 wider than this does not fit an A4 page's width. */
export const approvalBoxesMax = 8;
/** A stamp box's title: a position, not a sentence. */
export const approvalBoxTitleMax = 12;

export async function getDocumentSettings(db: DbOrTx, orgId: string): Promise<DocumentSettings> {
	const [row] = await db
		.select({ comparisonOrder: documentSettings.comparisonOrder, approvalBoxes: documentSettings.approvalBoxes })
		.from(documentSettings)
		.where(eq(documentSettings.orgId, orgId));
	if (!row) return defaultDocumentSettings;
	return {
		comparisonOrder: comparisonOrders.includes(row.comparisonOrder) ? row.comparisonOrder : defaultDocumentSettings.comparisonOrder,
		approvalBoxes: row.approvalBoxes
	};
}

export type DocumentSettingsProblem = 'order_unknown' | 'too_many_boxes' | 'box_too_long';

/** The 決裁欄 titles as typed: one per line (or separated by 、 or commas), blanks dropped. */
export function parseApprovalBoxes(text: string): string[] {
	return text
		.split(/[\r\n,、，]+/)
		.map((s) => s.normalize('NFKC').replace(/\s+/g, ' ').trim())
		.filter(Boolean);
}

export function checkDocumentSettings(input: { comparisonOrder: string; approvalBoxes: string[] }): DocumentSettingsProblem | null {
	if (!(comparisonOrders as readonly string[]).includes(input.comparisonOrder)) return 'order_unknown';
	if (input.approvalBoxes.length > approvalBoxesMax) return 'too_many_boxes';
	if (input.approvalBoxes.some((b) => [...b].length > approvalBoxTitleMax)) return 'box_too_long';
	return null;
}

export async function saveDocumentSettings(
	db: Db,
	actor: OrgActor,
	input: { comparisonOrder: string; approvalBoxes: string[] }
): Promise<{ ok: true } | { ok: false; problem: DocumentSettingsProblem }> {
	const problem = checkDocumentSettings(input);
	if (problem) return { ok: false, problem };
	const values = { comparisonOrder: input.comparisonOrder as ComparisonOrder, approvalBoxes: input.approvalBoxes };
	await db.transaction(async (tx) => {
		const before = await getDocumentSettings(tx, actor.orgId);
		await tx
			.insert(documentSettings)
			.values({ orgId: actor.orgId, ...values, updatedBy: actor.personId })
			.onConflictDoUpdate({ target: documentSettings.orgId, set: { ...values, updatedAt: new Date(), updatedBy: actor.personId } });
		await recordAudit(tx, actor, { action: 'settings.documents', detail: { before, after: values } });
	});
	return { ok: true };
}
