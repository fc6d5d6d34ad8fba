// A PDF with a text layer → the plain text the policy importer parses. A PDF holds positioned
// pieces of text, not lines or paragraphs: the pieces are put on lines by their height on the
// page, the running header and footer (a line at the top or bottom of most pages, at the same
// place) and page numbers are dropped, and a line the layout broke because it reached the right
// margin is joined to the next one again. Each line of the result is one paragraph.
import { detectNumbering, standaloneCaption } from './numbering';
import { isPageNumber } from './front';
import { cutJoiner, endsSentence } from './text';
import { installPdfRuntime } from './pdf-runtime';

/** A policy of a few hundred pages fits; a document past this is refused before its pages are read. */
export const pdfMaxPages = 500;

export type PdfProblem = 'pdf_broken' | 'pdf_encrypted' | 'pdf_too_many_pages' | 'pdf_scanned';

export type PdfText = { ok: true; text: string; warnings: string[] } | { ok: false; problem: PdfProblem; max?: number };

/** A piece of text as the PDF places it: left end and baseline in points, from the bottom left. */
export interface PdfItem {
	str: string;
	x: number;
	y: number;
	width: number;
	fontSize: number;
}

export interface PdfLine {
	text: string;
	left: number;
	right: number;
	y: number;
	size: number;
}

// Fonts often map a kanji to its radical when the PDF is written (⽅ for 方, ⺠ for 民, ⻑ for 長),
// or ・ to ‧: the text must read as typed. Kangxi radicals normalise to their kanji; the
// supplement's have no such mapping, so those that stand for a whole kanji are listed.
const lookalikes = /[\u2e80-\u2eff\u2f00-\u2fdf\u2027]/gu;
const supplement: Record<string, string> = {
	'⺟': '母',
	'⺠': '民',
	'⺩': '王',
	'⺫': '目',
	'⺬': '示',
	'⺮': '竹',
	'⺯': '糸',
	'⺼': '肉',
	'⻁': '虎',
	'⻄': '西',
	'⻆': '角',
	'⻑': '長',
	'⻘': '青',
	'⻝': '食',
	'⻣': '骨',
	'⻤': '鬼',
	'⻨': '麦',
	'⻩': '黄',
	'⻫': '斉',
	'⻭': '歯',
	'⻯': '竜',
	'⻲': '亀'
};
export function readableText(text: string): string {
	return text.replace(lookalikes, (c) => (c === '\u2027' ? '・' : (supplement[c] ?? c.normalize('NFKC'))));
}

// Gaps between pieces of one line, in ems: a column of a table, a full-width space, a space.
const tabGap = 1.8;
const wideGap = 0.6;
const spaceGap = 0.12;

/** The page's pieces of text on lines, top to bottom. */
export function linesOfPage(items: readonly PdfItem[]): PdfLine[] {
	const pieces = items
		.filter((item) => item.str.trim() !== '')
		.map((item, order) => ({ ...item, str: readableText(item.str), order }))
		.sort((a, b) => b.y - a.y || a.order - b.order);
	const rows: (typeof pieces)[] = [];
	for (const piece of pieces) {
		const row = rows.at(-1);
		const size = Math.max(piece.fontSize, row?.[0].fontSize ?? 0, 1);
		if (row && Math.abs(row[0].y - piece.y) <= 0.35 * size) row.push(piece);
		else rows.push([piece]);
	}
	return rows.map((row) => {
		row.sort((a, b) => a.x - b.x);
		const size = row.reduce((max, p) => Math.max(max, p.fontSize), 1);
		// Pieces and separators are collected and joined once: a line of many pieces stays linear.
		const parts: string[] = [];
		let endsInSpace = true;
		let right = -Infinity;
		for (const piece of row) {
			if (parts.length > 0) {
				const gap = (piece.x - right) / size;
				if (gap > tabGap) parts.push(parts.pop()!.trimEnd(), '\t');
				else if (gap > wideGap && !endsInSpace) parts.push('\u3000');
				else if (gap > spaceGap && !endsInSpace && !/^\s/u.test(piece.str)) parts.push(' ');
			}
			parts.push(piece.str);
			endsInSpace = /\s$/u.test(piece.str);
			right = Math.max(right, piece.x + piece.width);
		}
		const text = parts.join('').trim();
		return { text, left: row[0].x, right, y: row[0].y, size };
	});
}

// The lines at the top and bottom of a page where a running header or footer stands.
const zone = 3;
/** A line's form for telling whether it repeats: page numbers in it do not count, nor spaces. */
const repeatForm = (line: PdfLine) =>
	`${line.text
		.normalize('NFKC')
		.replace(/\s+/g, '')
		.replace(/[0-9]+/g, '#')}@${Math.round(line.y / 3)}`;

/**
 * Drops the running header and footer — a line near the top or bottom of the page that stands,
 * with the same text (but for its numbers) at the same height, on at least half of the pages —
 * and page numbers at the top or bottom of a page.
 */
export function withoutRunningLines(pages: readonly PdfLine[][]): PdfLine[][] {
	const inZone = (lines: readonly PdfLine[], i: number) => i < zone || i >= lines.length - zone;
	const seenOn = new Map<string, number>();
	for (const lines of pages) {
		const forms = new Set(lines.filter((_, i) => inZone(lines, i)).map(repeatForm));
		for (const form of forms) seenOn.set(form, (seenOn.get(form) ?? 0) + 1);
	}
	const repeated = (line: PdfLine) => pages.length >= 2 && (seenOn.get(repeatForm(line)) ?? 0) >= Math.max(2, Math.ceil(pages.length / 2));
	return pages.map((lines) => lines.filter((line, i) => !(inZone(lines, i) && (repeated(line) || isPageNumber(line.text)))));
}

// A line that begins something of its own: a number, a bullet, a caption such as （目的）.
const bullet = /^[・●○◆◇■□▪※\-－]/u;
function startsBlock(text: string): boolean {
	return bullet.test(text) || detectNumbering(text).length > 0 || standaloneCaption(text) !== null;
}

// A line that reaches this close to the right margin (in ems) was broken by the layout: a line
// break rule may push the last one or two characters (う。) to the next line.
const fullLineSlack = 2.5;

/** The right margin of the text: the right end most long lines reach. */
function rightMargin(lines: readonly PdfLine[]): number {
	const ends = lines
		.filter((l) => l.text.length >= 10)
		.map((l) => l.right)
		.sort((a, b) => a - b);
	return ends.length === 0 ? Infinity : ends[Math.floor(ends.length * 0.9)];
}

/**
 * Joins each line the layout broke to the next: the line reaches the right margin, does not end
 * its sentence, and the next line does not start a numbered item, a bullet or a caption. Within
 * a page, lines further apart than a paragraph gap stay apart; across a page break they join.
 * Japanese joins without a space; two Latin words with one.
 */
export function joinBrokenLines(pages: readonly PdfLine[][]): string[] {
	const all = pages.flat();
	const margin = rightMargin(all);
	const out: string[] = [];
	let previous: (PdfLine & { page: number }) | null = null;
	pages.forEach((lines, page) => {
		for (const line of lines) {
			const brokenBefore =
				previous !== null &&
				previous.right >= margin - fullLineSlack * previous.size &&
				!endsSentence(previous.text) &&
				!previous.text.includes('\t') &&
				!line.text.includes('\t') &&
				Math.abs(previous.size - line.size) <= 0.5 &&
				(previous.page !== page || previous.y - line.y <= 2.2 * line.size) &&
				!startsBlock(line.text);
			if (brokenBefore) out[out.length - 1] += cutJoiner(previous!.text, line.text) + line.text;
			else out.push(line.text);
			previous = { ...line, page };
		}
	});
	return out;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
	installPdfRuntime();
	const { extractTextItems, getDocumentProxy } = await import('unpdf');
	let document: Awaited<ReturnType<typeof getDocumentProxy>>;
	try {
		// A copy: the reader may take the buffer over. Only text is wanted: no fonts are loaded, no images decoded.
		document = await getDocumentProxy(new Uint8Array(bytes), { disableFontFace: true, useSystemFonts: false, maxImageSize: 0, verbosity: 0 });
	} catch (error) {
		return { ok: false, problem: (error as { name?: string }).name === 'PasswordException' ? 'pdf_encrypted' : 'pdf_broken' };
	}
	try {
		if (document.numPages > pdfMaxPages) return { ok: false, problem: 'pdf_too_many_pages', max: pdfMaxPages };
		let items: PdfItem[][];
		try {
			items = (await extractTextItems(document)).items;
		} catch {
			return { ok: false, problem: 'pdf_broken' };
		}
		const pages = items.map(linesOfPage);
		if (pages.every((lines) => lines.length === 0)) return { ok: false, problem: 'pdf_scanned' };
		const warnings: string[] = [];
		const blank = pages.flatMap((lines, i) => (lines.length === 0 ? [i + 1] : []));
		if (blank.length > 0) warnings.push(`${blank.join(', ')}ページ目には文字がありません（画像だけのページは読み取れません）。`);
		return { ok: true, text: joinBrokenLines(withoutRunningLines(pages)).join('\n'), warnings };
	} finally {
		await document.loadingTask.destroy();
	}
}
