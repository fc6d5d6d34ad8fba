// One 部's figures per section, for the section table filtered by 部: read from the department
// columns of the organisation-wide view (department-columns.ts), so a 部 shows exactly what the
// heat map shows in its column, withheld under the same rule.
import { byWeakness, type WeakSection, type WeakSpots } from './model';

/** A 部 the section table can be filtered by: a department column of the organisation-wide view. */
export interface DepartmentChoice {
	id: string;
	code: string | null;
	name: string | null;
}

export type DepartmentSections =
	/** The 部's own figures, worst first, its sections without answers left out. */
	| { state: 'shown'; sections: WeakSection[] }
	/** Fewer than k people behind the column, or another column would give it away. */
	| { state: 'withheld' }
	/** Not a 部 of this view: no answers from it, another organisation's or no department at all. */
	| { state: 'unknown' };

/** The 部 of a view of the whole organisation (figures computed without a drill-down). */
export function departmentChoices(spots: WeakSpots): DepartmentChoice[] {
	if (spots.departmentPath.length > 0) return [];
	return spots.departments.flatMap((d) => (d.departmentId !== null && !d.directOnly ? [{ id: d.departmentId, code: d.code, name: d.name }] : []));
}

/** The sections as answered by the people of one 部 (the figures of the whole organisation otherwise). */
export function sectionsOfDepartment(spots: WeakSpots, departmentId: string): DepartmentSections {
	const index = spots.departmentPath.length > 0 ? -1 : spots.departments.findIndex((d) => d.departmentId === departmentId && !d.directOnly);
	if (index < 0) return { state: 'unknown' };
	if (spots.departments[index].suppressed) return { state: 'withheld' };
	const sections = spots.sections.flatMap((s) => {
		const cell = s.byDepartment[index];
		if (!cell || cell.suppressed || cell.answers === 0) return [];
		const { suppressed: _, ...figures } = cell;
		return [{ ...s, ...figures }];
	});
	return { state: 'shown', sections: sections.sort(byWeakness) };
}
