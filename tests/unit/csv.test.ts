import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvDownload, encodeCsv, fileDownload, parseCsvEncoding } from '../../src/lib/server/insight/csv';

const bytesOf = (s: string) => [...new TextEncoder().encode(s)];
const ascii = (bytes: Uint8Array, skip = 0) => new TextDecoder('utf-8').decode(bytes.subarray(skip));

describe('encodeCsv (UTF-8)', () => {
	it('starts with the BOM and ends every line with CRLF', () => {
		const out = encodeCsv([
			['a', 'b'],
			['1', '2']
		]);
		expect([...out]).toEqual([0xef, 0xbb, 0xbf, ...bytesOf('a,b\r\n1,2\r\n')]);
	});

	it('is UTF-8 by default and writes Japanese as UTF-8 after the BOM', () => {
		expect([...encodeCsv([['北杜市']])]).toEqual([0xef, 0xbb, 0xbf, 0xe5, 0x8c, 0x97, 0xe6, 0x9d, 0x9c, 0xe5, 0xb8, 0x82, 0x0d, 0x0a]);
	});

	it('quotes fields with a quote, a comma, CR or LF, doubling quotes', () => {
		const out = encodeCsv([['say "hi"', 'a,b', 'line1\nline2', 'cr\rhere', 'plain']]);
		expect(ascii(out, 3)).toBe('"say ""hi""","a,b","line1\nline2","cr\rhere",plain\r\n');
	});

	it('writes null and undefined as empty fields, numbers as they are', () => {
		const out = encodeCsv([[null, undefined, 0, 12.5, -3, '']]);
		expect(ascii(out, 3)).toBe(',,0,12.5,-3,\r\n');
	});

	it('neutralises text that a spreadsheet would run as a formula', () => {
		const out = encodeCsv([['=1+1'], ['+81-3'], ['-2'], ['@SUM(A1)'], ['\tx'], ['\rx'], ['a=b']]);
		expect(ascii(out, 3)).toBe("'=1+1\r\n'+81-3\r\n'-2\r\n'@SUM(A1)\r\n'\tx\r\n\"'\rx\"\r\na=b\r\n");
	});

	it('quotes a neutralised cell that also needs quoting', () => {
		expect(ascii(encodeCsv([['=HYPERLINK("http://x","y")']]), 3)).toBe(`"'=HYPERLINK(""http://x"",""y"")"\r\n`);
	});

	it('keeps a negative number passed as a number', () => {
		expect([...encodeCsv([[-5]])]).toEqual([0xef, 0xbb, 0xbf, 0x2d, 0x35, 0x0d, 0x0a]);
	});

	it('writes nothing but the BOM for no rows', () => {
		expect([...encodeCsv([])]).toEqual([0xef, 0xbb, 0xbf]);
	});
});

describe('encodeCsv (Shift_JIS)', () => {
	it('writes CP932 without a BOM', () => {
		// 北 96 6B, 杜 93 6D, 市 8E 73 (93 6C would be 斗: 北斗市, another city).
		const out = encodeCsv([['北杜市', 1]], 'shift_jis');
		expect([...out]).toEqual([0x96, 0x6b, 0x93, 0x6d, 0x8e, 0x73, 0x2c, 0x31, 0x0d, 0x0a]);
		expect(iconv.decode(Buffer.from(out), 'cp932')).toBe('北杜市,1\r\n');
		expect(new TextDecoder('shift_jis').decode(out)).toBe('北杜市,1\r\n');
	});

	it('round-trips CP932-only characters (髙, ①, ㈱) and quoting', () => {
		const rows = [
			['職員番号', '氏名', '所属'],
			['0001', '髙橋 ①', '総務課, ㈱委託'],
			['0002', '"引用"', '=危険']
		];
		const out = encodeCsv(rows, 'shift_jis');
		expect(iconv.decode(Buffer.from(out), 'cp932')).toBe('職員番号,氏名,所属\r\n0001,髙橋 ①,"総務課, ㈱委託"\r\n0002,"""引用""",\'=危険\r\n');
		expect([...out.subarray(0, 2)]).toEqual([0x90, 0x45]);
	});

	it('writes look-alike characters of other Japanese mappings as their CP932 forms', () => {
		const out = encodeCsv([['4月〜6月 −1']], 'shift_jis');
		expect(iconv.decode(Buffer.from(out), 'cp932')).toBe('4月～6月 －1\r\n');
		expect([...out]).not.toContain(0x3f);
	});
});

describe('parseCsvEncoding', () => {
	it('is Shift_JIS only when asked for', () => {
		expect(parseCsvEncoding('shift_jis')).toBe('shift_jis');
		expect(parseCsvEncoding('sjis')).toBe('shift_jis');
		expect(parseCsvEncoding('SJIS')).toBe('shift_jis');
		expect(parseCsvEncoding('utf-8')).toBe('utf-8');
		expect(parseCsvEncoding('cp1252')).toBe('utf-8');
		expect(parseCsvEncoding('')).toBe('utf-8');
		expect(parseCsvEncoding(null)).toBe('utf-8');
	});
});

describe('csvDownload', () => {
	it('sends UTF-8 with a Japanese file name and an ASCII fallback', async () => {
		const bytes = encodeCsv([['a']]);
		const res = csvDownload(bytes, '年度報告_2026.csv', 'utf-8');
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="2026.csv"; filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E5%A0%B1%E5%91%8A_2026.csv`);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...bytes]);
	});

	it('names Shift_JIS in the content type', async () => {
		const bytes = encodeCsv([['北杜市']], 'shift_jis');
		const res = csvDownload(bytes, 'report.csv', 'shift_jis');
		expect(res.headers.get('content-type')).toBe('text/csv; charset=Shift_JIS');
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="report.csv"; filename*=UTF-8''report.csv`);
		expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x96, 0x6b, 0x93, 0x6d, 0x8e, 0x73, 0x0d, 0x0a]);
	});

	it('keeps quotes and path characters out of the fallback and encodes RFC 5987 specials', () => {
		const res = csvDownload(new Uint8Array(), `a"b/c (1)'s.csv`, 'utf-8');
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="a_b_c (1)'s.csv"; filename*=UTF-8''a%22b%2Fc%20%281%29%27s.csv`);
		expect(csvDownload(new Uint8Array(), '北杜市_所属別_2026年度.csv', 'utf-8').headers.get('content-disposition')).toMatch(
			/^attachment; filename="2026_\.csv"; /
		);
	});

	it('falls back to a generic name when nothing readable is left', () => {
		const res = csvDownload(new Uint8Array(), '未確認者.csv', 'utf-8');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="export\.csv"; filename\*=UTF-8''/);
	});
});

describe('fileDownload', () => {
	it('names any file in Japanese, with the fallback given or one of its own kind', () => {
		const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
		const res = fileDownload(new Uint8Array([1]), '令和8年度_報告.xlsx', xlsx, 'annual-report-FY2026.xlsx');
		expect(res.headers.get('content-type')).toBe(xlsx);
		expect(res.headers.get('content-disposition')).toBe(
			`attachment; filename="annual-report-FY2026.xlsx"; filename*=UTF-8''%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6_%E5%A0%B1%E5%91%8A.xlsx`
		);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(fileDownload(new Uint8Array(), '報告.xlsx', xlsx).headers.get('content-disposition')).toMatch(/^attachment; filename="export\.xlsx"; /);
	});
});
