import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/lib/server/policy/import';
import { displayLabel } from '../../src/lib/server/policy/import/text';

function labels(text: string): [string, string][] {
	const result = parsePolicyText(text);
	if (!result.ok) throw new Error(result.message);
	return result.sections.map((s) => [s.key, s.label]);
}

describe('section labels', () => {
	it('writes list numbers with ASCII digits and half-width brackets', () => {
		expect(labels('1 目的\n本文。\n2 定義\n(1) 情報資産\n本文。\n(2) 職員等\n本文。\n① 細目\n本文。')).toEqual([
			['1', '1'],
			['2', '2'],
			['2.1', '(1)'],
			['2.2', '(2)'],
			['2.2.1', '①']
		]);
		expect(labels('１．目的\n本文。\n２．定義\n（１）情報資産\n本文。\n（２）職員等\n本文。')).toEqual([
			['1', '1'],
			['2', '2'],
			['2.1', '(1)'],
			['2.2', '(2)']
		]);
	});

	it('keeps katakana, iroha and kanji 号 as they are, half-width kana made full-width', () => {
		expect(labels('1 定義\n(1) 用語\nア 情報資産\n本文。\nイ 職員等\n本文。')).toEqual([
			['1', '1'],
			['1.1', '(1)'],
			['1.1.1', 'ア'],
			['1.1.2', 'イ']
		]);
		expect(labels('1 定義\nｱ 情報資産\n本文。\nｲ 職員等\n本文。\n(ｱ) 細目\n本文。').map(([, l]) => l)).toEqual(['1', 'ア', 'イ', '(ア)']);
		expect(
			labels('第2条 用語の意義は、次のとおりとする。\n一　情報資産　次に掲げるものをいう。\nイ　ネットワーク\nロ　情報システム\n二　職員等　職員をいう。').map(
				([, l]) => l
			)
		).toEqual(['第2条', '一', 'イ', 'ロ', '二']);
	});

	it('writes 章, 節, 条 and 項 as 第1章, 第1節, 第5条 and 2', () => {
		expect(labels('第１章　総則\n第１節　通則\n第５条　本文。\n２　次の項。\n第十条の二　追加された条。')).toEqual([
			['ch1', '第1章'],
			['ch1.s1', '第1節'],
			['5', '第5条'],
			['5.2', '2'],
			['10-2', '第十条の二']
		]);
		expect(labels('第10条の2（追加）本文。').map(([, l]) => l)).toEqual(['第10条の2']);
	});

	it('writes 1-1 as the document does, with one kind of dash', () => {
		expect(labels('1 組織\n１－１ 責任者\n本文。\n1ー2 管理者\n本文。\n1.3 担当者\n本文。').map(([, l]) => l)).toEqual(['1', '1-1', '1-2', '1.3']);
	});

	it('leaves unnumbered headings, 附則 and 別表 without a label', () => {
		expect(labels('## 目的\n本文。\n## 定義\n本文。')).toEqual([
			['1', ''],
			['2', '']
		]);
		expect(labels('## 1 目的\n本文。\n## 第2条 定義\n本文。').map(([, l]) => l)).toEqual(['1', '第2条']);
		expect(labels('第1条 本文。\n附　則\nこの規程は、公布の日から施行する。\n別表第1\n| 区分 |').map(([, l]) => l)).toEqual(['第1条', '', '']);
	});

	it('normalises a written number for display', () => {
		expect(displayLabel('（８）')).toBe('(8)');
		expect(displayLabel('第 ５ 条')).toBe('第5条');
		expect(displayLabel('1.')).toBe('1');
		expect(displayLabel('ｱ.')).toBe('ア');
		expect(displayLabel('a)')).toBe('a)');
		expect(displayLabel('⑧')).toBe('⑧');
		expect(displayLabel(undefined)).toBe('');
	});
});
