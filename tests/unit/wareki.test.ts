import { describe, expect, it } from 'vitest';
import { fiscalYearOf, formatDate, formatDateTime, formatFiscalYear, formatIsoDate, formatWareki, titleWithYear } from '../../src/lib/format/wareki';

describe('formatWareki', () => {
	it.each([
		['2025-11-25', '令和7年11月25日'],
		['2019-05-01', '令和元年5月1日'],
		['2019-04-30', '平成31年4月30日'],
		['1989-01-08', '平成元年1月8日'],
		['1989-01-07', '昭和64年1月7日'],
		['2005-03-01', '平成17年3月1日'],
		['2016-08-01', '平成28年8月1日'],
		['1926-12-25', '昭和元年12月25日'],
		['1912-07-30', '大正元年7月30日']
	])('%s → %s', (iso, expected) => {
		expect(formatWareki(iso)).toBe(expected);
	});

	it('uses the date in Japan, not the server zone', () => {
		// 2026-03-31 20:00 UTC is already 1 April in Japan: a new 年度.
		const instant = new Date('2026-03-31T20:00:00Z');
		expect(formatWareki(instant)).toBe('令和8年4月1日');
		expect(formatIsoDate(instant)).toBe('2026-04-01');
		expect(fiscalYearOf(instant)).toBe(2026);
		expect(formatDateTime(instant)).toBe('令和8年4月1日 05:00');
	});
});

describe('fiscal year (年度)', () => {
	it('runs April to March', () => {
		expect(fiscalYearOf('2026-03-31')).toBe(2025);
		expect(fiscalYearOf('2026-04-01')).toBe(2026);
		expect(formatFiscalYear(2025)).toBe('令和7年度');
		expect(formatFiscalYear(2019)).toBe('令和元年度');
		expect(formatFiscalYear(2018)).toBe('平成30年度');
		expect(formatFiscalYear(1988)).toBe('昭和63年度');
		expect(formatFiscalYear(1989)).toBe('平成元年度');
	});
});

describe('formatDate in English', () => {
	it('shows the Western date with the era', () => {
		expect(formatDate('2025-11-25', 'en')).toBe('25 Nov 2025 (Reiwa 7)');
	});
});

describe('titleWithYear', () => {
	it('adds the 年度 once, and not to a title that already names it', () => {
		expect(titleWithYear('改訂のポイント', '令和8年度')).toBe('改訂のポイント（令和8年度）');
		expect(titleWithYear('令和8年度 情報セキュリティ研修（全職員）', '令和8年度')).toBe('令和8年度 情報セキュリティ研修（全職員）');
		expect(titleWithYear('改訂のポイント（令和8年度）', '令和8年度')).toBe('改訂のポイント（令和8年度）');
		expect(titleWithYear('Points', 'FY2026', (t, y) => `${t} (${y})`)).toBe('Points (FY2026)');
	});
});
