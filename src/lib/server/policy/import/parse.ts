// Policy text (plain or Markdown) → title, preamble, 改訂履歴 and a flat list of sections.

import { renderBody } from './body';
import { markdownTitle, readFront, removeFrontMatter } from './front';
import { assignKeys } from './keys';
import { legalRank, standaloneCaption } from './numbering';
import { buildOutline, isTerminal, type OutlineNode } from './outline';
import { displayLabel, isCaptionLike, unwrapCaption } from './text';
import type { ParsedPolicy, ParseFailure, ParsedSection } from './types';
import { withoutNul } from '../../text/decode';
import { markdownBoundsProblem } from '../../text/bounds';

export interface ParseOptions {
	/** Each line is a paragraph of its own (text read from a .docx or PDF): nothing is joined. */
	paragraphLines?: boolean;
}

export function parsePolicyText(input: string, options: ParseOptions = {}): ParsedPolicy | ParseFailure {
	const paragraphLines = options.paragraphLines ?? false;
	const text = withoutNul(input)
		.replace(/^\uFEFF/, '')
		.replace(/\r\n?/g, '\n')
		.replace(/\u00a0/g, ' ');
	if (!text.trim()) return { ok: false, reason: 'empty', message: '文書が空です。' };
	// Sections are stored and rendered as Markdown: a line past the bounds is refused here, by its number.
	const bounds = markdownBoundsProblem(text);
	if (bounds?.kind === 'line_too_long') {
		return { ok: false, reason: 'line_too_long', line: bounds.line, max: bounds.max, message: `${bounds.line}行目が長すぎます（1行${bounds.max}文字まで）。` };
	}
	if (bounds)
		return { ok: false, reason: 'too_deep', line: bounds.line, max: bounds.max, message: `${bounds.line}行目の入れ子が深すぎます（${bounds.max}段まで）。` };

	let lines = text.split('\n');
	const mdTitle = markdownTitle(lines);
	if (mdTitle) lines = lines.filter((_, i) => i !== mdTitle.index);
	const cleaned = removeFrontMatter(lines);
	const markdown = cleaned.lines.some((l) => /^#{1,6}\s/.test(l.trim()));
	const outline = buildOutline(cleaned.lines, markdown);
	if (outline.roots.length === 0) {
		return {
			ok: false,
			reason: 'no_structure',
			message:
				'節の見出しが見つからないため、取り込めませんでした。「1 目的」「第1条」「(1)」のような番号付きの見出しか、Markdown の見出し（#）を含む文書を指定してください。'
		};
	}
	const front = readFront(outline.front, mdTitle?.title ?? null);
	const title = front.title;
	// PDF copies repeat the title as a running header on every page.
	const withoutTitle = (ls: readonly string[]) => (title ? ls.filter((l) => l.trim() !== title) : ls);

	const warnings = [...cleaned.warnings, ...front.warnings, ...outline.warnings];
	const sections: ParsedSection[] = assignKeys(outline.roots, warnings).map(({ node, key, level }) => {
		const { heading, lines: bodyLines } = headingAndBody(node);
		return { key, level, label: displayLabel(node.mark), heading, body: renderBody(withoutTitle(bodyLines), markdown, paragraphLines) };
	});
	return { ok: true, title, preamble: renderBody(withoutTitle(front.preamble), markdown, paragraphLines), history: cleaned.history, sections, warnings };
}

// Styles whose text is a heading even with nothing under it (a list item's short text may be
// the whole item: "ア 氏名").
const isSectionStyle = ({ style }: OutlineNode) =>
	style === 'number' || style === 'dai' || style.startsWith('dotted') || legalRank[style] !== undefined || isTerminal(style);

const firstTextLine = (lines: readonly string[]) => lines.findIndex((l) => l.trim() !== '');

/** Which text of a node is its heading and which lines are its body. */
function headingAndBody(node: OutlineNode): { heading: string; lines: string[] } {
	const withText = (lines: string[]) => (node.text ? [node.text, ...lines] : lines);
	if (node.caption !== undefined) return { heading: unwrapCaption(node.caption), lines: withText(node.lines) };

	let text = node.text;
	let rest = node.lines;
	const first = firstTextLine(rest);
	if (!text && first >= 0) {
		// 第1条 / （目的） or 第1章 / 総則 or (1) / ネットワーク: the caption is on the next line.
		const caption = standaloneCaption(rest[first]);
		if (caption && legalRank[node.style] !== undefined) return { heading: caption, lines: rest.slice(first + 1) };
		if (node.style !== 'article') {
			text = rest[first].trim();
			rest = rest.slice(first + 1);
		}
	}
	if (!text) return { heading: '', lines: rest };
	if (node.style === 'article') return { heading: '', lines: [text, ...rest] };

	// 一　ネットワーク　コンピュータ等を…: caption and definition on one line, set apart by a wide gap.
	const wide = /^([^\s]{1,20})(?:\u3000+|\t+| {2,})(.+)$/u.exec(text);
	if (wide && isCaptionLike(wide[1])) return { heading: wide[1], lines: [wide[2], ...rest] };
	const bold = /^\*\*(.+?)\*\*[\s：:]*(.*)$/u.exec(text);
	if (bold) return { heading: bold[1], lines: bold[2] ? [bold[2], ...rest] : rest };

	// A numbered section's title may be longer than an item's caption; an item's short text is
	// its caption only when something stands under it.
	const isHeading = isSectionStyle(node)
		? text.length <= 40 && !/[、。，．]/u.test(text)
		: isCaptionLike(text) && (node.children.length > 0 || firstTextLine(rest) >= 0);
	if (isHeading) return { heading: unwrapCaption(text), lines: rest };
	return { heading: '', lines: [text, ...rest] };
}
