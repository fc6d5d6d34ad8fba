// Redirect targets from a request stay on our origin in a real browser: ?next= after login (through
// the form, with and without JavaScript, and when already logged in) and the language switch's `back`.
import { expect, test, type Page } from '@playwright/test';
import { hostileTargets } from '../fixtures/hostile/redirects';
import { demoPassword, login } from './helpers';

test.describe.configure({ mode: 'parallel' });

/** Where the browser ended up after following every redirect. */
function expectHome(page: Page, baseURL: string, value: string) {
	const landed = new URL(page.url());
	expect(landed.origin, `origin after ${JSON.stringify(value)}`).toBe(new URL(baseURL).origin);
	expect(landed.pathname, `path after ${JSON.stringify(value)}`).toBe('/');
}

const typedThroughTheForm = [
	'https://evil.example/',
	'//evil.example',
	'/\\evil.example',
	'/%2F%2Fevil.example',
	'/..//evil.example',
	'/\n/evil.example',
	'javascript:alert(1)'
];

for (const script of [true, false]) {
	test(`logging in through the form never follows a hostile next (${script ? 'with' : 'without'} JavaScript)`, async ({ browser, baseURL }) => {
		test.slow();
		const context = await browser.newContext({ javaScriptEnabled: script });
		const page = await context.newPage();
		for (const value of typedThroughTheForm) {
			await context.clearCookies();
			const response = await page.goto(`/login?next=${encodeURIComponent(value)}`);
			expect(response!.status()).toBe(200);
			await page.getByLabel('職員番号').fill('demo-parttime');
			await page.getByLabel('パスワード').fill(demoPassword);
			await page.getByRole('button', { name: 'ログイン' }).click();
			await expect(page.getByRole('heading', { level: 1 })).toContainText('さん、こんにちは');
			expectHome(page, baseURL!, value);
		}
		// A path of our own is still followed, encoded when it is not ASCII.
		await context.clearCookies();
		await page.goto(`/login?next=${encodeURIComponent('/policy?q=ロック')}`);
		await page.getByLabel('職員番号').fill('demo-parttime');
		await page.getByLabel('パスワード').fill(demoPassword);
		await page.getByRole('button', { name: 'ログイン' }).click();
		await expect(page).toHaveURL(/\/policy\?q=%E3%83%AD/);
		await context.close();
	});
}

test('a logged-in visit to /login follows no hostile next, and no next answers 500', async ({ page, baseURL }) => {
	test.slow();
	await login(page, 'demo-contractor');
	for (const value of hostileTargets) {
		const response = await page.goto(`/login?next=${encodeURIComponent(value)}`);
		expect(response!.status(), JSON.stringify(value).slice(0, 60)).toBeLessThan(400);
		expectHome(page, baseURL!, value);
	}
});

test('the language switch returns only to a page of our own', async ({ page, baseURL }) => {
	test.slow();
	await login(page, 'demo-contractor');
	// The whole table is the unit test's and the test above's; here the kinds a browser might read differently.
	for (const value of [...typedThroughTheForm, '/%5C%5Cevil.example', '\t//evil.example', '/foo%0d%0aSet-Cookie:%20taken=1']) {
		// The header's own form, with its hidden `back` set to the hostile value, posted by the browser.
		await page.goto('/');
		await page
			.locator('form[action^="/lang"] input[name="back"]')
			.first()
			.evaluate((input, v) => ((input as HTMLInputElement).value = v), value);
		const answered = page.waitForResponse((r) => r.url().includes('/lang') && r.request().method() === 'POST');
		await page.locator('form[action^="/lang"] button').first().click();
		expect((await answered).status(), JSON.stringify(value).slice(0, 60)).toBeLessThan(500);
		await page.waitForLoadState('load');
		expectHome(page, baseURL!, value);
	}
	// Back to Japanese for whoever reads the page next.
	await page.context().clearCookies({ name: 'mamori_lang' });
});
