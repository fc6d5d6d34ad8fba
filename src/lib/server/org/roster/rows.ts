// From CSV records to validated roster rows: the checks that need only the file itself.
import type { MessageKey } from '../../../i18n/ja';
import type { EmploymentType } from '../../db/schema';
import { parseCsv } from './csv';
import { parseJapaneseDate } from '../../../format/wareki';
import { decodeText, withoutNul, type TextEncoding } from '../../text/decode';

/** One person as the file states them, normalised. */
export interface RosterRow {
	line: number;
	employeeNumber: string;
	name: string;
	departmentCode: string;
	employmentType: EmploymentType;
	/** The optional fields are absent when the file has no such column: the stored value is kept. */
	nameKana?: string;
	departmentName?: string;
	title?: string;
	email?: string;
	/** YYYY-MM-DD; null when the cell is empty. */
	retirementDate?: string | null;
	/** A 委託事業者's 事業者名 and contract (契約名, 契約開始日, 契約終了日). */
	contractorCompany?: string;
	contractName?: string;
	contractStart?: string | null;
	contractEnd?: string | null;
}

/** A reason the file cannot be imported, shown in the reader's language. */
export interface RosterProblem {
	line: number;
	key: MessageKey;
	params?: Record<string, string | number>;
}

type Field = Exclude<keyof RosterRow, 'line'>;

const columns: Record<string, Field> = {
	職員番号: 'employeeNumber',
	氏名: 'name',
	氏名カナ: 'nameKana',
	所属コード: 'departmentCode',
	所属名: 'departmentName',
	雇用区分: 'employmentType',
	役職: 'title',
	メール: 'email',
	退職日: 'retirementDate',
	事業者名: 'contractorCompany',
	契約名: 'contractName',
	契約開始日: 'contractStart',
	契約終了日: 'contractEnd'
};
const requiredColumns = ['職員番号', '氏名', '所属コード', '雇用区分'];

export const employmentTypeByLabel: Record<string, EmploymentType> = {
	正規職員: 'regular',
	会計年度任用職員: 'fiscal_year',
	再任用職員: 'reappointed',
	派遣職員: 'dispatched',
	委託事業者: 'contractor'
};

/** The longest 所属コード a file may hold. */
export const rosterCodeMax = 50;

// Generous limits; they only stop a wrong column from filling the database with junk.
const maxLength: Partial<Record<Field, number>> = {
	employeeNumber: 50,
	name: 100,
	nameKana: 100,
	departmentCode: rosterCodeMax,
	departmentName: 100,
	title: 100,
	email: 254,
	contractorCompany: 100,
	contractName: 100
};

const mailAddress = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\].]+$/;

/** Codes are typed with IMEs too: full-width digits and letters become ASCII. */
const normaliseCode = (s: string) => s.normalize('NFKC').trim();
/** Names keep their characters; only runs of spaces (including 全角 ones) become one space. */
const normaliseText = (s: string) => s.replace(/\s+/gu, ' ').trim();
/** Half-width katakana from old HR systems becomes full-width. */
const normaliseKana = (s: string) => normaliseText(s.normalize('NFKC'));

/**
 * Parses and checks a roster file's text. All problems are reported, each with the line where
 * its record starts (the header is line 1). The rows that could be read come back even when there
 * are problems, so that the checks against stored departments can report theirs too; such rows
 * must not be imported.
 */
export function readRoster(text: string): { rows: RosterRow[]; problems: RosterProblem[] } {
	const { records, unterminatedQuoteLine } = parseCsv(withoutNul(text));
	const problems: RosterProblem[] = [];
	const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');
	const header = records.find((r) => !isBlank(r.fields));
	if (!header) return { rows: [], problems: [{ line: 1, key: 'roster.error.empty' }] };

	const fieldAt: (Field | null)[] = [];
	const seen = new Set<string>();
	header.fields.forEach((raw) => {
		const name = raw.normalize('NFKC').trim();
		const field = columns[name];
		if (name && !field) problems.push({ line: header.line, key: 'roster.error.unknownColumn', params: { column: name } });
		else if (field && seen.has(name)) problems.push({ line: header.line, key: 'roster.error.duplicateColumn', params: { column: name } });
		fieldAt.push(field && !seen.has(name) ? field : null);
		if (name) seen.add(name);
	});
	for (const name of requiredColumns) {
		if (!seen.has(name)) problems.push({ line: header.line, key: 'roster.error.missingColumn', params: { column: name } });
	}
	if (problems.length > 0) return { rows: [], problems };

	const rows: RosterRow[] = [];
	const firstLineOf = new Map<string, number>();
	const columnOf = Object.fromEntries(Object.entries(columns).map(([label, field]) => [field, label])) as Record<Field, string>;
	let dataInUnnamedColumn: number | null = null;

	for (const record of records) {
		if (record === header || isBlank(record.fields)) continue;
		const { line, fields } = record;
		const add = (key: MessageKey, params?: RosterProblem['params']) => problems.push({ line, key, params });
		if (fields.length < fieldAt.length || fields.slice(fieldAt.length).some((f) => f.trim() !== '')) {
			add('roster.error.fieldCount', { expected: fieldAt.length, actual: fields.length });
			continue;
		}
		const cell: Partial<Record<Field, string>> = {};
		fieldAt.forEach((field, index) => {
			if (field) cell[field] = fields[index];
			else if (fields[index].trim() !== '') dataInUnnamedColumn ??= index + 1;
		});

		const employeeNumber = normaliseCode(cell.employeeNumber ?? '');
		const row: RosterRow = {
			line,
			employeeNumber,
			name: normaliseText(cell.name ?? ''),
			departmentCode: normaliseCode(cell.departmentCode ?? ''),
			employmentType: 'regular'
		};
		if (cell.nameKana !== undefined) row.nameKana = normaliseKana(cell.nameKana);
		if (cell.departmentName !== undefined) row.departmentName = normaliseText(cell.departmentName);
		if (cell.title !== undefined) row.title = normaliseText(cell.title);
		if (cell.email !== undefined) row.email = normaliseCode(cell.email);

		if (!employeeNumber) add('roster.error.noNumber');
		else {
			const other = firstLineOf.get(employeeNumber);
			if (other !== undefined) add('roster.error.duplicateNumber', { number: employeeNumber, other });
			else firstLineOf.set(employeeNumber, line);
		}
		if (!row.name) add('roster.error.noName');
		if (!row.departmentCode) add('roster.error.noDepartmentCode');

		const typeLabel = normaliseCode(cell.employmentType ?? '');
		const type = employmentTypeByLabel[typeLabel];
		if (type) row.employmentType = type;
		else if (typeLabel) add('roster.error.employmentType', { value: typeLabel });
		else add('roster.error.noEmploymentType');

		if (row.email && !mailAddress.test(row.email)) add('roster.error.email', { value: row.email });

		for (const field of ['retirementDate', 'contractStart', 'contractEnd'] as const) {
			const cellValue = cell[field];
			if (cellValue === undefined) continue;
			const raw = cellValue.trim();
			row[field] = raw ? parseJapaneseDate(raw) : null;
			if (raw && !row[field]) add('roster.error.date', { value: raw });
		}
		if (cell.contractorCompany !== undefined) row.contractorCompany = normaliseText(cell.contractorCompany);
		if (cell.contractName !== undefined) row.contractName = normaliseText(cell.contractName);
		if (row.contractStart && row.contractEnd && row.contractEnd < row.contractStart)
			add('roster.error.contractPeriod', { from: row.contractStart, to: row.contractEnd });

		for (const [field, max] of Object.entries(maxLength) as [Field, number][]) {
			const value = row[field];
			if (typeof value === 'string' && value.length > max) add('roster.error.tooLong', { column: columnOf[field], max });
		}
		rows.push(row);
	}

	if (unterminatedQuoteLine !== null) problems.push({ line: unterminatedQuoteLine, key: 'roster.error.unterminatedQuote' });
	if (dataInUnnamedColumn !== null) problems.push({ line: header.line, key: 'roster.error.emptyHeader', params: { column: dataInUnnamedColumn } });
	if (rows.length === 0 && problems.length === 0) problems.push({ line: header.line, key: 'roster.error.noRows' });
	problems.sort((a, b) => a.line - b.line);
	return { rows, problems };
}

/** At most `max` problems to show, and how many more there are. */
export function firstProblems(problems: RosterProblem[], max = 200): { problems: RosterProblem[]; more: number } {
	return { problems: problems.slice(0, max), more: Math.max(0, problems.length - max) };
}

/**
 * A roster file's bytes → rows and problems, with every line whose bytes are neither UTF-8 nor
 * Shift_JIS as a problem of its own. Pure, so that it can run on the text worker.
 */
export function readRosterFile(bytes: Uint8Array): { encoding: TextEncoding; rows: RosterRow[]; problems: RosterProblem[] } {
	const { text, encoding, badLines } = decodeText(bytes);
	const { rows, problems } = readRoster(text);
	const broken = badLines.map((line): RosterProblem => ({ line, key: 'roster.error.encoding' }));
	return { encoding, rows, problems: [...broken, ...problems] };
}
