import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import CompletionBars from '../../src/lib/components/charts/CompletionBars.svelte';
import ProgressChart from '../../src/lib/components/charts/ProgressChart.svelte';

// Components read the locale from the page; outside SvelteKit that comes from the request context.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's props, as Svelte's own Component type has them
function html<P extends Record<string, any>>(component: Component<P>, props: NoInfer<P>, locale: 'ja' | 'en' = 'ja'): string {
	const context = new Map<string, unknown>([['__request__', { page: { data: { locale } } }]]);
	// Hydration markers are comments; drop them so assertions read like the page.
	return render(component, { props, context }).body.replace(/<!--[\s\S]*?-->/g, '');
}

function text(fragment: string): string {
	return fragment
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.trim();
}

/** Every id is unique, and every aria-labelledby and url(#…) points at one. */
function checkReferences(markup: string) {
	const ids = [...markup.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
	expect(new Set(ids).size, 'duplicate ids').toBe(ids.length);
	const refs = [...markup.matchAll(/aria-labelledby="([^"]+)"/g)].flatMap((m) => m[1].split(/\s+/));
	const urls = [...markup.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
	for (const ref of [...refs, ...urls]) expect(ids, ref).toContain(ref);
	return { ids, refs };
}

function summaryOf(markup: string): string {
	const id = /<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/.exec(markup)?.[1];
	expect(id).toBeTruthy();
	const m = new RegExp(`<p[^>]*id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(markup);
	expect(m, 'summary element').toBeTruthy();
	return text(m![1]);
}

function tableRows(markup: string, section = 'tbody'): string[][] {
	const body = new RegExp(`<${section}>([\\s\\S]*?)</${section}>`).exec(markup)?.[1] ?? '';
	return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
}

const rows = [
	{ key: 'shimin', label: '市民課', completed: 4, inProgress: 3, notStarted: 3, href: '/team/shimin' },
	{ key: 'zeimu', label: '税務課', completed: 5, inProgress: 0, notStarted: 0 },
	{ key: 'joho', label: '総務部 情報政策課 情報システム係', completed: 3, inProgress: 1, notStarted: 0 },
	{ key: 'empty', label: '議会事務局', completed: 0, inProgress: 0, notStarted: 0 }
];

describe('CompletionBars', () => {
	const markup = html(CompletionBars, { title: '所属別の修了状況', rows });

	it('is a figure with a caption, and an image named by the visible summary', () => {
		expect(markup).toMatch(/^<figure[^>]*>\s*<figcaption[^>]*>所属別の修了状況<\/figcaption>/);
		checkReferences(markup);
		expect(summaryOf(markup)).toBe(
			'全4所属。修了率が最も低いのは市民課（40.0%）、最も高いのは税務課（100.0%）。全体では19人中12人が修了（63.2%）、受講中4人、未着手3人。'
		);
	});

	it('writes the figures beside each bar and keeps the full name in a title', () => {
		expect(markup).toContain('修了 4/10人 (40.0%)');
		expect(markup).toContain('修了 5/5人 (100.0%)');
		expect(markup).toContain('対象者なし');
		expect(markup).toContain('<title>総務部 情報政策課 情報システム係: 修了 3/4人 (75.0%)</title>');
		expect(markup).toMatch(/<pattern[^>]*id="[^"]+-hatch"/);
	});

	it('has the same data as a table, with row headers and links', () => {
		expect(markup).toMatch(/<details[^>]*>\s*<summary[^>]*>表で見る<\/summary>/);
		const heads = [...markup.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
		expect(heads).toEqual(['所属', '対象', '修了', '受講中', '未着手', '修了率']);
		expect(tableRows(markup)).toEqual([
			['市民課', '10', '4', '3', '3', '40.0%'],
			['税務課', '5', '5', '0', '0', '100.0%'],
			['総務部 情報政策課 情報システム係', '4', '3', '1', '0', '75.0%'],
			['議会事務局', '0', '0', '0', '0', '対象者なし']
		]);
		expect(tableRows(markup, 'tfoot')).toEqual([['合計', '19', '12', '4', '3', '63.2%']]);
		expect(markup).toMatch(/<th scope="row"[^>]*><a href="\/team\/shimin"[^>]*>市民課<\/a><\/th>/);
	});

	it('names the first column and counts by employment type when asked', () => {
		const byType = html(CompletionBars, { title: '区分別', rows, groupBy: 'employmentType' });
		expect(byType).toMatch(/<th scope="col"[^>]*>区分<\/th>/);
		expect(summaryOf(byType)).toMatch(/^全4区分。/);
	});

	it('speaks English', () => {
		const en = html(CompletionBars, { title: 'By department', rows }, 'en');
		expect(en).toContain('Completed 4/10 staff (40.0%)');
		expect(en).toContain('Show as a table');
		expect(summaryOf(en)).toMatch(/^Departments: 4\. Lowest completion rate: 市民課 \(40\.0%\)/);
	});

	it('says so when there is nothing to show', () => {
		const empty = html(CompletionBars, { title: '所属別', rows: [] });
		expect(text(empty)).toContain('データがありません。');
		expect(empty).not.toContain('<svg');
	});
});

describe('ProgressChart', () => {
	const props = {
		title: '期限までの進み具合',
		startsOn: '2025-11-01',
		dueOn: '2025-12-01',
		today: '2025-11-24',
		assigned: 15,
		daily: [
			{ day: '2025-11-03', completed: 5 },
			{ day: '2025-11-20', completed: 7 }
		]
	};
	const markup = html(ProgressChart, props);

	it('is a figure with a caption, and an image named by the visible summary', () => {
		expect(markup).toMatch(/^<figure[^>]*>\s*<figcaption[^>]*>期限までの進み具合<\/figcaption>/);
		checkReferences(markup);
		expect(summaryOf(markup)).toBe('開始から23日で12人が修了（15人中80.0%）。期限まで残り7日、未修了3人。');
	});

	it('draws bars, the running total, the pace and the markers', () => {
		const plot = markup.slice(markup.indexOf('role="img"'));
		expect(plot.match(/<rect class="daily[^"]*" x=/g)).toHaveLength(2);
		expect(markup).toMatch(/<polyline class="cumulative[^"]*" points="[^"]+"/);
		expect(markup).toMatch(/<polyline class="pace[^"]*" points="[^"]+"/);
		expect(markup).toContain('>今日</text>');
		expect(markup).toContain('>期限</text>');
		expect(markup).toContain('>11/1</text>');
		expect(markup).toContain('>12/1</text>');
		expect(markup).toContain('>12人</text>');
	});

	it('tabulates the days with completions and today, in 和暦', () => {
		expect(tableRows(markup)).toEqual([
			['令和7年11月3日', '5', '5', '33.3%'],
			['令和7年11月20日', '7', '12', '80.0%'],
			['令和7年11月24日（今日）', '0', '12', '80.0%']
		]);
	});

	it('tells when the due date has passed, and stretches the axis to today', () => {
		const late = html(ProgressChart, { ...props, today: '2025-12-06', daily: [...props.daily, { day: '2025-12-03', completed: 1 }] });
		expect(summaryOf(late)).toBe('開始から35日で13人が修了（15人中86.7%）。期限を5日過ぎています。未修了2人。');
		expect(late).toContain('>12/6</text>');
		checkReferences(late);
	});

	it('copes with no completions and with a chart before the start', () => {
		const none = html(ProgressChart, { ...props, daily: [] });
		expect(summaryOf(none)).toBe('開始から23日で0人が修了（15人中0.0%）。期限まで残り7日、未修了15人。');
		expect(tableRows(none)).toEqual([['令和7年11月24日（今日）', '0', '0', '0.0%']]);
		const early = html(ProgressChart, { ...props, today: '2025-10-30', daily: [] });
		expect(summaryOf(early)).toBe('開始まであと2日です。対象15人。');
		expect(early).not.toContain('>今日</text>');
	});
});

describe('ids', () => {
	it('come from the instance id, so charts on one page do not share them', () => {
		const context = new Map<string, unknown>([['__request__', { page: { data: { locale: 'ja' } } }]]);
		const a = render(CompletionBars, { props: { title: 'A', rows }, context, idPrefix: 'first' }).body;
		const b = render(ProgressChart, {
			props: { title: 'B', startsOn: '2025-11-01', dueOn: '2025-12-01', today: '2025-11-24', assigned: 3, daily: [] },
			context,
			idPrefix: 'second'
		}).body;
		const idsA = checkReferences(a).ids;
		const idsB = checkReferences(b).ids;
		expect(idsA.every((id) => id.startsWith('first'))).toBe(true);
		expect(idsB.every((id) => id.startsWith('second'))).toBe(true);
	});
});
