/* eslint-disable @typescript-eslint/no-explicit-any -- the page and its props are rendered from hand-made, partial data */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import ErrorRateBars from '../../src/lib/components/charts/ErrorRateBars.svelte';
import InsightPage from '../../src/routes/(app)/insight/+page.svelte';
import SectionsPage from '../../src/routes/(app)/insight/sections/+page.svelte';
import HeatmapPage from '../../src/routes/(app)/insight/heatmap/+page.svelte';
import QuestionsPage from '../../src/routes/(app)/insight/questions/+page.svelte';
import { effectReading, heatLevel, percentNumber, rateNumber, rateParts } from '../../src/routes/(app)/insight/format';
import { translate } from '../../src/lib/i18n/core';
import { wilsonInterval } from '../../src/lib/server/insight/statistics';

// Components read the locale (and the page's URL) from the request context outside SvelteKit.
function html<P extends Record<string, any>>(component: Component<P>, props: NoInfer<P>, locale: 'ja' | 'en' = 'ja', url = 'http://localhost/insight'): string {
	const context = new Map<string, unknown>([['__request__', { page: { data: { locale }, url: new URL(url) } }]]);
	return render(component, { props, context }).body.replace(/<!--[\s\S]*?-->/g, '');
}

const text = (fragment: string) =>
	fragment
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();

describe('figures as the page writes them', () => {
	it('gives a rate with its interval in one decimal', () => {
		const interval = wilsonInterval(3, 10)!;
		const parts = rateParts({ answers: 10, errors: 3, interval })!;
		expect(parts).toEqual({ rate: '30.0', low: '10.8', high: '60.3' });
		expect(translate('ja', 'insight.rate', parts)).toBe('30.0%（95%信頼区間 10.8–60.3%）');
		expect(translate('en', 'insight.rate', parts)).toBe('30.0% (95% CI 10.8–60.3%)');
		expect(rateParts({ answers: 0, errors: 0, interval: null })).toBeNull();
		// One error in 10,000 is not 0.0%, and one right answer in 10,000 is not 100.0%.
		expect(rateNumber({ answers: 10_000, errors: 1 })).toBe('0.1');
		expect(rateNumber({ answers: 10_000, errors: 9_999 })).toBe('99.9');
		expect(percentNumber(0.12345)).toBe('12.3');
	});

	it('shades the heat map by bands, the boundaries included upward', () => {
		expect([
			heatLevel(0, 10),
			heatLevel(1, 10),
			heatLevel(19, 100),
			heatLevel(2, 10),
			heatLevel(3, 10),
			heatLevel(49, 100),
			heatLevel(1, 2),
			heatLevel(0, 0)
		]).toEqual([0, 1, 1, 2, 3, 3, 4, 0]);
	});

	it('calls a revision effective only when the intervals part', () => {
		const period = (errors: number, answers: number, enough = true) => ({ enough, interval: wilsonInterval(errors, answers) });
		expect(effectReading(period(50, 100), period(20, 100))).toBe('better');
		expect(effectReading(period(20, 100), period(50, 100))).toBe('worse');
		expect(effectReading(period(7, 14), period(4, 14))).toBe('unclear');
		expect(effectReading(period(7, 14), period(1, 3, false))).toBe('waiting');
		expect(effectReading(period(1, 3, false), period(4, 14))).toBe('noBefore');
	});
});

describe('ErrorRateBars', () => {
	const rows = [
		{ key: '2', label: '2 定義', answers: 14, errors: 6, ...wilsonInterval(6, 14)! },
		{ key: '6.1', label: '6.1 パスワード', answers: 28, errors: 11, ...wilsonInterval(11, 28)!, href: '/policy/basic#s-6.1' },
		{ key: '6.2', label: '6.2 電子メール', answers: 14, errors: 5, ...wilsonInterval(5, 14)! }
	];
	const markup = html(ErrorRateBars, { title: '項目別の誤答率', rows });

	it('is a figure whose image is named by a visible summary', () => {
		expect(markup).toMatch(/^<figure[^>]*>\s*<figcaption[^>]*>項目別の誤答率<\/figcaption>/);
		const id = /<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/.exec(markup)![1];
		const summary = new RegExp(`<p[^>]*id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(markup)![1];
		expect(text(summary)).toBe('全3項目。誤答率が最も高いのは2 定義（42.9%）、最も低いのは6.2 電子メール（35.7%）。');
		const ids = [...markup.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('draws each interval and labels each bar with rate and interval', () => {
		expect(markup).toContain('42.9%（21.4–67.4%）');
		// Three bars and the legend's sample.
		expect((markup.match(/<path class="interval /g) ?? []).length).toBe(3 + 1);
		// The axis reaches the next 10% above the highest bound (67.4% → 70%).
		expect(markup).toContain('>70%</text>');
	});

	it('has the same figures as a table', () => {
		const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(markup)![1];
		const rowsText = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
		expect(rowsText[1]).toEqual(['6.1 パスワード', '28', '11', '39.3%', '23.6–57.6%']);
		expect(markup).toContain('href="/policy/basic#s-6.1"');
	});

	it('says so when there is nothing to draw', () => {
		const empty = html(ErrorRateBars, { title: 'x', rows: [] });
		expect(empty).not.toContain('<svg');
		expect(text(empty)).toContain('データがありません。');
	});
});

describe('the weak-spot page', () => {
	const rate = (answers: number, errors: number) => ({ answers, errors, errorRate: errors / answers, interval: wilsonInterval(errors, answers) });
	const section = (key: string, heading: string | null, answers: number, errors: number) => ({
		policyId: 'p1',
		key,
		label: key,
		heading,
		title: `${key} ${heading ?? ''}`.trim(),
		...rate(answers, errors),
		byDepartment: [{ suppressed: false as const, ...rate(8, 4) }, { suppressed: true as const }],
		byEmploymentType: [{ suppressed: false as const, ...rate(7, 2) }]
	});
	const data = {
		locale: 'ja',
		filter: { campaignId: 'c1' },
		years: [2026],
		campaigns: [{ id: 'c1', title: '令和8年度 基本研修', fiscalYear: 2026, archived: false }],
		dept: null,
		policySlugs: { p1: 'basic' },
		canDraft: true,
		spots: {
			computedAt: new Date('2026-11-26T01:05:00Z'),
			filter: { campaignId: 'c1' },
			campaigns: [{ id: 'c1', title: '令和8年度 基本研修', fiscalYear: 2026, courseId: 'k1', courseTitle: '基本研修', policyId: 'p1' }],
			policies: [{ id: 'p1', slug: 'basic', title: '情報セキュリティ基本方針' }],
			people: 14,
			shown: true,
			minGroupPeople: 5,
			// 定義 is understood poorly but practised: the 年度's self-inspection beside the quiz.
			sections: [
				{
					...section('2', '定義', 14, 6),
					practice: { ...rate(40, 2), byDepartment: [{ suppressed: false as const, ...rate(40, 2) }], byEmploymentType: [] },
					reading: 'too_few' as const
				},
				{ ...section('9.9', null, 10, 1), practice: null, reading: 'too_few' as const }
			],
			questions: [
				{
					id: 'q1',
					policyId: 'p1',
					stem: '問題 both',
					sectionKeys: ['6.1', '2'],
					sections: ['6(1)', '2'],
					...rate(14, 6),
					facility: 8 / 14,
					discrimination: 0.1473,
					interpretation: 'good' as const
				}
			],
			departments: [
				{ key: 'd1', departmentId: 'd1', code: '100', name: '総務部', directOnly: false, hasChildren: true, suppressed: false, people: 8 },
				{ key: 'd2', departmentId: 'd2', code: '200', name: '市民部', directOnly: false, hasChildren: true, suppressed: true, people: null }
			],
			employmentTypes: [{ key: 'fiscal_year' as const, suppressed: false, people: 7 }],
			departmentPath: [],
			withheldCampaigns: [{ id: 'c9', title: '令和8年度 新規採用者研修' }],
			suppressedAny: true,
			practice: {
				fiscalYear: 2026,
				rounds: [{ id: 'r1', title: '令和8年度 自己点検' }],
				people: 12,
				shown: true,
				departments: [{ key: 'd1', departmentId: 'd1', code: '100', name: '総務部', directOnly: false, hasChildren: false, suppressed: false, people: 12 }],
				employmentTypes: [],
				withheldRounds: []
			}
		},
		effects: [
			{
				policyId: 'p1',
				policyTitle: '情報セキュリティ基本方針',
				people: 43,
				shown: true,
				minAnswers: 20,
				versions: [
					{
						versionId: 'v2',
						version: '5.1',
						previousVersion: '5.0',
						changeKind: 'partial' as const,
						publishedOn: '2026-05-15',
						sections: [
							{
								key: '6.1',
								fromKey: null,
								fromCitation: null,
								label: '(1)',
								heading: 'パスワード',
								title: '6(1) パスワード',
								before: { from: '2025-04-01', until: '2026-05-15', answers: 140, errors: 70, errorRate: 0.5, interval: wilsonInterval(70, 140), enough: true },
								after: { from: '2026-05-15', until: null, answers: 14, errors: null, errorRate: null, interval: null, enough: false }
							}
						]
					}
				]
			}
		]
	};
	// As the summary's load gives them: the weakest sections with the readings of their questions.
	const summary = {
		...data,
		weakest: data.spots.sections.map((s) => ({
			section: s,
			policyTitle: '情報セキュリティ基本方針',
			readings: data.spots.questions.filter((q) => q.sectionKeys.includes(s.key)).map((q) => q.interpretation),
			openRevision: null as null | { id: string; version: string }
		})),
		gaps: [
			{ reading: 'known_not_done', count: 0 },
			{ reading: 'done_not_known', count: 1 }
		]
	};
	// As a detail page's load gives them: one policy, one page of rows.
	const detail = <T>(rows: T[]) => ({
		...data,
		measure: 'quiz' as const,
		policyId: 'p1',
		policyOptions: [{ id: 'p1', title: '情報セキュリティ基本方針' }],
		departmentId: null,
		departmentState: null,
		departmentOptions: [] as { id: string; name: string }[],
		rows,
		total: rows.length,
		first: 1,
		page: 1,
		pages: 1
	});
	const markup = html(InsightPage as any, { data: summary, form: null } as any, 'ja', 'http://localhost/insight?campaign=c1');
	const sectionsMarkup = html(
		SectionsPage as any,
		{ data: detail(data.spots.sections), form: null } as any,
		'ja',
		'http://localhost/insight/sections?campaign=c1'
	);
	const heatMarkup = html(HeatmapPage as any, { data: detail(data.spots.sections), form: null } as any, 'ja', 'http://localhost/insight/heatmap?campaign=c1');
	const questionsMarkup = html(
		QuestionsPage as any,
		{ data: detail(data.spots.questions), form: null } as any,
		'ja',
		'http://localhost/insight/questions?campaign=c1'
	);

	it('opens with the weakest sections: a chart with rate, interval and answers, what their questions suggest, and a draft form', () => {
		expect(markup).toMatch(/<figcaption[^>]*>誤答率の高い2項目（グラフ）<\/figcaption>/);
		expect(markup).toContain('42.9%（21.4–67.4%）・解答14件');
		expect(markup).toContain('href="/policy/basic#s-2"');
		expect(text(markup)).toContain('この項目を問う問題は1問です。');
		expect(text(markup)).toContain('1問：正答率・識別力とも問題ありません。');
		expect(text(markup)).toContain('9.9 （現行版にない項目）');
		const form = /<form method="POST" action="\/revision\/new">([\s\S]*?)<\/form>/.exec(markup)![1];
		expect(form).toContain('name="policyId" value="p1"');
		expect(form).toContain('name="sectionKey" value="2"');
		expect(form).toContain('name="campaignId" value="c1"');
		expect(form).not.toContain('fiscalYear');
		expect(form).toContain('aria-label="改訂案を作成（2 定義）"');
		// The detail pages are a link away, for the same campaign.
		expect(markup).toContain('href="/insight/sections?campaign=c1"');
		expect(markup).toContain('href="/insight/heatmap?campaign=c1"');
		expect(markup).toContain('href="/insight/questions?campaign=c1"');
		// No table of every section, no heat map on the summary.
		expect(markup).not.toContain('項目別・所属別の誤答率');
		// Figures are shared for a while: the page says when they were computed, in Japan time.
		expect(text(markup)).toMatch(/令和8年11月26日 10:05 時点の集計です/);
	});

	it('opens the revision in progress instead of starting another', () => {
		const open = html(
			InsightPage as any,
			{ data: { ...summary, weakest: summary.weakest.map((w) => ({ ...w, openRevision: { id: 'r1', version: '5.1' } })) }, form: null } as any
		);
		expect(open).toContain('href="/revision/r1"');
		expect(text(open)).toContain('作成中の改訂案（第5.1版案）を開く');
		expect(open).not.toContain('action="/revision/new"');
	});

	it('ranks every section in a table with their intervals and a form to draft a revision', () => {
		expect(sectionsMarkup).toMatch(/<caption[^>]*>情報セキュリティ基本方針：項目別の誤答率（誤答率の高い順）<\/caption>/);
		expect(sectionsMarkup).toContain('42.9%（95%信頼区間 21.4–67.4%）');
		expect(sectionsMarkup).toContain('aria-label="改訂案を作成（2 定義）"');
		expect(text(sectionsMarkup)).toContain('全2件のうち1–2件目を表示しています。');
		expect(sectionsMarkup).toContain('aria-current="page"');
	});

	it('withholds small groups in the heat map, says why once, and lets a 部 be drilled into', () => {
		expect((heatMarkup.match(/<td class="suppressed[^"]*">5人未満のため表示しません<\/td>/g) ?? []).length).toBe(2);
		expect((heatMarkup.match(/「5人未満のため表示しません」について/g) ?? []).length).toBe(1);
		expect(heatMarkup).toContain('href="/insight/heatmap?campaign=c1&amp;policy=p1&amp;dept=d1"');
		// Nothing to see inside a withheld 部.
		expect(heatMarkup).not.toContain('dept=d2');
		expect(heatMarkup).toMatch(/<strong>50.0%<\/strong><br\/><span class="answers[^"]*">8件<\/span>/);
		expect(heatMarkup).toMatch(/class="num heat-4[ "]/);
		expect(heatMarkup).toContain('10%未満');
	});

	it('reads each question and each revision honestly', () => {
		expect(text(questionsMarkup)).toContain('正答率・識別力とも問題ありません。');
		expect(text(questionsMarkup)).toContain('0.15');
		expect(text(markup)).toContain('第5.1版（令和8年5月15日公開、一部改訂）');
		expect(text(markup)).toContain('解答が20件未満のため比較できません（14件）');
		expect(text(markup)).toContain('改訂後の解答がまだ少ないため、効果はまだ判断できません。');
		expect(markup).toContain('scope="rowgroup"');
	});

	it('names the campaigns a 年度 leaves out', () => {
		expect(text(markup)).toContain('解答した人が5人未満の研修（令和8年度 新規採用者研修）は、個人の成績が推測されないよう、年度の集計に含めていません。');
	});

	it('puts the self-inspection beside the quiz: the summary counts each reading, the table shows both rates', () => {
		expect(text(markup)).toContain('実践されているが、理解されていない：1項目');
		expect(markup).toContain('href="/insight/practice?campaign=c1"');
		expect(text(markup)).toContain('自己点検「いいえ」率 5.0%');
		expect(text(sectionsMarkup)).toContain('点検「いいえ」率（95%信頼区間）');
		expect(text(sectionsMarkup)).toMatch(/42\.9%（95%信頼区間 [\d.–]+%）\s*40\s*5\.0%/);
	});

	it('says what to do when there are no answers yet', () => {
		const empty = html(
			InsightPage as any,
			{
				data: {
					...summary,
					weakest: [],
					spots: {
						...data.spots,
						people: 0,
						shown: false,
						sections: [],
						questions: [],
						departments: [],
						employmentTypes: [],
						withheldCampaigns: [],
						suppressedAny: false
					},
					effects: []
				},
				form: null
			} as any
		);
		expect(text(empty)).toContain('研修の解答がまだありません。研修が受講されると');
		expect(empty).not.toContain('<table');
		const few = html(
			InsightPage as any,
			{ data: { ...summary, weakest: [], spots: { ...data.spots, people: 3, shown: false, sections: [], questions: [] } }, form: null } as any
		);
		expect(text(few)).toContain('解答した人が5人未満のため、集計を表示しません。');
		// A 年度 whose only campaign is too small: the same reason, not "no answers".
		const withheld = html(
			InsightPage as any,
			{
				data: {
					...summary,
					weakest: [],
					filter: { fiscalYear: 2024 },
					spots: { ...data.spots, campaigns: [], people: 0, shown: false, sections: [], questions: [] }
				},
				form: null
			} as any
		);
		expect(text(withheld)).toContain('解答した人が5人未満のため、集計を表示しません。');
	});
});
