// Character-level helpers shared by the importer's passes.

/** Full-width digits → ASCII, for matching and for numbers only (bodies keep their own width). */
export function asciiDigits(text: string): string {
	return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Comparison form of a line: NFKC (widths), no spaces. */
export function looseForm(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, '');
}

// A line that ends like this closes its sentence; one that does not was probably cut by a PDF.
const sentenceEnd = /(?:[。．.！？!?：:]|[。．][）)」』】〕])$/u;

export function endsSentence(line: string): boolean {
	return sentenceEnd.test(line);
}

// Captions are short noun phrases; a cut line usually stops after a particle or a comma.
const particleEnd = /[のをにはがでとへもや、]$/u;

// "3 月版) に…" or "2 つの…" after a number is a line cut before a unit, not a numbered item.
export const unitAfterNumber = /^[年月日時分秒個件名人台回点%％円条項号章節版倍割つ]/u;

/** Whether the text on a numbering line reads as a caption (目的, 情報資産の分類と管理). */
export function isCaptionLike(text: string): boolean {
	return text.length > 0 && text.length <= 30 && !/[、。，．]/u.test(text) && !particleEnd.test(text);
}

/**
 * What joins a line cut by a PDF copy to its continuation: nothing in Japanese, a space between
 * two Latin words (or digits). Asks only for the line before, not the paragraph built so far:
 * reading the end of a string grown by `+=` makes the engine copy all of it, each time.
 */
export function cutJoiner(lineBefore: string, after: string): string {
	return /[A-Za-z0-9]$/.test(lineBefore) && /^[A-Za-z0-9]/.test(after) ? ' ' : '';
}

/** 【目的】 or （目的） as a whole heading → 目的. */
export function unwrapCaption(text: string): string {
	const m = /^[【［[〔（(]([^【［[〔（()）〕\]］】]+)[】］\]〕）)]$/u.exec(text);
	return m ? m[1].trim() : text;
}

/**
 * A number as written (（８）, ２, 第５条, ｱ., １－１) → the form shown beside a heading:
 * ASCII digits and brackets, full-width kana, no spaces or trailing full stop. ① stays ①.
 */
export function displayLabel(mark: string | undefined): string {
	if (!mark) return '';
	return asciiDigits(mark)
		.replace(/[（]/g, '(')
		.replace(/[）]/g, ')')
		.replace(/[ａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[\uff61-\uff9f]+/g, (kana) => kana.normalize('NFKC'))
		.replace(/[－―‐‑–—ー]/g, '-')
		.replace(/．/g, '.')
		.replace(/[\s\u3000]+/g, '')
		.replace(/[.、]$/, '');
}

/**
 * 「情報資産　ネットワーク…をいう。」: a term, a space and its definition on one line. The term
 * ends at the first full-width space or tab, else at the first space between non-Latin
 * characters; it reads as a caption.
 * Null for any other line. Linear in the line.
 */
export function definitionParts(line: string): { term: string; definition: string } | null {
	const t = line.trim();
	if (!t.endsWith('をいう。')) return null;
	let at = t.search(/[\u3000\t]/u);
	if (at < 0 || at > 30) {
		at = t.indexOf(' ');
		// A space between two Latin words (LGWAN 接続系) is a word space, not the term's end.
		if (/[A-Za-z0-9]/.test(t[at - 1] ?? '') || /[A-Za-z0-9]/.test(t[at + 1] ?? '')) return null;
	}
	if (at <= 0 || at > 30) return null;
	const term = t.slice(0, at).trim();
	const definition = t.slice(at).trim();
	if (!definition || !isCaptionLike(term) || /^[（(「『【［[〔・●○-]/u.test(term)) return null;
	return { term, definition };
}
