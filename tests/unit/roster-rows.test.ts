import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/lib/server/text/decode';
import { firstProblems, readRoster } from '../../src/lib/server/org/roster/rows';
import { planRoster } from '../../src/lib/server/org/roster/plan';
import { badSjisProblems } from '../fixtures/roster/expected';

const header = '職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日';
const csv = (...lines: string[]) => [header, ...lines].join('\r\n') + '\r\n';
const problemsOf = (text: string) => readRoster(text).problems.map((p) => [p.line, p.key, p.params ?? {}]);

describe('readRoster: header', () => {
	it('accepts the columns in any order, and the optional ones may be left out', () => {
		const { rows, problems } = readRoster('雇用区分,所属コード,氏名,職員番号\n会計年度任用職員,110,北杜 花子,A1\n');
		expect(problems).toEqual([]);
		expect(rows).toEqual([{ line: 2, employeeNumber: 'A1', name: '北杜 花子', departmentCode: '110', employmentType: 'fiscal_year' }]);
		expect('nameKana' in rows[0]).toBe(false);
	});

	it('names unknown and duplicate columns, and missing required ones, on line 1', () => {
		expect(problemsOf('職員番号,氏名,生年月日,氏名,雇用区分\n1,a,b,c,正規職員\n')).toEqual([
			[1, 'roster.error.unknownColumn', { column: '生年月日' }],
			[1, 'roster.error.duplicateColumn', { column: '氏名' }],
			[1, 'roster.error.missingColumn', { column: '所属コード' }]
		]);
	});

	it("reads a contractor's company and contract, dates in any of the accepted forms", () => {
		const text =
			'職員番号,氏名,所属コード,雇用区分,事業者名,契約名,契約開始日,契約終了日\nC1,山田 学,121,委託事業者,甲府システム　株式会社,保守業務委託,令和8年4月1日,2027/3/31\n';
		const { rows, problems } = readRoster(text);
		expect(problems).toEqual([]);
		expect(rows[0]).toMatchObject({
			employmentType: 'contractor',
			contractorCompany: '甲府システム 株式会社',
			contractName: '保守業務委託',
			contractStart: '2026-04-01',
			contractEnd: '2027-03-31'
		});
		expect(
			problemsOf('職員番号,氏名,所属コード,雇用区分,契約開始日,契約終了日\nC1,a,121,委託事業者,2027-04-01,2027-03-31\nC2,b,121,委託事業者,いつか,\n')
		).toEqual([
			[2, 'roster.error.contractPeriod', { from: '2027-04-01', to: '2027-03-31' }],
			[3, 'roster.error.date', { value: 'いつか' }]
		]);
	});

	it('reads full-width or padded headers', () => {
		expect(readRoster(' 職員番号 ,氏名,所属コード,雇用区分,氏名ｶﾅ\n1,a,110,正規職員,ｱ\n').problems).toEqual([]);
	});

	it('ignores an unnamed column while it is empty, and reports it when it has values', () => {
		expect(readRoster('職員番号,氏名,所属コード,雇用区分,\n1,a,110,正規職員,\n').problems).toEqual([]);
		expect(problemsOf('職員番号,氏名,所属コード,雇用区分,\n1,a,110,正規職員,x\n')).toEqual([[1, 'roster.error.emptyHeader', { column: 5 }]]);
	});

	it('reports an empty file and a file without people', () => {
		expect(problemsOf('')).toEqual([[1, 'roster.error.empty', {}]]);
		expect(problemsOf('\r\n\r\n')).toEqual([[1, 'roster.error.empty', {}]]);
		expect(problemsOf(csv())).toEqual([[1, 'roster.error.noRows', {}]]);
	});
});

describe('readRoster: rows', () => {
	it('normalises: trims cells, NFKC for numbers, codes and mail, full-width kana, single spaces in names', () => {
		const { rows, problems } = readRoster(
			csv(' Ａ００１ ,須玉　 次郎 ,ｽﾀﾏ ｼﾞﾛｳ,１１０, 総務課 ,正規職員, 主任 ,ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ, 令和8年3月31日 ')
		);
		expect(problems).toEqual([]);
		expect(rows[0]).toEqual({
			line: 2,
			employeeNumber: 'A001',
			name: '須玉 次郎',
			nameKana: 'スタマ ジロウ',
			departmentCode: '110',
			departmentName: '総務課',
			employmentType: 'regular',
			title: '主任',
			email: 'jiro@example.jp',
			retirementDate: '2026-03-31'
		});
	});

	it('maps every 雇用区分', () => {
		const types = ['正規職員', '会計年度任用職員', '再任用職員', '派遣職員', '委託事業者'];
		const { rows } = readRoster(csv(...types.map((t, i) => `${i},n,,110,,${t},,,`)));
		expect(rows.map((r) => r.employmentType)).toEqual(['regular', 'fiscal_year', 'reappointed', 'dispatched', 'contractor']);
	});

	it('an empty 退職日 cell clears the date; skips blank lines', () => {
		const { rows, problems } = readRoster(csv('1,a,,110,,正規職員,,,', '', ',,,,,,,,', '2,b,,110,,正規職員,,,'));
		expect(problems).toEqual([]);
		expect(rows.map((r) => [r.line, r.retirementDate])).toEqual([
			[2, null],
			[5, null]
		]);
	});

	it('reports every problem with the line its record starts on', () => {
		const text = csv(
			'1,北杜 一郎,,110,,正規職員,,,', // 2: fine
			',名無し,,110,,正規職員,,,', // 3
			'3,,,110,,正規職員,,,', // 4
			'4,a,,110,,アルバイト,,,', // 5
			'1,b,,110,,正規職員,,,', // 6
			'6,c,,110,,正規職員,,,令和8年2月30日', // 7
			'7,d,,110,,正規職員,,d@@example.jp,', // 8
			'8,"e', // 9–10: a quoted line break, then a missing 所属コード and 雇用区分
			'f",,,,,,,',
			'9,g,,110,,正規職員', // 11: too few fields
			'10,h,,110,,正規職員,,,,x', // 12: too many
			`11,${'長'.repeat(101)},,110,,正規職員,,,` // 13
		);
		expect(problemsOf(text)).toEqual([
			[3, 'roster.error.noNumber', {}],
			[4, 'roster.error.noName', {}],
			[5, 'roster.error.employmentType', { value: 'アルバイト' }],
			[6, 'roster.error.duplicateNumber', { number: '1', other: 2 }],
			[7, 'roster.error.date', { value: '令和8年2月30日' }],
			[8, 'roster.error.email', { value: 'd@@example.jp' }],
			[9, 'roster.error.noDepartmentCode', {}],
			[9, 'roster.error.noEmploymentType', {}],
			[11, 'roster.error.fieldCount', { expected: 9, actual: 6 }],
			[12, 'roster.error.fieldCount', { expected: 9, actual: 10 }],
			[13, 'roster.error.tooLong', { column: '氏名', max: 100 }]
		]);
	});

	it('finds duplicates after normalising, and names the first line', () => {
		expect(problemsOf(csv('A1,a,,110,,正規職員,,,', 'Ａ1,b,,110,,正規職員,,,', 'A1,c,,110,,正規職員,,,'))).toEqual([
			[3, 'roster.error.duplicateNumber', { number: 'A1', other: 2 }],
			[4, 'roster.error.duplicateNumber', { number: 'A1', other: 2 }]
		]);
	});

	it('accepts the date formats and rejects bad mail addresses', () => {
		const dates = ['2026-03-31', '2026/3/31', '令和8年3月31日', 'R8.3.31'];
		const { rows, problems } = readRoster(csv(...dates.map((d, i) => `${i},n,,110,,正規職員,,,${d}`)));
		expect(problems).toEqual([]);
		expect(new Set(rows.map((r) => r.retirementDate))).toEqual(new Set(['2026-03-31']));
		for (const bad of ['taro', 'taro@', '@example.jp', 'ta ro@example.jp', 'taro@example', 'a@b@c.jp']) {
			expect(problemsOf(csv(`1,n,,110,,正規職員,,${bad},`))).toEqual([[2, 'roster.error.email', { value: bad }]]);
		}
	});

	it('reports a quote that never closes', () => {
		expect(problemsOf(csv('1,"a,,110,,正規職員,,,', '2,b,,110,,正規職員,,,')).map((p) => p.slice(0, 2))).toContainEqual([2, 'roster.error.unterminatedQuote']);
	});

	it('reads the Shift_JIS fixture and finds each of its errors', () => {
		const bytes = new Uint8Array(readFileSync(new URL('../fixtures/roster/demo-roster-bad-sjis.csv', import.meta.url)));
		const { rows, problems } = readRoster(decodeText(bytes).text);
		expect(rows.find((r) => r.employeeNumber === '2009')).toMatchObject({ line: 10, name: '髙橋 ①', title: '主任 （複数行の役職）' });
		// 所属コード 999 is unknown to the database: the plan reports that one.
		const stored = { people: [], departments: ['110', '130', '220'].map((code) => ({ id: code, code, name: code })) };
		const plan = planRoster(rows, stored, { today: '2026-04-01' });
		expect(plan.problems).toEqual([{ line: 9, key: 'roster.error.unknownDepartment', params: { code: '999', column: '所属コード' } }]);
		const all = [...problems, ...plan.problems].sort((a, b) => a.line - b.line);
		expect(all.map((p) => [p.line, p.key])).toEqual(badSjisProblems);
	});
});

describe('firstProblems', () => {
	it('keeps the first 200 and counts the rest', () => {
		const many = Array.from({ length: 250 }, (_, i) => ({ line: i + 2, key: 'roster.error.noName' as const }));
		const { problems, more } = firstProblems(many);
		expect(problems).toHaveLength(200);
		expect(problems[199].line).toBe(201);
		expect(more).toBe(50);
	});
});
