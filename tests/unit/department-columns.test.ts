import { describe, expect, it } from 'vitest';
import { departmentColumns, topLevelIds } from '../../src/lib/server/insight/department-columns';
import type { DepartmentNode } from '../../src/lib/server/org/departments';

const node = (id: string, parentId: string | null): DepartmentNode => ({ id, parentId, code: id, name: id, depth: 0, memberCount: 0 });

describe('departmentColumns', () => {
	// 市民部 › 市民課 › 窓口係; 総務部 alone.
	const tree = [node('shimin-bu', null), node('shimin-ka', 'shimin-bu'), node('madoguchi', 'shimin-ka'), node('somu-bu', null)];

	it('at the top, sums each 部 with its subtree', () => {
		const { rows, columnOf } = departmentColumns(tree, topLevelIds(tree));
		expect(rows).toEqual([
			{ id: 'shimin-bu', directOnly: false },
			{ id: 'somu-bu', directOnly: false }
		]);
		expect(Object.fromEntries(columnOf)).toEqual({ 'shimin-bu': 'shimin-bu', 'shimin-ka': 'shimin-bu', madoguchi: 'shimin-bu', 'somu-bu': 'somu-bu' });
	});

	it('drilled into one department, its own people and each child with its subtree', () => {
		const { rows, columnOf } = departmentColumns(tree, ['shimin-bu']);
		expect(rows).toEqual([
			{ id: 'shimin-bu', directOnly: true },
			{ id: 'shimin-ka', directOnly: false }
		]);
		expect(columnOf.get('madoguchi')).toBe('shimin-ka');
		expect(columnOf.get('shimin-bu')).toBe('shimin-bu');
		expect(columnOf.has('somu-bu')).toBe(false);
	});

	it('ends on a loop in the tree instead of hanging, and gives the looping departments no column', () => {
		const looped = [...tree, node('loop-a', 'loop-b'), node('loop-b', 'loop-a')];
		const { columnOf } = departmentColumns(looped, topLevelIds(looped));
		expect(columnOf.has('loop-a')).toBe(false);
		expect(columnOf.has('loop-b')).toBe(false);
		expect(columnOf.get('madoguchi')).toBe('shimin-bu');
	});
});
