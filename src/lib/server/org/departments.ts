import { and, asc, count, eq, inArray, isNull, max, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { assignments, departments, people, supervisedDepartments } from '../db/schema';
import { recordAudit } from '../audit/log';
import { isUniqueViolation, isUuid } from '../db/ids';

/** Who makes an admin change, for the audit log. */
export interface OrgActor {
	orgId: string;
	personId: string;
	ip?: string | null;
}

export interface DepartmentNode {
	id: string;
	parentId: string | null;
	code: string;
	name: string;
	/** 0 for a top-level department. */
	depth: number;
	/** Active people directly in this department (not its sub-departments); 0 when not counted. */
	memberCount: number;
}

/**
 * The organisation's departments, parents before children, siblings by sort order then code.
 * `memberCounts: false` skips counting people, which reads every person of the organisation:
 * dashboards that only need the tree should not pay for it on every view.
 */
export async function listDepartmentTree(db: DbOrTx, orgId: string, options: { memberCounts?: boolean } = {}): Promise<DepartmentNode[]> {
	// Sequential rather than Promise.all: `db` may be a transaction, which runs one query at a time.
	const rows = await db
		.select({ id: departments.id, parentId: departments.parentId, code: departments.code, name: departments.name })
		.from(departments)
		.where(eq(departments.orgId, orgId))
		.orderBy(asc(departments.sortOrder), asc(departments.code));
	const counts =
		options.memberCounts === false
			? []
			: await db
					.select({ departmentId: people.departmentId, n: count() })
					.from(people)
					.where(and(eq(people.orgId, orgId), eq(people.active, true)))
					.groupBy(people.departmentId);
	const members = new Map(counts.map((c) => [c.departmentId, c.n]));
	const ids = new Set(rows.map((r) => r.id));
	const children = new Map<string | null, typeof rows>();
	for (const row of rows) {
		// A parent outside the org (bad data) must not hide the department: show it at the top.
		const parent = row.parentId && ids.has(row.parentId) ? row.parentId : null;
		children.set(parent, [...(children.get(parent) ?? []), row]);
	}
	const out: DepartmentNode[] = [];
	const seen = new Set<string>();
	const visit = (parentId: string | null, depth: number) => {
		for (const row of children.get(parentId) ?? []) {
			if (seen.has(row.id)) continue;
			seen.add(row.id);
			out.push({ ...row, depth, memberCount: members.get(row.id) ?? 0 });
			visit(row.id, depth + 1);
		}
	};
	visit(null, 0);
	// Rows caught in a cycle are unreachable from the top; list them rather than lose them.
	for (const row of rows) {
		if (!seen.has(row.id)) {
			seen.add(row.id);
			out.push({ ...row, depth: 0, memberCount: members.get(row.id) ?? 0 });
			visit(row.id, 1);
		}
	}
	return out;
}

/**
 * A subquery yielding the ids of `rootIds` and all their descendants within the org.
 * UNION (not UNION ALL) stops at a cycle instead of recursing forever.
 */
export function departmentSubtreeSql(orgId: string, rootIds: readonly string[]): SQL {
	const roots = rootIds.filter(isUuid);
	if (roots.length === 0) return sql`select null::uuid where false`;
	const list = sql.join(
		roots.map((id) => sql`${id}::uuid`),
		sql`, `
	);
	return sql`with recursive subtree(id) as (
		select d.id from departments d where d.org_id = ${orgId} and d.id in (${list})
		union
		select c.id from departments c join subtree s on c.parent_id = s.id where c.org_id = ${orgId}
	) select id from subtree`;
}

/** Ids of the given departments and everything below them; ids outside the org are ignored. */
export async function departmentSubtreeIds(db: DbOrTx, orgId: string, rootIds: readonly string[]): Promise<string[]> {
	if (!rootIds.some(isUuid)) return [];
	const rows = await db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), sql`${departments.id} in (${departmentSubtreeSql(orgId, rootIds)})`));
	return rows.map((r) => r.id);
}

export interface DepartmentInput {
	code: string;
	name: string;
	parentId: string | null;
}

export type DepartmentProblem = 'required' | 'code_taken' | 'parent_not_found' | 'cycle' | 'not_found';

export type DepartmentResult = { ok: true; id: string } | { ok: false; problem: DepartmentProblem };

/** HR codes arrive typed by hand: full-width digits become ASCII, surrounding space goes. */
function normaliseInput(input: DepartmentInput): DepartmentInput {
	return {
		code: input.code.normalize('NFKC').trim(),
		name: input.name.trim(),
		// Lower case, as PostgreSQL prints uuids, so id comparisons in code hold.
		parentId: input.parentId ? input.parentId.toLowerCase() : null
	};
}

/** Serialises tree writes within one organisation, so two moves cannot build a cycle together. */
async function lockDepartmentTree(tx: DbOrTx, orgId: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'departments:' + orgId}))`);
}

async function codeTaken(tx: DbOrTx, orgId: string, code: string, exceptId?: string): Promise<boolean> {
	const [row] = await tx
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), eq(departments.code, code)));
	return !!row && row.id !== exceptId;
}

async function parentExists(tx: DbOrTx, orgId: string, parentId: string | null): Promise<boolean> {
	if (parentId === null) return true;
	if (!isUuid(parentId)) return false;
	const [row] = await tx
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), eq(departments.id, parentId)));
	return !!row;
}

/** New and moved departments go after their siblings, as a roster import places new ones. */
async function nextSortOrder(tx: DbOrTx, orgId: string, parentId: string | null): Promise<number> {
	const [row] = await tx
		.select({ last: max(departments.sortOrder) })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), parentId ? eq(departments.parentId, parentId) : isNull(departments.parentId)));
	return (row?.last ?? -1) + 1;
}

/** Runs a tree write; a unique-key race with another writer (e.g. a roster import) reads as code_taken. */
async function treeWrite(db: DbOrTx, orgId: string, write: (tx: DbOrTx) => Promise<DepartmentResult>): Promise<DepartmentResult> {
	try {
		return await db.transaction(async (tx) => {
			await lockDepartmentTree(tx, orgId);
			return write(tx);
		});
	} catch (err) {
		if (isUniqueViolation(err)) return { ok: false, problem: 'code_taken' };
		throw err;
	}
}

export async function createDepartment(db: DbOrTx, actor: OrgActor, orgId: string, input: DepartmentInput): Promise<DepartmentResult> {
	const values = normaliseInput(input);
	if (!values.code || !values.name) return { ok: false, problem: 'required' };
	return treeWrite(db, orgId, async (tx) => {
		if (!(await parentExists(tx, orgId, values.parentId))) return { ok: false, problem: 'parent_not_found' };
		if (await codeTaken(tx, orgId, values.code)) return { ok: false, problem: 'code_taken' };
		const [created] = await tx
			.insert(departments)
			.values({ orgId, ...values, sortOrder: await nextSortOrder(tx, orgId, values.parentId) })
			.returning({ id: departments.id });
		await recordAudit(tx, actor, {
			action: 'department.create',
			targetType: 'department',
			targetId: created.id,
			detail: { after: values }
		});
		return { ok: true, id: created.id };
	});
}

/** Renames, recodes or moves a department. Moving under itself or a descendant is refused. */
export async function updateDepartment(db: DbOrTx, actor: OrgActor, orgId: string, departmentId: string, input: DepartmentInput): Promise<DepartmentResult> {
	if (!isUuid(departmentId)) return { ok: false, problem: 'not_found' };
	departmentId = departmentId.toLowerCase();
	const values = normaliseInput(input);
	if (!values.code || !values.name) return { ok: false, problem: 'required' };
	return treeWrite(db, orgId, async (tx) => {
		const [current] = await tx
			.select({ code: departments.code, name: departments.name, parentId: departments.parentId })
			.from(departments)
			.where(and(eq(departments.orgId, orgId), eq(departments.id, departmentId)));
		if (!current) return { ok: false, problem: 'not_found' };
		if (!(await parentExists(tx, orgId, values.parentId))) return { ok: false, problem: 'parent_not_found' };
		if (values.parentId && (await departmentSubtreeIds(tx, orgId, [departmentId])).includes(values.parentId)) {
			return { ok: false, problem: 'cycle' };
		}
		if (await codeTaken(tx, orgId, values.code, departmentId)) return { ok: false, problem: 'code_taken' };
		const unchanged = current.code === values.code && current.name === values.name && current.parentId === values.parentId;
		if (unchanged) return { ok: true, id: departmentId };
		const moved = current.parentId !== values.parentId;
		await tx
			.update(departments)
			.set(moved ? { ...values, sortOrder: await nextSortOrder(tx, orgId, values.parentId) } : values)
			.where(and(eq(departments.orgId, orgId), eq(departments.id, departmentId)));
		await recordAudit(tx, actor, {
			action: 'department.update',
			targetType: 'department',
			targetId: departmentId,
			detail: { before: current, after: values }
		});
		return { ok: true, id: departmentId };
	});
}

/** What still points at a department, and so keeps it from being deleted. */
export interface DepartmentDependents {
	/** People of any status: inactive people keep their department for history. */
	people: number;
	children: number;
	/** Supervisors (所属長) who answer for it; reassign them first. */
	supervisors: number;
	/** Training records counted under it: completion history must keep its department. */
	trainingRecords: number;
}

export type DeleteDepartmentResult = { ok: true } | { ok: false; problem: 'not_found' } | { ok: false; problem: 'not_empty'; dependents: DepartmentDependents };

/** Deletes an empty department. Nothing is cascaded: the admin decides where things go. */
export async function deleteDepartment(db: DbOrTx, actor: OrgActor, orgId: string, departmentId: string): Promise<DeleteDepartmentResult> {
	if (!isUuid(departmentId)) return { ok: false, problem: 'not_found' };
	return db.transaction(async (tx) => {
		await lockDepartmentTree(tx, orgId);
		const [current] = await tx
			.select({ code: departments.code, name: departments.name, parentId: departments.parentId })
			.from(departments)
			.where(and(eq(departments.orgId, orgId), eq(departments.id, departmentId)));
		if (!current) return { ok: false, problem: 'not_found' } as const;
		// One after another: a transaction is one connection, which runs one query at a time.
		const [p] = await tx
			.select({ n: count() })
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.departmentId, departmentId)));
		const [c] = await tx
			.select({ n: count() })
			.from(departments)
			.where(and(eq(departments.orgId, orgId), eq(departments.parentId, departmentId)));
		const [s] = await tx
			.select({ n: count() })
			.from(supervisedDepartments)
			.where(and(eq(supervisedDepartments.orgId, orgId), eq(supervisedDepartments.departmentId, departmentId)));
		const [r] = await tx
			.select({ n: count() })
			.from(assignments)
			.where(and(eq(assignments.orgId, orgId), eq(assignments.departmentId, departmentId)));
		const dependents = { people: p.n, children: c.n, supervisors: s.n, trainingRecords: r.n };
		if (dependents.people || dependents.children || dependents.supervisors || dependents.trainingRecords) {
			return { ok: false, problem: 'not_empty', dependents } as const;
		}
		await tx.delete(departments).where(and(eq(departments.orgId, orgId), eq(departments.id, departmentId)));
		await recordAudit(tx, actor, {
			action: 'department.delete',
			targetType: 'department',
			targetId: departmentId,
			detail: { before: current }
		});
		return { ok: true } as const;
	});
}

/** Which of `ids` are departments of the org (malformed ids are simply absent). */
export async function existingDepartmentIds(db: DbOrTx, orgId: string, ids: readonly string[]): Promise<Set<string>> {
	const valid = [...new Set(ids.filter(isUuid))];
	if (valid.length === 0) return new Set();
	const rows = await db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), inArray(departments.id, valid)));
	return new Set(rows.map((r) => r.id));
}
