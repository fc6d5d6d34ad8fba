import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/server/org/roster/csv';
import { decodeText } from '../../src/lib/server/text/decode';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/roster/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeText', () => {
	it('reads UTF-8 with a BOM and drops the BOM', () => {
		const { text, encoding } = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('職員番号,氏名')]));
		expect(encoding).toBe('utf-8-bom');
		expect(text).toBe('職員番号,氏名');
	});

	it('reads UTF-8 without a BOM', () => {
		const { text, encoding } = decodeText(utf8('職員番号,氏名\n1,髙橋 ①'));
		expect(encoding).toBe('utf-8');
		expect(text).toBe('職員番号,氏名\n1,髙橋 ①');
	});

	it('falls back to Shift_JIS (CP932) when the bytes are not UTF-8', () => {
		// 職員番号,髙① as Excel writes it: 髙 and ① exist only in CP932, not in JIS X 0208.
		const bytes = new Uint8Array([0x90, 0x45, 0x88, 0xf5, 0x94, 0xd4, 0x8d, 0x86, 0x2c, 0xfb, 0xfc, 0x87, 0x40]);
		expect(decodeText(bytes)).toEqual({ text: '職員番号,髙①', encoding: 'shift_jis', badLines: [] });
	});

	it('reads the Shift_JIS fixture, made with iconv -t CP932', () => {
		const { text, encoding } = decodeText(fixture('demo-roster-bad-sjis.csv'));
		expect(encoding).toBe('shift_jis');
		expect(text.startsWith('職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日\r\n')).toBe(true);
		expect(text).toContain('2009,髙橋 ①,タカハシ');
	});

	it('reads the UTF-8 fixture with a BOM', () => {
		const { text, encoding } = decodeText(fixture('demo-roster-good-utf8-bom.csv'));
		expect(encoding).toBe('utf-8-bom');
		expect(text.charCodeAt(0)).not.toBe(0xfeff);
		expect(text.startsWith('職員番号,')).toBe(true);
	});

	it('treats an ASCII-only file as UTF-8', () => {
		expect(decodeText(utf8('a,b\r\n1,2')).encoding).toBe('utf-8');
	});
});

describe('parseCsv', () => {
	const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);
	const lines = (text: string) => parseCsv(text).records.map((r) => r.line);

	it('splits records on CRLF, LF and a lone CR', () => {
		expect(fields('a,b\r\nc,d\ne,f\rg,h')).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e', 'f'],
			['g', 'h']
		]);
		expect(lines('a\r\nb\nc\rd')).toEqual([1, 2, 3, 4]);
	});

	it('adds no record for a final line break, but keeps empty fields', () => {
		expect(fields('a,b\r\n')).toEqual([['a', 'b']]);
		expect(fields('a,b\n')).toEqual([['a', 'b']]);
		expect(fields('a,,\r\n,,')).toEqual([
			['a', '', ''],
			['', '', '']
		]);
		expect(fields('')).toEqual([]);
	});

	it('keeps blank lines in the middle as one-field records (the reader skips them)', () => {
		expect(parseCsv('a\n\nb\n').records).toEqual([
			{ line: 1, fields: ['a'] },
			{ line: 2, fields: [''] },
			{ line: 3, fields: ['b'] }
		]);
	});

	it('reads quoted fields with commas, "" escapes and line breaks', () => {
		expect(fields('"a,b","say ""hi""",""\r\n')).toEqual([['a,b', 'say "hi"', '']]);
		expect(fields('1,"two\r\nlines",3\n4,5,6')).toEqual([
			['1', 'two\r\nlines', '3'],
			['4', '5', '6']
		]);
		expect(fields('"x\ny"')).toEqual([['x\ny']]);
	});

	it('gives each record the physical line it starts on, counting line breaks inside quotes', () => {
		const text = 'h1,h2\r\n1,"a\r\nb\r\nc"\r\n2,x\n3,"\n"\n4,y';
		expect(parseCsv(text).records.map((r) => [r.line, r.fields[0]])).toEqual([
			[1, 'h1'],
			[2, '1'],
			[5, '2'],
			[6, '3'],
			[8, '4']
		]);
	});

	it('reports a quote that never closes at the line where its record starts', () => {
		const result = parseCsv('a,b\n1,"open\n2,x\n');
		expect(result.unterminatedQuoteLine).toBe(2);
		expect(result.records[1]).toEqual({ line: 2, fields: ['1', 'open\n2,x\n'] });
	});

	it('keeps stray quotes and text after a closing quote as they are', () => {
		expect(fields('ab"c,"d"e')).toEqual([['ab"c', 'de']]);
	});

	it('does not trim: that is the reader’s job', () => {
		expect(fields(' a , "b" ')).toEqual([[' a ', ' "b" ']]);
	});
});
