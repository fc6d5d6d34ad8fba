import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const demoPassword = 'mamori-demo';

/** The e2e server's database (tests/e2e/server.js creates it), for setting up what no page can. */
export function e2eDatabaseUrl(): string {
	const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
	url.pathname = `/${process.env.E2E_DATABASE ?? 'mamori_e2e'}`;
	return url.toString();
}

/** Every page a test visits passes axe with zero violations (WCAG 2.x A and AA). */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
	const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** Waits until the page's scripts have taken over, so nothing typed earlier is rendered over. */
export async function waitForHydration(page: Page): Promise<void> {
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Logs in through the form; `script: false` for a context with JavaScript disabled. */
export async function login(page: Page, employeeNumber: string, password = demoPassword, options: { script?: boolean } = {}): Promise<void> {
	await page.goto('/login');
	if (options.script !== false) await waitForHydration(page);
	await page.getByLabel('職員番号').fill(employeeNumber);
	await page.getByLabel('パスワード').fill(password);
	await page.getByRole('button', { name: 'ログイン' }).click();
	// Wait for the answer: either we left the login page or it shows why not.
	await expect(page.getByRole('alert').or(page.getByRole('heading', { level: 1, name: /さん、こんにちは|パスワードの変更/ }))).toBeVisible({ timeout: 30_000 });
}

export async function logout(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'ログアウト' }).click();
	await expect(page).toHaveURL(/\/login/);
}

/** Fails the test when the page asks anything of another origin (LGWAN terminals have no internet). */
export function forbidForeignRequests(page: Page, origin: string): string[] {
	const foreign: string[] = [];
	page.on('request', (request) => {
		const url = request.url();
		if (!url.startsWith(origin) && !url.startsWith('data:')) foreign.push(url);
	});
	return foreign;
}

/** Selects the first option whose text contains `text` (tree selects indent their labels). */
export async function chooseOptionContaining(select: Locator, text: string): Promise<void> {
	const options = select.locator('option');
	const labels = await options.allTextContents();
	const index = labels.findIndex((l) => l.includes(text));
	expect(index, `an option containing ${text}`).toBeGreaterThanOrEqual(0);
	await select.selectOption({ index });
}
