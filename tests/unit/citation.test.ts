import { describe, expect, it } from 'vitest';
import { plainText, sectionCitation, sectionTitle } from '../../src/lib/server/policy/citation';

describe('sectionCitation', () => {
	const labels = new Map([
		['6', '6'],
		['6.3', '(3)'],
		['6.3.2', '②'],
		['4.2.1', '①']
	]);
	it('joins the labels from the top down, as the document cites a clause', () => {
		expect(sectionCitation('6.3.2', (k) => labels.get(k))).toBe('6(3)②');
		expect(sectionCitation('6.3', (k) => labels.get(k))).toBe('6(3)');
	});
	it('leaves out unknown ancestors and falls back to the key', () => {
		expect(sectionCitation('4.2.1', (k) => labels.get(k))).toBe('①');
		expect(sectionCitation('9.9', () => undefined)).toBe('9.9');
	});
});

describe('sectionTitle', () => {
	it('names an item without a heading by its citation and the start of its text, without list markers', () => {
		const body = '- インターネット接続系においては、メールやウェブの閲覧を行う端末と業務端末を分離し、**無害化**したファイルのみを取り込むこと。';
		const title = sectionTitle({ citation: '6(3)③', heading: '', body });
		expect(title).toMatch(/^6\(3\)③ インターネット接続系においては、/);
		expect(title).not.toMatch(/[-*]/);
		expect(title.endsWith('…')).toBe(true);
		expect(Array.from(title.slice('6(3)③ '.length))).toHaveLength(40);
	});
	it('uses the heading when there is one', () => {
		expect(sectionTitle({ citation: '6(3)', heading: '三層の対策', body: '本文' })).toBe('6(3) 三層の対策');
	});
	it('keeps the citation alone for an empty item', () => {
		expect(sectionTitle({ citation: '附則', heading: '', body: '' })).toBe('附則');
	});
});

describe('plainText', () => {
	it('drops every kind of list marker, quote and heading mark at the start of each line, and link syntax', () => {
		expect(plainText('- 職員等は\n* 次の\n+ 事項\n1. を\n2) 守る\n> 引用\n## 見出し')).toBe('職員等は 次の 事項 を 守る 引用 見出し');
		expect(plainText('[手順書](/policy/x)を参照')).toBe('手順書を参照');
	});
	it('keeps a hyphen that is part of the text', () => {
		expect(plainText('ISO/IEC 27001-2022 に準拠')).toBe('ISO/IEC 27001-2022 に準拠');
		expect(plainText('-1 は負の数')).toBe('-1 は負の数');
	});
	it('stays linear on a long line of markers', () => {
		const hostile = '> '.repeat(5000) + '- '.repeat(5000) + 'x';
		expect(plainText(hostile)).toBe('x');
	});
});
