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
	/** The issuer printed on a 修了証 (e.g. 北杜市長 / 山田 太郎); empty prints the organisation alone. */
	certificateIssuerTitle: string;
	certificateIssuerName: string;
}

export const defaultDocumentSettings: DocumentSettings = {
	comparisonOrder: 'new_first',
	approvalBoxes: [],
	certificateIssuerTitle: '',
	certificateIssuerName: ''
};

/** A 決裁欄 wider than this does not fit an A4 page's width. */
export const approvalBoxesMax = 8;
/** A stamp box's title: a position, not a sentence. */
export const approvalBoxTitleMax = 12;
/** The issuer's position and name: one line each on the certificate. */
export const certificateIssuerMax = 40;

export async function getDocumentSettings(db: DbOrTx, orgId: string): Promise<DocumentSettings> {
	const [row] = await db
		.select({
			comparisonOrder: documentSettings.comparisonOrder,
			approvalBoxes: documentSettings.approvalBoxes,
			certificateIssuerTitle: documentSettings.certificateIssuerTitle,
			certificateIssuerName: documentSettings.certificateIssuerName
		})
		.from(documentSettings)
		.where(eq(documentSettings.orgId, orgId));
	if (!row) return defaultDocumentSettings;
	return {
		comparisonOrder: comparisonOrders.includes(row.comparisonOrder) ? row.comparisonOrder : defaultDocumentSettings.comparisonOrder,
		approvalBoxes: row.approvalBoxes,
		certificateIssuerTitle: row.certificateIssuerTitle,
		certificateIssuerName: row.certificateIssuerName
	};
}

export type DocumentSettingsProblem = 'order_unknown' | 'too_many_boxes' | 'box_too_long' | 'issuer_too_long';

export interface DocumentSettingsInput {
	comparisonOrder: string;
	approvalBoxes: string[];
	/** Absent: the stored issuer is kept. */
	certificateIssuerTitle?: string;
	certificateIssuerName?: string;
}

/** One line of a printed title: NFKC, runs of spaces as one, trimmed. */
export function parseIssuerLine(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** The 決裁欄 titles as typed: one per line (or separated by 、 or commas), blanks dropped. */
export function parseApprovalBoxes(text: string): string[] {
	return text
		.split(/[\r\n,、，]+/)
		.map((s) => s.normalize('NFKC').replace(/\s+/g, ' ').trim())
		.filter(Boolean);
}

export function checkDocumentSettings(input: DocumentSettingsInput): DocumentSettingsProblem | null {
	if (!(comparisonOrders as readonly string[]).includes(input.comparisonOrder)) return 'order_unknown';
	if (input.approvalBoxes.length > approvalBoxesMax) return 'too_many_boxes';
	if (input.approvalBoxes.some((b) => [...b].length > approvalBoxTitleMax)) return 'box_too_long';
	if ([input.certificateIssuerTitle ?? '', input.certificateIssuerName ?? ''].some((s) => [...s].length > certificateIssuerMax)) return 'issuer_too_long';
	return null;
}

export async function saveDocumentSettings(
	db: Db,
	actor: OrgActor,
	input: DocumentSettingsInput
): Promise<{ ok: true } | { ok: false; problem: DocumentSettingsProblem }> {
	const problem = checkDocumentSettings(input);
	if (problem) return { ok: false, problem };
	await db.transaction(async (tx) => {
		const before = await getDocumentSettings(tx, actor.orgId);
		const values = {
			comparisonOrder: input.comparisonOrder as ComparisonOrder,
			approvalBoxes: input.approvalBoxes,
			certificateIssuerTitle: input.certificateIssuerTitle ?? before.certificateIssuerTitle,
			certificateIssuerName: input.certificateIssuerName ?? before.certificateIssuerName
		};
		await tx
			.insert(documentSettings)
			.values({ orgId: actor.orgId, ...values, updatedBy: actor.personId })
			.onConflictDoUpdate({ target: documentSettings.orgId, set: { ...values, updatedAt: new Date(), updatedBy: actor.personId } });
		await recordAudit(tx, actor, { action: 'settings.documents', detail: { before, after: values } });
	});
	return { ok: true };
}
