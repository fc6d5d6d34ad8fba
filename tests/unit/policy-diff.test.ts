import { describe, expect, it } from 'vitest';
import { diffSections, diffSummary, diffText, textSimilarity, type DiffPart, type SectionLike } from '../../src/lib/server/policy/diff';

/** The two texts a diff describes: without its insertions, and without its deletions. */
const sides = (parts: DiffPart[]) => [
	parts
		.filter((p) => p.op !== 'insert')
		.map((p) => p.text)
		.join(''),
	parts
		.filter((p) => p.op !== 'delete')
		.map((p) => p.text)
		.join('')
];
const edits = (parts: DiffPart[]) => parts.filter((p) => p.op !== 'equal');
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('diffText', () => {
	it('shows an inserted phrase as one insertion', () => {
		const a = '本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、基本的な事項を定める。';
		const b = '本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を確実に維持するため、基本的な事項を定める。';
		const parts = diffText(a, b);
		expect(edits(parts)).toEqual([{ op: 'insert', text: '確実に' }]);
		expect(sides(parts)).toEqual([a, b]);
	});

	it('shows a deleted clause as one deletion, cut at the sentence boundary', () => {
		const a = '職員等は、情報資産を適切に管理しなければならない。ただし、緊急時はこの限りでない。';
		const b = '職員等は、情報資産を適切に管理しなければならない。';
		expect(diffText(a, b)).toEqual([
			{ op: 'equal', text: '職員等は、情報資産を適切に管理しなければならない。' },
			{ op: 'delete', text: 'ただし、緊急時はこの限りでない。' }
		]);
	});

	it('shows a replaced word as a deletion followed by an insertion', () => {
		const parts = diffText('職員は、パスワードを適切に管理しなければならない。', '職員は、パスワードを厳重に管理しなければならない。');
		expect(parts).toEqual([
			{ op: 'equal', text: '職員は、パスワードを' },
			{ op: 'delete', text: '適切' },
			{ op: 'insert', text: '厳重' },
			{ op: 'equal', text: 'に管理しなければならない。' }
		]);
	});

	it('folds a lone particle between two edits into one replacement', () => {
		const parts = diffText('本市が保有する情報資産', '本市及び関係機関が管理する情報資産');
		expect(sides(parts)).toEqual(['本市が保有する情報資産', '本市及び関係機関が管理する情報資産']);
		parts.forEach((p, i) => {
			const between = i > 0 && i < parts.length - 1 && parts[i - 1].op !== 'equal' && parts[i + 1].op !== 'equal';
			if (p.op === 'equal' && between) expect(Array.from(p.text).length).toBeGreaterThan(2);
		});
		expect(edits(parts).map((p) => p.op)).toEqual(['delete', 'insert']);
	});

	it('places an added list item after its comma rather than before it', () => {
		expect(diffText('機密性、完全性', '機密性、完全性、可用性')).toEqual([
			{ op: 'equal', text: '機密性、完全性' },
			{ op: 'insert', text: '、可用性' }
		]);
	});

	it('returns one equal part for identical text and nothing for two empty texts', () => {
		expect(diffText('情報セキュリティ', '情報セキュリティ')).toEqual([{ op: 'equal', text: '情報セキュリティ' }]);
		expect(diffText('', '')).toEqual([]);
		expect(diffText('', '追加')).toEqual([{ op: 'insert', text: '追加' }]);
		expect(diffText('削除', '')).toEqual([{ op: 'delete', text: '削除' }]);
	});

	it('never splits a surrogate pair, an emoji sequence or a variation selector', () => {
		const parts = diffText('報告は📧で行う。👨‍👩‍👧家族', '報告は📞で行う。👨‍👩‍👦家族');
		expect(sides(parts)).toEqual(['報告は📧で行う。👨‍👩‍👧家族', '報告は📞で行う。👨‍👩‍👦家族']);
		for (const p of parts) expect(p.text).not.toMatch(loneSurrogate);
		expect(parts).toContainEqual({ op: 'delete', text: '👨‍👩‍👧' });
		// 葛󠄀 (葛 with an ideographic variation selector) against plain 葛: the whole character changes.
		const ivs = diffText('葛\u{E0100}飾区', '葛飾区');
		expect(ivs).toEqual([
			{ op: 'delete', text: '葛\u{E0100}' },
			{ op: 'insert', text: '葛' },
			{ op: 'equal', text: '飾区' }
		]);
		const astral = diffText('𠮷野家', '𠮷田家');
		for (const p of astral) expect(p.text).not.toMatch(loneSurrogate);
		expect(astral[0]).toEqual({ op: 'equal', text: '𠮷' });
	});

	it('reconstructs both texts for arbitrary input', () => {
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const alphabet = Array.from('あいう情報資産、。\n😀a');
		const text = () => Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
		for (let i = 0; i < 500; i++) {
			const a = text();
			const b = text();
			const parts = diffText(a, b);
			expect(sides(parts)).toEqual([a, b]);
			for (let j = 1; j < parts.length; j++) expect(parts[j].op === 'equal' && parts[j - 1].op === 'equal').toBe(false);
		}
	});

	it('handles long sections, and gives up gracefully on texts with nothing in common', () => {
		const sentence = '職員等は、情報セキュリティポリシー及び実施手順を遵守しなければならない。';
		const long = sentence.repeat(120);
		const changed = long.slice(0, 2000) + '（委託事業者を含む。）' + long.slice(2000).replace('遵守', '厳守');
		const parts = diffText(long, changed);
		expect(sides(parts)).toEqual([long, changed]);
		expect(edits(parts).length).toBeLessThanOrEqual(3);

		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const noise = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + Math.floor(random() * 2000))).join('');
		const a = noise(20_000);
		const b = noise(20_000);
		const rewrite = diffText(a, b);
		expect(sides(rewrite)).toEqual([a, b]);
	});
});

describe('textSimilarity', () => {
	it('is 1 for equal text, high for a small change and 0 below the threshold asked for', () => {
		expect(textSimilarity('可用性', '可用性')).toBe(1);
		expect(textSimilarity('情報資産の機密性を維持することをいう。', '情報資産の機密性を維持することをいう')).toBeGreaterThan(0.95);
		expect(textSimilarity('機密性', '可用性', 0.9)).toBe(0);
	});
});

const s = (key: string, label: string, heading: string, body = '', level = key.split('.').length): SectionLike => ({ key, level, label, heading, body });

const definitions = [
	s('1', '1', '目的', '本基本方針は、基本的な事項を定めることを目的とする。'),
	s('2', '2', '定義'),
	s('2.1', '(1)', 'ネットワーク', 'コンピュータ等を相互に接続するための通信網をいう。'),
	s('2.2', '(2)', '情報システム', 'コンピュータ、ネットワーク及び電磁的記録媒体で構成され、情報処理を行う仕組みをいう。'),
	s('2.3', '(3)', '情報セキュリティ', '情報資産の機密性、完全性及び可用性を維持することをいう。'),
	s('3', '3', '対象とする脅威', '情報資産に対する脅威として、以下の脅威を想定する。'),
	s('4', '4', '適用範囲', '本基本方針は、職員等に適用する。')
];

describe('diffSections', () => {
	it('reports nothing but unchanged sections for the same text', () => {
		const changes = diffSections(definitions, definitions);
		expect(changes.map((c) => c.kind)).toEqual(definitions.map(() => 'unchanged'));
		expect(changes[0].headingParts).toBeUndefined();
		expect(changes[0].bodyParts).toBeUndefined();
	});

	it('reports an added section in place and a removed one where it stood', () => {
		const to = [...definitions.slice(0, 5), s('2.4', '(4)', 'クラウドサービス', '事業者が提供する情報処理サービスをいう。'), definitions[6]];
		const changes = diffSections(definitions, to);
		expect(changes.map((c) => [c.kind, c.key])).toEqual([
			['unchanged', '1'],
			['unchanged', '2'],
			['unchanged', '2.1'],
			['unchanged', '2.2'],
			['unchanged', '2.3'],
			['added', '2.4'],
			['removed', '3'],
			['unchanged', '4']
		]);
		const added = changes.find((c) => c.kind === 'added')!;
		expect(added.after).toEqual({ heading: 'クラウドサービス', body: '事業者が提供する情報処理サービスをいう。' });
		expect(added.path).toBe('2 (4)');
		expect(changes.find((c) => c.kind === 'removed')!.before!.heading).toBe('対象とする脅威');
	});

	it('diffs a changed heading and a changed body separately', () => {
		const to = definitions.map((x) =>
			x.key === '1' ? { ...x, heading: '趣旨' } : x.key === '4' ? { ...x, body: '本基本方針は、職員等及び委託事業者に適用する。' } : x
		);
		const changes = diffSections(definitions, to);
		const purpose = changes.find((c) => c.key === '1')!;
		expect(purpose.kind).toBe('changed');
		expect(purpose.headingParts).toEqual([
			{ op: 'delete', text: '目的' },
			{ op: 'insert', text: '趣旨' }
		]);
		expect(purpose.bodyParts).toBeUndefined();
		const scope = changes.find((c) => c.key === '4')!;
		expect(scope.kind).toBe('changed');
		expect(scope.headingParts).toBeUndefined();
		expect(edits(scope.bodyParts!)).toEqual([{ op: 'insert', text: '及び委託事業者' }]);
		expect(diffSummary(changes)).toEqual({ added: 0, removed: 0, changed: 2, moved: 0, unchanged: 5 });
	});

	it('reports a section moved among its siblings, and one moved under another parent', () => {
		const reordered = [definitions[0], definitions[1], definitions[2], definitions[4], definitions[3], definitions[5], definitions[6]];
		const swapped = diffSections(definitions, reordered);
		expect(swapped.filter((c) => c.kind === 'moved')).toHaveLength(1);
		expect(diffSummary(swapped)).toMatchObject({ moved: 1, unchanged: 6 });

		// 「情報セキュリティ」 leaves 定義 for 対象とする脅威, keeping its key and wording.
		const rehomed = [...definitions.slice(0, 4), definitions[5], { ...definitions[4], level: 2 }, definitions[6]];
		const changes = diffSections(definitions, rehomed);
		const moved = changes.find((c) => c.key === '2.3')!;
		expect(moved.kind).toBe('moved');
		expect(moved.path).toBe('3 (3)');
		expect(moved.fromPath).toBe('2 (3)');
		expect(moved.bodyParts).toBeUndefined();
		expect(changes.filter((c) => c.kind !== 'unchanged')).toHaveLength(1);
	});

	it('recognises items renumbered by an insertion as moved, not removed and added', () => {
		const to = [
			...definitions.slice(0, 3),
			s('2.2', '(2)', 'クラウドサービス', '事業者が提供する情報処理サービスをいう。'),
			s('2.3', '(3)', '情報システム', 'コンピュータ、ネットワーク及び電磁的記録媒体で構成され、情報処理を行う仕組みをいう。'),
			s('2.4', '(4)', '情報セキュリティ', '情報資産の機密性、完全性及び可用性を維持することをいう。'),
			...definitions.slice(5)
		];
		const changes = diffSections(definitions, to);
		expect(changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.kind, c.key, c.fromKey])).toEqual([
			['added', '2.2', undefined],
			['moved', '2.3', '2.2'],
			['moved', '2.4', '2.3']
		]);
		const moved = changes.find((c) => c.key === '2.4')!;
		expect(moved.fromPath).toBe('2 (3)');
		expect(moved.path).toBe('2 (4)');
		expect(diffSummary(changes)).toEqual({ added: 1, removed: 0, changed: 0, moved: 2, unchanged: 5 });
	});

	it('recognises a renumbered item with a small amendment, and a renumbering after a removal', () => {
		const to = [...definitions.slice(0, 5), s('3', '3', '適用範囲', '本基本方針は、職員等及び委託事業者に適用する。')];
		const changes = diffSections(definitions, to);
		expect(changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.kind, c.key, c.fromKey])).toEqual([
			['removed', '3', undefined],
			['moved', '3', '4']
		]);
		const moved = changes.find((c) => c.kind === 'moved')!;
		expect(edits(moved.bodyParts!)).toEqual([{ op: 'insert', text: '及び委託事業者' }]);
	});

	it('keeps a clause rewritten in place under its key as changed', () => {
		const to = definitions.map((x) => (x.key === '3' ? { ...x, heading: '想定する脅威', body: '次に掲げる脅威を想定し、対策を講じる。' } : x));
		const changes = diffSections(definitions, to);
		expect(changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.kind, c.key])).toEqual([['changed', '3']]);
	});

	it('orders sections by position when given', () => {
		const shuffled = [...definitions].reverse().map((x) => ({ ...x, position: definitions.indexOf(x) }));
		expect(diffSections(definitions, shuffled).map((c) => c.kind)).toEqual(definitions.map(() => 'unchanged'));
	});
});
