// Tables as an Excel workbook, the way every Mamori workbook lays them out (the 年度報告, the
// self-inspection evidence): per sheet a title, a heading and the date prepared above a frozen,
// filterable header row; counts as numbers, rates as fractions shown as percentages, dates as
// Excel dates in 和暦 for Japanese readers. A string is written as a string, never as a formula,
// whatever it starts with.
import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null | { text: string; hyperlink: string };
export type Kind = 'text' | 'count' | 'rate' | 'date' | 'link';

export interface Column {
	header: string;
	kind: Kind;
	/** In characters. */
	width: number;
}

export interface SheetSpec {
	name: string;
	heading: string;
	columns: Column[];
	rows: Cell[][];
	/** A total row, set in bold. */
	total?: Cell[];
	/** Said below the header when there are no rows, and below the rows otherwise. */
	note?: string;
}

/** The header row: title, section heading and the date prepared stand above it. */
export const headerRow = 4;

const numberFormats = {
	count: '#,##0',
	rate: '0.0%',
	// 令和8年12月8日 in Japanese Excel; the Western date elsewhere.
	dateJa: '[$-ja-JP]ggge"年"m"月"d"日"',
	dateEn: 'yyyy-mm-dd'
} as const;

/** An Excel date for a Japanese calendar day: midnight UTC, so the serial is the whole day. */
export function excelDate(isoDate: string): Date {
	const [y, m, d] = isoDate.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d));
}

/** Excel's rules for a sheet name: 31 characters, none of \ / ? * [ ] :, each name once. */
function sheetName(name: string, taken: Set<string>): string {
	const base =
		Array.from(name.replace(/[\\/?*[\]:]/g, ' '))
			.slice(0, 31)
			.join('')
			.trim() || 'Sheet';
	let candidate = base;
	for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${Array.from(base).slice(0, 28).join('')} ${n}`;
	taken.add(candidate.toLowerCase());
	return candidate;
}

/** The workbook of the sheets, titled `title`, prepared on `preparedOn` (YYYY-MM-DD). */
export async function tablesWorkbook(
	sheets: readonly SheetSpec[],
	options: { creator: string; title: string; preparedLabel: string; preparedOn: string; locale: 'ja' | 'en' }
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = options.creator;
	workbook.created = new Date();
	const taken = new Set<string>();
	const prepared = excelDate(options.preparedOn);
	const dateFormat = options.locale === 'ja' ? numberFormats.dateJa : numberFormats.dateEn;
	for (const spec of sheets) {
		const sheet = workbook.addWorksheet(sheetName(spec.name, taken), {
			views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
			pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }
		});
		sheet.columns = spec.columns.map((c) => ({ width: c.width }));
		sheet.getCell(1, 1).value = options.title;
		sheet.getCell(1, 1).font = { bold: true, size: 14 };
		sheet.getCell(2, 1).value = spec.heading;
		sheet.getCell(2, 1).font = { bold: true, size: 12 };
		sheet.getCell(3, 1).value = options.preparedLabel;
		sheet.getCell(3, 2).value = prepared;
		sheet.getCell(3, 2).numFmt = dateFormat;
		sheet.getCell(3, 2).alignment = { horizontal: 'left' };
		spec.columns.forEach((c, i) => {
			const cell = sheet.getCell(headerRow, i + 1);
			cell.value = c.header;
			cell.font = { bold: true };
			cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
			cell.border = { bottom: { style: 'thin' } };
			cell.alignment = { vertical: 'middle', wrapText: true, horizontal: c.kind === 'count' || c.kind === 'rate' ? 'right' : 'left' };
		});
		// The table's range gets an autofilter, so a clerk can sort and filter at once.
		let rowNumber = headerRow;
		const put = (values: readonly Cell[], bold = false) => {
			rowNumber++;
			values.forEach((value, i) => {
				const cell = sheet.getCell(rowNumber, i + 1);
				const kind = spec.columns[i]?.kind ?? 'text';
				cell.value = value;
				if (value instanceof Date) cell.numFmt = dateFormat;
				else if (typeof value === 'number') cell.numFmt = kind === 'rate' ? numberFormats.rate : numberFormats.count;
				else if (typeof value === 'string')
					cell.alignment = { wrapText: true, vertical: 'top', horizontal: kind === 'count' || kind === 'rate' ? 'right' : 'left' };
				else if (value && typeof value === 'object') cell.alignment = { wrapText: true, vertical: 'top' };
				if (bold) cell.font = { bold: true };
			});
		};
		for (const row of spec.rows) put(row);
		if (spec.rows.length > 0) sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: rowNumber, column: spec.columns.length } };
		if (spec.total && spec.rows.length > 0) put(spec.total, true);
		// Below the table, after a blank row when there is one.
		if (spec.note) sheet.getCell(rowNumber + (spec.rows.length > 0 ? 2 : 1), 1).value = spec.note;
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
