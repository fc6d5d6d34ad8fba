// Shapes produced by the policy text importer. Pure data: no database ids yet.

/** One row of a 改訂履歴 table: 第 5.0 版 → version 5.0, dates without spaces. */
export interface HistoryRow {
	version: string;
	date: string;
	kind: string;
	reason: string;
}

/**
 * One heading of the policy, in document order. `key` is stable across versions because it is
 * built from the document's own numbering (see keys.ts); `body` is Markdown.
 */
export interface ParsedSection {
	key: string;
	level: number;
	/** The number as the document writes it, widths normalised: 1, (8), ②, ア, 第5条; '' when unnumbered. */
	label: string;
	heading: string;
	body: string;
}

export interface ParsedPolicy {
	ok: true;
	title: string;
	preamble: string;
	history: HistoryRow[];
	sections: ParsedSection[];
	/** Things a person should check before saving (in Japanese, shown as they are). */
	warnings: string[];
}

export interface ParseFailure {
	ok: false;
	reason: 'empty' | 'no_structure' | 'line_too_long' | 'too_deep' | 'too_slow';
	message: string;
	/** The line (1-based) and the bound it breaks, for line_too_long and too_deep. */
	line?: number;
	max?: number;
}
