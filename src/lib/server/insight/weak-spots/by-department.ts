// One 部's figures per section, for the section table filtered by 部: read from the department
// columns of the organisation-wide view (department-columns.ts), so a 部 shows exactly what the
// heat map shows in its column, withheld under the same rule.
import { byWeakness, type WeakSection, type WeakSpots } from './model';
import { sectionReading, type PracticeFigures, type PracticeView } from './practice';

/** A 部 the section table can be filtered by: a department column of the organisation-wide view. */
export interface DepartmentChoice {
	id: string;
	code: string | null;
	name: string | null;
}

export type DepartmentSections<S extends WeakSection = WeakSection> =
	/** The 部's own figures, worst first, its sections without answers left out. */
	| { state: 'shown'; sections: S[] }
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
export function sectionsOfDepartment<S extends WeakSection>(
	spots: Omit<WeakSpots, 'sections'> & { sections: S[]; practice?: PracticeView },
	departmentId: string
): DepartmentSections<S> {
	const index = spots.departmentPath.length > 0 ? -1 : spots.departments.findIndex((d) => d.departmentId === departmentId && !d.directOnly);
	if (index < 0) return { state: 'unknown' };
	if (spots.departments[index].suppressed) return { state: 'withheld' };
	// The 部's practice is its column of the practice view, withheld under that view's rule.
	const practiceIndex = spots.practice?.departments.findIndex((d) => d.departmentId === departmentId && !d.directOnly) ?? -1;
	const sections = spots.sections.flatMap((s) => {
		const cell = s.byDepartment[index];
		if (!cell || cell.suppressed || cell.answers === 0) return [];
		const { suppressed: _, ...figures } = cell;
		const practiceCell = 'practice' in s && s.practice ? (s.practice as PracticeFigures).byDepartment[practiceIndex] : undefined;
		if (!('practice' in s)) return [{ ...s, ...figures }];
		const practice: PracticeFigures | null = practiceCell && !practiceCell.suppressed ? { ...(s.practice as PracticeFigures), ...practiceCell } : null;
		return [{ ...s, ...figures, practice, reading: sectionReading(figures, practice) }];
	});
	return { state: 'shown', sections: (sections as S[]).sort(byWeakness) };
}
