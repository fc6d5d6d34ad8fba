// Departments one level into a view, shared by the completion dashboard and the weak spots so
// both sum a department's people into the same column.
import type { DepartmentNode } from '../org/departments';

export interface DepartmentColumn {
	id: string;
	/** Only the people directly in the department, its sub-departments being columns of their own. */
	directOnly: boolean;
}

/** The ids of the top-level departments (部): the columns of a view of the whole organisation. */
export function topLevelIds(tree: readonly DepartmentNode[]): string[] {
	return tree.filter((d) => d.parentId === null).map((d) => d.id);
}

/**
 * With several roots, each root with its subtree summed; with one root that has children, the
 * root's own people plus each child with its subtree, so a 部長 sees their 課 and a click on a
 * 課 shows its 係. `columnOf` maps each department to the column of its nearest ancestor-or-self
 * that is one; a department under no column is not in it. A loop in the tree (a parent chain
 * that comes back on itself) ends the walk instead of hanging it.
 */
export function departmentColumns(tree: readonly DepartmentNode[], rootIds: readonly string[]) {
	const childIds = (id: string) => tree.filter((d) => d.parentId === id).map((d) => d.id);
	const rows: DepartmentColumn[] =
		rootIds.length === 1 && childIds(rootIds[0]).length > 0
			? [{ id: rootIds[0], directOnly: true }, ...childIds(rootIds[0]).map((id) => ({ id, directOnly: false }))]
			: rootIds.map((id) => ({ id, directOnly: false }));
	const byId = new Map(tree.map((d) => [d.id, d]));
	const rowIds = new Set(rows.map((r) => r.id));
	const directRoot = rows.find((r) => r.directOnly)?.id;
	const columnOf = new Map<string, string>();
	for (const d of tree) {
		const seen = new Set<string>();
		for (let cur: DepartmentNode | undefined = d; cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
			seen.add(cur.id);
			if (rowIds.has(cur.id) && !(cur.id === directRoot && cur.id !== d.id)) {
				columnOf.set(d.id, cur.id);
				break;
			}
		}
	}
	return { rows, rowIds, byId, columnOf };
}
