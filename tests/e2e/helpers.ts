import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { parseQuestions } from '../../src/lib/server/learning/content/parse-course';

export const demoPassword = 'mamori-demo';

/** The database the e2e server uses (see server.js), for tests that look up or add rows directly. */
export function e2eDatabaseUrl(): string {
	const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
	url.pathname = `/${process.env.E2E_DATABASE ?? 'mamori_e2e'}`;
	return url.toString();
}

/** Every page a test visits passes axe with zero violations (WCAG 2.x A and AA). */
export async function expectAccessible(page: Page): Promise<void> {
	// The app's pages have no frames, so one run in the page itself checks all there is, without
	// the per-frame run's blank page and third load of the rules for every check.
	expect(page.frames(), `frames on ${page.url()}`).toHaveLength(1);
	const results = await new AxeBuilder({ page }).setLegacyMode().withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
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

/** The right answers by question stem, from the course's own content files. */
export function answerKey(course: string): Map<string, string[]> {
	const file = `content/courses/${course}/questions.md`;
	const { value } = parseQuestions(readFileSync(file, 'utf8'), file);
	return new Map(value.map((q) => [q.stem.trim(), q.choices.filter((c) => c.correct).map((c) => c.text)]));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function answerEveryQuestionRightly(page: Page, key: Map<string, string[]>) {
	const fieldsets = page.locator('fieldset[id^="q"]');
	const count = await fieldsets.count();
	expect(count).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) {
		const fieldset = fieldsets.nth(i);
		const stem = (await fieldset.locator('.stem').textContent())!.trim();
		const right = key.get(stem);
		expect(right, `answer for 「${stem}」`).toBeDefined();
		const choices = fieldset.locator('label.choice');
		for (let c = 0; c < (await choices.count()); c++) {
			const label = (await choices.nth(c).locator('span').textContent())!.trim();
			const isRight = right!.some((text) => new RegExp(`^${escapeRegExp(text)}(（.*）)?$`).test(label));
			const input = choices.nth(c).locator('input');
			if (isRight) await input.check();
			else if ((await input.getAttribute('type')) === 'checkbox') await input.uncheck();
		}
	}
}

export async function readEveryLesson(page: Page) {
	// From the course page: the first unread lesson, then "next" until the quiz link.
	await page.getByRole('link', { name: /受講を始める|続きから受講する/ }).click();
	for (let n = 1; n <= 20; n++) {
		// "n / total" above the title says which lesson has loaded.
		const counter = page.getByText(new RegExp(`^${n} / (\\d+)$`));
		await expect(counter).toBeVisible();
		const total = Number((await counter.textContent())!.split('/')[1]);
		if (n === total) break;
		await page.getByRole('link', { name: /^次の講座：/ }).click();
	}
}
