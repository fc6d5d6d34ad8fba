// Screenshot comparisons: the main page of each role at 1280 px and at 390 px, on a fresh private
// app (the demo organisation, seeded the same way every time), so that a layout regression — the
// menu wrapping to a second line, a column moving, a box overflowing a phone — fails a test.
//
// What changes by day or time is frozen: dates (令和…年…月…日), 残り日数 (あと…日), times and the
// 年度 are written as fixed placeholders, and the progress chart drawn along the calendar is masked. The threshold lets font antialiasing
// through but not a line of text moving.
//
// The baselines live in tests/e2e/__screenshots__/ (no platform suffix: CI runs the same Debian
// Chromium with the same Japanese fonts). After an intended change of layout, regenerate them and
// look at every changed image before committing:
//
//   E2E_PORT=3290 E2E_DATABASE=mamori_e2e_screens npx playwright test tests/e2e/screens.test.ts --project chromium --update-snapshots
import { expect, test, type Locator, type Page } from '@playwright/test';
import { login } from './helpers';
import { startPrivateApp, type PrivateApp } from './private-app';

let app: PrivateApp;

test.beforeAll(async () => {
	test.setTimeout(300_000);
	app = await startPrivateApp('screens', { demo: true });
});

test.afterAll(async () => {
	await app?.stop();
});

/**
 * Freezes what reads differently tomorrow: every date, 残り日数, time and 年度 in the page's text
 * (options included) becomes the same placeholder, so its width no longer depends on the day.
 */
async function freezeDates(page: Page): Promise<void> {
	await page.evaluate(() => {
		const rules: [RegExp, string][] = [
			[/令和\d+年\d+月\d+日/g, '令和0年00月00日'],
			[/\d{4}年\d+月\d+日/g, '0000年00月00日'],
			[/\d{4}-\d{2}-\d{2}/g, '0000-00-00'],
			[/令和\d+年度/g, '令和0年度'],
			[/\d{4}年度/g, '0000年度'],
			[/あと\d+日/g, 'あと00日'],
			[/\d+日(超過|経過|過ぎ)/g, '00日$1'],
			[/\b\d{1,2}:\d{2}\b/g, '00:00']
		];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			let text = node.nodeValue ?? '';
			for (const [pattern, placeholder] of rules) text = text.replace(pattern, placeholder);
			if (text !== node.nodeValue) node.nodeValue = text;
		}
	});
}

/** What is drawn along the calendar: hidden behind a mask of the same size. */
function drawnByDay(page: Page): Locator[] {
	return [page.getByRole('figure', { name: /期限までの進み具合/ })];
}

const pages: { role: string; user: string; path: string; ready: (page: Page) => Locator }[] = [
	{ role: 'staff', user: 'demo-staff', path: '/', ready: (page) => page.getByRole('heading', { name: 'わたしの研修' }) },
	{ role: 'supervisor', user: 'demo-chief', path: '/team', ready: (page) => page.getByRole('heading', { level: 1, name: '所属の受講状況' }) },
	{ role: 'owner', user: 'demo-owner', path: '/insight', ready: (page) => page.getByRole('heading', { level: 1, name: '弱点分析' }) },
	{ role: 'approver', user: 'demo-approver', path: '/revision', ready: (page) => page.getByRole('heading', { level: 1, name: 'ポリシー改訂' }) },
	{ role: 'admin', user: 'demo-admin', path: '/admin', ready: (page) => page.getByRole('heading', { level: 1, name: '管理' }) }
];

const widths = [
	{ name: '1280', viewport: { width: 1280, height: 800 } },
	{ name: '390', viewport: { width: 390, height: 844 } }
];

for (const { role, user, path, ready } of pages) {
	test(`${role}: ${path} looks as it did, at 1280 px and 390 px`, async ({ browser }) => {
		const context = await browser.newContext({ baseURL: app.origin, viewport: widths[0].viewport });
		const page = await context.newPage();
		await login(page, user);
		for (const { name, viewport } of widths) {
			await page.setViewportSize(viewport);
			await page.goto(path);
			await expect(ready(page)).toBeVisible();
			await page.evaluate(() => document.fonts.ready);
			await freezeDates(page);
			await expect(page).toHaveScreenshot(`${role}-${name}.png`, {
				mask: drawnByDay(page),
				// Per pixel: the colour distance antialiasing stays within. Per page: a handful of
				// pixels; a menu item moved by a few pixels already changes over a thousand.
				threshold: 0.2,
				maxDiffPixels: 100
			});
		}
		await context.close();
	});
}
