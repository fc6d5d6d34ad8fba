// Numbering styles of Japanese municipal documents, recognised at the start of one line.
// Both widths are accepted: (1) and （１）, 1-1 and １－１, 1. and １．.

import { asciiDigits, unitAfterNumber, unwrapCaption } from './text';

/**
 * Style ids. Lines of the same style at the same depth are siblings; a style not yet open
 * starts a child list. `dotted2` is 1-1 / 1.1, `dotted3` is 1-1-1, and so on; `h2` is an
 * unnumbered Markdown `##` heading.
 */
export type Style =
	| 'chapter' // 第1章
	| 'division' // 第1節
	| 'subdivision' // 第1款
	| 'article' // 第1条
	| 'paragraph' // 項: ２ under an article
	| 'supplementary' // 附則
	| 'appendix' // 別表, 別記
	| 'number' // 1 目的, 1. 目的
	| 'dai' // 第１　趣旨 (要綱, 要領: 第N without 条)
	| `dotted${number}`
	| 'rparen' // 1)
	| 'paren' // (1)
	| 'circled' // ①
	| 'kana' // ア イ ウ
	| 'iroha' // イ ロ ハ (号 subdivisions in ordinances)
	| 'kanji' // 一 二 三 (号 in ordinances)
	| 'parenKana' // (ア)
	| 'parenKanji' // (一)
	| 'alpha' // a. a)
	| 'parenAlpha' // (a)
	| 'definition' // 情報資産　…をいう。 (a term and its definition on one line, unnumbered)
	| `h${number}`;

export interface Numbering {
	style: Style;
	/** Ordinal path: [8] for (8), [1, 2] for 1-2, [10, 2] for 第10条の2; [] for an unnumbered heading. */
	numbers: number[];
	/** Text after the number, trimmed. */
	text: string;
	/** The number as the line writes it (第５条, （８）, ア.); absent for 附則, 別表 and plain headings. */
	mark?: string;
	/** Caption carried on the line itself: 第1条（目的）, 第1章 総則, a Markdown heading. */
	caption?: string;
	/** Depth of the Markdown heading the line was, if it was one. */
	headingDepth?: number;
}

/** Legal hierarchy: a 章 holds 節, a 節 holds 条, whatever else is open. */
export const legalRank: Partial<Record<Style, number>> = { chapter: 0, division: 1, subdivision: 2, article: 3 };

const aiueo = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
const iroha = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス';

const kanjiDigits: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十二 → 12, 二十一 → 21, 百五 → 105; ASCII or full-width digits pass through. */
export function parseNumeral(text: string): number {
	if (/^[0-9０-９]+$/.test(text)) return Number(asciiDigits(text));
	let total = 0;
	let digit = 0;
	for (const c of text) {
		if (c === '百' || c === '十') {
			total += (digit || 1) * (c === '百' ? 100 : 10);
			digit = 0;
		} else digit = digit * 10 + kanjiDigits[c];
	}
	return total + digit;
}

function circledOrdinal(c: string): number {
	const code = c.codePointAt(0)!;
	if (code >= 0x2460 && code <= 0x2473) return code - 0x2460 + 1;
	if (code >= 0x3251 && code <= 0x325f) return code - 0x3251 + 21;
	return code - 0x32b1 + 36;
}

const N = '[0-9０-９]+|[〇一二三四五六七八九十百]+';
const D = '[0-9０-９]';
const SP = '[ \\t\\u3000]';
const legalUnit: Record<string, Style> = { 章: 'chapter', 節: 'division', 款: 'subdivision' };

const patterns = {
	article: new RegExp(`^第${SP}*(${N})${SP}*条(?:${SP}*の${SP}*(${N}))?(?=[\\s（(]|$)(.*)$`, 'u'),
	// 第1章総則 is a heading even without the space; 第1章の規定により… is a sentence.
	legal: new RegExp(`^第${SP}*(${N})${SP}*([章節款])(?![のにでをはがとへもや及並又若、。])(.*)$`, 'u'),
	supplementary: new RegExp(`^([附付])${SP}*則(?=[\\s（(]|$)(.*)$`, 'u'),
	appendix: new RegExp(`^(別表|別記)${SP}*(?:第?${SP}*(${N}))?(?=[\\s（(]|$)(.*)$`, 'u'),
	dai: new RegExp(`^第${SP}*([0-9０-９]+|[一二三四五六七八九十]+)${SP}+(.+)$`, 'u'),
	dotted: new RegExp(`^(${D}{1,3}(?:[.．\\-－―‐‑–—ー]${D}{1,3})+)[.．]?(?:${SP}+|$)(.*)$`, 'u'),
	number: new RegExp(`^(${D}{1,3})(?:[.．]${SP}*|${SP}+)(?!${D})(.+)$`, 'u'),
	rparen: new RegExp(`^(${D}{1,3})[)）]${SP}*(.+)$`, 'u'),
	paren: new RegExp(`^[(（](${D}{1,3})[)）]${SP}*(.*)$`, 'u'),
	parenKana: new RegExp(`^[(（]([ア-ンｱ-ﾝ])[)）]${SP}*(.*)$`, 'u'),
	parenKanji: new RegExp(`^[(（]([一二三四五六七八九十]{1,3})[)）]${SP}*(.*)$`, 'u'),
	parenAlpha: new RegExp(`^[(（]([a-zａ-ｚ])[)）]${SP}*(.*)$`, 'u'),
	circled: new RegExp(`^([\\u2460-\\u2473\\u3251-\\u325f\\u32b1-\\u32bf])${SP}*(.*)$`, 'u'),
	kana: new RegExp(`^([ア-ンｱ-ﾝ])(?:${SP}+|[.．、]${SP}*)(.+)$`, 'u'),
	kanji: new RegExp(`^([一二三四五六七八九十]{1,3})${SP}+(.+)$`, 'u'),
	alpha: new RegExp(`^([a-zａ-ｚ])[.．)）]${SP}*(.+)$`, 'u')
};

// `## 1 目的 ##`: the optional closing hashes are taken off by hand, since a lazy pattern with
// `\s*$` after it backtracks over every space of a long line (quadratic).
const markdownHeadingStart = /^(#{1,6})\s+/u;

function markdownHeading(line: string): [depth: number, text: string] | null {
	const start = markdownHeadingStart.exec(line);
	if (!start) return null;
	let text = line.slice(start[0].length).trimEnd();
	let hashes = text.length;
	while (hashes > 0 && text[hashes - 1] === '#') hashes--;
	if (hashes < text.length && hashes > 0 && /\s/u.test(text[hashes - 1])) text = text.slice(0, hashes).trimEnd();
	return [start[1].length, text];
}
const bullet = /^(?:[-*+](?=\s)|[・●○◆◇■□▪])\s*/u;

/** What stands before the rest of the line: the number with its brackets and separator. */
function markOf(text: string, rest: string): string {
	return text.slice(0, text.length - rest.length).trim();
}

/** `（目的）この規程は…` → caption 目的 and the rest. */
function splitLeadingCaption(text: string): { caption?: string; text: string } {
	const m = /^[（(]([^）)]{1,30})[）)]\s*(.*)$/u.exec(text);
	return m ? { caption: m[1].trim(), text: m[2] } : { text };
}

/**
 * Every numbering the line could carry, most likely first; [] for a plain line. Several
 * candidates only where the line is ambiguous (イ is the second of アイウ or the first of
 * イロハ; ２ is a 項 inside an article and a section elsewhere); the outline builder picks the
 * one that continues an open list.
 */
export function detectNumbering(line: string): Numbering[] {
	const trimmed = line.trim();
	const heading = markdownHeading(trimmed);
	if (heading) {
		const [depth, text] = heading;
		const inner = text.replace(/^(\*\*|__)(.*)\1$/u, '$2').trim();
		const numbered = detectPlain(inner).map((n) => ({ ...n, headingDepth: depth }));
		if (numbered.length > 0) return numbered;
		return [{ style: `h${depth}`, numbers: [], text: '', caption: inner, headingDepth: depth }];
	}
	return detectPlain(trimmed.replace(bullet, ''));
}

function detectPlain(text: string): Numbering[] {
	let m = patterns.article.exec(text);
	if (m) {
		const numbers = m[2] ? [parseNumeral(m[1]), parseNumeral(m[2])] : [parseNumeral(m[1])];
		return [{ style: 'article', numbers, mark: markOf(text, m[3]), ...splitLeadingCaption(m[3].trim()) }];
	}
	if ((m = patterns.legal.exec(text))) {
		const title = m[3].trim();
		return [{ style: legalUnit[m[2]], numbers: [parseNumeral(m[1])], mark: markOf(text, m[3]), text: '', caption: title || undefined }];
	}
	if ((m = patterns.supplementary.exec(text))) {
		return [{ style: 'supplementary', numbers: [], text: '', caption: `${m[1]}則${m[2].trim()}` }];
	}
	if ((m = patterns.appendix.exec(text))) {
		const caption = text.trim();
		return [{ style: 'appendix', numbers: m[2] ? [parseNumeral(m[2])] : [], text: '', caption }];
	}
	if ((m = patterns.dai.exec(text))) {
		return [{ style: 'dai', numbers: [parseNumeral(m[1])], mark: markOf(text, m[2]), text: m[2].trim() }];
	}
	if ((m = patterns.dotted.exec(text))) {
		if (unitAfterNumber.test(m[2])) return [];
		const numbers = asciiDigits(m[1])
			.split(/[^0-9]+/)
			.map(Number);
		return [{ style: `dotted${numbers.length}`, numbers, mark: markOf(text, m[2]), text: m[2].trim() }];
	}
	if ((m = patterns.number.exec(text))) {
		const rest = m[2].trim();
		if (unitAfterNumber.test(rest)) return [];
		const numbers = [parseNumeral(m[1])];
		const mark = markOf(text, m[2]);
		return [
			{ style: 'paragraph', numbers, mark, text: rest },
			{ style: 'number', numbers, mark, text: rest }
		];
	}
	for (const style of ['rparen', 'paren', 'parenKanji', 'parenAlpha', 'kanji', 'alpha'] as const) {
		if ((m = patterns[style].exec(text))) {
			const mark = m[1].normalize('NFKC');
			const ordinal = /^[a-z]$/.test(mark) ? mark.charCodeAt(0) - 96 : parseNumeral(mark);
			return [{ style, numbers: [ordinal], mark: markOf(text, m[2]), text: m[2].trim() }];
		}
	}
	if ((m = patterns.parenKana.exec(text)) || (m = patterns.kana.exec(text))) {
		const mark = m[1].normalize('NFKC');
		const rest = m[2].trim();
		const paren = /^[(（]/u.test(text);
		const written = markOf(text, m[2]);
		const found: Numbering[] = [];
		if (aiueo.includes(mark)) found.push({ style: paren ? 'parenKana' : 'kana', numbers: [aiueo.indexOf(mark) + 1], mark: written, text: rest });
		if (!paren && iroha.includes(mark)) found.push({ style: 'iroha', numbers: [iroha.indexOf(mark) + 1], mark: written, text: rest });
		return found;
	}
	if ((m = patterns.circled.exec(text))) {
		return [{ style: 'circled', numbers: [circledOrdinal(m[1])], mark: m[1], text: m[2].trim() }];
	}
	return [];
}

/** A whole-line caption such as （目的） that names the article on the next line. */
export function standaloneCaption(line: string): string | null {
	const t = line.trim();
	if (!/^[（(][^（()）]{1,30}[）)]$/u.test(t)) return null;
	return unwrapCaption(t);
}
