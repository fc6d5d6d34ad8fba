// The directory's people and departments, turned into a roster: the same columns a roster CSV
// has, read by the roster import's own reader, so every check and normalisation is the same.
import type { Entry } from 'ldapts';
import { attributeValue, attributeValues, withDirectory } from '../../auth/directory/client';
import type { DirectoryConfig } from '../../auth/directory/config';
import { employmentTypes, type EmploymentType } from '../../db/schema';
import { employmentTypeByLabel, readRoster, rosterCodeMax, type RosterProblem, type RosterRow } from '../roster';
import type { SourceDepartment } from '../roster/import';

/** How many entries one page of the search brings (directories cap a page, often at 1000). */
const pageSize = 500;
/** A directory larger than this is refused rather than read into memory. */
export const directoryMaxPeople = 50_000;

export interface DirectoryPersonRef {
	/** The entry's 職員番号, as the directory holds it. */
	loginId: string;
	dn: string;
}

export interface DirectoryRoster {
	rows: RosterRow[];
	departments: SourceDepartment[];
	/** Problems as the roster import reports them, each naming the entry it is about. */
	problems: (RosterProblem & { entry: string })[];
	/** Disabled entries: leavers, with the retirement date `today` unless one is stored. */
	disabled: number;
}

/** Compares DNs as directories do: case and spaces after separators do not matter. */
export function normaliseDn(dn: string): string {
	return dn
		.split(/(?<!\\),/)
		.map((rdn) => rdn.trim().toLowerCase())
		.join(',');
}

const parentDn = (dn: string) => {
	const parts = dn.split(/(?<!\\),/);
	return parts.slice(1).join(',');
};

/** The value of an RDN such as `ou=総務課`. */
const rdnValue = (dn: string) => {
	const first = dn.split(/(?<!\\),/)[0] ?? '';
	return first.slice(first.indexOf('=') + 1).replace(/\\(.)/g, '$1');
};

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

const labelOfType = Object.fromEntries(Object.entries(employmentTypeByLabel).map(([label, type]) => [type, label])) as Record<EmploymentType, string>;

/** Everything the sync needs from the directory, in two searches (departments, people). */
export async function readDirectory(
	config: DirectoryConfig,
	options: { today: string; storedRetirement?: Map<string, string | null> }
): Promise<DirectoryRoster> {
	const sync = config.sync;
	const departments: SourceDepartment[] = [];
	const departmentByDn = new Map<string, SourceDepartment>();
	const disabledFilter = config.disabledFilter;

	const { ous, entries, disabledDns } = await withDirectory(config, async (client) => {
		const ous =
			sync.departments === 'ou'
				? (
						await client.search(sync.departmentsDn, {
							scope: 'sub',
							filter: '(objectClass=organizationalUnit)',
							attributes: ['ou', ...(sync.ouCodeAttribute ? [sync.ouCodeAttribute] : [])],
							paged: { pageSize }
						})
					).searchEntries
				: [];
		const attributes = [
			config.loginAttribute,
			sync.nameAttribute,
			sync.kanaAttribute,
			sync.mailAttribute,
			sync.titleAttribute,
			sync.employmentTypeAttribute,
			sync.employmentTypeGroups.length ? sync.memberOfAttribute : null,
			sync.departments === 'attribute' ? sync.departmentCodeAttribute : null,
			sync.departments === 'attribute' ? sync.departmentNameAttribute : null
		].filter((a): a is string => !!a);
		const { searchEntries } = await client.search(config.baseDn, { scope: 'sub', filter: config.userFilter, attributes, paged: { pageSize } });
		if (searchEntries.length > directoryMaxPeople) throw new Error(`the directory holds more than ${directoryMaxPeople} people`);
		const disabledDns = new Set<string>();
		if (disabledFilter) {
			const disabled = await client.search(config.baseDn, {
				scope: 'sub',
				filter: `(&${config.userFilter}${disabledFilter})`,
				attributes: ['dn'],
				paged: { pageSize }
			});
			for (const e of disabled.searchEntries) disabledDns.add(normaliseDn(e.dn));
		}
		return { ous, entries: searchEntries, disabledDns };
	});

	const top = normaliseDn(sync.departmentsDn);
	for (const ou of ous) {
		const dn = normaliseDn(ou.dn);
		if (dn === top) continue;
		const name = attributeValue(ou, 'ou') || rdnValue(ou.dn);
		const code = (sync.ouCodeAttribute && attributeValue(ou, sync.ouCodeAttribute)) || name;
		const d = { code: code.normalize('NFKC').trim(), name: name.trim(), parentCode: null as string | null, parentDn: parentDn(dn) };
		// A code no roster could hold is left out; people in such an OU are reported by the reader.
		if (d.code && d.code.length <= rosterCodeMax && d.name) departmentByDn.set(dn, d);
	}
	for (const [, d] of departmentByDn) {
		const parent = departmentByDn.get((d as SourceDepartment & { parentDn: string }).parentDn);
		departments.push({ code: d.code, name: d.name, parentCode: parent ? parent.code : null });
	}

	const groups = sync.employmentTypeGroups.map((g) => ({ dn: normaliseDn(g.groupDn), type: g.type }));
	const typeOf = (entry: Entry): string => {
		if (groups.length) {
			const memberOf = new Set(attributeValues(entry, sync.memberOfAttribute).map(normaliseDn));
			const group = groups.find((g) => memberOf.has(g.dn));
			if (group) return labelOfType[group.type];
		}
		const value = attributeValue(entry, sync.employmentTypeAttribute).trim();
		if (!value) return labelOfType[sync.defaultEmploymentType];
		// A code (fiscal_year) or the label itself (会計年度任用職員); anything else the reader reports.
		return (employmentTypes as readonly string[]).includes(value) ? labelOfType[value as EmploymentType] : value;
	};
	const departmentOf = (entry: Entry): { code: string; name: string } => {
		if (sync.departments === 'attribute') {
			return { code: attributeValue(entry, sync.departmentCodeAttribute), name: attributeValue(entry, sync.departmentNameAttribute) };
		}
		const d = departmentByDn.get(parentDn(normaliseDn(entry.dn)));
		return d ? { code: d.code, name: d.name } : { code: '', name: '' };
	};

	const header = ['職員番号', '氏名', '所属コード', '所属名', '雇用区分', '退職日'];
	if (sync.kanaAttribute) header.push('氏名カナ');
	if (sync.mailAttribute) header.push('メール');
	if (sync.titleAttribute) header.push('役職');
	const lines = [header.join(',')];
	const entryOfLine = new Map<number, string>();
	let disabled = 0;
	entries.forEach((entry, index) => {
		const loginId = attributeValue(entry, config.loginAttribute);
		const department = departmentOf(entry);
		let retirement = '';
		if (disabledDns.has(normaliseDn(entry.dn))) {
			disabled++;
			retirement = options.storedRetirement?.get(loginId.normalize('NFKC').trim()) ?? options.today;
		}
		const cells = [loginId, attributeValue(entry, sync.nameAttribute), department.code, department.name, typeOf(entry), retirement];
		if (sync.kanaAttribute) cells.push(attributeValue(entry, sync.kanaAttribute));
		if (sync.mailAttribute) cells.push(attributeValue(entry, sync.mailAttribute));
		if (sync.titleAttribute) cells.push(attributeValue(entry, sync.titleAttribute));
		lines.push(cells.map(csvField).join(','));
		entryOfLine.set(index + 2, loginId || entry.dn);
	});

	const { rows, problems } = readRoster(lines.join('\n'));
	return {
		rows,
		departments,
		problems: problems.map((p) => ({ ...p, entry: entryOfLine.get(p.line) ?? '' })),
		disabled
	};
}
