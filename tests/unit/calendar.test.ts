import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	addDays,
	dayNumber,
	daysBetween,
	daysLeft,
	isCalendarDate,
	isoFromDayNumber,
	japanDay,
	japanMidnight,
	japanToday
} from '../../src/lib/format/calendar';
import { formatIsoDate } from '../../src/lib/format/wareki';

describe('day arithmetic on ISO dates', () => {
	afterEach(() => {
		vi.unstubAllEnvs();
		vi.useRealTimers();
	});

	it('counts days across month, year and leap-day boundaries', () => {
		expect(daysBetween('2025-11-01', '2025-11-24')).toBe(23);
		expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
		expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
		expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
		expect(daysBetween('2025-11-24', '2025-11-01')).toBe(-23);
		expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
		expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
		expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
		expect(addDays('2026-03-31', 0)).toBe('2026-03-31');
	});

	it('counts the days left to a due date: 0 on the day, negative after it', () => {
		expect(daysLeft('2026-06-15', '2026-06-15')).toBe(0);
		expect(daysLeft('2026-06-10', '2026-06-15')).toBe(-5);
		expect(daysLeft('2027-03-31', '2026-04-01')).toBe(364);
		expect(daysLeft('2028-03-01', '2028-02-28')).toBe(2);
	});

	it('round-trips day numbers', () => {
		for (const iso of ['1970-01-01', '2019-05-01', '2025-11-03', '2099-12-31']) expect(isoFromDayNumber(dayNumber(iso)!)).toBe(iso);
	});

	it('rejects dates that do not exist or are not YYYY-MM-DD', () => {
		expect(dayNumber('2025-02-29')).toBeNull();
		expect(dayNumber('2025-13-01')).toBeNull();
		expect(dayNumber('2025/11/03')).toBeNull();
		expect(dayNumber('2025-11-03T00:00:00+09:00')).toBeNull();
		expect(dayNumber('0050-01-01')).toBeNull();
		expect(isCalendarDate('2024-02-29')).toBe(true);
		expect(isCalendarDate('2026-02-31')).toBe(false);
		expect(() => daysBetween('2025-11-31', '2025-12-01')).toThrow(RangeError);
		expect(() => addDays('2025-11-31', 1)).toThrow(RangeError);
	});

	it('does not depend on the process time zone', () => {
		// Date.UTC is immune to TZ; this guards against a later switch to local-time parsing.
		vi.stubEnv('TZ', 'America/Los_Angeles');
		expect(daysBetween('2025-03-08', '2025-03-10')).toBe(2);
		expect(addDays('2025-11-01', 1)).toBe('2025-11-02');
	});
});

describe('Japan-time days', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('puts an instant on the day it is in Japan, which starts at 15:00 UTC the day before', () => {
		expect(japanDay(new Date('2026-03-31T14:59:59.999Z'))).toBe('2026-03-31');
		expect(japanDay(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
		expect(japanMidnight('2026-04-01').toISOString()).toBe('2026-03-31T15:00:00.000Z');
		expect(japanDay(japanMidnight('2026-04-01'))).toBe('2026-04-01');
		expect(japanDay(new Date(japanMidnight('2026-04-01').getTime() - 1))).toBe('2026-03-31');
	});

	it('agrees with the 和暦 formatter on every hour of a year', () => {
		for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 * 7) {
			expect(japanDay(new Date(t))).toBe(formatIsoDate(new Date(t)));
		}
	});

	it('reads today in Japan from the clock', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-12-31T15:30:00Z'));
		expect(japanToday()).toBe('2027-01-01');
	});
});
