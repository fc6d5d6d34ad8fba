// The 新旧対照表 as a Word file, the form 例規審査 passes round: A4 landscape, a title block, a real
// table whose heading row (改正後 / 改正前) repeats on every page, rows that do not split across
// pages, 傍線 as underlined runs, （略） rows, page numbers in the footer, a Mincho font for
// Japanese (Word's own name for it, which LibreOffice maps to the Mincho it has).
import {
	AlignmentType,
	Document,
	Footer,
	Packer,
	PageNumber,
	PageOrientation,
	Paragraph,
	Table,
	TableCell,
	TableLayoutType,
	TableRow,
	TextRun,
	UnderlineType,
	WidthType
} from 'docx';
import type { Locale } from '$lib/i18n/core';
import { attachmentDisposition } from '../http';
import { comparisonFileName, type ComparisonSheet } from './comparison-document';
import type { Cell, Line, Side } from './comparison-table';

const mincho = 'MS Mincho';
const font = { ascii: mincho, hAnsi: mincho, eastAsia: mincho, cs: mincho };
/** A4 in twentieths of a point, portrait; the section turns it. */
const a4 = { width: 11906, height: 16838 };
const margin = 1134; // 20 mm
const tableWidth = a4.height - 2 * margin;

/** Characters XML 1.0 cannot hold; a stored text never should have them, but one would break the file. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const notInXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const clean = (text: string) => text.replace(notInXml, '');

function lineParagraph(line: Line): Paragraph {
	return new Paragraph({
		children: line.runs.map((run) => new TextRun({ text: clean(run.text), underline: run.changed ? { type: UnderlineType.SINGLE } : undefined }))
	});
}

const textParagraph = (text: string, options: { bold?: boolean; center?: boolean; size?: number } = {}) =>
	new Paragraph({
		alignment: options.center ? AlignmentType.CENTER : undefined,
		children: [new TextRun({ text: clean(text), bold: options.bold, size: options.size })]
	});

function cellParagraphs(cell: Cell, words: ComparisonSheet['words']): Paragraph[] {
	if (cell.kind !== 'text') return [textParagraph(words[cell.kind])];
	const lines = cell.lines.map(lineParagraph);
	if (cell.bodyOmitted) lines.push(textParagraph(words.omitted));
	// A cell holds at least one paragraph.
	return lines.length ? lines : [textParagraph('')];
}

const cellOf = (children: Paragraph[]) =>
	new TableCell({ width: { size: tableWidth / 2, type: WidthType.DXA }, margins: { top: 60, bottom: 60, left: 100, right: 100 }, children });

/** The Word file of a 新旧対照表. */
export async function comparisonDocx(sheet: ComparisonSheet): Promise<Uint8Array> {
	const { words, table } = sheet;
	const header = new TableRow({
		tableHeader: true,
		cantSplit: true,
		children: table.columns.map((side: Side) => cellOf([textParagraph(words.columns[side], { bold: true, center: true })]))
	});
	const rows = table.rows.map((row) => new TableRow({ cantSplit: true, children: table.columns.map((side) => cellOf(cellParagraphs(row[side], words))) }));
	const title = [
		textParagraph(sheet.policy.title, { bold: true, center: true, size: 28 }),
		textParagraph(words.title, { bold: true, center: true, size: 28 }),
		...table.columns.map((side) => textParagraph(`${words.columns[side]}：${words.versions[side]}`)),
		textParagraph('')
	];
	const footer = new Footer({
		children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] })] })]
	});
	const document = new Document({
		creator: 'Mamori',
		lastModifiedBy: 'Mamori',
		title: clean(`${sheet.policy.title} ${words.title}`),
		styles: { default: { document: { run: { font, size: 21, language: { value: 'ja-JP', eastAsia: 'ja-JP' } } } } },
		sections: [
			{
				properties: { page: { size: { ...a4, orientation: PageOrientation.LANDSCAPE }, margin: { top: margin, bottom: margin, left: margin, right: margin } } },
				footers: { default: footer },
				children: [
					...title,
					new Table({
						width: { size: tableWidth, type: WidthType.DXA },
						columnWidths: [tableWidth / 2, tableWidth / 2],
						layout: TableLayoutType.FIXED,
						rows: [header, ...rows]
					})
				]
			}
		]
	});
	return new Uint8Array(await Packer.toBuffer(document));
}

/** The Word file as a download named after the policy and the versions (an ASCII name from its slug for old clients). */
export async function comparisonDownload(sheet: ComparisonSheet, locale: Locale): Promise<Response> {
	const bytes = await comparisonDocx(sheet);
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': attachmentDisposition(comparisonFileName(sheet, locale), 'comparison.docx', `${sheet.policy.slug}_${sheet.from}-${sheet.to}.docx`),
			'cache-control': 'no-store'
		}
	});
}
