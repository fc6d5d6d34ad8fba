// Evidence for a revision draft: the figures behind one section, frozen as plain JSON.
import type { DbOrTx } from '../../db/client';
import type { EmploymentType, Role } from '../../db/schema';
import type { GroupCell, RateFigures, WeakQuestion, WeakSpotFilter } from './model';
import { sideBySide, type SectionReading } from './practice';

export interface WeakSpotEvidence {
	kind: 'weak_spots';
	/** ISO time the figures were taken. */
	takenAt: string;
	filter: WeakSpotFilter;
	campaigns: { id: string; title: string; fiscalYear: number }[];
	policyId: string;
	people: number;
	minGroupPeople: number;
	section: RateFigures & {
		key: string;
		label: string | null;
		citation: string | null;
		heading: string | null;
		excerpt: string | null;
		/** 1 for the worst section of the filter. */
		rank: number;
		/** Sections with answers under the filter. */
		of: number;
	};
	questions: WeakQuestion[];
	/** Top-level departments; withheld groups carry no figures. */
	byDepartment: (GroupCell & { key: string; name: string | null })[];
	byEmploymentType: (GroupCell & { key: EmploymentType })[];
	/**
	 * The 年度's self-inspection beside the quiz: the section's いいえ rate among はい and いいえ with
	 * its breakdowns (withheld alike), and what the two say together. Absent in drafts started
	 * before inspections were counted; null when the 年度 had no round with enough people.
	 */
	practice?: {
		fiscalYear: number | null;
		rounds: { id: string; title: string }[];
		people: number;
		section: RateFigures | null;
		byDepartment: (GroupCell & { key: string; name: string | null })[];
		byEmploymentType: (GroupCell & { key: EmploymentType })[];
		reading: SectionReading;
	} | null;
}

/**
 * The figures behind a revision of one section, frozen as plain JSON for the draft: the section,
 * its questions and its breakdowns (already withheld where groups are small), the filter and the
 * time. Null when the filter, the policy or the section is not there for the viewer, or there are
 * no figures to freeze (no answers, or too few people).
 */
export async function weakSpotEvidence(
	db: DbOrTx,
	orgId: string,
	request: { policyId: string; sectionKey: string; campaignId?: string | null; fiscalYear?: number | null },
	options: { roles?: readonly Role[]; now?: Date } = {}
): Promise<WeakSpotEvidence | null> {
	const filter: WeakSpotFilter | null = request.campaignId
		? { campaignId: request.campaignId }
		: Number.isInteger(request.fiscalYear)
			? { fiscalYear: request.fiscalYear as number }
			: null;
	if (!filter) return null;
	const spots = await sideBySide(db, orgId, filter, { roles: options.roles ?? [] });
	if (!spots || (!spots.shown && !spots.practice.shown)) return null;
	const policySections = spots.sections.filter((s) => s.policyId === request.policyId);
	const index = policySections.findIndex((s) => s.key === request.sectionKey);
	if (index < 0) return null;
	const s = policySections[index];
	return {
		kind: 'weak_spots',
		takenAt: (options.now ?? new Date()).toISOString(),
		filter,
		campaigns: spots.campaigns.filter((c) => c.policyId === request.policyId).map((c) => ({ id: c.id, title: c.title, fiscalYear: c.fiscalYear })),
		policyId: s.policyId,
		people: spots.people,
		minGroupPeople: spots.minGroupPeople,
		section: {
			key: s.key,
			label: s.label,
			citation: s.citation,
			heading: s.heading,
			excerpt: s.excerpt,
			answers: s.answers,
			errors: s.errors,
			errorRate: s.errorRate,
			interval: s.interval,
			rank: index + 1,
			of: policySections.length
		},
		questions: spots.questions.filter((q) => q.policyId === s.policyId && q.sectionKeys.includes(s.key)),
		byDepartment: spots.departments.map((d, i) => ({ key: d.key, name: d.name, ...s.byDepartment[i] })),
		byEmploymentType: spots.employmentTypes.map((t, i) => ({ key: t.key, ...s.byEmploymentType[i] })),
		practice: spots.practice.shown
			? {
					fiscalYear: spots.practice.fiscalYear,
					rounds: spots.practice.rounds,
					people: spots.practice.people,
					section: s.practice && { answers: s.practice.answers, errors: s.practice.errors, errorRate: s.practice.errorRate, interval: s.practice.interval },
					byDepartment: s.practice ? spots.practice.departments.map((d, i) => ({ key: d.key, name: d.name, ...s.practice!.byDepartment[i] })) : [],
					byEmploymentType: s.practice ? spots.practice.employmentTypes.map((t, i) => ({ key: t.key, ...s.practice!.byEmploymentType[i] })) : [],
					reading: s.reading
				}
			: null
	};
}
