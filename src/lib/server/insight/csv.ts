// CSV for download. Offices open exports in spreadsheet software on Windows: UTF-8 needs a BOM to
// be read as UTF-8 there, and older setups want Shift_JIS (CP932) instead.
import { attachmentDisposition } from '../http';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'shift_jis';

export type CsvCell = string | number | null | undefined;

const bom = [0xef, 0xbb, 0xbf];

// Characters that other Japanese mappings use where CP932 has a look-alike; without this they would
// become "?" (〜 typed on a Mac, for instance).
const cp932LookAlikes: Record<string, string> = {
	'\u301c': '\uff5e', // 〜 wave dash → ～
	'\u2212': '\uff0d', // − minus sign → －
	'\u2016': '\u2225', // ‖ → ∥
	'\u2014': '\u2015', // — em dash → ―
	'\u00a2': '\uffe0', // ¢ → ￠
	'\u00a3': '\uffe1', // £ → ￡
	'\u00ac': '\uffe2' // ¬ → ￢
};
const cp932LookAlike = new RegExp(`[${Object.keys(cp932LookAlikes).join('')}]`, 'g');

// A cell starting with one of these is read as a formula by spreadsheet software; Japanese input
// gives the full-width forms, and the minus sign becomes a full-width hyphen-minus in Shift_JIS.
const formulaStart = /^[=+\-@\t\r＝＋－＠\u2212]/;
const needsQuotes = /[",\r\n]/;

function field(cell: CsvCell): string {
	if (cell === null || cell === undefined) return '';
	// Numbers are data we produced ourselves: a negative count stays a number in the sheet.
	let text = typeof cell === 'number' ? String(cell) : cell;
	if (typeof cell === 'string' && formulaStart.test(text)) text = `'${text}`;
	return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as RFC 4180 CSV (CRLF, quoted where needed), with formula-like text made inert. */
export function encodeCsv(rows: readonly (readonly CsvCell[])[], encoding: CsvEncoding = 'utf-8'): Uint8Array {
	const text = rows.map((row) => row.map(field).join(',') + '\r\n').join('');
	if (encoding === 'shift_jis')
		return new Uint8Array(
			iconv.encode(
				text.replace(cp932LookAlike, (c) => cp932LookAlikes[c]),
				'cp932'
			)
		);
	const body = new TextEncoder().encode(text);
	const out = new Uint8Array(bom.length + body.length);
	out.set(bom, 0);
	out.set(body, bom.length);
	return out;
}

/** The values `?encoding=` of an export link may take. */
export const csvEncodingNames = ['utf-8', 'shift_jis', 'sjis'] as const;

/** `?encoding=` of an export link: Shift_JIS when asked for, UTF-8 otherwise. */
export function parseCsvEncoding(value: string | null): CsvEncoding {
	const v = value?.trim().toLowerCase();
	return v === 'shift_jis' || v === 'sjis' ? 'shift_jis' : 'utf-8';
}

/** A file as a download, named in Japanese (RFC 5987) with an ASCII fallback; never cached (it holds people's names). */
export function fileDownload(bytes: Uint8Array, filename: string, contentType: string, fallback?: string): Response {
	const extension = /\.[A-Za-z0-9]+$/.exec(filename)?.[0] ?? '';
	// Copied into a plain ArrayBuffer-backed array, which every Response body accepts.
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': contentType,
			'content-disposition': attachmentDisposition(filename, `export${extension}`, fallback ?? filename),
			'cache-control': 'no-store'
		}
	});
}

/** The CSV as a file download. */
export function csvDownload(bytes: Uint8Array, filename: string, encoding: CsvEncoding): Response {
	return fileDownload(bytes, filename, `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`);
}
