import { describe, expect, it } from 'vitest';
import { parsePolicyText, type ParsedPolicy } from '../../src/lib/server/policy/import';

function parse(text: string): ParsedPolicy {
	const result = parsePolicyText(text);
	if (!result.ok) throw new Error(result.message);
	return result;
}
const outline = (text: string) => parse(text).sections.map((s) => [s.key, s.level, s.heading]);
const bodies = (text: string) => Object.fromEntries(parse(text).sections.map((s) => [s.key, s.body]));

/** The same document typed with full-width digits and brackets. */
function fullWidth(text: string): string {
	const map: Record<string, string> = { '(': '（', ')': '）', '-': '－', '.': '．', ' ': '\u3000' };
	return text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/[()\-. ]/g, (c) => map[c]);
}

describe('number + caption (1 目的) with (1) items', () => {
	const doc = [
		'1 目的',
		'本方針の目的を定める。',
		'2 定義',
		'(1) 情報資産',
		'情報システム及び情報をいう。',
		'(2) 職員等',
		'職員及び派遣労働者をいう。',
		'3 適用範囲',
		'全ての課に適用する。'
	].join('\n');
	const expected = [
		['1', 1, '目的'],
		['2', 1, '定義'],
		['2.1', 2, '情報資産'],
		['2.2', 2, '職員等'],
		['3', 1, '適用範囲']
	];

	it.each([
		['half-width', doc],
		['full-width', fullWidth(doc)]
	])('%s', (_, text) => {
		expect(outline(text)).toEqual(expected);
		expect(bodies(text)['2.2']).toBe('職員及び派遣労働者をいう。');
	});

	it('accepts 1. and １． as the number', () => {
		expect(outline('1. 目的\n本文。\n2．定義\n本文。')).toEqual([
			['1', 1, '目的'],
			['2', 1, '定義']
		]);
	});

	it('accepts 1) and （1） items', () => {
		expect(outline('1 目的\n1) 範囲\n本文。\n2) 対象\n本文。\n2 定義\n（1）用語\n本文。')).toEqual([
			['1', 1, '目的'],
			['1.1', 2, '範囲'],
			['1.2', 2, '対象'],
			['2', 1, '定義'],
			['2.1', 2, '用語']
		]);
	});

	it('strips "- " and "・" bullets in front of a number', () => {
		expect(outline('1 定義\n- (1) 情報資産\n本文。\n・(2) 職員等\n本文。')).toEqual([
			['1', 1, '定義'],
			['1.1', 2, '情報資産'],
			['1.2', 2, '職員等']
		]);
	});
});

describe('1-1 style', () => {
	it.each(['1-1', '1－1', '1―1', '1.1', '１－１', '１．１', '1ー1'])('%s under 1 is 1.1', (mark) => {
		const second = mark.replace(/1$/, '2').replace(/１$/, '２');
		expect(outline(`1 組織体制\n${mark} 最高情報セキュリティ責任者\n本文。\n${second} 統括責任者\n本文。`)).toEqual([
			['1', 1, '組織体制'],
			['1.1', 2, '最高情報セキュリティ責任者'],
			['1.2', 2, '統括責任者']
		]);
	});

	it('stands alone without a parent number, and nests deeper levels', () => {
		expect(outline('1-1 目的\n本文。\n1-1-1 細目\n本文。\n1-2 定義\n本文。\n2-1 組織\n本文。')).toEqual([
			['1.1', 1, '目的'],
			['1.1.1', 2, '細目'],
			['1.2', 1, '定義'],
			['2.1', 1, '組織']
		]);
	});

	it('does not take a 1-1 that contradicts its parent number', () => {
		const result = parse('1 総則\n2-1 目的は別に定める。\n2 組織\n2-1 体制\n本文。');
		expect(result.sections.map((s) => s.key)).toEqual(['1', '2', '2.1']);
		expect(result.sections[0].body).toBe('2-1 目的は別に定める。');
	});

	it('warns about a heading-like line whose number fits no open list', () => {
		const result = parse('1 総則\n本文。\n1-3 目的\n本文。');
		expect(result.sections.map((s) => s.key)).toEqual(['1']);
		expect(result.warnings).toContain('番号が前後と合わないため本文として扱いました: 1-3 目的');
	});
});

describe('ordinance style: 第1章, 第1節, 第1条, 項, 号', () => {
	it('reads （目的） before, after and on the article line', () => {
		const text = [
			'（目的）',
			'第1条 この規程は、目的を定める。',
			'',
			'第2条',
			'（定義）',
			'この規程において…をいう。',
			'',
			'第3条（適用範囲） この規程は、全ての課に適用する。',
			'第4条 見出しのない条。'
		].join('\n');
		expect(outline(text)).toEqual([
			['1', 1, '目的'],
			['2', 1, '定義'],
			['3', 1, '適用範囲'],
			['4', 1, '']
		]);
		expect(bodies(text)).toMatchObject({
			'1': 'この規程は、目的を定める。',
			'2': 'この規程において…をいう。',
			'3': 'この規程は、全ての課に適用する。',
			'4': '見出しのない条。'
		});
	});

	it('reads kanji article numbers and 条の2 branches', () => {
		expect(parse('第一条 目的。\n第十条 本文。\n第十条の二 追加された条。\n第十一条 次の条。').sections.map((s) => s.key)).toEqual(['1', '10', '10-2', '11']);
	});

	it('keys chapters ch1, divisions ch1.s1, and articles by their own number', () => {
		const text = '第1章 総則\n第1条 本文。\n第2章 組織\n第1節 責任者\n第2条 本文。\n第2節 委員会\n第3条 本文。\n第3章 雑則\n第4条 本文。';
		expect(outline(text)).toEqual([
			['ch1', 1, '総則'],
			['1', 2, ''],
			['ch2', 1, '組織'],
			['ch2.s1', 2, '責任者'],
			['2', 3, ''],
			['ch2.s2', 2, '委員会'],
			['3', 3, ''],
			['ch3', 1, '雑則'],
			['4', 2, '']
		]);
		expect(outline(fullWidth(text)).map((row) => row[0])).toEqual(outline(text).map((row) => row[0]));
	});

	it('keys 項 as article.n and 号 under the unnumbered first 項 as article.1.n', () => {
		const text = [
			'第5条 委員会は、次に掲げる事項を審議する。',
			'一 方針に関すること。',
			'二 監査に関すること。',
			'2 委員会の庶務は、総務課が行う。',
			'3 委員長は、次の者を指名する。',
			'一 副委員長',
			'二 幹事'
		].join('\n');
		expect(outline(text).map((row) => row[0])).toEqual(['5', '5.1.1', '5.1.2', '5.2', '5.3', '5.3.1', '5.3.2']);
		expect(outline(fullWidth(text)).map((row) => row[0])).toEqual(['5', '5.1.1', '5.1.2', '5.2', '5.3', '5.3.1', '5.3.2']);
	});

	it('keys 号 as article.n when the article has no numbered 項, with イロハ below', () => {
		const text = [
			'第2条 用語の意義は、次のとおりとする。',
			'一　情報資産　次に掲げるものをいう。',
			'イ　ネットワーク',
			'ロ　情報システム',
			'二　職員等　職員及び派遣労働者をいう。'
		].join('\n');
		expect(outline(text)).toEqual([
			['2', 1, ''],
			['2.1', 2, '情報資産'],
			['2.1.1', 3, ''],
			['2.1.2', 3, ''],
			['2.2', 2, '職員等']
		]);
		expect(bodies(text)['2.1']).toBe('次に掲げるものをいう。');
		expect(bodies(text)['2.1.2']).toBe('情報システム');
	});

	it('keeps 附則 whole, its numbers included, and counts further 附則', () => {
		const text =
			'第1条 本文。\n附　則\n（施行期日）\n1 この規程は、令和6年4月1日から施行する。\n2 経過措置は別に定める。\n附　則（令和7年規程第2号）\nこの規程は、公布の日から施行する。';
		const result = parse(text);
		expect(result.sections.map((s) => [s.key, s.heading])).toEqual([
			['1', ''],
			['suppl', '附則'],
			['suppl2', '附則（令和7年規程第2号）']
		]);
		expect(result.sections[1].body).toBe('（施行期日）\n\n1 この規程は、令和6年4月1日から施行する。\n\n2 経過措置は別に定める。');
	});
});

describe('別表 and 別記', () => {
	it('keeps each as a block of its own, tables included', () => {
		const result = parse('第1条 本文。\n別表第1（第3条関係）\n| 区分 | 内容 |\n| --- | --- |\n| 機密性3 | 秘密文書相当 |\n別記\n様式は別に定める。');
		expect(result.sections).toEqual([
			{ key: '1', level: 1, label: '第1条', heading: '', body: '本文。' },
			{ key: 'appx1', level: 1, label: '', heading: '別表第1（第3条関係）', body: '| 区分 | 内容 |\n| --- | --- |\n| 機密性3 | 秘密文書相当 |' },
			{ key: 'appx2', level: 1, label: '', heading: '別記', body: '様式は別に定める。' }
		]);
	});
});

describe('第１　趣旨 style (要綱, 要領)', () => {
	it('keys 第N as N and numbers under it as N.n', () => {
		expect(outline('第１　趣旨\nこの要領は、…定める。\n第２　手続\n１　申請は書面で行う。\n２　許可は文書で通知する。')).toEqual([
			['1', 1, '趣旨'],
			['2', 1, '手続'],
			['2.1', 2, ''],
			['2.2', 2, '']
		]);
	});
});

describe('circled numbers ①…⑳ and beyond', () => {
	it('keys them by value, past ⑳', () => {
		const items = Array.from({ length: 22 }, (_, i) => `${String.fromCodePoint(i < 20 ? 0x2460 + i : 0x3251 + i - 20)} 項目${i + 1}`);
		const keys = parse(`1 一覧\n${items.join('\n')}`).sections.map((s) => s.key);
		expect(keys.at(-1)).toBe('1.22');
		expect(keys).toHaveLength(23);
	});

	it('nests ① under (3) as 6.3.2, with or without a space', () => {
		expect(outline('6 対策\n(1) 組織体制\n本文。\n(2) 分類\n本文。\n(3) 強靱性の向上\n次の対策を講じる。\n①分離する。\n② 分割する。').map((r) => r[0])).toEqual(
			['6', '6.1', '6.2', '6.3', '6.3.1', '6.3.2']
		);
	});
});

describe('katakana items', () => {
	const doc =
		'1 管理\n(1) 管理責任\nア 管理者は、責任を有する。\nイ 複製も管理する。\n(2) 外部記録媒体\nア 使用する場合は、次による。\n(ア) 許可を得ること。\n(イ) 暗号化すること。\nイ 返却すること。';
	const expected = ['1', '1.1', '1.1.1', '1.1.2', '1.2', '1.2.1', '1.2.1.1', '1.2.1.2', '1.2.2'];

	it.each([
		['half-width', doc],
		['full-width', fullWidth(doc)],
		['half-width katakana', doc.replace(/ア/g, 'ｱ').replace(/イ/g, 'ｲ')]
	])('%s', (_, text) => {
		expect(parse(text).sections.map((s) => s.key)).toEqual(expected);
	});

	it('does not read a word that starts with ア as an item', () => {
		expect(parse('1 対策\nアクセス制御を行う。').sections).toHaveLength(1);
	});
});

describe('Markdown headings', () => {
	it('uses numbered headings by their numbers and unnumbered ones by position', () => {
		const text = '# 基本方針\n\n## 1 目的\n\n本文。\n\n## 2 定義\n\n### (1) 情報資産\n\n本文。\n\n## 付記\n\n### 経緯\n\n本文。';
		const result = parse(text);
		expect(result.title).toBe('基本方針');
		expect(result.sections.map((s) => [s.key, s.level, s.heading])).toEqual([
			['1', 1, '目的'],
			['2', 1, '定義'],
			['2.1', 2, '情報資産'],
			['3', 1, '付記'],
			['3.1', 2, '経緯']
		]);
	});

	it('gives a colliding key a suffix and a warning', () => {
		const result = parse('## 1 目的\n本文。\n## 付記\n本文。\n## 2 定義\n本文。');
		expect(result.sections.map((s) => s.key)).toEqual(['1', '2', '2_2']);
		expect(result.warnings).toContain('節の番号 2 が重複しています。2_2 として取り込みます。');
	});

	it('treats a heading text as the heading whatever its length', () => {
		const heading = '情報セキュリティ対策基準に基づく実施手順の策定及びその運用に関する事項について';
		expect(outline(`## ${heading}\n本文。`)).toEqual([['1', 1, heading]]);
	});

	it('keeps an ordered list and a table in the body', () => {
		const text = '## 遵守事項\n\n次の事項を守る。\n\n1. 報告すること。\n2. 記録すること。\n\n| 区分 | 報告先 |\n| --- | --- |\n| 平日 | 情報政策課 |';
		expect(parse(text).sections).toEqual([
			{
				key: '1',
				level: 1,
				label: '',
				heading: '遵守事項',
				body: '次の事項を守る。\n\n1. 報告すること。\n2. 記録すること。\n\n| 区分 | 報告先 |\n| --- | --- |\n| 平日 | 情報政策課 |'
			}
		]);
	});

	it('reads 第1条（目的） and 第1章 in headings', () => {
		expect(outline('# 第1章 総則\n## 第1条（目的）\nこの規程は…定める。')).toEqual([
			['ch1', 1, '総則'],
			['1', 2, '目的']
		]);
	});
});

describe('what is not a heading', () => {
	it('ignores numbers inside sentences and numbers out of sequence', () => {
		const text = ['1 目的', '上記3の脅威から保護する。', '2 定義', '(1) 情報資産', '(3) に掲げるものを除く。', '3 月版) に合わせて改訂する。'].join('\n');
		const result = parse(text);
		expect(result.sections.map((s) => s.key)).toEqual(['1', '2', '2.1']);
		expect(result.sections[2].body).toBe('(3) に掲げるものを除く。\n\n3 月版) に合わせて改訂する。');
	});

	it('accepts a skipped number when the line reads as a caption, with a warning', () => {
		const result = parse('1 目的\n本文。\n2 定義\n本文。\n4 適用範囲\n本文。');
		expect(result.sections.map((s) => s.key)).toEqual(['1', '2', '4']);
		expect(result.warnings.join('\n')).toContain('番号が連続していません（2 の次が 4）');
	});

	it('puts a caption on the next line when the number stands alone', () => {
		expect(outline('1 定義\n(1)\nネットワーク\n通信網をいう。')).toEqual([
			['1', 1, '定義'],
			['1.1', 2, 'ネットワーク']
		]);
	});

	it('splits a caption and a definition written on one line with a wide gap', () => {
		const result = parse('1 定義\n(1) ネットワーク　コンピュータ等を接続する通信網をいう。\n(2) LGWAN 接続系 LGWAN に接続された情報システムをいう。');
		expect(result.sections.slice(1).map((s) => [s.heading, s.body])).toEqual([
			['ネットワーク', 'コンピュータ等を接続する通信網をいう。'],
			['', 'LGWAN 接続系 LGWAN に接続された情報システムをいう。']
		]);
	});
});

describe('definitions on one line: 用語　…をいう。', () => {
	const article = [
		'（定義）',
		'第２条　この規程において、次に掲げる用語の意義は、それぞれ次に定めるところによる。',
		'情報資産　ネットワーク、情報システム及びこれらで取り扱う情報をいう。',
		'職員等 町の職員及び派遣労働者をいう。',
		'LGWAN 接続系　LGWAN に接続された情報システムをいう。',
		'２　前項に定めるもののほか、用語の意義は基本方針の例による。',
		'（適用範囲）',
		'第３条　この規程は、全ての課に適用する。',
		'附　則',
		'この規程は、公布の日から施行する。'
	].join('\n');

	it('makes each an item of the article, headed by the term (full- or half-width space)', () => {
		const parsed = parse(article);
		expect(parsed.sections.map((s) => [s.key, s.level, s.label, s.heading])).toEqual([
			['2', 1, '第2条', '定義'],
			['2.1.1', 2, '', '情報資産'],
			['2.1.2', 2, '', '職員等'],
			['2.1.3', 2, '', 'LGWAN 接続系'],
			['2.2', 2, '2', ''],
			['3', 1, '第3条', '適用範囲'],
			['suppl', 1, '', '附則']
		]);
		expect(bodies(article)['2.1.2']).toBe('町の職員及び派遣労働者をいう。');
		expect(bodies(article)['2']).toBe('この規程において、次に掲げる用語の意義は、それぞれ次に定めるところによる。');
	});

	it('under a numbered heading too, keyed by position', () => {
		expect(
			outline('1 目的\n本方針の目的。\n2 定義\n機密性　認められた者だけがアクセスできることをいう。\n完全性　情報が正確であることをいう。\n3 範囲\n全ての課。')
		).toEqual([
			['1', 1, '目的'],
			['2', 1, '定義'],
			['2.1', 2, '機密性'],
			['2.2', 2, '完全性'],
			['3', 1, '範囲']
		]);
	});

	it('is not read into a sentence, a word space between Latin words, a bracketed line or the cover', () => {
		expect(
			outline(
				'情報資産　表紙の行はをいう。\n1 定義\n本方針において、情報資産とは　次のものをいう。\nLGWAN 接続系とは LGWAN に接続された系統をいう。\n「端末」　職員の機器をいう。\n情報資産　ネットワーク等をいう。ただし書がある。'
			)
		).toEqual([['1', 1, '定義']]);
	});
});
