// 和暦: official dates show as 令和7年11月25日. Own table rather than Intl, so that server and
// client print the same thing whatever ICU data they carry, and 元年 is spelled as documents do.
const eras = [
	{ name: '令和', en: 'Reiwa', start: [2019, 5, 1] },
	{ name: '平成', en: 'Heisei', start: [1989, 1, 8] },
	{ name: '昭和', en: 'Showa', start: [1926, 12, 25] },
	{ name: '大正', en: 'Taisho', start: [1912, 7, 30] },
	{ name: '明治', en: 'Meiji', start: [1868, 1, 25] }
] as const;

export type DateInput = Date | string | number;

const zone = 'Asia/Tokyo';
// Made once: building a DateTimeFormat costs far more than formatting with one, and a page can
// format hundreds of dates.
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false });

/** Year, month and day as a Japanese office sees them (Asia/Tokyo), whatever the server's zone. */
export function calendarParts(input: DateInput): { year: number; month: number; day: number } {
	if (typeof input === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(input)) {
		const [year, month, day] = input.split('-').map(Number);
		return { year, month, day };
	}
	const d = input instanceof Date ? input : new Date(input);
	const parts = dayFormat.formatToParts(d);
	const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return { year: get('year'), month: get('month'), day: get('day') };
}

export function eraOf(year: number, month: number, day: number) {
	const key = year * 10000 + month * 100 + day;
	const era = eras.find((e) => key >= e.start[0] * 10000 + e.start[1] * 100 + e.start[2]);
	if (!era) return null;
	return { name: era.name, en: era.en, year: year - era.start[0] + 1 };
}

/** 令和7年11月25日 (令和元年5月1日 for the first year). */
export function formatWareki(input: DateInput): string {
	const { year, month, day } = calendarParts(input);
	const era = eraOf(year, month, day);
	if (!era) return `${year}年${month}月${day}日`;
	return `${era.name}${era.year === 1 ? '元' : era.year}年${month}月${day}日`;
}

/** 2025-11-25: the Western date shown beside the 和暦 one. */
export function formatIsoDate(input: DateInput): string {
	const { year, month, day } = calendarParts(input);
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date for the reader: 和暦 in Japanese, "25 Nov 2025 (Reiwa 7)" in English. */
export function formatDate(input: DateInput, locale: 'ja' | 'en' = 'ja'): string {
	if (locale === 'ja') return formatWareki(input);
	const { year, month, day } = calendarParts(input);
	const era = eraOf(year, month, day);
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	return `${day} ${months[month - 1]} ${year}${era ? ` (${era.en} ${era.year})` : ''}`;
}

/** Date and time to the minute, in Japan time: 令和7年11月25日 14:05. */
export function formatDateTime(input: DateInput, locale: 'ja' | 'en' = 'ja'): string {
	const d = input instanceof Date ? input : new Date(input);
	const time = timeFormat.format(d);
	return `${formatDate(d, locale)} ${time}`;
}

/** 年度: the fiscal year runs April to March, so 2026-03-31 is in 年度 2025. */
export function fiscalYearOf(input: DateInput): number {
	const { year, month } = calendarParts(input);
	return month >= 4 ? year : year - 1;
}

/**
 * 令和7年度 for fiscal year 2025. A 年度 takes the era that began within or before it, so the
 * year of April 2019 – March 2020 is 令和元年度, while April 1988 – March 1989 stays 昭和63年度.
 */
export function formatFiscalYear(fiscalYear: number): string {
	const era = eras.find((e) => e.start[0] <= fiscalYear && e.start[0] * 10000 + e.start[1] * 100 + e.start[2] <= (fiscalYear + 1) * 10000 + 331);
	if (!era) return `${fiscalYear}年度`;
	const year = fiscalYear - era.start[0] + 1;
	return `${era.name}${year === 1 ? '元' : year}年度`;
}

/**
 * A title with its 年度 in brackets, unless the title already names it (a campaign named
 * 「令和8年度 …」 or 「…（令和8年度）」 does not get it twice).
 */
export function titleWithYear(title: string, yearLabel: string, join = (t: string, y: string) => `${t}（${y}）`): string {
	return title.includes(yearLabel) ? title : join(title, yearLabel);
}

// First Western year of each era; which era a date falls in comes from format/wareki.
const eraStartYear: Record<string, number> = { 令和: 2019, 平成: 1989, 昭和: 1926, 大正: 1912, 明治: 1868 };
const eraByLetter: Record<string, string> = { R: '令和', H: '平成', S: '昭和', T: '大正', M: '明治' };

const western = /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$/;
const warekiKanji = /^(令和|平成|昭和|大正|明治)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const warekiLetter = /^([RHSTM])\s*(元|\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})$/i;

/**
 * A date typed or exported in Japan as YYYY-MM-DD, or null when it is not a real date. Accepts 2026-03-31, 2026/3/31,
 * 2026年3月31日, 令和8年3月31日 (元年 too) and R8.3.31; full-width digits and ㋿ via NFKC.
 * A 和暦 date must lie inside its era: 平成31年5月1日 does not exist.
 */
export function parseJapaneseDate(input: string): string | null {
	const value = input.normalize('NFKC').trim();
	let m = western.exec(value);
	if (m) return isoDate(Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5]));
	let era: string | undefined;
	m = warekiKanji.exec(value);
	if (m) era = m[1];
	else if ((m = warekiLetter.exec(value))) era = eraByLetter[m[1].toUpperCase()];
	if (!m || !era) return null;
	const eraYear = m[2] === '元' ? 1 : Number(m[2]);
	const year = eraStartYear[era] + eraYear - 1;
	const month = Number(m[3]);
	const day = Number(m[4]);
	if (eraYear < 1 || eraOf(year, month, day)?.name !== era) return null;
	return isoDate(year, month, day);
}

function isoDate(year: number, month: number, day: number): string | null {
	if (year < 1868 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
	const d = new Date(Date.UTC(year, month - 1, day));
	if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
