// The one way routes read their query string. Each parameter is read as what the page expects — a
// text of bounded length, an id, a calendar date, a whole number in a range, one of a list — and
// anything else is a 400 that names the parameter, never a value passed on to a query that fails.
// An empty parameter (a form's blank choice) counts as absent.
import type { RequestEvent } from '@sveltejs/kit';
import { isUuid } from '../db/ids';
import { isCalendarDate } from '../../format/calendar';
import { badQuery, refuse } from './refusal';

/** Page numbers past this are not a list anyone pages through. */
export const maxPage = 100_000;

const controlCharacter = /[\p{Cc}]/u;

export interface QueryReader {
	/** Text of at most `max` characters; '' when absent. */
	text(name: string, max?: number): string;
	/** An id (uuid, lower case), or null when absent. */
	id(name: string): string | null;
	/** A date YYYY-MM-DD that exists, or null when absent. */
	date(name: string): string | null;
	/** A whole number from `min` to `max`, or null when absent. Full-width digits count. */
	integer(name: string, min: number, max: number): number | null;
	/** A 年度 (fiscal year, 1989 = 平成元年 onwards), or null when absent. */
	fiscalYear(name: string): number | null;
	/** A page number from 1, 1 when absent. */
	page(name?: string): number;
	/** One of `values`, or null when absent. */
	choice<T extends string>(name: string, values: readonly T[]): T | null;
	/** Whether the parameter is there with the value `1` (links such as `?discarded=1`). */
	flag(name: string): boolean;
}

/** A reader of the address's query, or of parameters a form carries back (a filter). */
export function readQuery(from: URL | URLSearchParams): QueryReader {
	const params = from instanceof URL ? from.searchParams : from;
	/** The value, trimmed, or null when absent or empty; control characters are never a value. */
	const raw = (name: string): string | null => {
		const value = params.get(name);
		if (value === null) return null;
		if (controlCharacter.test(value)) refuse(badQuery(name));
		const trimmed = value.trim();
		return trimmed === '' ? null : trimmed;
	};
	const integer = (name: string, min: number, max: number): number | null => {
		const found = raw(name);
		if (found === null) return null;
		const value = found.normalize('NFKC');
		const number = /^-?\d{1,15}$/.test(value) ? Number(value) : NaN;
		if (!(number >= min && number <= max)) refuse(badQuery(name));
		return number;
	};
	return {
		text(name, max = 200) {
			const value = params.get(name) ?? '';
			if (value.length > max || value.includes('\0')) refuse(badQuery(name));
			return value;
		},
		id(name) {
			const value = raw(name);
			if (value === null) return null;
			if (!isUuid(value)) refuse(badQuery(name));
			return value.toLowerCase();
		},
		date(name) {
			const value = raw(name);
			if (value === null) return null;
			if (!isCalendarDate(value)) refuse(badQuery(name, '2026-04-01'));
			return value;
		},
		integer,
		fiscalYear: (name) => integer(name, 1989, 2999),
		page: (name = 'page') => integer(name, 1, maxPage) ?? 1,
		choice(name, values) {
			const value = raw(name);
			if (value === null) return null;
			if (!(values as readonly string[]).includes(value)) refuse(badQuery(name));
			return value as (typeof values)[number];
		},
		flag(name) {
			const value = raw(name);
			return value === '1';
		}
	};
}

/**
 * Parameters read only as a redirect target: `safeNextPath` reads them as a browser would and sends
 * anything odd, a NUL included, to the home page instead of refusing the page.
 */
const redirectTargets: Record<string, string> = { '/login': 'next' };

/** A NUL in a query parameter or a path segment: refused before anything reads it. */
export function addressHasNul(event: Pick<RequestEvent, 'url' | 'params'> & { route: { id: string | null } }): boolean {
	const target = event.route.id ? redirectTargets[event.route.id] : undefined;
	for (const [name, value] of event.url.searchParams) if (name.includes('\0') || (value.includes('\0') && name !== target)) return true;
	return Object.values(event.params).some((value) => value?.includes('\0'));
}
