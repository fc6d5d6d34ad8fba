import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policySections, policyVersions, type ChangeKind, type PolicyVersionStatus, type Role } from '../db/schema';
import { parseJapaneseDate } from '../../format/wareki';

export interface SectionInput {
	key: string;
	level: number;
	/** The number as the document writes it; '' for an unnumbered heading; absent → derived from the key. */
	label?: string;
	heading: string;
	body: string;
	restrictedTo?: Role[] | null;
}

export interface VersionInput {
	orgId: string;
	policyId: string;
	version: string;
	status: PolicyVersionStatus;
	changeKind: ChangeKind;
	reason?: string;
	dateLabel?: string;
	effectiveDate?: string | null;
	title?: string;
	preamble?: string;
	/** False for a version known only from the 改訂履歴 table. */
	textHeld?: boolean;
	createdBy?: string | null;
	publishedAt?: Date | null;
}

const kindByLabel: Record<string, ChangeKind> = { 新規制定: 'enacted', 制定: 'enacted', 一部改訂: 'partial', 全部改訂: 'full', 全面改訂: 'full' };

/** 区分 as documents write it → the stored kind; unknown labels read as 一部改訂. */
export function changeKindFromLabel(label: string): ChangeKind {
	return kindByLabel[label.replace(/\s/g, '')] ?? 'partial';
}

/** 令和7年11月25日 → 2025-11-25; a date without a day (平成17年3月) has no effective date. */
export function effectiveDateFromLabel(label: string): string | null {
	return label ? parseJapaneseDate(label) : null;
}

/** The number as the document writes it, for items whose label the source did not keep. */
export function defaultLabel(key: string, level: number): string {
	const last = key.split('.').pop() ?? key;
	const n = Number(last);
	if (!Number.isInteger(n)) return last;
	if (level <= 1) return String(n);
	if (level === 2) return `(${n})`;
	if (level === 3 && n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
	return `${n}`;
}

/** Inserts a version and its sections in document order. Call inside a transaction. */
export async function insertVersion(tx: DbOrTx, input: VersionInput, sections: readonly SectionInput[]): Promise<string> {
	const [row] = await tx
		.insert(policyVersions)
		.values({
			orgId: input.orgId,
			policyId: input.policyId,
			version: input.version,
			status: input.status,
			changeKind: input.changeKind,
			reason: input.reason ?? '',
			dateLabel: input.dateLabel ?? '',
			effectiveDate: input.effectiveDate ?? null,
			title: input.title ?? '',
			preamble: input.preamble ?? '',
			textHeld: input.textHeld ?? sections.length > 0,
			createdBy: input.createdBy ?? null,
			publishedAt: input.publishedAt ?? null
		})
		.returning({ id: policyVersions.id });
	await replaceSections(tx, input.orgId, row.id, sections);
	return row.id;
}

export async function replaceSections(tx: DbOrTx, orgId: string, versionId: string, sections: readonly SectionInput[]): Promise<void> {
	await tx.delete(policySections).where(eq(policySections.versionId, versionId));
	for (let i = 0; i < sections.length; i += 500) {
		await tx.insert(policySections).values(
			sections.slice(i, i + 500).map((s, j) => ({
				orgId,
				versionId,
				key: s.key,
				position: i + j,
				level: s.level,
				label: s.label ?? defaultLabel(s.key, s.level),
				heading: s.heading,
				body: s.body,
				restrictedTo: s.restrictedTo ?? null
			}))
		);
	}
}
