// A comparison of two versions as the 新旧対照表 a municipality files: the table in the
// organisation's column order and the title block — policy, versions and their dates — in the
// reader's language. The page, its print view and the Word file take their words from here.
import { translate, type Locale, type MessageKey } from '$lib/i18n/core';
import { formatDate } from '$lib/format/wareki';
import type { DbOrTx } from '../db/client';
import { getDocumentSettings } from '../org/document-settings';
import type { Policy, PolicyVersion, Viewer } from './policies';
import { comparableVersions, comparePolicyVersions, type VersionComparison, type DiffSummary } from './diff';
import { comparisonTable, type ComparisonTable, type Side } from './comparison-table';

export interface ComparisonSheet {
	policy: { slug: string; title: string };
	from: string;
	to: string;
	summary: DiffSummary;
	table: ComparisonTable;
	/** The words of the title block and the column headings, in the reader's language. */
	words: SheetWords;
}

export interface SheetWords {
	/** 新旧対照表 */
	title: string;
	/** 改正後 / 改正前 */
	columns: Record<Side, string>;
	/** Each side's version and its date: 第5.0版（令和7年11月25日施行）. */
	versions: Record<Side, string>;
	omitted: string;
	added: string;
	removed: string;
}

const openStatuses = new Set(['draft', 'in_review', 'returned', 'approved']);

/** A version as the title block names it: 第5.0版（令和7年11月25日施行）, 第5.1版（改訂案・審査中）. */
export function versionCaption(version: Pick<PolicyVersion, 'version' | 'status' | 'effectiveDate' | 'dateLabel'>, locale: Locale): string {
	const name = translate(locale, 'policy.version', { version: version.version });
	if (openStatuses.has(version.status)) {
		return translate(locale, 'comparison.versionDraft', { version: name, status: translate(locale, `revision.status.${version.status}` as MessageKey) });
	}
	if (version.effectiveDate) return translate(locale, 'comparison.versionEffective', { version: name, date: formatDate(version.effectiveDate, locale) });
	return version.dateLabel ? translate(locale, 'comparison.versionDated', { version: name, date: version.dateLabel }) : name;
}

export function sheetWords(locale: Locale, from: Parameters<typeof versionCaption>[0], to: Parameters<typeof versionCaption>[0]): SheetWords {
	const word = (key: MessageKey) => translate(locale, key);
	return {
		title: word('comparison.title'),
		columns: { new: word('comparison.new'), old: word('comparison.old') },
		versions: { new: versionCaption(to, locale), old: versionCaption(from, locale) },
		omitted: word('comparison.omitted'),
		added: word('comparison.added'),
		removed: word('comparison.removed')
	};
}

/** The sheet of a comparison, in the columns the organisation chose. */
export async function comparisonSheet(
	db: DbOrTx,
	orgId: string,
	comparison: VersionComparison,
	locale: Locale,
	options: { showUnchanged?: boolean } = {}
): Promise<ComparisonSheet> {
	const { comparisonOrder } = await getDocumentSettings(db, orgId);
	return {
		policy: { slug: comparison.policy.slug, title: comparison.policy.title },
		from: comparison.from.version,
		to: comparison.to.version,
		summary: comparison.summary,
		table: comparisonTable(comparison.changes, { order: comparisonOrder, showUnchanged: options.showUnchanged }),
		words: sheetWords(locale, comparison.from, comparison.to)
	};
}

/** Characters no file system takes in a name, and control characters. */
const unsafeInName = /[\\/:*?"<>|\p{Cc}]+/gu;

/** 情報セキュリティ基本方針_新旧対照表_第5.0版-第5.1版.docx */
export function comparisonFileName(sheet: Pick<ComparisonSheet, 'policy' | 'from' | 'to'>, locale: Locale): string {
	const name = translate(locale, 'comparison.fileName', {
		title: sheet.policy.title,
		from: translate(locale, 'policy.version', { version: sheet.from }),
		to: translate(locale, 'policy.version', { version: sheet.to })
	});
	return `${name.replace(unsafeInName, '_').trim()}.docx`;
}

export type ComparisonProblem = 'diff.needTwo' | 'diff.same' | 'diff.missing';

export interface AskedComparison {
	policy: Policy;
	/** The versions the viewer may compare, oldest first. */
	versions: PolicyVersion[];
	from: string;
	to: string;
	/** Why there is nothing to compare, or null when `comparison` holds it. */
	problem: ComparisonProblem | null;
	comparison: VersionComparison | null;
}

/**
 * The comparison a reader asked for by version labels (either may be blank: the default pair, the
 * version in force against the open draft), as the viewer may see it; null when the policy is not
 * there for the viewer.
 */
export async function askedComparison(db: DbOrTx, viewer: Viewer, slug: string, asked: { from: string; to: string }): Promise<AskedComparison | null> {
	const choice = await comparableVersions(db, viewer, slug);
	if (!choice) return null;
	const from = asked.from || choice.defaultFrom || '';
	const to = asked.to || choice.defaultTo || '';
	const result = { policy: choice.policy, versions: choice.versions, from, to, comparison: null };
	if (choice.versions.length < 2) return { ...result, problem: 'diff.needTwo' };
	if (from === to) return { ...result, problem: 'diff.same' };
	const comparison = await comparePolicyVersions(db, viewer, slug, from, to);
	return comparison ? { ...result, problem: null, comparison } : { ...result, problem: 'diff.missing' };
}
