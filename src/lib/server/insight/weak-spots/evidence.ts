// Evidence for a revision draft: the figures behind one section, frozen as plain JSON.
import type { DbOrTx } from '../../db/client';
import type { EmploymentType, Role } from '../../db/schema';
import { weakSpots } from './figures';
import type { GroupCell, RateFigures, WeakQuestion, WeakSpotFilter } from './model';

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
	const spots = await weakSpots(db, orgId, filter, { roles: options.roles ?? [] });
	if (!spots || !spots.shown) return null;
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
		byEmploymentType: spots.employmentTypes.map((t, i) => ({ key: t.key, ...s.byEmploymentType[i] }))
	};
}
