import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';

// Whether a table is wider than its box depends on the fonts, the data and the screen: with
// Japanese fonts a column of 漢字 is wider than with none, and a phone is narrower than a desktop.
// So every page that holds a table is checked at a desktop's and a phone's width, with every
// folded part (表で見る) open: axe finds nothing, and whatever scrolls can be reached and scrolled
// from the keyboard.

// The two widths run side by side: each visits every page.
test.describe.configure({ mode: 'parallel' });

const widths = [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 390, height: 844 }
] as const;

/** Pages an admin sees that hold tables or other boxes that scroll, reached from their lists. */
async function pagesToVisit(page: Page): Promise<{ pages: string[]; lesson: string }> {
	const firstLink = async (list: string, prefix: RegExp) => {
		await page.goto(list);
		const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
		const href = hrefs.find((h) => prefix.test(h));
		expect(href, `a link matching ${prefix} on ${list}`).toBeTruthy();
		return href!;
	};
	const campaign = await firstLink('/admin/campaigns', /^\/admin\/campaigns\/[0-9a-f-]{36}$/);
	const course = await firstLink('/admin/courses', /^\/admin\/courses\/[0-9a-f-]{36}$/);
	const lesson = await firstLink(course, /^\/admin\/courses\/[0-9a-f-]{36}\/lesson\//);
	const pages = [
		'/insight',
		'/insight/sections',
		'/insight/heatmap',
		'/insight/questions',
		'/team',
		'/report',
		'/admin/people',
		'/admin/departments',
		'/admin/roster',
		'/admin/courses',
		course,
		'/admin/campaigns',
		campaign,
		'/admin/campaigns/new',
		'/admin/audit',
		'/policy/basic-policy',
		'/policy/basic-policy/history',
		'/policy/basic-policy/acknowledgements',
		'/revision'
	];
	return { pages, lesson };
}

/**
 * What scrolls on the page and cannot be scrolled from the keyboard, computed in the page: a box
 * whose content is wider than it scrolls sideways, and only the box itself in the tab order lets a
 * keyboard do that; a box that scrolls up and down may instead hold what takes focus (each focused
 * link or checkbox is scrolled into view). The page itself must not be wider than the screen.
 */
function unreachableScrolling(): string[] {
	const takesFocus =
		'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
	const scrolls = (overflow: string) => overflow === 'auto' || overflow === 'scroll';
	const describe = (el: HTMLElement) => {
		const name = el.getAttribute('aria-label') ?? el.querySelector('caption')?.textContent ?? el.textContent ?? '';
		return `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> 「${name.trim().slice(0, 30)}」 ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`;
	};
	const found: string[] = [];
	for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
		if (!(el instanceof HTMLElement) || el.tabIndex >= 0) continue;
		const style = getComputedStyle(el);
		if (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth) found.push(`sideways: ${describe(el)}`);
		else if (scrolls(style.overflowY) && el.scrollHeight > el.clientHeight && !el.querySelector(takesFocus)) found.push(`up and down: ${describe(el)}`);
	}
	const root = document.documentElement;
	if (root.scrollWidth > root.clientWidth) found.push(`the page is ${root.scrollWidth}px wide on a ${root.clientWidth}px screen`);
	return found;
}

async function expectReachable(page: Page, where: string): Promise<void> {
	// Folded parts (a chart's table) hold tables too.
	await page.locator('details:not([open])').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
	expect(await page.evaluate(unreachableScrolling), `what scrolls out of the keyboard's reach, or widens the page, on ${where}`).toEqual([]);
	await expectAccessible(page);
}

for (const size of widths) {
	test(`at ${size.width} px (${size.name}) every page with tables passes axe and whatever scrolls takes focus`, async ({ page }) => {
		test.setTimeout(240_000);
		await page.setViewportSize({ width: size.width, height: size.height });
		await login(page, 'demo-admin');
		const { pages, lesson } = await pagesToVisit(page);
		for (const path of pages) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expectReachable(page, path);
		}

		// A preview of a pasted policy: its structure in tables.
		await page.goto('/policy/import');
		await page.getByLabel('文書を貼り付ける').fill(readFileSync('content/policies/basic-policy/v5.0.md', 'utf8'));
		await page.getByRole('button', { name: '構造を確認する' }).click();
		await expect(page.getByRole('cell', { name: '6.3.2', exact: true })).toBeVisible();
		await expectReachable(page, 'the import preview');

		// A lesson's preview with a long line of code and a long address: they wrap on a phone.
		await page.goto(lesson);
		const body = page.getByLabel('本文（Markdown）');
		const longLine = 'https://www.example.lg.jp/kurashi/bousai/jouhou/security/policy/kihon-houshin/v5/index.html?from=lgwan-terminal';
		await body.fill(`${await body.inputValue()}\n\n\`\`\`\n${longLine}\n\`\`\`\n\n${longLine}\n`);
		await page.getByRole('button', { name: 'プレビュー' }).click();
		await expect(page.getByRole('heading', { name: 'プレビュー' })).toBeVisible();
		await expectReachable(page, 'a lesson preview');
	});
}

test('on a phone, a table wider than the screen is reached with Tab, shows the focus ring and scrolls with the arrow keys', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await login(page, 'demo-admin');
	await page.goto('/insight/heatmap');
	const region = page.getByRole('group', { name: /^項目別・所属別の誤答率/ }).first();
	await expect(region).toBeVisible();
	const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
	expect(sizes.scroll, 'the heat map is wider than a phone').toBeGreaterThan(sizes.client);

	// Tab from the element just before it lands on the region itself.
	await region.evaluate((el) => {
		const before = document.createElement('button');
		before.textContent = 'before';
		el.before(before);
		before.focus();
	});
	await page.keyboard.press('Tab');
	await expect(region).toBeFocused();
	const ring = await region.evaluate((el) => getComputedStyle(el).outlineStyle);
	expect(ring).not.toBe('none');
	await page.keyboard.press('ArrowRight');
	await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});
