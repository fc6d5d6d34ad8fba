// Everything that is not a section: page numbers, the 目次, the 改訂履歴, the cover page and
// the preamble. Runs before the outline is built, because a 目次 entry looks like a heading.

import { detectNumbering } from './numbering';
import { isHistoryHeader, isHistoryMarker, readHistoryTable } from './history';
import { looseForm } from './text';
import type { HistoryRow } from './types';

// - 1 -, ― 2 ―, －３－, 1, 1/10, 1 / 10, ページ 3, 3ページ, P.3, Page 3 of 10, ii
const pageNumber = new RegExp(
	[
		'^[-－―‐–—─]\\s*(?:[0-9０-９]+|[ivx]+)\\s*[-－―‐–—─]$',
		'^[0-9０-９]{1,4}$',
		'^[0-9０-９]+\\s*[/／]\\s*[0-9０-９]+$',
		'^(?:ページ|頁)\\s*[0-9０-９]+$',
		'^[0-9０-９]+\\s*(?:ページ|頁)$',
		'^(?:p|P|page|Page|PAGE)\\.?\\s*[0-9０-９]+(?:\\s*(?:of|/)\\s*[0-9０-９]+)?$',
		'^(?:i{1,3}|iv|vi{0,3}|ix|x)$'
	].join('|'),
	'u'
);

export function isPageNumber(line: string): boolean {
	return pageNumber.test(line.trim());
}

const tocMarker = /^(?:#{1,6}\s*)?[【［[]?(?:目\s*次|もくじ|contents|table of contents)[】］\]]?$/iu;

// The marks of a 目次 entry, each found by a scan from the end of the line or one pass over it:
// the patterns they replace (a run of leaders, of spaces, an open bracket before the end) made the
// regular-expression engine try every start position, quadratic in the length of the line.
const isLeader = (c: string) => '.．・…‥·'.includes(c);
const isSpace = (c: string) => /\s/u.test(c);
const isDigit = (c: string) => /[0-9０-９]/u.test(c);

/** Where dot leaders (….., ・・・, ‥) before an optional page number start; -1 when there are none. */
function dotLeaderStart(t: string): number {
	let end = t.length;
	while (end > 0 && /[0-9０-９ivx]/u.test(t[end - 1])) end--;
	while (end > 0 && isSpace(t[end - 1])) end--;
	let start = end;
	while (start > 0 && isLeader(t[start - 1])) start--;
	if (end - start >= 3) return start;
	// Fewer than three: a … or ‥ on its own still leads.
	let ellipsis = end;
	while (ellipsis > start && '…‥'.includes(t[ellipsis - 1])) ellipsis--;
	return ellipsis < end ? ellipsis : -1;
}

/** Where a page number set off by a tab or spaces at the end of the line starts (with its spaces); -1 when none. */
function trailingPageStart(t: string): number {
	let digits = t.length;
	while (digits > 0 && isDigit(t[digits - 1])) digits--;
	const count = t.length - digits;
	if (count < 1 || count > 3 || digits === 0 || !isSpace(t[digits - 1])) return -1;
	let start = digits - 1;
	while (start > 0 && isSpace(t[start - 1])) start--;
	return start;
}

const articleStart = /[（(]第[0-9０-９一二三四五六七八九十百]+条/uy;

/** Where an article range such as （第1条―第5条） closing the line starts; -1 when none. */
function articleRangeStart(t: string): number {
	const last = t.at(-1);
	if (last !== '）' && last !== ')') return -1;
	// Between the range's opening bracket and the end, no other closing bracket.
	const from = Math.max(t.lastIndexOf('）', t.length - 2), t.lastIndexOf(')', t.length - 2)) + 1;
	for (let i = from; i < t.length - 1; i++) {
		if (t[i] !== '（' && t[i] !== '(') continue;
		articleStart.lastIndex = i;
		if (articleStart.test(t)) return i;
	}
	return -1;
}

/** The first Markdown link to an anchor, [目的](#目的): its start, end and text; null when none. */
function anchorLink(t: string): { start: number; end: number; text: string } | null {
	let close = -1;
	let paren = -1;
	for (let open = t.indexOf('['); open >= 0; open = t.indexOf('[', open + 1)) {
		// The nearest `]` after each `[` only moves forward: one pass over the line in all.
		if (close <= open) close = t.indexOf(']', open + 1);
		if (close < 0) return null;
		if (close === open + 1 || t[close + 1] !== '(' || t[close + 2] !== '#') continue;
		if (paren <= close + 2) paren = t.indexOf(')', close + 3);
		if (paren < 0) return null;
		return { start: open, end: paren + 1, text: t.slice(open + 1, close) };
	}
	return null;
}

function hasTocMark(t: string): boolean {
	return dotLeaderStart(t) >= 0 || trailingPageStart(t) >= 0 || articleRangeStart(t) >= 0 || anchorLink(t) !== null;
}

/** The line up to `at`, or the whole line when `at` is -1. */
const cutAt = (t: string, at: number) => (at < 0 ? t : t.slice(0, at));

/**
 * The caption of a 目次 entry, without number, leaders, page number, article range or link
 * syntax, so that "- [目的](#目的)" and "1 目的.....1" both match the heading "1 目的".
 */
function tocEntryCaption(t: string): string {
	const link = anchorLink(t);
	let text = link ? t.slice(0, link.start) + link.text + t.slice(link.end) : t;
	text = cutAt(text, dotLeaderStart(text));
	text = cutAt(text, trailingPageStart(text));
	text = cutAt(text, articleRangeStart(text));
	text = text.replace(/^[-*+]\s+/u, '');
	const [numbering] = detectNumbering(text);
	return looseForm(numbering ? (numbering.caption ?? numbering.text) : text);
}

function isTocEntry(t: string): boolean {
	if (hasTocMark(t)) return true;
	// Entries without page numbers still look like headings: 第1章 総則, 附則, 1 目的.
	return detectNumbering(t).length > 0 && !/[。、]/u.test(t);
}

export interface FrontCleanup {
	lines: string[];
	history: HistoryRow[];
	warnings: string[];
}

/**
 * Removes page numbers (left as blank lines, so a sentence cut by a page break still joins),
 * 目次 blocks and 改訂履歴 tables, wherever they stand. Fenced code is left alone.
 */
export function removeFrontMatter(input: readonly string[]): FrontCleanup {
	const lines: string[] = [];
	const history: HistoryRow[] = [];
	const warnings: string[] = [];
	let inFence = false;
	for (let i = 0; i < input.length; i++) {
		const line = input[i];
		const t = line.trim();
		if (t.startsWith('```')) inFence = !inFence;
		if (inFence || t.startsWith('```')) {
			lines.push(line);
			continue;
		}
		if (isPageNumber(t)) {
			lines.push('');
			continue;
		}
		if (isHistoryMarker(t) || isHistoryHeader(line)) {
			const table = readHistoryTable(input, isHistoryMarker(t) ? i + 1 : i);
			if (table.rows.length > 0) {
				history.push(...table.rows);
				i = table.end - 1;
				continue;
			}
		}
		if (tocMarker.test(t)) {
			const end = tocEnd(input, i + 1);
			if (end > i + 1) {
				i = end - 1;
				continue;
			}
			warnings.push('「目次」の後に目次の行が見つからなかったため、そのまま本文として扱いました。');
		}
		// A leader line with a page number outside a 目次 block is still a 目次 line.
		if (dotLeaderStart(t) >= 0 && /[0-9０-９]$/u.test(t)) continue;
		lines.push(line);
	}
	return { lines, history, warnings };
}

/**
 * First line after a 目次 block. The block runs while lines look like entries, and stops early
 * where the first entry comes round again: that is where the text itself begins.
 */
function tocEnd(lines: readonly string[], start: number): number {
	let first: string | null = null;
	let end = start;
	for (let i = start; i < lines.length; i++) {
		const t = lines[i].trim();
		if (!t || isPageNumber(t)) continue;
		if (!isTocEntry(t)) break;
		const form = tocEntryCaption(t);
		if (first === null) first = form;
		else if (form === first && !hasTocMark(t)) break;
		end = i + 1;
	}
	return end;
}

// Cover lines: short labels before the first sentence (title, 版, date, organisation).
const coverLine = (t: string) => t.length <= 40 && !/[。、]/u.test(t) && !/^(?:[-*+]\s|[・●○|>])/u.test(t);
const preambleMarker = /^(?:#{1,6}\s*)?[【［[]?(?:序|序文|前文|はじめに|まえがき)[】］\]]?$/u;

/** 序, 前文, ## はじめに: the line that opens a preamble (never a section of its own). */
export function isPreambleMarker(line: string): boolean {
	return preambleMarker.test(line.trim());
}
const titleSuffix = /(?:方針|規程|規則|条例|要綱|基準|要領|ポリシー|規定|細則|指針|手順|計画|ガイドライン)$/u;
const versionLine = /(?:^第?\s*[0-9０-９.．]+\s*版$|^ver(?:sion)?\.?\s*[0-9０-９.]+$)/iu;
const dateLine = /^(?:令和|平成|昭和|[0-9０-９]{4}).*[年月日]|^(?:令和|平成|昭和)/u;
const orgLine = /^\S{1,20}(?:都|道|府|県|市|町|村|区|組合|広域連合|部|課|局|室|係|センター)(?:長|役所|役場|庁)?$/u;
const enactment = /(?:訓令|告示|規則|条例|要綱)第\s*[0-9０-９一二三四五六七八九十百]+\s*号/u;

export interface Front {
	title: string;
	/** Lines of the preamble, raw (rendered like a section body). */
	preamble: string[];
	warnings: string[];
}

/**
 * Splits the lines before the first section into cover and preamble, and picks the title:
 * a Markdown `#` heading if there was one; else the cover line repeated just before the text
 * (as a policy booklet repeats its title on the first page); else the first cover line named
 * like a policy (…方針, …規程); else the first cover line that is not a 版, date or organisation.
 */
export function readFront(lines: readonly string[], markdownTitle: string | null): Front {
	const cover: string[] = [];
	const preamble: string[] = [];
	let inCover = true;
	for (const line of lines) {
		const t = line.trim();
		if (isPreambleMarker(t)) {
			inCover = false;
			continue;
		}
		if (inCover && (!t || coverLine(t))) {
			if (t) cover.push(t);
			continue;
		}
		inCover = false;
		preamble.push(line);
	}
	const title = markdownTitle ?? pickTitle(cover);
	const warnings: string[] = [];
	if (!title) warnings.push('表題が見つかりませんでした。');
	const dropped = cover.filter((t) => t !== title && !versionLine.test(t) && !dateLine.test(t) && !orgLine.test(t) && !enactment.test(t));
	for (const t of new Set(dropped)) warnings.push(`表紙の行として本文に含めませんでした: ${t}`);
	return { title, preamble, warnings };
}

function pickTitle(cover: readonly string[]): string {
	const last = cover.at(-1);
	if (last && cover.indexOf(last) < cover.length - 1) return last;
	const named = cover.find((t) => titleSuffix.test(t));
	if (named) return named;
	return cover.find((t) => !versionLine.test(t) && !dateLine.test(t) && !orgLine.test(t) && !enactment.test(t)) ?? '';
}

/** A lone `# Title` when the document has exactly one level-1 heading and it is not numbered. */
export function markdownTitle(lines: readonly string[]): { title: string; index: number } | null {
	let found: { title: string; index: number } | null = null;
	let inFence = false;
	for (let i = 0; i < lines.length; i++) {
		const t = lines[i].trim();
		if (t.startsWith('```')) inFence = !inFence;
		if (inFence || !/^#\s/.test(t)) continue;
		if (found) return null;
		const [n] = detectNumbering(t);
		if (!n || n.numbers.length > 0 || isPreambleMarker(t) || isHistoryMarker(t) || tocMarker.test(t)) return null;
		found = { title: n.caption ?? '', index: i };
	}
	return found;
}
