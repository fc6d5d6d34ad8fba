import { expect, test as base, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';
import { startPrivateApp, type PrivateApp } from './private-app';

// The loop publishes 第5.1版, which the other tests must not see: it runs on an app and a demo
// database of its own (private-app.ts), started by the first test that needs it, so it waits for
// no other test to finish and runs beside them. Every page and context the tests open
// (browser.newContext too) reaches it through baseURL.
let app: Promise<PrivateApp> | undefined;
const test = base.extend({
	baseURL: [
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			app ??= startPrivateApp('loop', { demo: true });
			await use((await app).origin);
		},
		{ scope: 'test', timeout: 240_000 }
	]
});

test.afterAll(async () => {
	await (await app)?.stop();
});

// The whole loop, in order: weak spot → draft → review → approval → 第5.1版 → retraining.
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const newText =
	'住民情報を扱う端末は、マイナンバー利用事務系として他の系から分離し、インターネットに直接つながないこと。ファイルを取り込むときは、必ず無害化してから取り込むこと。';
let revisionUrl = '';

async function open(page: Page, menu: string) {
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: menu, exact: true }).click();
}

test('the policy owner finds 6(3)② among the weak spots and drafts a revision from it', async ({ page }) => {
	await login(page, 'demo-owner');
	await open(page, '弱点分析');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('弱点分析');
	await expectAccessible(page);
	// The demo's practice staff get 6(3)② wrong; its row offers a draft with the figures attached.
	const draft = page.getByRole('button', { name: /改訂案を作成（6\(3\)② / }).first();
	await expect(draft).toBeVisible();
	await draft.click();
	await expect(page).toHaveURL(/\/revision\/[0-9a-f-]+/);
	revisionUrl = new URL(page.url()).pathname;
	await expect(page.getByRole('heading', { level: 1 })).toContainText('改訂案');
	await expect(page.getByRole('heading', { name: /根拠/ })).toBeVisible();
	// The evidence names the item as the document cites it, with its words: never a bare ②.
	await expect(page.getByRole('table', { name: '対象の節の誤答率' }).getByRole('rowheader')).toContainText('6(3)② LGWAN 接続系においては');
	await expectAccessible(page);
});

test('the owner edits 6(3)② without JavaScript, gives the reason and submits for review', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-owner', undefined, { script: false });
	// The owner's home lists the draft they started, linking to it.
	const home = page.getByRole('region', { name: 'あなたを待っている仕事' });
	await expect(home.getByRole('heading', { name: 'あなたの下書き' })).toBeVisible();
	await home.getByRole('link', { name: /第5\.1版/ }).click();
	await expect(page).toHaveURL(revisionUrl);
	const section = page.locator('#section-6\\.3\\.2');
	await section.getByText('この節を編集').click();
	await section.getByLabel('本文').fill(newText);
	await section.getByRole('button', { name: '保存', exact: true }).click();
	await expect(
		page
			.getByRole('status')
			.filter({ hasText: /保存しました/ })
			.first()
	).toBeVisible();

	await page.getByLabel('理由及び内容').fill('6(3)②の誤答が多かったため、系の分離と無害化の要件を具体的に書き改めた。');
	await page.getByRole('button', { name: '版の情報を保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '版の情報を保存しました' })).toBeVisible();

	await page.getByRole('button', { name: '審査を依頼する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '審査を依頼しました' })).toBeVisible();
	await context.close();
});

test('the owner cannot approve their own draft; the approver reviews the diff and approves', async ({ browser }) => {
	const ownerContext = await browser.newContext();
	const owner = await ownerContext.newPage();
	await login(owner, 'demo-owner');
	await owner.goto(`${revisionUrl}/review`);
	await expect(owner.getByRole('button', { name: '承認する' })).toHaveCount(0);
	await ownerContext.close();

	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, 'demo-approver');
	// The approver's home says the revision waits for review, and links to it.
	const home = page.getByRole('region', { name: 'あなたを待っている仕事' });
	await expect(home.getByRole('link', { name: /第5\.1版を審査する/ })).toHaveAttribute('href', `${revisionUrl}/review`);
	await expectAccessible(page);
	await open(page, 'ポリシー改訂');
	await expect(page.getByText('審査中').first()).toBeVisible();
	await expectAccessible(page);
	await page.goto(`${revisionUrl}/review`);
	await expect(page.getByRole('heading', { name: /新旧対照/ })).toBeVisible();
	// The 新旧対照表: 改正後 on the left, the new words underlined there.
	const table = page.getByRole('table', { name: /新旧対照/ });
	await expect(table.getByRole('columnheader')).toHaveText(['改正後', '改正前']);
	await expect(table.locator('tbody tr').filter({ hasText: '6(3)②' }).locator('td').first().locator('u').filter({ hasText: '無害化' }).first()).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('承認のコメント（任意）').fill('分かりやすくなった。');
	await page.getByRole('button', { name: '承認する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '承認しました' })).toBeVisible();

	// Publish as 第5.1版.
	await expect(page.getByLabel('版', { exact: true })).toHaveValue('5.1');
	await page.getByRole('button', { name: '公開する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '第5.1版を公開しました' })).toBeVisible();
	await expectAccessible(page);

	// The 改訂履歴 has its row; 5.0 is now 旧版 and still readable.
	await page.goto('/policy/basic-policy/history');
	await expect(page.getByRole('row').filter({ hasText: '5.1' }).first()).toContainText('一部改訂');
	await page.goto('/policy/basic-policy/v/5.0');
	await expect(page.getByText('旧版').first()).toBeVisible();
	await context.close();
});

test('the owner assigns 改訂のポイント to everyone in one step', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto(`${revisionUrl}/retraining`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('改訂後の研修');
	await expectAccessible(page);
	await page.getByRole('button', { name: '改訂のポイントを全職員に割り当てる' }).click();
	await expect(page.getByRole('status').filter({ hasText: /人に割り当てました/ })).toBeVisible();
	await expectAccessible(page);
});

test('a member of staff learns what changed, confirms it, and acknowledges 第5.1版', async ({ page }) => {
	await login(page, 'demo-staff');
	const card = page.getByRole('article').filter({ hasText: '改訂のポイント' }).first();
	await expect(card).toBeVisible();
	await card.getByRole('link').first().click();
	await expect(page).toHaveURL(/\/learn\/[0-9a-f-]+$/);
	await expect(page.getByRole('link', { name: /【/ }).first()).toBeVisible();
	await expectAccessible(page);
	// Every lesson, then the one-question confirmation.
	const courseUrl = page.url();
	const count = await page.getByRole('link', { name: /【/ }).count();
	expect(count).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) {
		await page.goto(courseUrl);
		await page.getByRole('link', { name: /【/ }).nth(i).click();
		await expect(page.getByText('改正後').first()).toBeVisible();
	}
	await page.goto(courseUrl);
	await page
		.getByRole('link', { name: /確認テスト|テストを受ける|受験/ })
		.first()
		.click();
	await page.getByRole('radio', { name: /○/ }).check();
	await page
		.getByRole('button', { name: /送信|採点/ })
		.first()
		.click();
	await expect(page).toHaveURL(/\/quiz\/result\//);
	await expect(page.getByText('合格').first()).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('article').filter({ hasText: '改訂のポイント' }).first()).toContainText('修了');
	await expectAccessible(page);

	await page.goto('/policy/basic-policy');
	await page.getByRole('button', { name: '第5.1版を読み、遵守します' }).click();
	await expect(page.getByRole('status')).toContainText('確認を記録しました');
});

test('the owner sees the revision on the weak-spot page, waiting for answers after it', async ({ page }) => {
	await login(page, 'demo-owner');
	await open(page, '弱点分析');
	const effects = page
		.getByRole('region', { name: '改訂の効果' })
		.or(page.locator('section').filter({ has: page.getByRole('heading', { name: '改訂の効果' }) }));
	await expect(effects.first()).toContainText('第5.1版');
	await expect(effects.first()).toContainText('6(3)② 住民情報を扱う端末は');
	await expectAccessible(page);
});

test('the approver’s annual report lists 第5.1版 with its 改訂履歴 row and 新旧対照表, and keeps 5.0’s acknowledgements', async ({ page }) => {
	await login(page, 'demo-approver');
	await open(page, '年度報告');
	const revisions = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: /この年度の改訂/ }) });
	const row = revisions.getByRole('row').filter({ hasText: '第5.1版' });
	await expect(row).toContainText('一部改訂');
	await expect(row).toContainText('北杜市情報セキュリティ基本方針');
	// 6(3)② changed, named by its citation and words.
	await expect(revisions.getByText(/第5\.0版からの変更：変更 1項目/)).toBeVisible();
	await expect(revisions.getByRole('listitem').first()).toContainText(/^\s*変更\s*6\(3\)② /);
	const link = revisions.getByRole('link', { name: '新旧対照表（第5.0版→第5.1版）を開く' });
	await expect(link).toHaveAttribute('href', '/policy/basic-policy/diff?from=5.0&to=5.1');
	// Both versions of the year, each with its own acknowledgements: demo-staff acknowledged 5.1.
	const ack = page.getByRole('table', { name: /情報セキュリティポリシーの確認状況/ });
	await expect(ack.getByRole('row').filter({ hasText: '第5.0版' })).toBeVisible();
	await expect(ack.getByRole('row').filter({ hasText: '第5.1版' })).not.toContainText(/\s0\s+\d+\s+0\.0%/);
	await expectAccessible(page);
	await link.click();
	await expect(page).toHaveURL(/\/policy\/basic-policy\/diff\?from=5\.0&to=5\.1/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
