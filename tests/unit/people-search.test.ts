import { describe, expect, it } from 'vitest';
import { escapeLike, searchTerms, toKatakana } from '../../src/lib/server/db/search';
import { isUuid } from '../../src/lib/server/db/ids';
import { departmentOptionLabel, subtreeOf } from '../../src/lib/components/department-tree';

describe('people search text', () => {
	it('turns hiragana into katakana and leaves everything else', () => {
		expect(toKatakana('やまだ たろう')).toBe('ヤマダ タロウ');
		expect(toKatakana('ゔぁ ゝ')).toBe('ヴァ ヽ');
		expect(toKatakana('山田 Taro ヤマダ 123')).toBe('山田 Taro ヤマダ 123');
	});

	it('escapes LIKE wildcards and the escape character', () => {
		expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
	});

	it('splits on any space after NFKC, and caps the number and length of words', () => {
		expect(searchTerms('　山田　 太郎 ')).toEqual(['山田', '太郎']);
		expect(searchTerms('ﾔﾏﾀﾞ Ａ００１')).toEqual(['ヤマダ', 'A001']);
		expect(searchTerms('')).toEqual([]);
		expect(searchTerms(undefined)).toEqual([]);
		expect(searchTerms('a b c d e f g')).toHaveLength(5);
		expect(searchTerms('x'.repeat(500))[0]).toHaveLength(100);
	});

	it('recognises uuids', () => {
		expect(isUuid('3f2c1a9e-0b7d-4c1e-9a4f-2d6b8e0c1f3a')).toBe(true);
		expect(isUuid('3F2C1A9E-0B7D-4C1E-9A4F-2D6B8E0C1F3A')).toBe(true);
		expect(isUuid('3f2c1a9e')).toBe(false);
		expect(isUuid(undefined)).toBe(false);
	});
});

describe('department tree helpers', () => {
	const tree = [
		{ id: 'a', code: '100', name: '総務部', depth: 0 },
		{ id: 'b', code: '110', name: '総務課', depth: 1 },
		{ id: 'c', code: '111', name: '庶務係', depth: 2 },
		{ id: 'd', code: '120', name: '職員課', depth: 1 },
		{ id: 'e', code: '200', name: '市民部', depth: 0 }
	];

	it('indents option labels with full-width spaces', () => {
		expect(departmentOptionLabel(tree[0])).toBe('100 総務部');
		expect(departmentOptionLabel(tree[2])).toBe('\u3000\u3000111 庶務係');
	});

	it('finds a department and its descendants in the flat tree', () => {
		expect(subtreeOf(tree, 'a')).toEqual(new Set(['a', 'b', 'c', 'd']));
		expect(subtreeOf(tree, 'b')).toEqual(new Set(['b', 'c']));
		expect(subtreeOf(tree, 'e')).toEqual(new Set(['e']));
		expect(subtreeOf(tree, 'zzz')).toEqual(new Set());
	});
});
