// 改訂履歴: the revision history table at the front (or back) of a policy document.

import type { HistoryRow } from './types';
import { asciiDigits } from './text';

const marker = /^(?:#{1,6}\s*)?[【［[]?(?:制定・)?(?:改訂|改定|改正|変更)\s*(?:履歴|経過)[】］\]]?$/u;
const versionCell = /^(?:第\s*[0-9０-９.．]+\s*版|(?:ver(?:sion)?\.?\s*)?[0-9０-９]+(?:[.．][0-9０-９]+)*\s*版?)$/iu;
const kinds = '新規制定|制定|全部改訂|全面改訂|一部改訂|一部改正|全部改正|改訂|改正';
// A row pasted from a PDF, with spaces instead of tabs: 第 2.0 版 平成 28 年 8 月 1 日 一部改訂 理由…
const spacedRow = new RegExp(
	`^(第\\s*[0-9０-９.．]+\\s*版)\\s+((?:令和|平成|昭和)\\s*(?:元|[0-9０-９]+)\\s*年(?:\\s*[0-9０-９]+\\s*月)?(?:\\s*[0-9０-９]+\\s*日)?|[0-9０-９]{4}\\s*[年/.-]\\s*[0-9０-９]+(?:\\s*[月/.-]\\s*[0-9０-９]+\\s*日?)?)\\s*(${kinds})?\\s*(.*)$`,
	'u'
);

type Column = keyof HistoryRow;
const headerNames: [RegExp, Column][] = [
	[/^(?:版|版数|改訂版|バージョン)$/u, 'version'],
	[/日付|年月日|改訂日|改定日|施行日|制定日/u, 'date'],
	[/区分|種別/u, 'kind'],
	[/理由|内容|概要/u, 'reason']
];

export function isHistoryMarker(line: string): boolean {
	return marker.test(line.trim());
}

function cells(line: string): string[] | null {
	const t = line.trim();
	if (t.startsWith('|'))
		return t
			.replace(/^\||\|$/g, '')
			.split('|')
			.map((c) => c.trim());
	if (t.includes('\t'))
		return line
			.replace(/^\s+/, '')
			.split('\t')
			.map((c) => c.trim());
	return null;
}

function headerColumns(row: string[]): Column[] | null {
	const columns = row.map((c) => headerNames.find(([re]) => re.test(c))?.[1]);
	return columns.includes('version') && columns.includes('date') ? (columns as Column[]) : null;
}

export function normaliseVersion(text: string): string {
	const t = asciiDigits(text).replace(/．/g, '.').replace(/\s+/g, '');
	const m = /^(?:第|ver(?:sion)?\.?)?([0-9]+(?:\.[0-9]+)*)版?$/i.exec(t);
	return m ? m[1] : t;
}

export function normaliseDate(text: string): string {
	return asciiDigits(text).replace(/\s+/g, '');
}

function rowFrom(values: string[], columns: Column[]): HistoryRow {
	const row: HistoryRow = { version: '', date: '', kind: '', reason: '' };
	columns.forEach((column, i) => {
		if (column && values[i] !== undefined) row[column] = values[i];
	});
	return { version: normaliseVersion(row.version), date: normaliseDate(row.date), kind: row.kind.trim(), reason: row.reason.trim() };
}

/**
 * Reads the table that starts at `start` (the line after a 改訂履歴 marker, or a header row).
 * Returns the rows and the index of the first line after the table.
 */
export function readHistoryTable(lines: readonly string[], start: number): { rows: HistoryRow[]; end: number } {
	const rows: HistoryRow[] = [];
	let columns: Column[] = ['version', 'date', 'kind', 'reason'];
	let i = start;
	let end = start;
	for (; i < lines.length; i++) {
		const t = lines[i].trim();
		if (!t) {
			// Blank lines may stand before the table; after it they end it.
			if (rows.length > 0) break;
			continue;
		}
		if (/^\|?\s*:?-{3,}/.test(t)) {
			end = i + 1;
			continue;
		}
		const row = cells(lines[i]);
		// A header pasted with spaces (版 日付 区分 理由及び内容) keeps the default column order.
		const header = row ? headerColumns(row) : headerColumns(t.split(/\s+/)) && columns;
		if (header) {
			columns = header;
			end = i + 1;
			continue;
		}
		const versionAt = columns.indexOf('version');
		if (row && versionCell.test(row[versionAt] ?? '')) {
			rows.push(rowFrom(row, columns));
			end = i + 1;
			continue;
		}
		const spaced = spacedRow.exec(t);
		if (spaced) {
			rows.push(rowFrom(spaced.slice(1), ['version', 'date', 'kind', 'reason']));
			end = i + 1;
			continue;
		}
		break;
	}
	return { rows, end };
}

/** A header row that starts a history table even without a 改訂履歴 line above it. */
export function isHistoryHeader(line: string): boolean {
	const row = cells(line);
	return row !== null && headerColumns(row) !== null;
}
