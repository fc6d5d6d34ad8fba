// Lines → a tree of numbered headings. Each numbered line either continues a list that is open
// (the next number of a style already on the path), or opens a list one level deeper (it must
// start at 1, ア, イ (イロハ), 一, ①…). Anything else is text: this is what keeps "上記3の…" or a
// cut line starting "3 月版" from becoming a section.

import { detectNumbering, legalRank, standaloneCaption, type Numbering, type Style } from './numbering';
import { isPreambleMarker } from './front';
import { definitionParts, isCaptionLike } from './text';

/** A numbered line and what stands under it. For a Markdown heading, `caption` is its text. */
export interface OutlineNode extends Numbering {
	/** Raw lines under this node until the next numbered line, blanks included. */
	lines: string[];
	children: OutlineNode[];
	parent: OutlineNode | null;
}

export interface Outline {
	/** Lines before the first section: cover, preamble. */
	front: string[];
	roots: OutlineNode[];
	warnings: string[];
}

const isHeadingStyle = (style: Style) => /^h\d$/.test(style);
const isNumberedSection = (style: Style) => style === 'number' || style.startsWith('dotted');
// 附則 and 別表 run to the next such block: their 1, 2 are 項 of the 附則, not sections.
export const isTerminal = (style: Style) => style === 'supplementary' || style === 'appendix';

function compare(a: readonly number[], b: readonly number[]): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const d = (a[i] ?? 0) - (b[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

// 1-2 → 1-3 or 2-1, not 1-2 → 3-5: one step at one position, the positions after it back at 1.
function isNextDotted(prev: readonly number[], next: readonly number[]): boolean {
	const at = next.findIndex((n, i) => n !== prev[i]);
	return at >= 0 && next[at] === prev[at] + 1 && next.slice(at + 1).every((n) => n === 1);
}

/**
 * `markdown`: the document has `#` headings, so `1. ` at the start of a line is a Markdown
 * ordered list inside a section, not a numbered section.
 */
export function buildOutline(lines: readonly string[], markdown = false): Outline {
	const roots: OutlineNode[] = [];
	const front: string[] = [];
	const warnings: string[] = [];
	const stack: OutlineNode[] = [];
	let lastArticle: number[] | null = null;
	// （目的） seen just before an article line, with the line as written in case no article comes.
	let pendingCaption: { caption: string; line: string } | null = null;
	let inFence = false;

	const target = () => stack.at(-1)?.lines ?? front;
	const lastIndexOf = (test: (n: OutlineNode) => boolean) => stack.findLastIndex(test);

	/** How many nodes of the current path stay open above the new one; null: not a heading here. */
	function parentDepth(c: Numbering, line: string): number | null {
		if (c.headingDepth !== undefined) {
			// A Markdown heading is structure by itself: its # level places it, its number keys it.
			let depth = stack.length;
			while (depth > 0 && !((stack[depth - 1].headingDepth ?? Infinity) < c.headingDepth)) depth--;
			return isTerminal(c.style) ? 0 : depth;
		}
		if (isTerminal(c.style)) return 0;
		const same = lastIndexOf((n) => n.style === c.style);
		const rank = legalRank[c.style];
		if (rank !== undefined) {
			if (c.style === 'article' && lastArticle && compare(c.numbers, lastArticle) <= 0) return null;
			if (same >= 0) return compare(c.numbers, stack[same].numbers) > 0 ? same : null;
			// Close everything of equal or lower legal rank, and plain lists; keep Markdown headings.
			let depth = stack.length;
			while (depth > 0) {
				const open = stack[depth - 1];
				const openRank = legalRank[open.style];
				if (openRank !== undefined ? openRank < rank : isHeadingStyle(open.style)) break;
				depth--;
			}
			return depth;
		}
		if (c.style === 'paragraph') {
			const article = lastIndexOf((n) => n.style === 'article');
			if (article < 0) return null;
			if (same > article) return c.numbers[0] === stack[same].numbers[0] + 1 ? same : null;
			// The first 項 is the article's own text, so numbering starts at ２ (or at 1 when written).
			const numbered = stack[article].children.some((n) => n.style === 'paragraph');
			return !numbered && c.numbers[0] <= 2 ? article + 1 : null;
		}
		const startsList = c.numbers.at(-1) === 1 || ((roots.length === 0 || c.style === 'number') && isCaptionLike(c.text));
		if (c.style.startsWith('dotted')) {
			if (same >= 0) return isNextDotted(stack[same].numbers, c.numbers) ? same : null;
			const prefix = c.numbers.slice(0, -1);
			const owner = lastIndexOf((n) => isNumberedSection(n.style) && compare(n.numbers, prefix) === 0 && n.numbers.length === prefix.length);
			if (owner >= 0) return startsList ? owner + 1 : null;
			return !stack.some((n) => isNumberedSection(n.style)) && startsList ? stack.length : null;
		}
		if (same >= 0) {
			const previous = stack[same].numbers[0];
			if (c.numbers[0] === previous + 1) return same;
			if (c.numbers[0] > previous + 1 && isCaptionLike(c.text)) {
				warnings.push(`番号が連続していません（${previous} の次が ${c.numbers[0]}）: ${line.trim()}`);
				return same;
			}
			return null;
		}
		return startsList ? stack.length : null;
	}

	function open(c: Numbering, depth: number): OutlineNode {
		stack.length = depth;
		const parent = stack.at(-1) ?? null;
		// A Markdown heading's text is its caption, whatever its shape.
		const fromHeading = c.headingDepth !== undefined && c.caption === undefined;
		const node: OutlineNode = {
			style: c.style,
			numbers: c.numbers,
			mark: c.mark,
			text: fromHeading ? '' : c.text,
			caption: fromHeading ? c.text : c.caption,
			headingDepth: c.headingDepth,
			lines: [],
			children: [],
			parent
		};
		(parent ? parent.children : roots).push(node);
		stack.push(node);
		if (c.style === 'article') lastArticle = c.numbers;
		return node;
	}

	const definitionsUnder = new Map<OutlineNode, number>();
	/** A definition is the sibling of the definition before it, else the child of the open section. */
	function openDefinition({ term, definition }: { term: string; definition: string }): OutlineNode {
		const sibling = lastIndexOf((n) => n.style === 'definition');
		const depth = sibling >= 0 ? sibling : stack.length;
		const parent = stack[depth - 1];
		// Counted as they open: filtering the parent's children each time would be quadratic.
		const ordinal = (definitionsUnder.get(parent) ?? 0) + 1;
		definitionsUnder.set(parent, ordinal);
		return open({ style: 'definition', numbers: [ordinal], text: definition, caption: term }, depth);
	}

	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const t = line.trim();
		if (t.startsWith('```') || inFence) {
			if (t.startsWith('```')) inFence = !inFence;
			target().push(line);
			continue;
		}
		if (!t) {
			target().push('');
			continue;
		}
		if (roots.length === 0 && isPreambleMarker(t)) {
			front.push(line);
			continue;
		}
		const inTerminal = stack.length > 0 && isTerminal(stack[stack.length - 1].style);
		const plainText = /^[|>]/.test(t) || (markdown && /^[0-9]+[.)]\s/.test(t));
		let candidates = plainText ? [] : detectNumbering(t);
		if (inTerminal) candidates = candidates.filter((c) => isTerminal(c.style));
		// （目的） on its own line names the article that follows it.
		const caption = candidates.length === 0 && !inTerminal ? standaloneCaption(t) : null;
		if (caption && nextIsArticle(lines, i)) {
			if (pendingCaption) target().push(pendingCaption.line);
			pendingCaption = { caption, line };
			continue;
		}
		const before = target();
		let node: OutlineNode | null = null;
		for (const c of candidates) {
			const depth = parentDepth(c, line);
			if (depth !== null) {
				node = open(c, depth);
				break;
			}
		}
		if (pendingCaption) {
			if (node?.style === 'article' && node.caption === undefined) node.caption = pendingCaption.caption;
			else before.push(pendingCaption.line);
			pendingCaption = null;
		}
		// 情報資産　…をいう。 in an open section: an item whose heading is the term.
		const definition = !node && candidates.length === 0 && !inTerminal && !plainText && stack.length > 0 ? definitionParts(t) : null;
		if (definition) node = openDefinition(definition);
		if (!node) {
			// A heading-like line that fits no open list is most likely a numbering slip in the source.
			const [first] = candidates;
			if (first && roots.length > 0 && isCaptionLike(first.text)) warnings.push(`番号が前後と合わないため本文として扱いました: ${t}`);
			target().push(line);
		}
	}
	return { front, roots, warnings };
}

function nextIsArticle(lines: readonly string[], from: number): boolean {
	for (let i = from + 1; i < lines.length; i++) {
		if (!lines[i].trim()) continue;
		return detectNumbering(lines[i]).some((c) => c.style === 'article');
	}
	return false;
}
