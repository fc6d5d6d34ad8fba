// The statistics behind weak spots. Pure functions over counts and running sums, so the summary
// rows kept at submit are enough and every figure can be checked by hand.

export interface Interval {
	low: number;
	high: number;
}

/**
 * Wilson score interval for a proportion (errors of n answers): unlike the plain ± interval it
 * stays inside 0–1 and is honest for small n and for rates near 0 or 1. Null for n = 0.
 */
export function wilsonInterval(errors: number, n: number, z = 1.96): Interval | null {
	if (!(n > 0)) return null;
	const p = Math.min(1, Math.max(0, errors / n));
	const z2 = z * z;
	const denominator = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denominator;
	const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
	return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Running sums over the answers to one question: x = its score (0–1), y = the attempt's total. */
export interface ItemSums {
	n: number;
	sumX: number;
	sumX2: number;
	sumY: number;
	sumY2: number;
	sumXY: number;
}

export interface ItemAnalysis {
	/** 困難度 (facility): the mean score, 0–1; null without answers. */
	facility: number | null;
	/**
	 * 識別力: the corrected item-rest correlation, the question's score against the rest of the
	 * attempt (total minus this question), so the item is not correlated with itself. Null when
	 * n < 2 or either side does not vary.
	 */
	discrimination: number | null;
}

/** A variance this small relative to its terms is rounding noise of equal values, not spread. */
const varianceEpsilon = 1e-9;

export function itemAnalysis(sums: ItemSums): ItemAnalysis {
	const { n, sumX, sumX2, sumY, sumY2, sumXY } = sums;
	if (!(n > 0)) return { facility: null, discrimination: null };
	const facility = Math.min(1, Math.max(0, sumX / n));
	if (n < 2) return { facility, discrimination: null };
	const sumR = sumY - sumX;
	const sumR2 = sumY2 - 2 * sumXY + sumX2;
	const sumXR = sumXY - sumX2;
	// n² times the variances and the covariance: the n² cancels in r.
	const varX = n * sumX2 - sumX * sumX;
	const varR = n * sumR2 - sumR * sumR;
	const cov = n * sumXR - sumX * sumR;
	if (varX <= varianceEpsilon * Math.max(1, n * sumX2) || varR <= varianceEpsilon * Math.max(1, n * sumR2)) {
		return { facility, discrimination: null };
	}
	const r = cov / Math.sqrt(varX * varR);
	return { facility, discrimination: Math.min(1, Math.max(-1, r)) };
}

export const itemInterpretations = ['too_few', 'misunderstood', 'badly_written', 'easy', 'good'] as const;
export type ItemInterpretation = (typeof itemInterpretations)[number];

/** Below this many answers an index says more about chance than about the question. */
export const itemMinAnswers = 10;

/**
 * What a question's indices suggest, in this order:
 * - too_few: fewer than `minAnswers` answers;
 * - misunderstood: most get it wrong (facility < 0.5) yet it separates those who know from those
 *   who do not (discrimination ≥ 0.2): the clause itself is misunderstood;
 * - badly_written: negative discrimination (the stronger answer it worse), or, unless nearly
 *   everyone gets it right, discrimination < 0.1 or none at all: check the wording and answer key;
 * - easy: facility ≥ 0.9 (a question almost everyone gets right cannot discriminate much);
 * - good.
 */
export function interpretItem(facility: number | null, discrimination: number | null, n: number, minAnswers = itemMinAnswers): ItemInterpretation {
	if (facility === null || !(n >= minAnswers)) return 'too_few';
	if (facility < 0.5 && discrimination !== null && discrimination >= 0.2) return 'misunderstood';
	if (discrimination !== null && discrimination < 0) return 'badly_written';
	if (facility >= 0.9) return 'easy';
	if (discrimination === null || discrimination < 0.1) return 'badly_written';
	return 'good';
}
