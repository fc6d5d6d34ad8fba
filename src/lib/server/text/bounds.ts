// Bounds on the shape of text that is rendered or parsed: a line no longer than a paragraph can
// sensibly be, and block nesting (quotes, lists, indentation) no deeper than a document needs.
// Beyond them Markdown rendering overflows the stack (thousands of `>`) or slows down with the
// square of the line. One linear pass; the first offending line is named (1-based).

export interface TextBounds {
	/** Characters in one line. */
	maxLineLength: number;
	/** Container markers (`>`, list markers) at the start of a line, plus every 4 columns of indentation. */
	maxDepth: number;
}

export type TextBoundsProblem =
	{ kind: 'line_too_long'; line: number; length: number; max: number } | { kind: 'too_deep'; line: number; depth: number; max: number };

/** What a policy section, a lesson, a question or an import may hold. */
export const markdownBounds: TextBounds = { maxLineLength: 10_000, maxDepth: 16 };

const space = 32;
const tab = 9;

/** Nesting a line opens at its start: `> > - 1. text` is 4, eight spaces are 2. */
export function lineDepth(line: string, stopAbove = Infinity): number {
	let depth = 0;
	let columns = 0;
	let i = 0;
	const n = line.length;
	while (i < n && depth + Math.floor(columns / 4) <= stopAbove) {
		const c = line.charCodeAt(i);
		if (c === space) {
			columns++;
			i++;
		} else if (c === tab) {
			columns += 4;
			i++;
		} else if (c === 62 /* > */) {
			depth++;
			i = afterMarker(line, i + 1);
		} else if ((c === 45 || c === 42 || c === 43) /* - * + */ && isMarkerEnd(line, i + 1)) {
			depth++;
			i = afterMarker(line, i + 1);
		} else if (c >= 48 && c <= 57) {
			let j = i;
			while (j < n && j - i < 9 && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
			const after = line.charCodeAt(j);
			if ((after !== 46 && after !== 41) /* . ) */ || !isMarkerEnd(line, j + 1)) break;
			depth++;
			i = afterMarker(line, j + 1);
		} else break;
	}
	return depth + Math.floor(columns / 4);
}

/** The space that follows a marker belongs to it, not to the indentation. */
function afterMarker(line: string, at: number): number {
	return line.charCodeAt(at) === space ? at + 1 : at;
}

function isMarkerEnd(line: string, at: number): boolean {
	return at >= line.length || line.charCodeAt(at) === space || line.charCodeAt(at) === tab;
}

/** The first line that breaks the bounds, or null. Line breaks may be LF, CRLF or CR. */
export function textBoundsProblem(text: string, bounds: TextBounds = markdownBounds): TextBoundsProblem | null {
	let line = 1;
	let start = 0;
	const n = text.length;
	while (start <= n) {
		let end = start;
		while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
		const length = end - start;
		if (length > bounds.maxLineLength) return { kind: 'line_too_long', line, length, max: bounds.maxLineLength };
		const depth = lineDepth(text.slice(start, end), bounds.maxDepth);
		if (depth > bounds.maxDepth) return { kind: 'too_deep', line, depth, max: bounds.maxDepth };
		if (end < n && text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) end++;
		start = end + 1;
		line++;
	}
	return null;
}

export const markdownBoundsProblem = (text: string): TextBoundsProblem | null => textBoundsProblem(text, markdownBounds);

/** The problem in words, Japanese first, for lists of errors that carry the line beside them. */
export function boundsMessage(problem: TextBoundsProblem): string {
	return problem.kind === 'line_too_long'
		? `行が長すぎます（${problem.length}文字、1行${problem.max}文字まで） / the line is too long (${problem.length} characters, at most ${problem.max})`
		: `入れ子（引用の >、箇条書き、字下げ）が深すぎます（${problem.max}段まで） / the line nests too deeply (quotes, lists, indentation; at most ${problem.max} levels)`;
}
