// What the weak-spot figures look like: shared by the figures, the evidence frozen into a draft
// and the page.
import type { EmploymentType, Role } from '../../db/schema';
import { wilsonInterval, type Interval, type ItemInterpretation } from '../statistics';

export type WeakSpotFilter = { campaignId: string } | { fiscalYear: number };

/** What the figures count: quiz answers (understanding) or inspection answers (practice: いいえ as the error). */
export type WeakSpotSource = 'quiz' | 'inspection';

export interface WeakSpotOptions {
	/** Quiz answers (the default) or a self-inspection's answers. */
	source?: WeakSpotSource;
	/** The viewer's roles: 非公開 policies and sections stay hidden from roles they do not name. */
	roles: readonly Role[];
	/** Heat map drill-down: this department's own people and each of its sub-departments. */
	departmentId?: string | null;
	minGroupPeople?: number;
	itemMinAnswers?: number;
}

export interface RateFigures {
	answers: number;
	errors: number;
	/** 0–1; null without answers. */
	errorRate: number | null;
	/** Wilson 95% interval of the error rate. */
	interval: Interval | null;
}

/** A breakdown cell: its figures, or nothing at all when the group is too small. */
export type GroupCell = ({ suppressed: false } & RateFigures) | { suppressed: true };

export interface DepartmentGroup {
	/** The department id, or 'none' for people without a department. */
	key: string;
	departmentId: string | null;
	code: string | null;
	name: string | null;
	/** Only the people directly in the department, its sub-departments being columns of their own. */
	directOnly: boolean;
	/** Sums sub-departments: the heat map can drill into it. */
	hasChildren: boolean;
	suppressed: boolean;
	/** People who submitted; null when suppressed. */
	people: number | null;
}

export interface EmploymentGroup {
	key: EmploymentType;
	suppressed: boolean;
	people: number | null;
}

export interface WeakSection extends RateFigures {
	policyId: string;
	key: string;
	/** From the published version; null when the key is not in it. */
	label: string | null;
	/** As the document cites it (6(3)②); null when the key is not in the published version. */
	citation: string | null;
	heading: string | null;
	/** The start of the text, for an item without a heading (①, ア). */
	excerpt: string | null;
	/** 「6(3)③ インターネット接続系においては…」, from the version in force or, for a key it no longer has, the newest version that had it. */
	title: string;
	/** In the order of `departments`. */
	byDepartment: GroupCell[];
	/** In the order of `employmentTypes`. */
	byEmploymentType: GroupCell[];
}

export interface WeakQuestion extends RateFigures {
	id: string;
	policyId: string;
	stem: string;
	sectionKeys: string[];
	/** The sections it cites, as the document cites them (6(3)②). */
	sections: string[];
	/** Mean score 0–1 (partial credit counts). */
	facility: number | null;
	/** Corrected item-rest correlation. */
	discrimination: number | null;
	interpretation: ItemInterpretation;
}

export interface WeakSpotCampaign {
	id: string;
	title: string;
	fiscalYear: number;
	courseId: string;
	courseTitle: string;
	policyId: string;
}

export interface WeakSpots {
	filter: WeakSpotFilter;
	campaigns: WeakSpotCampaign[];
	policies: { id: string; slug: string; title: string }[];
	/** People who submitted at least once, summed over the campaigns (延べ). */
	people: number;
	/** False when fewer than `minGroupPeople` submitted: then nothing below is filled. */
	shown: boolean;
	minGroupPeople: number;
	/** Worst first: by error rate, then by the interval's lower bound. */
	sections: WeakSection[];
	/** By error rate, worst first; those with too few answers to read last. */
	questions: WeakQuestion[];
	departments: DepartmentGroup[];
	employmentTypes: EmploymentGroup[];
	/** The drill-down from the top to `departmentId`; empty at the top. */
	departmentPath: { id: string; name: string }[];
	/**
	 * Campaigns of the 年度 left out of its figures: each had fewer than k people, together too,
	 * so the 年度 minus the others would give them away.
	 */
	withheldCampaigns: { id: string; title: string }[];
	/** Some group's figures are withheld: the page explains why, once. */
	suppressedAny: boolean;
}

export function rateFigures(answers: number, errors: number): RateFigures {
	return { answers, errors, errorRate: answers > 0 ? errors / answers : null, interval: wilsonInterval(errors, answers) };
}

/** Worst first: by error rate, then by the interval's lower bound, then by the number of answers. */
export const byWeakness = (a: WeakSection, b: WeakSection): number =>
	(b.errorRate ?? 0) - (a.errorRate ?? 0) ||
	(b.interval?.low ?? 0) - (a.interval?.low ?? 0) ||
	b.answers - a.answers ||
	a.key.localeCompare(b.key, 'en', { numeric: true });

export const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
