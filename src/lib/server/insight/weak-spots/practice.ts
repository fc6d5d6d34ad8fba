// Understanding beside practice: per section, the quiz error rate (what staff understand) and the
// self-inspection's いいえ rate (what they do), each with its interval, count and breakdowns under
// the same withholding, and in words which of the two a section lacks. The practice figures are
// the 年度's inspection rounds: a round runs once a year, while training campaigns may be many.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaigns } from '../../db/schema';
import { isUuid } from '../../db/ids';
import { recentWeakSpots, weakSpots } from './figures';
import {
	byWeakness,
	rateFigures,
	type GroupCell,
	type RateFigures,
	type WeakSection,
	type WeakSpotFilter,
	type WeakSpotOptions,
	type WeakSpots
} from './model';

/** A section's practice: いいえ as errors among はい and いいえ (該当しない left out). */
export interface PracticeFigures extends RateFigures {
	/** In the order of the practice view's `departments`. */
	byDepartment: GroupCell[];
	/** In the order of the practice view's `employmentTypes`. */
	byEmploymentType: GroupCell[];
}

/**
 * What the two figures say together. `known_not_done`: understood (few quiz errors) but not
 * followed (many いいえ); `done_not_known`: followed without being understood; `neither`,
 * `both`, `between` (no clear reading), `too_few` (one side has too few answers to read).
 */
export type SectionReading = 'known_not_done' | 'done_not_known' | 'neither' | 'both' | 'between' | 'too_few';

/** Answers each side needs before the two are read together. */
export const readingMinAnswers = 20;
/** Quiz error rates: below `understood` the clause is understood, from `misunderstood` it is not. */
export const quizThresholds = { understood: 0.2, misunderstood: 0.3 } as const;
/** いいえ rates: below `followed` the practice is followed, from `notFollowed` it is not. */
export const practiceThresholds = { followed: 0.1, notFollowed: 0.2 } as const;

export function sectionReading(quiz: RateFigures | null, practice: RateFigures | null): SectionReading {
	if (!quiz || !practice || quiz.answers < readingMinAnswers || practice.answers < readingMinAnswers) return 'too_few';
	const q = quiz.errorRate ?? 0;
	const p = practice.errorRate ?? 0;
	const understood = q < quizThresholds.understood;
	const misunderstood = q >= quizThresholds.misunderstood;
	const followed = p < practiceThresholds.followed;
	const notFollowed = p >= practiceThresholds.notFollowed;
	if (understood && notFollowed) return 'known_not_done';
	if (misunderstood && followed) return 'done_not_known';
	if (misunderstood && notFollowed) return 'neither';
	if (understood && followed) return 'both';
	return 'between';
}

export interface SideBySideSection extends WeakSection {
	practice: PracticeFigures | null;
	reading: SectionReading;
}

export interface PracticeView {
	/** The 年度 whose rounds the practice figures count. */
	fiscalYear: number | null;
	rounds: { id: string; title: string }[];
	people: number;
	/** False when fewer than k people answered: no practice figures are shown. */
	shown: boolean;
	departments: WeakSpots['departments'];
	employmentTypes: WeakSpots['employmentTypes'];
	withheldRounds: { id: string; title: string }[];
}

export interface SideBySide extends Omit<WeakSpots, 'sections'> {
	sections: SideBySideSection[];
	practice: PracticeView;
}

const noFigures = (cells: number): GroupCell[] => Array.from({ length: cells }, () => ({ suppressed: false as const, ...rateFigures(0, 0) }));

/**
 * The quiz view with each section's practice beside it. A section with practice figures but no
 * quiz answers joins the list (after those with answers), so nothing practised goes unseen. Pure.
 */
export function mergePractice(quiz: WeakSpots, practice: WeakSpots | null, fiscalYear: number | null): SideBySide {
	const shown = !!practice?.shown;
	const byKey = new Map((shown ? practice!.sections : []).map((s) => [`${s.policyId} ${s.key}`, s]));
	const practiceOf = (s: WeakSection): PracticeFigures | null => {
		const p = byKey.get(`${s.policyId} ${s.key}`);
		return p
			? {
					answers: p.answers,
					errors: p.errors,
					errorRate: p.errorRate,
					interval: p.interval,
					byDepartment: p.byDepartment,
					byEmploymentType: p.byEmploymentType
				}
			: null;
	};
	const quizPolicies = new Set(quiz.policies.map((p) => p.id));
	const sections: SideBySideSection[] = quiz.sections.map((s) => {
		const p = practiceOf(s);
		byKey.delete(`${s.policyId} ${s.key}`);
		return { ...s, practice: p, reading: sectionReading(s, p) };
	});
	const practiceOnly: SideBySideSection[] = [...byKey.values()]
		.filter((s) => quizPolicies.has(s.policyId) || !quiz.shown)
		.map((s) => {
			const p = practiceOf(s)!;
			return {
				...s,
				...rateFigures(0, 0),
				byDepartment: noFigures(quiz.departments.length),
				byEmploymentType: noFigures(quiz.employmentTypes.length),
				practice: p,
				reading: 'too_few' as const
			};
		})
		.sort(byWeakness);
	const policies = [...quiz.policies, ...(practice?.policies ?? []).filter((p) => !quizPolicies.has(p.id) && practiceOnly.some((s) => s.policyId === p.id))];
	return {
		...quiz,
		policies,
		sections: [...sections, ...practiceOnly],
		practice: {
			fiscalYear,
			rounds: (practice?.campaigns ?? []).map((c) => ({ id: c.id, title: c.title })),
			people: practice?.people ?? 0,
			shown,
			departments: shown ? practice!.departments : [],
			employmentTypes: shown ? practice!.employmentTypes : [],
			withheldRounds: practice?.withheldCampaigns ?? []
		}
	};
}

/** The 年度 a filter's practice figures come from: the filter's, or its campaign's. */
async function practiceYear(db: DbOrTx, orgId: string, filter: WeakSpotFilter): Promise<number | null> {
	if ('fiscalYear' in filter) return filter.fiscalYear;
	if (!isUuid(filter.campaignId)) return null;
	const [row] = await db
		.select({ fiscalYear: campaigns.fiscalYear })
		.from(campaigns)
		.where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, filter.campaignId.toLowerCase())));
	return row?.fiscalYear ?? null;
}

/** The page's view: quiz figures (shared for 30 s, as `recentWeakSpots`) with the 年度's practice beside them. */
export async function recentSideBySide(
	db: DbOrTx,
	orgId: string,
	filter: WeakSpotFilter,
	options: WeakSpotOptions
): Promise<(SideBySide & { computedAt: Date }) | null> {
	const quiz = await recentWeakSpots(db, orgId, filter, { ...options, source: 'quiz' });
	if (!quiz) return null;
	const year = await practiceYear(db, orgId, filter);
	const practice = year === null ? null : await recentWeakSpots(db, orgId, { fiscalYear: year }, { ...options, source: 'inspection' });
	return { ...mergePractice(quiz, practice, year), computedAt: quiz.computedAt };
}

/** The same without the shared cache, for figures frozen into a draft. */
export async function sideBySide(db: DbOrTx, orgId: string, filter: WeakSpotFilter, options: WeakSpotOptions): Promise<SideBySide | null> {
	const quiz = await weakSpots(db, orgId, filter, { ...options, source: 'quiz' });
	if (!quiz) return null;
	const year = await practiceYear(db, orgId, filter);
	const practice = year === null ? null : await weakSpots(db, orgId, { fiscalYear: year }, { ...options, source: 'inspection' });
	return mergePractice(quiz, practice, year);
}

/**
 * The practice side laid out as a weak-spot view, for the pages that draw one measure at a time
 * (the heat map): each section's いいえ rate and its breakdowns in place of the quiz's.
 */
export function practiceAsSpots<T extends SideBySide>(side: T): Omit<T, 'sections'> & { sections: SideBySideSection[] } {
	const p = side.practice;
	const sections = side.sections
		.flatMap((s) =>
			s.practice
				? [
						{
							...s,
							answers: s.practice.answers,
							errors: s.practice.errors,
							errorRate: s.practice.errorRate,
							interval: s.practice.interval,
							byDepartment: s.practice.byDepartment,
							byEmploymentType: s.practice.byEmploymentType
						}
					]
				: []
		)
		.sort(byWeakness);
	return {
		...side,
		people: p.people,
		shown: p.shown,
		sections: p.shown ? sections : [],
		departments: p.departments,
		employmentTypes: p.employmentTypes,
		withheldCampaigns: [],
		suppressedAny: p.departments.some((d) => d.suppressed) || p.employmentTypes.some((t) => t.suppressed)
	};
}
