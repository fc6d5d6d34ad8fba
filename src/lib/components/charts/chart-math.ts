// Pure computations behind the chart components: no DOM, no Svelte, so they can be unit-tested
// and give the same output on the server and in the browser.
import type { MessageKey } from '$lib/i18n/core';
import { addDays, dayNumber, daysBetween, isoFromDayNumber, requireDay } from '$lib/format/calendar';

/** A message lookup such as `t` or `(key, params) => translate('ja', key, params)`. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

// ---------------------------------------------------------------------------------------------
// Dates.

/** 11/3: month and day without the year, for axis ticks. */
export function shortDate(iso: string): string {
	const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(iso);
	if (!m) return iso;
	return `${Number(m[1])}/${Number(m[2])}`;
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/**
 * 80.0%: one decimal. A share that is not all is never shown as 100.0%, and a share that is not
 * none never as 0.0%, so that a rounded figure does not claim everyone (or no one) is done.
 */
export function formatPercent(part: number, whole: number): string {
	if (!(whole > 0)) return '–';
	let tenths = Math.round((part * 1000) / whole);
	if (part < whole && tenths >= 1000) tenths = 999;
	if (part > 0 && tenths <= 0) tenths = 1;
	return `${(tenths / 10).toFixed(1)}%`;
}

/** A step of 1, 2 or 5 times a power of ten that splits 0..max into at most `maxTicks` parts. */
export function niceStep(max: number, maxTicks = 5, integer = true): number {
	if (!(max > 0)) return 1;
	const raw = max / Math.max(1, maxTicks);
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const norm = raw / magnitude;
	const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
	return integer ? Math.max(1, Math.round(step)) : step;
}

/**
 * Ticks for a count axis 0..max: multiples of a nice step, and max itself, so the top of the
 * axis (everyone assigned) is always labelled. A multiple too close under max is dropped, since
 * the two labels would collide.
 */
export function countTicks(max: number, maxTicks = 5): number[] {
	if (!(max > 0)) return [0];
	const step = niceStep(max, maxTicks);
	const ticks: number[] = [];
	for (let v = 0; v <= max; v += step) ticks.push(v);
	const last = ticks[ticks.length - 1];
	if (last !== max) {
		if (max - last < step * 0.3 && last !== 0) ticks.pop();
		ticks.push(max);
	}
	return ticks;
}

/** A linear map from the domain d0..d1 to the range r0..r1; a zero-width domain maps to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
	const span = d1 - d0;
	return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** Rounds to two decimals so the markup stays short and stable. */
export function round2(v: number): number {
	return Math.round(v * 100) / 100;
}

export interface Segment {
	index: number;
	value: number;
	x: number;
	width: number;
}

/**
 * Lays values side by side across `width`, proportional to each value, with `gap` between the
 * non-zero ones. A non-zero value gets at least `minWidth`, so one person in a thousand stays visible.
 */
export function stackSegments(values: number[], width: number, gap = 3, minWidth = 4): Segment[] {
	const shown = values.map((value, index) => ({ value, index })).filter((s) => s.value > 0);
	if (shown.length === 0) return [];
	const total = shown.reduce((sum, s) => sum + s.value, 0);
	const room = Math.max(0, width - gap * (shown.length - 1));
	let widths = shown.map((s) => (s.value / total) * room);
	const small = widths.filter((w) => w < minWidth).length;
	if (small > 0 && small < widths.length) {
		// Take the room for the small ones from the others, in proportion to them.
		const bigTotal = widths.filter((w) => w >= minWidth).reduce((a, b) => a + b, 0);
		const bigRoom = room - small * minWidth;
		widths = widths.map((w) => (w < minWidth ? minWidth : (w / bigTotal) * bigRoom));
	}
	let x = 0;
	return shown.map((s, i) => {
		const seg = { index: s.index, value: s.value, x: round2(x), width: round2(widths[i]) };
		x += widths[i] + gap;
		return seg;
	});
}

// ---------------------------------------------------------------------------------------------
// Text measurement without a browser: an estimate good enough to decide where to cut a label.

/** Estimated width of text at `fontSize`: CJK and full-width characters are 1em, the rest narrower. */
export function textWidth(text: string, fontSize: number): number {
	let em = 0;
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (ch === ' ') em += 0.33;
		else if (code < 0x2e80 || (code >= 0xff61 && code <= 0xff9f)) em += /[A-Z%@MW]/.test(ch) ? 0.72 : 0.6;
		else em += 1;
	}
	return em * fontSize;
}

/** Cuts text to fit `maxWidth`, ending with an ellipsis when anything was cut. */
export function truncateText(text: string, maxWidth: number, fontSize: number): string {
	if (textWidth(text, fontSize) <= maxWidth) return text;
	const chars = [...text];
	while (chars.length > 0 && textWidth(chars.join('') + '…', fontSize) > maxWidth) chars.pop();
	return chars.join('').trimEnd() + '…';
}

/**
 * Breaks a label into at most `maxLines` lines of `maxWidth`. Department names such as
 * 「総務部 情報政策課 情報システム係」 break at their spaces (half or full width) first, and
 * only a single part longer than a line is cut between characters. The last line is truncated.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines = 2): string[] {
	const fits = (s: string) => textWidth(s, fontSize) <= maxWidth;
	let rest = text.trim().replace(/\s+/g, ' ');
	const lines: string[] = [];
	while (lines.length < maxLines - 1 && !fits(rest)) {
		const chars = [...rest];
		let cut = -1;
		for (let i = chars.length - 1; i > 0; i--) {
			if (chars[i] === ' ' && fits(chars.slice(0, i).join(''))) {
				cut = i;
				break;
			}
		}
		if (cut > 0) {
			lines.push(chars.slice(0, cut).join(''));
			rest = chars.slice(cut + 1).join('');
		} else {
			let n = chars.length;
			while (n > 1 && !fits(chars.slice(0, n).join(''))) n--;
			lines.push(chars.slice(0, n).join(''));
			rest = chars.slice(n).join('').trimStart();
		}
	}
	lines.push(truncateText(rest, maxWidth, fontSize));
	return lines;
}

// ---------------------------------------------------------------------------------------------
// Completion by group (CompletionBars).

export interface CompletionRow {
	key: string;
	label: string;
	completed: number;
	inProgress: number;
	notStarted: number;
	href?: string;
}

/** What the rows are: departments (所属) or employment types (区分). */
export type GroupBy = 'department' | 'employmentType';

export function rowTotal(row: Pick<CompletionRow, 'completed' | 'inProgress' | 'notStarted'>): number {
	return row.completed + row.inProgress + row.notStarted;
}

export interface CompletionTotals {
	completed: number;
	inProgress: number;
	notStarted: number;
	total: number;
}

export function completionTotals(rows: CompletionRow[]): CompletionTotals {
	const t = { completed: 0, inProgress: 0, notStarted: 0, total: 0 };
	for (const r of rows) {
		t.completed += r.completed;
		t.inProgress += r.inProgress;
		t.notStarted += r.notStarted;
	}
	t.total = t.completed + t.inProgress + t.notStarted;
	return t;
}

/**
 * The text alternative of the bars: how many groups, the lowest and highest completion rate
 * (groups without anyone are left out; ties are all named) and the totals.
 */
export function completionSummary(rows: CompletionRow[], tr: Translate, options: { groupBy: GroupBy; unit: string }): string[] {
	if (rows.length === 0) return [tr('chart.noData')];
	const { groupBy, unit } = options;
	const countKey = groupBy === 'employmentType' ? 'chart.bars.countEmploymentType' : 'chart.bars.countDepartment';
	const sentences = [tr(countKey, { count: rows.length })];
	const rated = rows.filter((r) => rowTotal(r) > 0);
	if (rated.length === 0) return [...sentences, tr('chart.bars.noneAssigned')];
	// Compare rates as cross-products so that equal fractions (2/4, 5/10) are equal exactly.
	const compare = (a: CompletionRow, b: CompletionRow) => a.completed * rowTotal(b) - b.completed * rowTotal(a);
	let lowest = [rated[0]];
	let highest = [rated[0]];
	for (const r of rated.slice(1)) {
		const lo = compare(r, lowest[0]);
		if (lo < 0) lowest = [r];
		else if (lo === 0) lowest.push(r);
		const hi = compare(r, highest[0]);
		if (hi > 0) highest = [r];
		else if (hi === 0) highest.push(r);
	}
	const pct = (r: CompletionRow) => formatPercent(r.completed, rowTotal(r));
	const names = (list: CompletionRow[]) => list.map((r) => r.label).join(tr('chart.listSeparator'));
	if (rated.length > 1) {
		if (compare(lowest[0], highest[0]) === 0) sentences.push(tr('chart.bars.same', { percent: pct(lowest[0]) }));
		else
			sentences.push(
				tr('chart.bars.range', {
					lowest: names(lowest),
					lowestPercent: pct(lowest[0]),
					highest: names(highest),
					highestPercent: pct(highest[0])
				})
			);
	}
	const totals = completionTotals(rows);
	sentences.push(tr('chart.bars.totals', { ...totals, percent: formatPercent(totals.completed, totals.total), unit }));
	return sentences;
}

// ---------------------------------------------------------------------------------------------
// Progress toward the due date (ProgressChart).

export interface DailyCompletion {
	day: string;
	completed: number;
}

export interface ProgressPoint {
	day: string;
	completed: number;
	cumulative: number;
}

/**
 * Completions per day summed by date (duplicates added up, invalid dates and days after `today`
 * dropped), in date order, with the running total.
 */
export function cumulativeByDay(daily: DailyCompletion[], today: string): ProgressPoint[] {
	const todayN = requireDay(today);
	const byDay = new Map<number, number>();
	for (const d of daily) {
		const n = dayNumber(d.day);
		if (n === null || n > todayN || !(d.completed > 0)) continue;
		byDay.set(n, (byDay.get(n) ?? 0) + d.completed);
	}
	let cumulative = 0;
	return [...byDay.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([n, completed]) => {
			cumulative += completed;
			return { day: isoFromDayNumber(n), completed, cumulative };
		});
}

/** The running total at the end of each day from `from` to `to` (both included). */
export function cumulativeSeries(points: ProgressPoint[], from: string, to: string): ProgressPoint[] {
	const start = requireDay(from);
	const end = requireDay(to);
	const byDay = new Map(points.map((p) => [requireDay(p.day), p.completed]));
	// Completions dated before the start still count toward the total at the start.
	let cumulative = points.filter((p) => requireDay(p.day) < start).reduce((s, p) => s + p.completed, 0);
	const series: ProgressPoint[] = [];
	for (let n = start; n <= end; n++) {
		const completed = byDay.get(n) ?? 0;
		cumulative += completed;
		series.push({ day: isoFromDayNumber(n), completed, cumulative });
	}
	return series;
}

/**
 * Dates to tick on a day axis from `start` to `end`: both ends always, and between them every
 * 1, 2, 7, 14… days counted from the start, as few as fit in `maxTicks`. A tick too close to
 * the end is dropped, since its label would run into the end's label.
 */
export function dayTicks(start: string, end: string, maxTicks = 6): string[] {
	const span = daysBetween(start, end);
	if (span <= 0) return [start];
	const steps = [1, 2, 7, 14, 28, 56, 91, 182, 364, 728];
	const step = steps.find((s) => span / s <= Math.max(1, maxTicks - 1)) ?? Math.ceil(span / Math.max(1, maxTicks - 1));
	const ticks: string[] = [];
	for (let d = 0; d < span; d += step) ticks.push(addDays(start, d));
	if (ticks.length > 1 && span - (ticks.length - 1) * step < step * 0.6) ticks.pop();
	ticks.push(end);
	return ticks;
}

export interface ProgressFacts {
	assigned: number;
	completed: number;
	remaining: number;
	/** Days from the start to today; negative before the start. */
	elapsed: number;
	/** Days from today to the due date; negative once it has passed. */
	left: number;
}

export function progressFacts(opts: { startsOn: string; dueOn: string; today: string; assigned: number; daily: DailyCompletion[] }): ProgressFacts {
	const points = cumulativeByDay(opts.daily, opts.today);
	const completed = points.length ? points[points.length - 1].cumulative : 0;
	return {
		assigned: opts.assigned,
		completed,
		remaining: Math.max(0, opts.assigned - completed),
		elapsed: daysBetween(opts.startsOn, opts.today),
		left: daysBetween(opts.today, opts.dueOn)
	};
}

/** The text alternative of the progress chart: where things stand today and how long is left. */
export function progressSummary(facts: ProgressFacts, tr: Translate, unit: string): string[] {
	const { assigned, completed, remaining, elapsed, left } = facts;
	if (assigned <= 0) return [tr('chart.progress.noAssigned')];
	if (elapsed < 0) return [tr('chart.progress.beforeStart', { days: -elapsed, assigned, unit })];
	const percent = formatPercent(completed, assigned);
	const sentences = [
		elapsed === 0
			? tr('chart.progress.summaryStartDay', { completed, assigned, percent, unit })
			: tr('chart.progress.summary', { days: elapsed, completed, assigned, percent, unit })
	];
	if (remaining === 0) sentences.push(tr('chart.progress.allDone'));
	else if (left > 0) sentences.push(tr('chart.progress.remaining', { days: left, remaining, unit }));
	else if (left === 0) sentences.push(tr('chart.progress.dueToday', { remaining, unit }));
	else sentences.push(tr('chart.progress.overdue', { days: -left, remaining, unit }));
	return sentences;
}

/** Joins sentences: Japanese runs them together, English puts a space between. */
export function joinSentences(sentences: string[], locale: 'ja' | 'en'): string {
	return sentences.join(locale === 'ja' ? '' : ' ');
}
