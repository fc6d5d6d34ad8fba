// How a section is named wherever it is shown — reports, evidence, retraining, diffs: as the
// document cites it, with its words (「6(3)③ インターネット接続系においては…」), never a bare
// label, a raw key or Markdown syntax.

/**
 * How the document cites a section: the labels of the section and its ancestors from the top down
 * (6(3)② for key 6.3.2), or the key itself when no labels are known.
 */
export function sectionCitation(key: string, labelOf: (key: string) => string | undefined): string {
	const parts = key.split('.').map((_, i, all) => labelOf(all.slice(0, i + 1).join('.')) ?? '');
	return parts.join('') || key;
}

/** A citation built from a path of labels (`6 (3) ③`): the document writes them together. */
export function citationOfPath(path: string): string {
	return path.replace(/\s+/g, '');
}

/** Cut to `length` characters (never half a surrogate pair), with an ellipsis when cut. */
export function truncateText(text: string, length: number): string {
	const chars = Array.from(text.replace(/\s+/g, ' ').trim());
	return chars.length <= length ? chars.join('') : `${chars.slice(0, length - 1).join('')}…`;
}

/** Enough of a body to recognise an item that has no heading (①, ア). */
export const excerptLength = 40;

/**
 * Plain text of a Markdown body as a reader sees it: links as their text, no list markers,
 * quote marks, headings' #, emphasis or table pipes. Runs line by line with bounded patterns.
 */
export function plainText(markdown: string): string {
	return withoutLineMarkers(markdown)
		.split('\n')
		.map((line) => line.replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1').replace(/[*_`~|]/g, ''))
		.join(' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Leading quote marks, headings' #, list bullets and ordered-list numbers (1. or 1)) of each line. */
const lineMarkers = /^(?:[ \t]*(?:>|#{1,6}(?=\s)|[-*+](?=\s)|\d{1,9}[.)](?=\s)))+[ \t]*/gm;

/** The text with the Markdown marks that start its lines removed, and nothing else changed. */
export function withoutLineMarkers(text: string): string {
	return text.replace(lineMarkers, '');
}

/** The start of a body as plain text, or null when it has none. */
export function excerptOf(body: string, length = excerptLength): string | null {
	const plain = plainText(body);
	return plain ? truncateText(plain, length) : null;
}

export interface CitableSection {
	/** As the document cites it: 6(3)③. */
	citation: string;
	heading: string;
	body: string;
}

/**
 * The section's name for a report or a list: its citation and heading (「6(3) 三層の対策」), or
 * for an item without a heading its citation and the start of its text
 * (「6(3)③ インターネット接続系においては…」).
 */
export function sectionTitle(section: CitableSection, length = excerptLength): string {
	return [section.citation, sectionWords(section, length)].filter(Boolean).join(' ');
}

/** A section's own words: its heading, or the start of its text when it has none. */
export function sectionWords(section: Pick<CitableSection, 'heading' | 'body'>, length = excerptLength): string {
	return section.heading.trim() ? plainText(section.heading) : (excerptOf(section.body, length) ?? '');
}

export interface OutlineSection {
	key: string;
	label: string;
	heading: string;
	body: string;
}

/** Every section's title in one version, cited through its ancestors' labels (keys nest by dots). */
export function titlesOf(sections: readonly OutlineSection[]): Map<string, string> {
	const byKey = new Map(sections.map((s) => [s.key, s]));
	return new Map(
		sections.map((s) => [s.key, sectionTitle({ citation: sectionCitation(s.key, (k) => byKey.get(k)?.label), heading: s.heading, body: s.body })])
	);
}
