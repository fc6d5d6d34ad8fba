import { describe, expect, it } from 'vitest';
import {
	completionSummary,
	completionTotals,
	countTicks,
	cumulativeByDay,
	cumulativeSeries,
	dayTicks,
	formatPercent,
	joinSentences,
	linearScale,
	niceStep,
	progressFacts,
	progressSummary,
	shortDate,
	stackSegments,
	textWidth,
	truncateText,
	wrapText,
	type CompletionRow,
	type Translate
} from '../../src/lib/components/charts/chart-math';
import { translate } from '../../src/lib/i18n/core';

const ja: Translate = (key, params) => translate('ja', key, params);
const en: Translate = (key, params) => translate('en', key, params);

describe('shortDate', () => {
	it('writes short dates without leading zeros', () => {
		expect(shortDate('2025-11-03')).toBe('11/3');
		expect(shortDate('2026-01-10')).toBe('1/10');
	});
});

describe('formatPercent', () => {
	it('shows one decimal', () => {
		expect(formatPercent(12, 15)).toBe('80.0%');
		expect(formatPercent(2, 3)).toBe('66.7%');
		expect(formatPercent(1, 8)).toBe('12.5%');
		expect(formatPercent(15, 15)).toBe('100.0%');
		expect(formatPercent(0, 15)).toBe('0.0%');
	});

	it('never rounds a part to all or to none', () => {
		expect(formatPercent(1999, 2000)).toBe('99.9%');
		expect(formatPercent(1, 5000)).toBe('0.1%');
	});

	it('has no figure for an empty whole', () => {
		expect(formatPercent(0, 0)).toBe('–');
	});
});

describe('scales and ticks', () => {
	it('picks steps of 1, 2 or 5 times a power of ten, at least 1 for counts', () => {
		expect(niceStep(15, 5)).toBe(5);
		expect(niceStep(100, 5)).toBe(20);
		expect(niceStep(3, 5)).toBe(1);
		expect(niceStep(1200, 5)).toBe(500);
		expect(niceStep(0.3, 5, false)).toBeCloseTo(0.1);
	});

	it('ticks a count axis up to the number assigned', () => {
		expect(countTicks(15)).toEqual([0, 5, 10, 15]);
		expect(countTicks(17)).toEqual([0, 5, 10, 15, 17]);
		expect(countTicks(16)).toEqual([0, 5, 10, 16]);
		expect(countTicks(3)).toEqual([0, 1, 2, 3]);
		expect(countTicks(1)).toEqual([0, 1]);
		expect(countTicks(0)).toEqual([0]);
		expect(countTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
	});

	it('maps linearly, also upside down, and survives an empty domain', () => {
		const y = linearScale(0, 10, 200, 0);
		expect(y(0)).toBe(200);
		expect(y(5)).toBe(100);
		expect(y(10)).toBe(0);
		expect(linearScale(3, 3, 40, 80)(3)).toBe(40);
	});

	it('ticks a day axis at both ends and at steady steps between', () => {
		expect(dayTicks('2025-11-01', '2025-11-05', 8)).toEqual(['2025-11-01', '2025-11-02', '2025-11-03', '2025-11-04', '2025-11-05']);
		expect(dayTicks('2025-11-01', '2025-11-30', 6)).toEqual(['2025-11-01', '2025-11-08', '2025-11-15', '2025-11-22', '2025-11-30']);
		// 11/29 would sit right beside 11/30, so it goes.
		expect(dayTicks('2025-11-01', '2025-11-30', 8)).toEqual(['2025-11-01', '2025-11-08', '2025-11-15', '2025-11-22', '2025-11-30']);
		expect(dayTicks('2025-11-01', '2025-11-01')).toEqual(['2025-11-01']);
		const long = dayTicks('2025-04-01', '2026-03-31', 8);
		expect(long[0]).toBe('2025-04-01');
		expect(long.at(-1)).toBe('2026-03-31');
		expect(long.length).toBeLessThanOrEqual(8);
	});
});

describe('stackSegments', () => {
	it('divides the width in proportion, with gaps between non-zero values', () => {
		const s = stackSegments([12, 2, 1], 303, 3, 4);
		expect(s.map((x) => x.index)).toEqual([0, 1, 2]);
		expect(s[0]).toMatchObject({ x: 0, width: 237.6 });
		expect(s[1].x).toBeCloseTo(240.6);
		expect(s[1].width).toBeCloseTo(39.6);
		expect(s[2].x + s[2].width).toBeCloseTo(303);
	});

	it('leaves out zeros and gives a lone value the whole width', () => {
		expect(stackSegments([0, 5, 0], 100)).toEqual([{ index: 1, value: 5, x: 0, width: 100 }]);
		expect(stackSegments([0, 0, 0], 100)).toEqual([]);
	});

	it('keeps a tiny share visible', () => {
		const s = stackSegments([999, 1, 0], 400, 3, 4);
		expect(s[1].width).toBe(4);
		expect(s[1].x + s[1].width).toBeCloseTo(400);
	});
});

describe('text fitting', () => {
	it('measures Japanese wider than digits', () => {
		expect(textWidth('総務部', 10)).toBe(30);
		expect(textWidth('12', 10)).toBe(12);
	});

	it('truncates with an ellipsis only when needed', () => {
		expect(truncateText('税務課', 100, 14)).toBe('税務課');
		expect(truncateText('総務部情報政策課情報システム係', 100, 14)).toBe('総務部情報政…');
	});

	it('wraps department names at their spaces, then truncates the last line', () => {
		expect(wrapText('総務部 情報政策課 情報システム係', 140, 14)).toEqual(['総務部 情報政策課', '情報システム係']);
		expect(wrapText('総務部　情報政策課　情報システム係', 140, 14)).toEqual(['総務部 情報政策課', '情報システム係']);
		expect(wrapText('市民課', 140, 14)).toEqual(['市民課']);
		const lines = wrapText('総務部 情報政策課 情報システム係 セキュリティ対策担当', 140, 14);
		expect(lines).toHaveLength(2);
		expect(lines[1].endsWith('…')).toBe(true);
		// No space to break at: split between characters.
		expect(wrapText('総務部情報政策課情報システム係', 112, 14)).toEqual(['総務部情報政策課', '情報システム係']);
	});
});

const rows: CompletionRow[] = [
	{ key: 'a', label: '市民課', completed: 4, inProgress: 3, notStarted: 3 },
	{ key: 'b', label: '税務課', completed: 5, inProgress: 0, notStarted: 0 },
	{ key: 'c', label: '総務部 情報政策課 情報システム係', completed: 3, inProgress: 1, notStarted: 0 }
];

describe('completionSummary', () => {
	it('names the lowest and highest rates and the totals', () => {
		expect(joinSentences(completionSummary(rows, ja, { groupBy: 'department', unit: '人' }), 'ja')).toBe(
			'全3所属。修了率が最も低いのは市民課（40.0%）、最も高いのは税務課（100.0%）。全体では19人中12人が修了（63.2%）、受講中4人、未着手3人。'
		);
		expect(joinSentences(completionSummary(rows, en, { groupBy: 'department', unit: 'staff' }), 'en')).toBe(
			'Departments: 3. Lowest completion rate: 市民課 (40.0%); highest: 税務課 (100.0%). Overall: 19 staff assigned, 12 staff completed (63.2%), 4 staff in progress, 3 staff not started.'
		);
	});

	it('names every group that ties, and compares rates exactly', () => {
		const tied: CompletionRow[] = [
			{ key: 'a', label: '正規職員', completed: 1, inProgress: 1, notStarted: 0 },
			{ key: 'b', label: '会計年度任用職員', completed: 5, inProgress: 5, notStarted: 0 },
			{ key: 'c', label: '再任用職員', completed: 3, inProgress: 0, notStarted: 0 }
		];
		const text = completionSummary(tied, ja, { groupBy: 'employmentType', unit: '人' });
		expect(text[0]).toBe('全3区分。');
		expect(text[1]).toBe('修了率が最も低いのは正規職員・会計年度任用職員（50.0%）、最も高いのは再任用職員（100.0%）。');
	});

	it('says so when all rates are the same, leaves out groups without anyone, and handles no rows', () => {
		const same: CompletionRow[] = [
			{ key: 'a', label: 'A課', completed: 1, inProgress: 1, notStarted: 0 },
			{ key: 'b', label: 'B課', completed: 2, inProgress: 0, notStarted: 2 },
			{ key: 'c', label: 'C課', completed: 0, inProgress: 0, notStarted: 0 }
		];
		expect(completionSummary(same, ja, { groupBy: 'department', unit: '人' })[1]).toBe('修了率はいずれも50.0%。');
		expect(completionSummary([rows[0]], ja, { groupBy: 'department', unit: '人' })).toEqual([
			'全1所属。',
			'全体では10人中4人が修了（40.0%）、受講中3人、未着手3人。'
		]);
		expect(completionSummary([same[2]], ja, { groupBy: 'department', unit: '人' })).toEqual(['全1所属。', '対象者はいません。']);
		expect(completionSummary([], ja, { groupBy: 'department', unit: '人' })).toEqual(['データがありません。']);
	});

	it('adds up the totals', () => {
		expect(completionTotals(rows)).toEqual({ completed: 12, inProgress: 4, notStarted: 3, total: 19 });
	});
});

describe('progress over days', () => {
	const daily = [
		{ day: '2025-11-05', completed: 2 },
		{ day: '2025-11-03', completed: 1 },
		{ day: '2025-11-05', completed: 1 },
		{ day: '2025-11-30', completed: 4 },
		{ day: 'not a day', completed: 9 },
		{ day: '2025-11-10', completed: 0 }
	];

	it('sums completions by day, in order, up to today', () => {
		expect(cumulativeByDay(daily, '2025-11-24')).toEqual([
			{ day: '2025-11-03', completed: 1, cumulative: 1 },
			{ day: '2025-11-05', completed: 3, cumulative: 4 }
		]);
		expect(cumulativeByDay([], '2025-11-24')).toEqual([]);
	});

	it('runs the total over every day, counting completions before the start at the start', () => {
		const points = cumulativeByDay([{ day: '2025-10-31', completed: 1 }, ...daily], '2025-11-24');
		const series = cumulativeSeries(points, '2025-11-01', '2025-11-06');
		expect(series.map((p) => p.cumulative)).toEqual([1, 1, 2, 2, 5, 5]);
		expect(series.map((p) => p.completed)).toEqual([0, 0, 1, 0, 3, 0]);
	});

	const base = { startsOn: '2025-11-01', dueOn: '2025-12-01', assigned: 15 };
	const twelve = [
		{ day: '2025-11-03', completed: 5 },
		{ day: '2025-11-20', completed: 7 }
	];
	const summary = (today: string, d = twelve, assigned = 15) =>
		joinSentences(progressSummary(progressFacts({ ...base, assigned, today, daily: d }), ja, '人'), 'ja');

	it('tells days elapsed, completions and days left', () => {
		expect(summary('2025-11-24')).toBe('開始から23日で12人が修了（15人中80.0%）。期限まで残り7日、未修了3人。');
		expect(summary('2025-12-01')).toBe('開始から30日で12人が修了（15人中80.0%）。今日が期限です。未修了3人。');
		expect(summary('2025-12-06')).toBe('開始から35日で12人が修了（15人中80.0%）。期限を5日過ぎています。未修了3人。');
	});

	it('covers the first day, before the start, everyone done and no one assigned', () => {
		expect(summary('2025-11-01', [])).toBe('今日が開始日です。0人が修了（15人中0.0%）。期限まで残り30日、未修了15人。');
		expect(summary('2025-10-29', [])).toBe('開始まであと3日です。対象15人。');
		expect(summary('2025-11-24', [...twelve, { day: '2025-11-21', completed: 3 }])).toBe('開始から23日で15人が修了（15人中100.0%）。全員が修了しています。');
		expect(summary('2025-11-24', [], 0)).toBe('対象者はいません。');
	});

	it('ignores completions dated after today', () => {
		expect(progressFacts({ ...base, today: '2025-11-10', daily: twelve })).toEqual({ assigned: 15, completed: 5, remaining: 10, elapsed: 9, left: 21 });
	});

	it('reads in English too', () => {
		const text = joinSentences(progressSummary(progressFacts({ ...base, today: '2025-12-06', daily: twelve }), en, 'staff'), 'en');
		expect(text).toBe('Day 35 since the start: 12 staff of 15 staff completed (80.0%). The due date passed 5 day(s) ago; 3 staff not completed.');
	});
});
