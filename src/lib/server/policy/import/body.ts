// Raw lines under a heading → Markdown. In plain text each sentence-ending line is its own
// paragraph (a Word export writes one paragraph a line); in Markdown the author's paragraphs
// stand. Either way a line cut mid-sentence by a PDF copy is joined to its continuation, across
// a page break too — unless the lines are known to be paragraphs already (text read from a Word
// file or a PDF, whose reader has joined what the layout broke).

import { cutJoiner, endsSentence, unitAfterNumber } from './text';
import { markdownBounds } from '../../text/bounds';

type Kind = 'text' | 'list' | 'table' | 'code';
interface Block {
	text: string;
	kind: Kind;
	/** A blank line stood before it in the source. */
	gapBefore: boolean;
	lastLine: string;
}

// Lines that begin something of their own and never continue the line before.
const blockStart = /^(?:[-*+]\s|[・●○◆◇■□▪※>|]|#{1,6}\s|[0-9０-９]+[.)．）]|[\u2460-\u2473]|[（(][^）)]{1,4}[）)])/u;
const numberThenSpace = /^[0-9０-９]+[ \t\u3000]+(.*)$/u;
const listItem = /^(?:[-*+]\s|[0-9]+[.)]\s)/u;
// （施行期日）, 【留意事項】: a caption line, complete in itself.
const bracketed = /^[（(【［[〔].*[）)】］\]〕]$/u;
// A page-wide line cut by a page break is long; a short line before a blank is its own paragraph.
const minCutLineAcrossBlank = 20;

function startsBlock(t: string): boolean {
	if (blockStart.test(t)) return true;
	const numbered = numberThenSpace.exec(t);
	return numbered !== null && !unitAfterNumber.test(numbered[1]);
}

function continues(prev: Block | null, t: string, raw: string, gapBefore: boolean): prev is Block {
	return (
		prev !== null &&
		// A joined paragraph stays within the line bound of stored text; past it, a new paragraph.
		prev.text.length + t.length < markdownBounds.maxLineLength &&
		(prev.kind === 'text' || prev.kind === 'list') &&
		!t.startsWith('|') &&
		!startsBlock(t) &&
		// A full-width space at the start is the Japanese paragraph indent: a new paragraph.
		!raw.startsWith('\u3000') &&
		!endsSentence(prev.lastLine) &&
		!bracketed.test(prev.lastLine) &&
		(!gapBefore || prev.lastLine.length >= minCutLineAcrossBlank)
	);
}

export function renderBody(lines: readonly string[], markdown = false, paragraphLines = false): string {
	const blocks: Block[] = [];
	let fence: Block | null = null;
	let gapBefore = false;
	for (const raw of lines) {
		const t = raw.trim();
		if (fence) {
			fence.text += `\n${raw.trimEnd()}`;
			if (t.startsWith('```')) fence = null;
			continue;
		}
		if (!t) {
			gapBefore = true;
			continue;
		}
		const prev = blocks.at(-1) ?? null;
		if (t.startsWith('```')) {
			fence = { text: t, kind: 'code', gapBefore: true, lastLine: t };
			blocks.push(fence);
		} else if (!paragraphLines && continues(prev, t, raw, gapBefore)) {
			prev.text += cutJoiner(prev.lastLine, t) + t;
			prev.lastLine = t;
		} else {
			const kind: Kind = t.startsWith('|') ? 'table' : listItem.test(t) ? 'list' : 'text';
			blocks.push({ text: t, kind, gapBefore, lastLine: t });
		}
		gapBefore = false;
	}
	return blocks
		.map((b, i) => {
			if (i === 0) return b.text;
			const prev = blocks[i - 1];
			const tight =
				(b.kind === prev.kind && (b.kind === 'list' || b.kind === 'table')) || (markdown && !b.gapBefore && b.kind === 'text' && prev.kind === 'text');
			return (tight ? '\n' : '\n\n') + b.text;
		})
		.join('');
}
