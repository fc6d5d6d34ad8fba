// The roster import as the admin sees it: upload → preview → apply (or discard).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { departments, people, rosterImports, sessions } from '../../db/schema';
import { recordAudit, type AuditActor } from '../../audit/log';
import { japanToday } from '../../../format/calendar';
import { OffThreadTimeout, runOffThread } from '../../text/off-thread';
import { syncAssignmentsForPeople } from '../../learning/campaigns';
import { firstProblems, type RosterProblem, type RosterRow } from './rows';
import {
	planRoster,
	unconfirmedDepartmentProblems,
	type FieldChange,
	type PlanOptions,
	type RosterPlan,
	type StoredDepartment,
	type StoredPerson
} from './plan';

export const rosterMaxBytes = 10 * 1024 * 1024;
/** Longest list the preview page shows; the rest is a count. */
export const rosterListLimit = 200;
const batchSize = 500;

export interface RosterActor extends AuditActor {
	orgId: string;
	/** Null for the nightly directory sync. */
	personId: string | null;
}

/** A department of the directory's tree (org/directory-sync/), parents named by code. */
export interface SourceDepartment {
	code: string;
	name: string;
	parentCode: string | null;
}

export type RosterStatus = 'previewed' | 'applied' | 'discarded';

export type RosterUploadResult =
	{ ok: true; importId: string } | { ok: false; reason: 'too_large' } | { ok: false; reason: 'invalid'; problems: RosterProblem[]; more: number };

export type RosterApplyResult =
	| { ok: true; counts: RosterCounts }
	| { ok: false; reason: 'not_found' }
	| { ok: false; reason: 'not_previewed'; status: RosterStatus }
	| { ok: false; reason: 'invalid'; problems: RosterProblem[]; more: number }
	/** Some unknown 所属コード was not ticked for creation: every line using one, nothing written. */
	| { ok: false; reason: 'unconfirmed_departments'; problems: RosterProblem[]; more: number };

export interface RosterCounts {
	rows: number;
	added: number;
	transfers: number;
	changes: number;
	retired: number;
	reactivated: number;
	missing: number;
	unchanged: number;
	/** Codes the organisation does not have, which the admin may choose to create. */
	unknownDepartments: number;
	/** Departments created (after apply) or to be created with the codes ticked. */
	newDepartments: number;
	skippedRetired: number;
	/** Only after apply: how many of the missing were deactivated (0 unless the admin asked). */
	deactivatedMissing?: number;
}

export interface ListedPart<T> {
	items: T[];
	total: number;
}

export interface RosterPreview {
	id: string;
	/** `directory`: rows read from the directory; its leavers are only people it brought in. */
	source: 'file' | 'directory';
	fileName: string;
	encoding: string;
	status: RosterStatus;
	createdAt: Date;
	appliedAt: Date | null;
	/** For a previewed import: against the data as it is now. After apply: what apply did. */
	counts: RosterCounts;
	deactivateMissing: boolean;
	/** Present for a previewed import only. */
	lists: RosterPreviewLists | null;
	/** Department codes that became unknown since the upload; apply is refused while present. */
	problems: RosterProblem[];
	moreProblems: number;
	/** Unknown codes with a 所属名, each offered as a new department, with (some of) its lines. */
	unknownDepartments: ListedPart<{ code: string; name: string; lines: number[]; moreLines: number }>;
	/** Every line using an unknown code, until the admin ticks it. */
	unconfirmed: RosterProblem[];
	moreUnconfirmed: number;
	actorKept: boolean;
}

/** Lines of one unknown code listed beside its checkbox; the rest are a count. */
const linesListed = 20;

interface PersonLabel {
	employeeNumber: string;
	name: string;
}

export interface RosterPreviewLists {
	added: ListedPart<PersonLabel & { nameKana: string; departmentCode: string; departmentName: string; employmentType: string; title: string }>;
	transfers: ListedPart<PersonLabel & { fromCode: string | null; fromName: string | null; toCode: string; toName: string }>;
	changes: ListedPart<PersonLabel & { fields: FieldChange[] }>;
	retired: ListedPart<PersonLabel & { departmentName: string; retirementDate: string | null }>;
	reactivated: ListedPart<PersonLabel & { departmentName: string }>;
	missing: ListedPart<PersonLabel & { departmentName: string; employmentType: string }>;
}

export interface RosterImportSummary {
	id: string;
	fileName: string;
	status: RosterStatus;
	rowCount: number;
	createdAt: Date;
	appliedAt: Date | null;
	createdByName: string | null;
}

interface StoredOptions {
	source?: 'file' | 'directory';
	/** The directory's department tree: every code not stored is created, under its parent. */
	departments?: SourceDepartment[];
	rowCount?: number;
	deactivateMissing?: boolean;
	result?: RosterCounts;
}

/**
 * Reads and checks an uploaded roster and keeps its rows for preview and apply. Writes nothing
 * but the import record, and nothing at all when the file has a problem.
 */
export async function previewRosterFile(
	db: Db,
	actor: RosterActor,
	file: { name: string; bytes: Uint8Array },
	options: { today?: string } = {}
): Promise<RosterUploadResult> {
	if (file.bytes.length > rosterMaxBytes) return { ok: false, reason: 'too_large' };
	// Decoding and checking 10 MB takes seconds: on the text worker, so other requests go on.
	const stored = await loadStored(db, actor.orgId);
	let checked;
	try {
		checked = await runOffThread('roster.check', { bytes: file.bytes, stored, options: { today: options.today ?? japanToday(), actorId: actor.personId } });
	} catch (error) {
		if (error instanceof OffThreadTimeout) return { ok: false, reason: 'invalid', problems: [{ line: 1, key: 'roster.error.tooSlow' }], more: 0 };
		throw error;
	}
	const { encoding, rows, problems, more } = checked;
	if (problems.length > 0) return { ok: false, reason: 'invalid', problems, more };
	const [created] = await db
		.insert(rosterImports)
		.values({
			orgId: actor.orgId,
			createdBy: actor.personId,
			fileName: file.name.slice(0, 255) || 'roster.csv',
			encoding,
			rows,
			options: { rowCount: rows.length } satisfies StoredOptions
		})
		.returning({ id: rosterImports.id });
	return { ok: true, importId: created.id };
}

/** The preview of an import of the organisation, or null when there is none with this id. */
export async function loadRosterPreview(
	db: Db,
	orgId: string,
	importId: string,
	options: { actorId?: string | null; today?: string } = {}
): Promise<RosterPreview | null> {
	const [record] = await db
		.select()
		.from(rosterImports)
		.where(and(eq(rosterImports.id, importId), eq(rosterImports.orgId, orgId)));
	if (!record) return null;
	const stored = record.options as StoredOptions;
	const base = {
		id: record.id,
		source: stored.source ?? 'file',
		fileName: record.fileName,
		encoding: record.encoding,
		status: record.status,
		createdAt: record.createdAt,
		appliedAt: record.appliedAt,
		deactivateMissing: stored.deactivateMissing ?? false
	};
	if (record.status !== 'previewed') {
		const counts = stored.result ?? emptyCounts(stored.rowCount ?? 0);
		const none = { items: [], total: 0 };
		return { ...base, counts, lists: null, problems: [], moreProblems: 0, unknownDepartments: none, unconfirmed: [], moreUnconfirmed: 0, actorKept: false };
	}
	const rows = record.rows as RosterRow[];
	const current = await loadStored(db, orgId);
	const plan = planRoster(rows, current, { today: options.today ?? japanToday(), actorId: options.actorId, ...sourceOptions(stored) });
	const { problems, more } = firstProblems(plan.problems);
	const unconfirmed = firstProblems(unconfirmedDepartmentProblems(plan));
	return {
		...base,
		counts: countsOf(plan, rows.length),
		lists: previewLists(plan, current.departments),
		problems,
		moreProblems: more,
		unknownDepartments: listed(plan.unknownDepartments, (d) => ({
			code: d.code,
			name: d.name,
			lines: d.lines.slice(0, linesListed),
			moreLines: Math.max(0, d.lines.length - linesListed)
		})),
		unconfirmed: unconfirmed.problems,
		moreUnconfirmed: unconfirmed.more,
		actorKept: plan.actorKept
	};
}

/**
 * Applies a previewed import in one transaction: all of it or none. The diff is computed again
 * against the data as it is now; the import row is locked so a second apply (a double click)
 * waits and then finds it applied.
 */
export async function applyRosterImport(
	db: Db,
	actor: RosterActor,
	importId: string,
	options: { deactivateMissing: boolean; today?: string; createDepartments?: readonly string[] }
): Promise<RosterApplyResult> {
	const orgId = actor.orgId;
	return db.transaction(async (tx): Promise<RosterApplyResult> => {
		const [record] = await tx
			.select({ status: rosterImports.status, rows: rosterImports.rows, fileName: rosterImports.fileName, options: rosterImports.options })
			.from(rosterImports)
			.where(and(eq(rosterImports.id, importId), eq(rosterImports.orgId, orgId)))
			.for('update');
		if (!record) return { ok: false, reason: 'not_found' };
		if (record.status !== 'previewed') return { ok: false, reason: 'not_previewed', status: record.status };
		// Two different imports applied at once would both create the same new people.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`mamori.roster:${orgId}`}))`);

		const rows = record.rows as RosterRow[];
		const source = record.options as StoredOptions;
		const current = await loadStored(tx, orgId);
		const plan = planRoster(rows, current, {
			today: options.today ?? japanToday(),
			actorId: actor.personId,
			createDepartments: options.createDepartments,
			...sourceOptions(source)
		});
		if (plan.problems.length > 0) return { ok: false, reason: 'invalid', ...firstProblems(plan.problems) };
		const unconfirmed = unconfirmedDepartmentProblems(plan);
		if (unconfirmed.length > 0) return { ok: false, reason: 'unconfirmed_departments', ...firstProblems(unconfirmed) };

		const departmentIds = await createDepartments(tx, actor, importId, plan, current.departments, source.departments ?? []);
		const departmentId = (code: string) => departmentIds.get(code) ?? null;

		const addedIds: string[] = [];
		for (const batch of chunks(plan.added, batchSize)) {
			const inserted = await tx
				.insert(people)
				.values(
					batch.map((p) => ({
						orgId,
						employeeNumber: p.employeeNumber,
						name: p.name,
						nameKana: p.nameKana,
						departmentId: departmentId(p.departmentCode),
						employmentType: p.employmentType,
						title: p.title,
						email: p.email,
						retirementDate: p.retirementDate,
						contractorCompany: p.contractorCompany,
						contractName: p.contractName,
						contractStart: p.contractStart,
						contractEnd: p.contractEnd,
						active: true,
						// Passwords come later, from an admin reset; the first login then sets their own.
						// The directory's people have theirs already, in the directory.
						passwordHash: null,
						mustChangePassword: source.source !== 'directory'
					}))
				)
				.returning({ id: people.id });
			addedIds.push(...inserted.map((p) => p.id));
		}

		for (const batch of chunks(plan.updates, batchSize)) {
			const values = batch.map(
				({ person, next }) =>
					sql`(${person.id}, ${next.name}, ${next.nameKana}, ${departmentId(next.departmentCode)}, ${next.employmentType}, ${next.title}, ${next.email}, ${next.retirementDate}, ${next.contractorCompany}, ${next.contractName}, ${next.contractStart}, ${next.contractEnd}, ${String(next.active)})`
			);
			// One statement per batch: per-row updates of 10,000 people take far longer.
			await tx.execute(sql`
				update people as p set
					name = v.name,
					name_kana = v.name_kana,
					department_id = v.department_id::uuid,
					employment_type = v.employment_type::employment_type,
					title = v.title,
					email = v.email,
					retirement_date = v.retirement_date::date,
					contractor_company = v.contractor_company,
					contract_name = v.contract_name,
					contract_start = v.contract_start::date,
					contract_end = v.contract_end::date,
					active = v.active::boolean,
					updated_at = now()
				from (values ${sql.join(values, sql`, `)})
					as v(id, name, name_kana, department_id, employment_type, title, email, retirement_date, contractor_company, contract_name, contract_start, contract_end, active)
				where p.id = v.id::uuid and p.org_id = ${orgId}`);
		}

		// New hires, transfers and returners join the open campaigns they now belong to, in this transaction.
		await syncAssignmentsForPeople(tx, orgId, [...addedIds, ...plan.updates.map((u) => u.person.id)], { today: options.today });

		const missingIds = options.deactivateMissing ? plan.missing.map((p) => p.id) : [];
		for (const batch of chunks(missingIds, batchSize)) {
			await tx
				.update(people)
				.set({ active: false, updatedAt: new Date() })
				.where(and(eq(people.orgId, orgId), inArray(people.id, batch)));
		}
		// Deactivated people are kept with their history; only their sessions end.
		const deactivatedIds = [...plan.retired.map((r) => r.person.id), ...missingIds];
		for (const batch of chunks(deactivatedIds, batchSize)) {
			await tx.delete(sessions).where(and(eq(sessions.orgId, orgId), inArray(sessions.personId, batch)));
		}

		if (source.source === 'directory') {
			// From now on these people sign in with the directory password (auth/directory/).
			for (const batch of chunks(
				rows.map((r) => r.employeeNumber),
				batchSize
			)) {
				await tx
					.update(people)
					.set({ fromDirectory: true, mustChangePassword: false })
					.where(and(eq(people.orgId, orgId), inArray(people.employeeNumber, batch), eq(people.fromDirectory, false)));
			}
		}

		const counts: RosterCounts = { ...countsOf(plan, rows.length), deactivatedMissing: missingIds.length };
		await tx
			.update(rosterImports)
			.set({
				status: 'applied',
				appliedAt: new Date(),
				options: { source: source.source, rowCount: rows.length, deactivateMissing: options.deactivateMissing, result: counts } satisfies StoredOptions
			})
			.where(eq(rosterImports.id, importId));
		await recordAudit(tx, actor, {
			action: 'roster.import',
			targetType: 'roster_import',
			targetId: importId,
			detail: {
				fileName: record.fileName,
				...(source.source === 'directory' ? { source: 'directory' } : {}),
				deactivateMissing: options.deactivateMissing,
				...counts,
				createdDepartments: plan.newDepartments
			}
		});
		return { ok: true, counts };
	});
}

/** Drops a previewed import; its copy of the rows is deleted, as nothing will use it. */
export async function discardRosterImport(db: Db, actor: RosterActor, importId: string): Promise<boolean> {
	return db.transaction(async (tx) => {
		const done = await tx
			.update(rosterImports)
			.set({ status: 'discarded', rows: [] })
			.where(and(eq(rosterImports.id, importId), eq(rosterImports.orgId, actor.orgId), eq(rosterImports.status, 'previewed')))
			.returning({ id: rosterImports.id });
		if (done.length === 0) return false;
		await recordAudit(tx, actor, { action: 'roster.discard', targetType: 'roster_import', targetId: importId });
		return true;
	});
}

/** The organisation's latest imports, newest first, without their rows. */
export async function listRosterImports(db: DbOrTx, orgId: string, limit = 20): Promise<RosterImportSummary[]> {
	const records = await db
		.select({
			id: rosterImports.id,
			fileName: rosterImports.fileName,
			status: rosterImports.status,
			options: rosterImports.options,
			createdAt: rosterImports.createdAt,
			appliedAt: rosterImports.appliedAt,
			createdByName: people.name
		})
		.from(rosterImports)
		.leftJoin(people, eq(people.id, rosterImports.createdBy))
		.where(eq(rosterImports.orgId, orgId))
		.orderBy(desc(rosterImports.createdAt))
		.limit(limit);
	return records.map(({ options, ...r }) => ({ ...r, rowCount: (options as StoredOptions).rowCount ?? 0 }));
}

type StoredDepartmentRow = StoredDepartment & { parentId: string | null; sortOrder: number };

/** Everyone and every department of one organisation: two queries, whatever the size. */
async function loadStored(db: DbOrTx, orgId: string): Promise<{ people: StoredPerson[]; departments: StoredDepartmentRow[] }> {
	// One after the other: inside a transaction both go through the same connection anyway.
	const storedPeople = await db
		.select({
			id: people.id,
			employeeNumber: people.employeeNumber,
			name: people.name,
			nameKana: people.nameKana,
			departmentId: people.departmentId,
			employmentType: people.employmentType,
			title: people.title,
			email: people.email,
			retirementDate: people.retirementDate,
			contractorCompany: people.contractorCompany,
			contractName: people.contractName,
			contractStart: people.contractStart,
			contractEnd: people.contractEnd,
			active: people.active,
			fromDirectory: people.fromDirectory
		})
		.from(people)
		.where(eq(people.orgId, orgId))
		.orderBy(people.employeeNumber);
	const storedDepartments = await db
		.select({ id: departments.id, code: departments.code, name: departments.name, parentId: departments.parentId, sortOrder: departments.sortOrder })
		.from(departments)
		.where(eq(departments.orgId, orgId));
	return { people: storedPeople, departments: storedDepartments };
}

/** A directory's import deactivates only people the directory brought in, and creates its whole tree. */
function sourceOptions(stored: StoredOptions): Pick<PlanOptions, 'missingFromDirectoryOnly' | 'createDepartments'> {
	if (stored.source !== 'directory') return {};
	return { missingFromDirectoryOnly: true, createDepartments: (stored.departments ?? []).map((d) => d.code) };
}

/**
 * Creates the departments the admin ticked, at the top level after the existing ones, and with a
 * directory's import every department of its tree not stored yet, under its parent (parents
 * first); each audited as any department created by hand. Code → id for all.
 */
async function createDepartments(
	tx: Tx,
	actor: RosterActor,
	importId: string,
	plan: RosterPlan,
	existing: StoredDepartmentRow[],
	tree: SourceDepartment[]
): Promise<Map<string, string>> {
	const ids = new Map(existing.map((d) => [d.code, d.id]));
	const parentOf = new Map(tree.map((d) => [d.code, d.parentCode]));
	const wanted = new Map(plan.newDepartments.map((d) => [d.code, d.name]));
	for (const d of tree) if (!ids.has(d.code)) wanted.set(d.code, d.name);
	const nextOrder = new Map<string | null, number>();
	const orderUnder = (parentId: string | null) => {
		const next = nextOrder.get(parentId) ?? Math.max(-1, ...existing.filter((d) => d.parentId === parentId).map((d) => d.sortOrder)) + 1;
		nextOrder.set(parentId, next + 1);
		return next;
	};
	const create = async (code: string, depth = 0): Promise<string | null> => {
		const known = ids.get(code);
		if (known) return known;
		const name = wanted.get(code);
		// A code the tree names as a parent without holding it, or a loop: the top level.
		if (name === undefined || depth > 50) return null;
		const parentCode = parentOf.get(code) ?? null;
		const parentId = parentCode ? await create(parentCode, depth + 1) : null;
		const [d] = await tx
			.insert(departments)
			.values({ orgId: actor.orgId, code, name, parentId, sortOrder: orderUnder(parentId) })
			.returning({ id: departments.id });
		ids.set(code, d.id);
		await recordAudit(tx, actor, {
			action: 'department.create',
			targetType: 'department',
			targetId: d.id,
			detail: { after: { code, name, parentId }, rosterImportId: importId }
		});
		return d.id;
	};
	for (const code of wanted.keys()) await create(code);
	return ids;
}

function countsOf(plan: RosterPlan, rows: number): RosterCounts {
	return {
		rows,
		added: plan.added.length,
		transfers: plan.transfers.length,
		changes: plan.changes.length,
		retired: plan.retired.length,
		reactivated: plan.reactivated.length,
		missing: plan.missing.length,
		unchanged: plan.unchanged,
		unknownDepartments: plan.unknownDepartments.length,
		newDepartments: plan.newDepartments.length,
		skippedRetired: plan.skippedRetired.length
	};
}

function emptyCounts(rows: number): RosterCounts {
	return {
		rows,
		added: 0,
		transfers: 0,
		changes: 0,
		retired: 0,
		reactivated: 0,
		missing: 0,
		unchanged: 0,
		unknownDepartments: 0,
		newDepartments: 0,
		skippedRetired: 0
	};
}

function previewLists(plan: RosterPlan, stored: StoredDepartment[]): RosterPreviewLists {
	const nameOfCode = new Map([...stored.map((d) => [d.code, d.name] as const), ...plan.unknownDepartments.map((d) => [d.code, d.name] as const)]);
	const nameOfId = new Map(stored.map((d) => [d.id, d.name]));
	const label = (p: { employeeNumber: string; name: string }) => ({ employeeNumber: p.employeeNumber, name: p.name });
	return {
		added: listed(plan.added, (p) => ({
			...label(p),
			nameKana: p.nameKana,
			departmentCode: p.departmentCode,
			departmentName: nameOfCode.get(p.departmentCode) ?? '',
			employmentType: p.employmentType,
			title: p.title
		})),
		transfers: listed(plan.transfers, (t) => ({
			...label(t.next),
			fromCode: t.fromCode,
			fromName: t.fromName,
			toCode: t.next.departmentCode,
			toName: t.toName
		})),
		changes: listed(plan.changes, (c) => ({ ...label(c.next), fields: c.fields })),
		retired: listed(plan.retired, (r) => ({
			...label(r.next),
			departmentName: nameOfCode.get(r.next.departmentCode) ?? '',
			retirementDate: r.next.retirementDate
		})),
		reactivated: listed(plan.reactivated, (r) => ({ ...label(r.next), departmentName: nameOfCode.get(r.next.departmentCode) ?? '' })),
		missing: listed(plan.missing, (p) => ({
			...label(p),
			departmentName: (p.departmentId && nameOfId.get(p.departmentId)) || '',
			employmentType: p.employmentType
		}))
	};
}

function listed<T, U>(items: T[], shape: (item: T) => U): ListedPart<U> {
	return { items: items.slice(0, rosterListLimit).map(shape), total: items.length };
}

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
