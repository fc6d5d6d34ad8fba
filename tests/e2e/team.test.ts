import { expect, test } from '@playwright/test';
import { expectAccessible, login } from './helpers';

// Serial: the reminder sent in one test is what the learner sees in the next.
test.describe.configure({ mode: 'serial' });

const bom = [0xef, 0xbb, 0xbf];

test('a supervisor sees their department on the dashboard, with charts that have text and tables', async ({ page }, testInfo) => {
	await login(page, 'demo-chief');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '所属の受講状況' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('所属の受講状況');
	await expect(page.getByLabel('研修', { exact: true })).toContainText('情報セキュリティ研修（全職員）');
	await expect(page.getByText('対象者')).toBeVisible();
	for (const title of ['期限までの進み具合', '所属別の修了状況', '雇用区分別の修了状況']) {
		const figure = page.getByRole('figure', { name: title });
		await expect(figure).toBeVisible();
		// The chart's text alternative is there, and so is its table.
		await expect(figure.getByRole('img')).toHaveAccessibleName(/.+/);
		await figure.getByText('表で見る').click();
		await expect(figure.getByRole('table')).toBeVisible();
	}
	// Only 市民課 and its 係: no one from other departments.
	const people = page.getByRole('table', { name: /職員ごとの受講状況/ });
	await expect(people).toContainText('小淵沢 花子');
	await expect(people).not.toContainText('長坂 一郎');
	await expect(people).not.toContainText('明野 健');
	await expect(page.getByText('個々の解答の内容は表示されません')).toBeVisible();
	// The server's mail setting is the admin's business, not the 課長's.
	await expect(page.getByText('督促は各職員のホーム画面に表示されます（メールでは送られません）。')).toBeVisible();
	await expect(page.getByText('SMTP_URL')).toHaveCount(0);
	await expectAccessible(page);
	const shot = testInfo.outputPath('team-dashboard.png');
	await page.screenshot({ path: shot, fullPage: true });
	await testInfo.attach('team-dashboard', { path: shot, contentType: 'image/png' });

	// Filters are a plain GET form.
	await page.getByRole('combobox', { name: '状況', exact: true }).selectOption('completed');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page).toHaveURL(/status=completed/);
	await expect(page.getByRole('table', { name: /職員ごとの受講状況/ }).or(page.getByText('条件に合う職員はいません'))).toBeVisible();
	await expect(page.getByText('小淵沢 花子')).toHaveCount(0);
	await expectAccessible(page);
});

test('a supervisor cannot reach another department by URL or export', async ({ browser }) => {
	// The admin's dashboard links to each 部; take 市民部's, which is above the chief's 市民課.
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await login(admin, 'demo-admin');
	await admin.goto('/team');
	await expect(admin.getByText('メールの送信は設定されていません（SMTP_URL が未設定）。')).toBeVisible();
	await expectAccessible(admin);
	const link = admin.getByRole('navigation', { name: '下の所属ごとの状況を見る' }).getByRole('link', { name: '市民部' });
	const href = await link.getAttribute('href');
	const dept = new URLSearchParams(href!.split('?')[1]).get('dept')!;
	const campaign = new URLSearchParams(href!.split('?')[1]).get('campaign')!;
	await link.click();
	await expect(admin.getByRole('navigation', { name: '表示している範囲' })).toContainText('市民部');
	await expect(admin.getByRole('figure', { name: '所属別の修了状況' })).toContainText('市民課');
	await expectAccessible(admin);
	await adminContext.close();

	const chiefContext = await browser.newContext();
	const chief = await chiefContext.newPage();
	await login(chief, 'demo-chief');
	expect((await chief.goto(`/team?dept=${dept}`))?.status()).toBe(404);
	expect((await chief.request.get(`/team/export?campaign=${campaign}&dept=${dept}`)).status()).toBe(404);
	expect((await chief.request.get(`/team/export?campaign=00000000-0000-4000-8000-000000000000`)).status()).toBe(404);
	await chiefContext.close();
});

test('a supervisor exports the list as CSV for Excel, in UTF-8 with BOM or Shift_JIS', async ({ page }) => {
	await login(page, 'demo-chief');
	await page.goto('/team');
	const [utf8] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSVで書き出す（Excel用 UTF-8）' }).click()]);
	expect(utf8.suggestedFilename()).toMatch(/\.csv$/);
	const bytes = [...(await (await import('node:fs/promises')).readFile((await utf8.path())!))];
	expect(bytes.slice(0, 3)).toEqual(bom);
	const text = new TextDecoder('utf-8').decode(new Uint8Array(bytes.slice(3)));
	expect(text.split('\r\n')[0]).toContain('職員番号');
	expect(text).toContain('小淵沢 花子');
	expect(text).not.toContain('長坂 一郎');
	const [sjis] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Shift_JIS で書き出す' }).click()]);
	const raw = await (await import('node:fs/promises')).readFile((await sjis.path())!);
	expect([...raw.subarray(0, 3)]).not.toEqual(bom);
	expect(new TextDecoder('shift_jis').decode(raw)).toContain('小淵沢 花子');
});

test('a supervisor reminds a person without JavaScript, once a day, and the person sees it at home', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-chief', undefined, { script: false });
	await page.goto('/team');
	await page.getByRole('checkbox', { name: '小淵沢 花子を選択' }).check();
	await page.getByRole('button', { name: '選択した人に督促を送る' }).click();
	await expect(page.getByRole('status')).toContainText('1人に督促を送りました。');
	// The answer is beside the button, on screen without scrolling.
	await expect(page.getByRole('status')).toBeInViewport();
	await expect(page.getByRole('button', { name: '選択した人に督促を送る' })).toBeInViewport();
	await context.close();

	// A second click the same day, this time with JavaScript, sends nothing.
	const scripted = await browser.newContext();
	const withScript = await scripted.newPage();
	await login(withScript, 'demo-chief');
	await withScript.goto('/team');
	await withScript.getByRole('checkbox', { name: '小淵沢 花子を選択' }).check();
	await withScript.getByRole('button', { name: '選択した人に督促を送る' }).click();
	await expect(withScript.getByRole('status')).toContainText('本日すでに督促済み');
	await expect(withScript.getByRole('status')).toBeInViewport();
	await expect(withScript.getByRole('status')).toBeFocused();
	await expectAccessible(withScript);
	await scripted.close();

	const learnerContext = await browser.newContext();
	const learner = await learnerContext.newPage();
	await login(learner, 'demo-staff');
	const notice = learner.getByRole('region', { name: '研修の受講についてお知らせがあります' });
	await expect(notice).toContainText('清里 課長さんから督促がありました');
	await expectAccessible(learner);
	await notice.getByRole('link', { name: /受講する/ }).click();
	await expect(learner).toHaveURL(/\/learn\//);
	await learnerContext.close();
});

test('an admin sets automatic reminders for a campaign', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/campaigns');
	await page
		.getByRole('link', { name: /情報セキュリティ研修（全職員）/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { name: '自動督促' })).toBeVisible();
	await page.getByLabel('3日前').check();
	await page.getByLabel('期限を過ぎた後').selectOption('3');
	await page.getByRole('button', { name: '自動督促を保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '自動督促を保存しました。' })).toBeVisible();
	await expect(page.getByLabel('3日前')).toBeChecked();
	await expect(page.getByLabel('期限を過ぎた後')).toHaveValue('3');
	await expectAccessible(page);
});

test('the approver opens the annual report, ready to print on A4', async ({ page }) => {
	await login(page, 'demo-approver');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '年度報告' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('情報セキュリティ研修 実施報告');
	for (const heading of ['実施した研修', '所属別の修了状況', '雇用区分別の修了状況', '期限を過ぎた未修了者', '確認状況', '理解が不十分な項目']) {
		await expect(page.getByRole('heading', { level: 2, name: new RegExp(heading) })).toBeVisible();
	}
	await expect(page.getByRole('table', { name: /実施した研修/ })).toContainText('情報セキュリティ研修（全職員）');
	await expectAccessible(page);
	// Printed, the site's menu and the year form drop away; the report stays.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: 'メインメニュー' })).toBeHidden();
	await expect(page.getByLabel('報告する年度')).toBeHidden();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('the people list keeps words whole at 1280 px, and /team fits a 390 px phone with a menu button', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/team');
	const table = page.getByRole('table', { name: /職員ごとの受講状況/ });
	await expect(table).toBeVisible();
	// Each name, kana and department is one line: no 市民／課 split inside a word.
	const lines = await table.locator('tbody tr').evaluateAll((rows) =>
		rows.flatMap((row) => {
			const cells = row.querySelectorAll('td');
			const lineCount = (node: Node) => {
				const range = document.createRange();
				range.selectNodeContents(node);
				return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
			};
			const name = cells[2].firstChild!;
			const kana = cells[2].querySelector('.kana');
			return [
				{ text: name.textContent, lines: lineCount(name) },
				...(kana ? [{ text: kana.textContent, lines: lineCount(kana) }] : []),
				{ text: cells[3].textContent, lines: lineCount(cells[3]) },
				{ text: cells[4].textContent, lines: lineCount(cells[4]) }
			];
		})
	);
	expect(lines.length).toBeGreaterThan(0);
	expect(lines.filter((l) => l.lines !== 1)).toEqual([]);

	// The admin's menu is one row at 1280 px.
	const menu = page.getByRole('navigation', { name: 'メインメニュー' });
	const tops = await menu.getByRole('link').evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
	expect(tops.length).toBeGreaterThan(8);
	expect(new Set(tops).size, 'rows of the main menu').toBe(1);
	await expect(page.getByText('メニュー', { exact: true })).toBeHidden();

	await page.setViewportSize({ width: 390, height: 844 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	// The header is one row with a menu button; the menu opens on demand.
	expect(await page.locator('header.site-header').evaluate((h) => h.getBoundingClientRect().height)).toBeLessThan(90);
	await expect(page.getByRole('link', { name: '弱点分析' })).toBeHidden();
	await page.getByText('メニュー', { exact: true }).click();
	await expect(page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '弱点分析' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
	await expectAccessible(page);
	await page.getByText('メニュー', { exact: true }).click();
	await expect(page.getByRole('link', { name: '弱点分析' })).toBeHidden();
	await expectAccessible(page);
});

test('the phone menu opens without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await login(page, 'demo-chief', undefined, { script: false });
	await page.goto('/team');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.getByText('メニュー', { exact: true }).click();
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ポリシー' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('情報セキュリティポリシー');
	await context.close();
});

test('a campaign named for its 年度 is not given the 年度 twice', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/insight');
	const options = await page.locator('select option').allTextContents();
	expect(options.some((o) => o.includes('令和8年度 情報セキュリティ研修（全職員）'))).toBe(true);
	expect(options.filter((o) => (o.match(/令和\d+年度/g) ?? []).length > 1)).toEqual([]);
	await expectAccessible(page);
});
