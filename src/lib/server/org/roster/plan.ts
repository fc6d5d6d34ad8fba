// The difference between a validated roster and the people already stored: computed in memory,
// so a 10,000-row file costs one read of the organisation's people and departments.
import { firstProblems, readRosterFile } from './rows';
import type { TextEncoding } from '../../text/decode';
import type { EmploymentType } from '../../db/schema';
import type { RosterProblem, RosterRow } from './rows';

export interface StoredPerson {
	id: string;
	employeeNumber: string;
	name: string;
	nameKana: string;
	departmentId: string | null;
	employmentType: EmploymentType;
	title: string;
	email: string;
	retirementDate: string | null;
	contractorCompany: string;
	contractName: string;
	contractStart: string | null;
	contractEnd: string | null;
	active: boolean;
	/** Brought in by the directory sync; absent where only files are imported. */
	fromDirectory?: boolean;
}

export interface StoredDepartment {
	id: string;
	code: string;
	name: string;
}

/** What a person's row will hold after the import. */
export interface PersonValues {
	employeeNumber: string;
	name: string;
	nameKana: string;
	departmentCode: string;
	employmentType: EmploymentType;
	title: string;
	email: string;
	retirementDate: string | null;
	contractorCompany: string;
	contractName: string;
	contractStart: string | null;
	contractEnd: string | null;
	active: boolean;
}

export const comparedFields = [
	'name',
	'nameKana',
	'employmentType',
	'title',
	'email',
	'retirementDate',
	'contractorCompany',
	'contractName',
	'contractStart',
	'contractEnd'
] as const;
export type ComparedField = (typeof comparedFields)[number];
export interface FieldChange {
	field: ComparedField;
	before: string | null;
	after: string | null;
}

export interface PlannedPerson {
	person: StoredPerson;
	next: PersonValues;
}

/** A 所属コード the organisation does not have, named in the file's 所属名, and the lines using it. */
export interface UnknownDepartment {
	code: string;
	name: string;
	lines: number[];
}

export interface RosterPlan {
	/** Problems that depend on stored data (department codes); nothing may be written when present. */
	problems: RosterProblem[];
	/**
	 * Codes that are not stored but carry a 所属名: created only when the admin ticks each one in
	 * the preview. Until then every line using one is a problem (`unconfirmedDepartmentProblems`).
	 */
	unknownDepartments: UnknownDepartment[];
	/** The unknown departments the admin chose to create. */
	newDepartments: { code: string; name: string }[];
	added: PersonValues[];
	/** Not stored yet and already retired: nothing to create. */
	skippedRetired: PersonValues[];
	transfers: (PlannedPerson & { fromCode: string | null; fromName: string | null; toName: string })[];
	changes: (PlannedPerson & { fields: FieldChange[] })[];
	retired: PlannedPerson[];
	reactivated: PlannedPerson[];
	/** Active people not in the file; deactivated only when the admin asks. */
	missing: StoredPerson[];
	unchanged: number;
	/** Every stored person whose row the file changes. */
	updates: PlannedPerson[];
	/** The admin running the import appears among the retired or missing, and is kept active. */
	actorKept: boolean;
}

export interface PlanOptions {
	/** YYYY-MM-DD in Japan: a 退職日 on or before it means the person has left. */
	today: string;
	actorId?: string | null;
	/** Unknown 所属コード the admin ticked 「新しい所属として作成する」 for. */
	createDepartments?: readonly string[];
	/** The rows come from the directory: only people it brought in can be missing from it. */
	missingFromDirectoryOnly?: boolean;
}

/** The column an unknown code sits in, named as the file's header names it. */
export const departmentCodeColumn = '所属コード';

export function planRoster(rows: RosterRow[], stored: { people: StoredPerson[]; departments: StoredDepartment[] }, options: PlanOptions): RosterPlan {
	const departmentByCode = new Map(stored.departments.map((d) => [d.code, d]));
	const departmentById = new Map(stored.departments.map((d) => [d.id, d]));
	const plan: RosterPlan = {
		problems: [],
		unknownDepartments: [],
		newDepartments: [],
		added: [],
		skippedRetired: [],
		transfers: [],
		changes: [],
		retired: [],
		reactivated: [],
		missing: [],
		unchanged: 0,
		updates: [],
		actorKept: false
	};

	// An unknown code may become a new top-level department: only when some row names it,
	// consistently, and the admin ticks it. Never on its own: a typo would otherwise found one.
	const unknown = new Map<string, UnknownDepartment>();
	const namedFirstOn = new Map<string, number>();
	for (const row of rows) {
		if (departmentByCode.has(row.departmentCode) || !row.departmentName) continue;
		const first = unknown.get(row.departmentCode);
		if (!first) {
			unknown.set(row.departmentCode, { code: row.departmentCode, name: row.departmentName, lines: [] });
			namedFirstOn.set(row.departmentCode, row.line);
		} else if (first.name !== row.departmentName) {
			plan.problems.push({
				line: row.line,
				key: 'roster.error.departmentNameConflict',
				params: { code: row.departmentCode, other: namedFirstOn.get(row.departmentCode)! }
			});
		}
	}
	for (const row of rows) {
		if (!row.departmentCode || departmentByCode.has(row.departmentCode)) continue;
		const named = unknown.get(row.departmentCode);
		if (named) named.lines.push(row.line);
		else plan.problems.push({ line: row.line, key: 'roster.error.unknownDepartment', params: { code: row.departmentCode, column: departmentCodeColumn } });
	}
	const ticked = new Set(options.createDepartments ?? []);
	plan.unknownDepartments = [...unknown.values()];
	plan.newDepartments = plan.unknownDepartments.filter((d) => ticked.has(d.code)).map(({ code, name }) => ({ code, name }));
	const departmentName = (code: string) => departmentByCode.get(code)?.name ?? unknown.get(code)?.name ?? '';

	const personByNumber = new Map(stored.people.map((p) => [p.employeeNumber, p]));
	const inFile = new Set<string>();
	const hasLeft = (date: string | null) => date !== null && date <= options.today;

	for (const row of rows) {
		inFile.add(row.employeeNumber);
		const person = personByNumber.get(row.employeeNumber);
		if (!person) {
			const next = valuesFor(row, null);
			next.active = !hasLeft(next.retirementDate);
			(next.active ? plan.added : plan.skippedRetired).push(next);
			continue;
		}
		const next = valuesFor(row, person);
		const left = hasLeft(next.retirementDate);
		const isActor = person.id === options.actorId;
		next.active = person.active ? !left || isActor : !left;
		if (person.active && left && isActor) plan.actorKept = true;
		const planned = { person, next };

		const from = person.departmentId ? departmentById.get(person.departmentId) : undefined;
		const transferred = (from?.code ?? null) !== next.departmentCode;
		if (transferred) {
			plan.transfers.push({ ...planned, fromCode: from?.code ?? null, fromName: from?.name ?? null, toName: departmentName(next.departmentCode) });
		}
		const retiring = person.active && !next.active;
		if (retiring) plan.retired.push(planned);
		if (!person.active && next.active) plan.reactivated.push(planned);
		const fields: FieldChange[] = [];
		for (const field of comparedFields) {
			// The retired list already shows the 退職日 that deactivates someone.
			if (field === 'retirementDate' && retiring) continue;
			if (person[field] !== next[field]) fields.push({ field, before: person[field], after: next[field] });
		}
		if (fields.length > 0) plan.changes.push({ ...planned, fields });

		if (transferred || fields.length > 0 || person.active !== next.active || person.retirementDate !== next.retirementDate) {
			plan.updates.push(planned);
		} else {
			plan.unchanged++;
		}
	}

	for (const person of stored.people) {
		if (!person.active || inFile.has(person.employeeNumber)) continue;
		if (options.missingFromDirectoryOnly && !person.fromDirectory) continue;
		if (person.id === options.actorId) plan.actorKept = true;
		else plan.missing.push(person);
	}
	return plan;
}

/**
 * Every line that uses an unknown 所属コード the admin has not ticked, naming the line, the code
 * and its column: apply is refused while there is one.
 */
export function unconfirmedDepartmentProblems(plan: RosterPlan): RosterProblem[] {
	const chosen = new Set(plan.newDepartments.map((d) => d.code));
	return plan.unknownDepartments
		.filter((d) => !chosen.has(d.code))
		.flatMap((d) =>
			d.lines.map((line) => ({
				line,
				key: 'roster.error.newDepartmentUnconfirmed' as const,
				params: { code: d.code, name: d.name, column: departmentCodeColumn }
			}))
		)
		.sort((a, b) => a.line - b.line);
}

/** The row's values, keeping what is stored for columns the file does not have. */
function valuesFor(row: RosterRow, person: StoredPerson | null): PersonValues {
	return {
		employeeNumber: row.employeeNumber,
		name: row.name,
		nameKana: row.nameKana ?? person?.nameKana ?? '',
		departmentCode: row.departmentCode,
		employmentType: row.employmentType,
		title: row.title ?? person?.title ?? '',
		email: row.email ?? person?.email ?? '',
		retirementDate: row.retirementDate === undefined ? (person?.retirementDate ?? null) : row.retirementDate,
		contractorCompany: row.contractorCompany ?? person?.contractorCompany ?? '',
		contractName: row.contractName ?? person?.contractName ?? '',
		contractStart: row.contractStart === undefined ? (person?.contractStart ?? null) : row.contractStart,
		contractEnd: row.contractEnd === undefined ? (person?.contractEnd ?? null) : row.contractEnd,
		active: true
	};
}

/**
 * The file read and checked against what is stored, every problem in line order: the whole check
 * of an upload, pure, so that it runs on the text worker (ten megabytes take seconds).
 */
export function checkRosterFile(input: { bytes: Uint8Array; stored: { people: StoredPerson[]; departments: StoredDepartment[] }; options: PlanOptions }): {
	encoding: TextEncoding;
	rows: RosterRow[];
	problems: RosterProblem[];
	more: number;
} {
	const { encoding, rows, problems } = readRosterFile(input.bytes);
	// Department codes are checked even when the file has other problems: the admin sees all at once.
	const plan = planRoster(rows, input.stored, input.options);
	const all = [...problems, ...plan.problems].sort((a, b) => a.line - b.line);
	// Only what the caller uses crosses back: copying 150,000 rows or problems into the serving
	// thread would stall it as long as the check itself.
	return { encoding, rows: all.length > 0 ? [] : rows, ...firstProblems(all) };
}
