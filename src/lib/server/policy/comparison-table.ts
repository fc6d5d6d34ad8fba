// The 新旧対照表 as 例規 practice lays it out: two columns (改正後 and 改正前, in the order the
// organisation chose), one row per changed section, the changed words underlined (傍線) on both
// sides, unchanged sections folded into （略） rows, and the headings above a changed item kept as
// context so a reader knows where it stands. Pure: the page, the print view and the Word file all
// draw the same rows.
import type { ComparisonOrder } from '../db/schema';
import { citationOfPath, plainText } from './citation';
import { diffText, type DiffPart, type SectionChange } from './diff';

/** A stretch of text in a cell; a changed one is underlined (傍線). */
export interface Run {
	text: string;
	changed: boolean;
}

/** One line of a cell, as the document reads it. */
export interface Line {
	runs: Run[];
}

export type Cell =
	/** The section's text on this side; `bodyOmitted` when only its heading is shown, its text （略）. */
	| { kind: 'text'; lines: Line[]; bodyOmitted?: true }
	/** The old side of a section that is new: （新設）. */
	| { kind: 'added' }
	/** The new side of a section that was removed: （削除）. */
	| { kind: 'removed' }
	/** Unchanged sections left out: （略）. */
	| { kind: 'omitted' };

export type Side = 'new' | 'old';
export type RowKind = 'changed' | 'added' | 'removed' | 'moved' | 'unchanged' | 'context' | 'omitted';

export interface ComparisonRow {
	kind: RowKind;
	/** The section's key (in the earlier version for a removed one); null for a （略） row. */
	key: string | null;
	/** How each version cites the section (6(3)③); null on the side it is not in. */
	citation: Record<Side, string | null>;
	new: Cell;
	old: Cell;
	/** For a （略） row: how many sections it stands for. */
	omitted?: number;
}

export interface ComparisonTable {
	/** The columns left to right. */
	columns: readonly [Side, Side];
	rows: ComparisonRow[];
}

export interface TableOptions {
	order: ComparisonOrder;
	/** Show unchanged sections in full instead of （略）. */
	showUnchanged?: boolean;
}

export function columnsFor(order: ComparisonOrder): readonly [Side, Side] {
	return order === 'old_first' ? ['old', 'new'] : ['new', 'old'];
}

// ---------------------------------------------------------------------------------------------
// A section's text as the document reads it

/** A line that starts a block of its own in Markdown: a list item, quote, heading or table row. */
const blockStart = /^\s*(?:[-*+](?=\s)|\d{1,9}[.)](?=\s)|>|#{1,6}(?=\s)|\|)/;
/** A table's delimiter row or a thematic break: structure, not text. */
const structureOnly = /^\s*(?:\|?\s*:?-{2,}:?\s*)+\|?\s*$|^\s*(?:[-*_]\s*){3,}$/;
const wide = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * A Markdown body as the lines a reader sees: a paragraph, a list item or a table row a line, with
 * no Markdown syntax left. Lines of one paragraph join (without a space between Japanese text).
 */
export function displayLines(markdown: string): string[] {
	const blocks: string[] = [];
	let current: string | null = null;
	const flush = () => {
		if (current !== null) {
			const text = plainText(current);
			if (text) blocks.push(text);
		}
		current = null;
	};
	for (const line of markdown.split(/\r\n?|\n/)) {
		if (!line.trim() || structureOnly.test(line)) {
			flush();
			continue;
		}
		if (current === null || blockStart.test(line)) {
			flush();
			current = line;
			continue;
		}
		const next = line.trim();
		const joiner: string = wide.test(current.trimEnd().slice(-1)) && wide.test(next[0]) ? '' : ' ';
		current = current.trimEnd() + joiner + next;
	}
	flush();
	return blocks;
}

// ---------------------------------------------------------------------------------------------
// Cells

/** One side of a character diff as runs: the equal text plain, that side's edits underlined. */
function sideOf(parts: readonly DiffPart[], side: Side): Run[] {
	const skip = side === 'new' ? 'delete' : 'insert';
	return parts.filter((p) => p.op !== skip && p.text).map((p) => ({ text: p.text, changed: p.op !== 'equal' }));
}

/** Runs cut into lines at their newlines; an empty piece of a run is dropped. */
function splitLines(runs: readonly Run[]): Line[] {
	const lines: Line[] = [{ runs: [] }];
	for (const run of runs) {
		run.text.split('\n').forEach((piece, i) => {
			if (i > 0) lines.push({ runs: [] });
			if (piece) lines.at(-1)!.runs.push({ text: piece, changed: run.changed });
		});
	}
	return lines.filter((l) => l.runs.length > 0);
}

interface SideText {
	citation: string;
	heading: string;
	body: string;
}

/** Every text of one side as runs, all underlined or none. */
const whole = (text: string, changed: boolean): Run[] => (text ? [{ text, changed }] : []);

/** The lines of a cell: citation and heading first, the body's lines after (an item without a heading starts on the citation's line). */
function cellLines(citation: Run[], heading: Run[], body: Line[]): Line[] {
	const head = [...citation];
	const gap = (runs: Run[]) => (head.length && runs.length ? [{ text: '\u3000', changed: false }] : []);
	if (heading.length) return [{ runs: [...head, ...gap(heading), ...heading] }, ...body];
	const [first, ...rest] = body;
	if (!first) return head.length ? [{ runs: head }] : [];
	return [{ runs: [...head, ...gap(first.runs), ...first.runs] }, ...rest];
}

function textOf(s: SideText) {
	return { citation: s.citation, heading: plainText(s.heading), body: displayLines(s.body).join('\n') };
}

/** Both cells of a section present on both sides, underlining what differs. */
function pairedCells(oldSide: SideText, newSide: SideText): { new: Cell; old: Cell } {
	const a = textOf(oldSide);
	const b = textOf(newSide);
	const citation = diffText(a.citation, b.citation);
	const heading = diffText(a.heading, b.heading);
	const body = diffText(a.body, b.body);
	const cell = (side: Side): Cell => ({
		kind: 'text',
		lines: cellLines(sideOf(citation, side), sideOf(heading, side), splitLines(sideOf(body, side)))
	});
	return { new: cell('new'), old: cell('old') };
}

/** A section on one side only: its whole text underlined, as a 新設 or 削除 is. */
function soleCell(s: SideText): Cell {
	const t = textOf(s);
	return { kind: 'text', lines: cellLines(whole(t.citation, true), whole(t.heading, true), splitLines(whole(t.body, true))) };
}

/** A heading kept for context: not underlined, its text （略）. */
function contextCell(s: SideText): Cell {
	const t = textOf(s);
	const cell: Cell = { kind: 'text', lines: cellLines(whole(t.citation, false), whole(t.heading, false), []) };
	if (t.body) cell.bodyOmitted = true;
	return cell;
}

// ---------------------------------------------------------------------------------------------
// Rows

const citationOf = (path: string | undefined) => citationOfPath(path ?? '');

function sidesOf(c: SectionChange): { old: SideText | null; new: SideText | null } {
	const newCitation = citationOf(c.path);
	const oldCitation = c.kind === 'removed' ? newCitation : citationOf(c.fromPath ?? c.path);
	return {
		old: c.before ? { citation: oldCitation, ...c.before } : null,
		new: c.kind !== 'removed' && c.after ? { citation: newCitation, ...c.after } : null
	};
}

function changeRow(c: SectionChange): ComparisonRow {
	const s = sidesOf(c);
	const citation = { new: s.new?.citation ?? null, old: s.old?.citation ?? null };
	if (!s.old) return { kind: 'added', key: c.key, citation, new: soleCell(s.new!), old: { kind: 'added' } };
	if (!s.new) return { kind: 'removed', key: c.key, citation, new: { kind: 'removed' }, old: soleCell(s.old) };
	return { kind: c.kind, key: c.key, citation, ...pairedCells(s.old, s.new) };
}

function contextRow(c: SectionChange): ComparisonRow {
	const s = sidesOf(c);
	return {
		kind: 'context',
		key: c.key,
		citation: { new: s.new?.citation ?? null, old: s.old?.citation ?? null },
		new: contextCell(s.new ?? s.old!),
		old: contextCell(s.old ?? s.new!)
	};
}

/**
 * The sections above each change that a reader needs to place it: its ancestors in the version it
 * belongs to (the earlier one for a removed section, the later one otherwise).
 */
function contextOf(changes: readonly SectionChange[], shown: (c: SectionChange) => boolean): Set<number> {
	const context = new Set<number>();
	const inNew: number[] = [];
	const inOld: number[] = [];
	const popTo = (stack: number[], level: number) => {
		while (stack.length && changes[stack.at(-1)!].level >= level) stack.pop();
	};
	changes.forEach((c, i) => {
		popTo(inNew, c.level);
		popTo(inOld, c.level);
		if (shown(c)) for (const a of c.kind === 'removed' ? inOld : inNew) if (!shown(changes[a])) context.add(a);
		if (c.kind !== 'removed') inNew.push(i);
		if (c.kind !== 'added') inOld.push(i);
	});
	return context;
}

/**
 * The 新旧対照表 of a comparison: `changes` as `diffSections` gives them, in the later version's
 * order. Unchanged sections become （略） rows (consecutive ones, one row), except the headings
 * above a change, which stay as context.
 */
export function comparisonTable(changes: readonly SectionChange[], options: TableOptions): ComparisonTable {
	const shown = (c: SectionChange) => c.kind !== 'unchanged' || !!options.showUnchanged;
	const context = contextOf(changes, shown);
	const rows: ComparisonRow[] = [];
	changes.forEach((c, i) => {
		if (shown(c)) rows.push(changeRow(c));
		else if (context.has(i)) rows.push(contextRow(c));
		else {
			const last = rows.at(-1);
			if (last?.kind === 'omitted') last.omitted! += 1;
			else rows.push({ kind: 'omitted', key: null, citation: { new: null, old: null }, new: { kind: 'omitted' }, old: { kind: 'omitted' }, omitted: 1 });
		}
	});
	return { columns: columnsFor(options.order), rows };
}

/** The plain text of a cell's line, for tests and for screen readers' names. */
export const lineText = (line: Line) => line.runs.map((r) => r.text).join('');
