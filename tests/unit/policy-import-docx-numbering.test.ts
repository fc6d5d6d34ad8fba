// Word's automatic numbering counted as Word counts it, from the XML parts of a .docx; and a
// list whose numbers cannot be read keeps its items in order with numbers made up, and says so.
import { describe, expect, it } from 'vitest';
import { formatNumber, kanjiCount, numberParagraphs } from '../../src/lib/server/policy/import/docx-numbering';
import { readDocx } from '../../src/lib/server/policy/import/docx';
import { minimalDocx, zip } from '../helpers/containers';

const paragraph = (text: string, numId?: number, level = 0, style?: string) =>
	`<w:p><w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${numId !== undefined ? `<w:numPr><w:ilvl w:val="${level}"/><w:numId w:val="${numId}"/></w:numPr>` : ''}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const level = (ilvl: number, format: string, text: string, start = 1, extra = '') =>
	`<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${format}"/><w:lvlText w:val="${text}"/>${extra}</w:lvl>`;
const numbering = (abstracts: string, nums: string) => `<w:numbering>${abstracts}${nums}</w:numbering>`;
const abstract = (id: number, levels: string) => `<w:abstractNum w:abstractNumId="${id}">${levels}</w:abstractNum>`;
const num = (id: number, abstractId: number, overrides = '') => `<w:num w:numId="${id}"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`;
const restart = (ilvl: number, start = 1) => `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`;

const labels = (document: string, numberingXml: string, styles = '') => numberParagraphs(document, numberingXml, styles).map((p) => p.label);

describe('Word numbering', () => {
	it('formats counters as Word does for Japanese documents', () => {
		expect([1, 10, 11, 20, 21, 105].map(kanjiCount)).toEqual(['一', '十', '十一', '二十', '二十一', '百五']);
		expect(formatNumber(3, 'decimalEnclosedCircle')).toBe('③');
		expect(formatNumber(21, 'decimalEnclosedCircle')).toBe('㉑');
		expect(formatNumber(2, 'aiueoFullWidth')).toBe('イ');
		expect(formatNumber(3, 'irohaFullWidth')).toBe('ハ');
		expect(formatNumber(12, 'decimalFullWidth')).toBe('１２');
		expect(formatNumber(4, 'decimalEnclosedParen')).toBe('(4)');
		expect(formatNumber(2, 'ideographTraditional')).toBe('乙');
		expect(formatNumber(4, 'lowerRoman')).toBe('iv');
		expect(formatNumber(3, 'japaneseCounting')).toBe('三');
	});

	it('counts levels, resets the levels below, and writes each level’s text', () => {
		const parts = numbering(abstract(1, level(0, 'decimal', '(%1)') + level(1, 'decimalEnclosedCircle', '%2') + level(2, 'aiueoFullWidth', '%3')), num(5, 1));
		const document = [
			paragraph('組織体制', 5, 0),
			paragraph('強靱性', 5, 0),
			paragraph('マイナンバー', 5, 1),
			paragraph('LGWAN', 5, 1),
			paragraph('無害化', 5, 2),
			paragraph('記録', 5, 2),
			paragraph('本文', undefined),
			paragraph('人的', 5, 0),
			paragraph('教育', 5, 1)
		].join('');
		expect(labels(document, parts)).toEqual(['(1)', '(2)', '①', '②', 'ア', 'イ', null, '(3)', '①']);
	});

	it('continues a list across instances of one definition, and restarts where an instance says so', () => {
		const parts = numbering(abstract(1, level(0, 'japaneseCounting', '%1')), num(1, 1) + num(2, 1) + num(3, 1, restart(0)));
		const document = [paragraph('学校', 1), paragraph('病院', 1), paragraph('続き', 2), paragraph('新しい一', 3), paragraph('新しい二', 3)].join('');
		expect(labels(document, parts)).toEqual(['一', '二', '三', '一', '二']);
	});

	it('writes multi-level text (1-2), legal numbering and articles (第3条)', () => {
		const legal = numbering(
			abstract(1, level(0, 'decimalFullWidth', '%1') + level(1, 'decimalFullWidth', '%1-%2', 1, '<w:isLgl/>')) + abstract(2, level(0, 'decimal', '第%1条', 3)),
			num(1, 1) + num(2, 2)
		);
		const document = [paragraph('総則', 1, 0), paragraph('目的', 1, 1), paragraph('定義', 1, 1), paragraph('条', 2, 0), paragraph('条', 2, 0)].join('');
		expect(labels(document, legal)).toEqual(['１', '1-1', '1-2', '第3条', '第4条']);
	});

	it('takes a list from the paragraph’s style and its parents; numId 0 takes it away; bullets are bullets', () => {
		const parts = numbering(abstract(1, level(0, 'decimal', '%1.')) + abstract(2, level(0, 'bullet', '・')), num(7, 1) + num(8, 2));
		const styles = `<w:styles><w:style w:type="paragraph" w:styleId="List"><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListChild"><w:basedOn w:val="List"/></w:style></w:styles>`;
		const document = [
			paragraph('一つ目', undefined, 0, 'List'),
			paragraph('二つ目', undefined, 0, 'ListChild'),
			paragraph('番号なし', 0, 0, 'List'),
			paragraph('点', 8, 0)
		].join('');
		const found = numberParagraphs(document, parts, styles);
		expect(found.map((p) => [p.label, p.bullet])).toEqual([
			['1.', false],
			['2.', false],
			[null, false],
			['', true]
		]);
	});

	it('reads text with entities and ignores a tracked change’s old numbering', () => {
		const parts = numbering(abstract(1, level(0, 'decimal', '(%1)')), num(1, 1) + num(2, 1));
		const changed = `<w:p><w:pPr><w:pPrChange><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>A &amp; B &lt;C&gt;</w:t></w:r></w:p>`;
		const found = numberParagraphs(paragraph('前', 1) + changed, parts);
		expect(found.map((p) => [p.text, p.label])).toEqual([
			['前', '(1)'],
			['A & B <C>', null]
		]);
	});

	it('reads crafted parts in one pass: unclosed tags, endless attributes', () => {
		// 8 MB each; a scan that looked for each tag's end from every `<` would run for hours.
		const started = Date.now();
		expect(numberParagraphs('<w:p'.repeat(2_000_000), `<w:num w:numId="${'1'.repeat(8_000_000)}`, '<w:style '.repeat(900_000))).toEqual([]);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('keeps the items of a list whose definition is missing in order, numbers them, and warns', async () => {
		// The paragraphs name a list (the reader sees an ordered list through its style) that numbering.xml does not define.
		const styles = `<w:styles><w:style w:type="paragraph" w:styleId="Item"><w:name w:val="Item"/></w:style></w:styles>`;
		const numberingXml = numbering(abstract(1, level(0, 'decimal', '(%1)', 1, '<w:pStyle w:val="Item"/>') + level(1, 'decimal', '%2')), '');
		const document = [
			'<w:p><w:r><w:t>1 定義</w:t></w:r></w:p>',
			paragraph('ネットワーク', undefined, 0, 'Item'),
			paragraph('情報システム', undefined, 0, 'Item')
		].join('');
		const namespaced = (xml: string, root: string) =>
			`<?xml version="1.0"?>${xml.replace(`<${root}>`, `<${root} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)}`;
		const read = await readDocx(
			zip(
				minimalDocx(document, [
					{ name: 'word/numbering.xml', data: namespaced(numberingXml, 'w:numbering') },
					{ name: 'word/styles.xml', data: namespaced(styles, 'w:styles') }
				])
			)
		);
		expect(read).toMatchObject({ ok: true, text: '1 定義\n(1)\u3000ネットワーク\n(2)\u3000情報システム' });
		expect(read.ok && read.warnings[0]).toContain('番号を補いました');
	});
});
