// How the weak-spot page writes its figures; pure, shared by the page's markup and its tests.
import { formatPercent } from '$lib/components/charts/chart-math';

export interface Rate {
	answers: number;
	errors: number;
	interval: { low: number; high: number } | null;
}

/** 12.3 for 0.1234: one decimal, no sign. */
export const percentNumber = (fraction: number): string => (Math.round(fraction * 1000) / 10).toFixed(1);

/** 12.3: the rate itself never rounds to 0.0 with an error or to 100.0 with a right answer. */
export const rateNumber = (r: Pick<Rate, 'answers' | 'errors'>): string => formatPercent(r.errors, r.answers).replace('%', '');

/** The parts of 「12.3%（95%信頼区間 8.1–17.9%）」, for the message that joins them. */
export function rateParts(r: Rate): { rate: string; low: string; high: string } | null {
	if (r.answers <= 0 || !r.interval) return null;
	return { rate: rateNumber(r), low: percentNumber(r.interval.low), high: percentNumber(r.interval.high) };
}

/** Heat-map shade 0–4 of an error rate: under 10%, 20%, 30%, 50%, and 50% or more. */
export function heatLevel(errors: number, answers: number): 0 | 1 | 2 | 3 | 4 {
	if (answers <= 0) return 0;
	// Scaled before dividing, so 1 of 10 is exactly 10% and shades as such.
	const tenths = (errors * 1000) / answers;
	if (tenths < 100) return 0;
	if (tenths < 200) return 1;
	if (tenths < 300) return 2;
	if (tenths < 500) return 3;
	return 4;
}

export type EffectReading = 'better' | 'worse' | 'unclear' | 'waiting' | 'noBefore';

/** Whether a revision changed the error rate: only when the two intervals do not overlap. */
export function effectReading(before: { enough: boolean; interval: Rate['interval'] }, after: { enough: boolean; interval: Rate['interval'] }): EffectReading {
	if (!after.enough || !after.interval) return 'waiting';
	if (!before.enough || !before.interval) return 'noBefore';
	if (after.interval.high < before.interval.low) return 'better';
	if (after.interval.low > before.interval.high) return 'worse';
	return 'unclear';
}
