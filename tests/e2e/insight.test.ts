import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';

// 弱点分析 opens with a summary: the five weakest sections, what their questions say and what to do;
// the full tables are one link away, on pages of their own.

const screen = { width: 1280, height: 800 };
/** The summary fits in this many screens at 1280 px. */
const maxScreens = 4;

const weakest = (page: Page) => page.getByRole('region', { name: /^誤答率の高い5項目$/ });

test('the summary fits in a few screens and shows the five weakest sections with a chart and an action each', async ({ page }) => {
	await page.setViewportSize(screen);
	await login(page, 'demo-owner');
	await page.goto('/insight');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('弱点分析');
	const region = weakest(page);
	await expect(region).toBeVisible();
	// The chart: the rate, its interval and the number of answers of each of the five.
	const chart = region.getByRole('figure');
	await expect(chart.getByRole('img')).toBeVisible();
	await expect(chart.locator('svg.plot g')).toHaveCount(5);
	await expect(chart.locator('svg.plot text.value').first()).toHaveText(/^\d+\.\d%（\d+\.\d–\d+\.\d%）・解答\d+件$/);
	// Five sections, each named by its citation and words, read in words, with one action.
	const items = region.locator('ol.weakest > li');
	await expect(items).toHaveCount(5);
	for (const item of await items.all()) {
		await expect(item.getByRole('heading', { level: 3 })).toHaveText(/^\d位\s*\S+/);
		await expect(item).toContainText(/この項目を問う問題は\d+問です。|この項目を問う問題の分析はありません。/);
		await expect(item.getByRole('button', { name: /^改訂案を作成（/ }).or(item.getByRole('link', { name: /改訂案.*を開く/ }))).toHaveCount(1);
	}
	// No full table and no heat map here.
	await expect(page.getByRole('table', { name: /項目別・所属別の誤答率/ })).toHaveCount(0);
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	test.info().annotations.push({ type: 'height', description: `${height} px` });
	expect(height, `the summary is ${height} px high`).toBeLessThan(maxScreens * screen.height);
	// A report with no script.
	await expect(page.locator('script[src], script[type="module"]')).toHaveCount(0);
	await expectAccessible(page);
});

test('the detail pages are a link away, by mouse and by keyboard, for the same 年度, paged and filtered by policy', async ({ page }) => {
	await page.setViewportSize(screen);
	await login(page, 'demo-owner');
	await page.goto('/insight');
	const nav = page.getByRole('navigation', { name: '弱点分析のページ' });
	await nav.getByRole('link', { name: '項目別の誤答率（すべて）' }).click();
	await expect(page).toHaveURL(/\/insight\/sections\?year=\d{4}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('項目別の誤答率');
	const table = page.getByRole('table', { name: /：項目別の誤答率（誤答率の高い順）/ });
	await expect(table).toBeVisible();
	const rows = await table.locator('tbody tr').count();
	expect(rows).toBeGreaterThan(5);
	expect(rows).toBeLessThanOrEqual(25);
	await expect(page.getByText(/^全\d+件のうち1–\d+件目を表示しています。$/)).toBeVisible();
	await expectAccessible(page);

	// By keyboard: Tab to the heat map's link and follow it with Enter.
	const link = nav.getByRole('link', { name: '所属別・雇用区分別' });
	for (let i = 0; i < 80 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(link).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/insight\/heatmap\?year=\d{4}$/);
	await expect(page.getByRole('table', { name: /^項目別・所属別の誤答率（全庁、部ごと）/ })).toBeVisible();
	await expect(page.getByRole('table', { name: '項目別・雇用区分別の誤答率' })).toBeVisible();
	await expectAccessible(page);

	// A 部 drills in, keeping the 年度.
	const drill = page
		.getByRole('table', { name: /^項目別・所属別の誤答率/ })
		.getByRole('columnheader')
		.getByRole('link')
		.first();
	const name = (await drill.textContent())!.trim();
	await drill.click();
	await expect(page).toHaveURL(/\/insight\/heatmap\?year=\d{4}&policy=[0-9a-f-]{36}&dept=[0-9a-f-]{36}$/);
	await expect(page.getByRole('table', { name: `項目別・所属別の誤答率（${name}の内訳）` })).toBeVisible();

	await page.getByRole('navigation', { name: '弱点分析のページ' }).getByRole('link', { name: '問題ごとの分析' }).click();
	await expect(page).toHaveURL(/\/insight\/questions\?year=\d{4}$/);
	await expect(page.getByRole('table', { name: '問題ごとの誤答率・正答率・識別力（誤答率の高い順）' })).toBeVisible();
	await expectAccessible(page);
});

test('the summary and its detail pages fit a 390 px phone', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await login(page, 'demo-owner');
	for (const path of ['/insight', '/insight/sections', '/insight/heatmap', '/insight/questions']) {
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
		await expectAccessible(page);
	}
});

test('without JavaScript an approver reads the summary and follows the choosers to a detail page', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: screen });
	const page = await context.newPage();
	await login(page, 'demo-approver', undefined, { script: false });
	await page.goto('/insight');
	await expect(weakest(page).locator('ol.weakest > li')).toHaveCount(5);
	// An approver does not draft: each section offers its reading instead.
	await expect(weakest(page).getByRole('button', { name: /^改訂案を作成/ })).toHaveCount(0);
	await expect(weakest(page).getByRole('link', { name: 'ポリシーの項目を読む' })).toHaveCount(5);
	// The 年度 chooser is a plain form: the detail page follows it without script.
	await page.getByRole('navigation', { name: '弱点分析のページ' }).getByRole('link', { name: '項目別の誤答率（すべて）' }).click();
	const year = page.getByLabel('年度の研修をまとめて見る');
	const chosen = await year.inputValue();
	await year.selectOption(chosen);
	await page.getByRole('button', { name: '表示' }).nth(1).click();
	await expect(page).toHaveURL(new RegExp(`/insight/sections\\?(policy=[0-9a-f-]{36}&)?year=${chosen}$`));
	await expect(page.getByRole('table', { name: /：項目別の誤答率/ })).toBeVisible();
	await context.close();
});

test('without JavaScript the section table is filtered by 部, an unknown 部 is an empty state and a malformed one a 400', async ({
	browser,
	page: scripted
}) => {
	// A page for every 部 of the demo.
	test.setTimeout(180_000);
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: screen });
	const page = await context.newPage();
	await login(page, 'demo-owner', undefined, { script: false });
	await page.goto('/insight/sections');
	const all = page.getByRole('table', { name: /：項目別の誤答率（誤答率の高い順）$/ });
	await expect(all).toBeVisible();
	const everyone = await page.getByText(/^全\d+件のうち/).textContent();
	const select = page.getByLabel('部', { exact: true });
	await expect(select.locator('option').first()).toHaveText('すべての部');
	const names = (await select.locator('option').allTextContents()).slice(1);
	expect(names.length).toBeGreaterThan(1);
	// Each 部 shows its own table or says its figures are withheld; at least one is shown.
	let shown = 0;
	let shownUrl = '';
	for (const name of names) {
		await page.getByLabel('部', { exact: true }).selectOption({ label: name });
		await page.getByRole('button', { name: '表示' }).last().click();
		await expect(page).toHaveURL(/\/insight\/sections\?year=\d{4}(&policy=[0-9a-f-]{36})?&dept=[0-9a-f-]{36}$/);
		await expect(page.getByLabel('部', { exact: true })).toHaveValue(/[0-9a-f-]{36}/);
		const table = page.getByRole('table', { name: new RegExp(`：${name}の項目別の誤答率（誤答率の高い順）$`) });
		const withheld = page.getByText(/この部は、解答した人が5人未満か/);
		await expect(table.or(withheld)).toBeVisible();
		if (await table.isVisible()) {
			shown++;
			shownUrl = page.url();
			expect(await table.locator('tbody tr').count()).toBeLessThanOrEqual(25);
			await expect(page.getByRole('heading', { level: 2, name: new RegExp(`（${name}）$`) })).toBeVisible();
		}
	}
	expect(shown).toBeGreaterThan(0);
	// 「すべての部」 again: the whole organisation's table.
	await page.getByLabel('部', { exact: true }).selectOption({ label: 'すべての部' });
	await page.getByRole('button', { name: '表示' }).last().click();
	await expect(page.getByText(/^全\d+件のうち/)).toHaveText(everyone!);

	const year = new URL(page.url()).searchParams.get('year');
	const unknown = await page.goto(`/insight/sections?year=${year}&dept=00000000-0000-4000-8000-000000000000`);
	expect(unknown!.status()).toBe(200);
	await expect(page.getByText('選んだ部からの、このポリシーへの解答はありません。')).toBeVisible();
	await expect(page.getByRole('table', { name: /項目別の誤答率/ })).toHaveCount(0);
	expect((await page.goto(`/insight/sections?year=${year}&dept=not-a-department`))!.status()).toBe(400);
	await context.close();

	// axe needs script: the filtered page checked in a browser that runs it, on a phone too.
	await login(scripted, 'demo-owner');
	await scripted.goto(shownUrl);
	await expect(scripted.getByRole('table', { name: /の項目別の誤答率（誤答率の高い順）$/ })).toBeVisible();
	await expectAccessible(scripted);
	await scripted.setViewportSize({ width: 390, height: 844 });
	expect(await scripted.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
