// Helpers for showing the department tree (a flat list in tree order with depth) in forms.

export interface TreeDepartment {
	id: string;
	code: string;
	name: string;
	depth: number;
}

/** An option label indented with full-width spaces, which a <select> keeps (plain spaces collapse). */
export function departmentOptionLabel(d: TreeDepartment): string {
	return `${'\u3000'.repeat(d.depth)}${d.code} ${d.name}`;
}

/** The department and everything below it: the rows after it that sit deeper, in tree order. */
export function subtreeOf(tree: readonly TreeDepartment[], id: string): Set<string> {
	const start = tree.findIndex((d) => d.id === id);
	const out = new Set<string>();
	if (start < 0) return out;
	out.add(id);
	for (let i = start + 1; i < tree.length && tree[i].depth > tree[start].depth; i++) out.add(tree[i].id);
	return out;
}
