// Japan-time days: today in Japan, the day of an instant, and arithmetic on YYYY-MM-DD dates.
// Shared by server and client (the progress chart counts days too). Dates are calendar days
// already in Japan time, so they are counted in UTC, where no day is 23 or 25 hours long and the
// server's zone cannot shift them; Japan has no summer time, so an instant's day is UTC+9.

const dayMs = 86_400_000;
const japanOffsetMs = 9 * 3_600_000;
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a YYYY-MM-DD date, or null when it is not a real date. */
export function dayNumber(iso: string): number | null {
	const m = isoPattern.exec(iso);
	if (!m) return null;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const time = Date.UTC(year, month - 1, day);
	const d = new Date(time);
	if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
	return Math.round(time / dayMs);
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-31). */
export function isCalendarDate(value: string): boolean {
	return dayNumber(value) !== null;
}

/** The day number of a date that must be real: a wrong one is a programming error. */
export function requireDay(iso: string): number {
	const n = dayNumber(iso);
	if (n === null) throw new RangeError(`Not a date: ${iso}`);
	return n;
}

/** The YYYY-MM-DD date of a day number. */
export function isoFromDayNumber(n: number): string {
	return new Date(n * dayMs).toISOString().slice(0, 10);
}

/** `iso` moved by `days` (negative: earlier). */
export function addDays(iso: string, days: number): string {
	return isoFromDayNumber(requireDay(iso) + days);
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return requireDay(to) - requireDay(from);
}

/** Whole days from `today` to `dueOn`: 0 on the due date, negative after it. */
export function daysLeft(dueOn: string, today: string): number {
	return daysBetween(today, dueOn);
}

/** The calendar day in Japan of an instant, as YYYY-MM-DD. */
export function japanDay(at: Date): string {
	return new Date(at.getTime() + japanOffsetMs).toISOString().slice(0, 10);
}

/** Today in Japan: due dates, 退職日 and 年度 are Japanese office dates. */
export function japanToday(): string {
	return japanDay(new Date());
}

/** The instant a YYYY-MM-DD day begins in Japan. */
export function japanMidnight(iso: string): Date {
	return new Date(requireDay(iso) * dayMs - japanOffsetMs);
}
