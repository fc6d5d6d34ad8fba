import { eraOf } from '../../../format/wareki';

// First Western year of each era; which era a date falls in comes from format/wareki.
const eraStartYear: Record<string, number> = { 令和: 2019, 平成: 1989, 昭和: 1926, 大正: 1912, 明治: 1868 };
const eraByLetter: Record<string, string> = { R: '令和', H: '平成', S: '昭和', T: '大正', M: '明治' };

const western = /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$/;
const warekiKanji = /^(令和|平成|昭和|大正|明治)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const warekiLetter = /^([RHSTM])\s*(元|\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})$/i;

/**
 * A 退職日 as YYYY-MM-DD, or null when it is not a real date. Accepts 2026-03-31, 2026/3/31,
 * 2026年3月31日, 令和8年3月31日 (元年 too) and R8.3.31; full-width digits and ㋿ via NFKC.
 * A 和暦 date must lie inside its era: 平成31年5月1日 does not exist.
 */
export function parseRosterDate(input: string): string | null {
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
