import { expect, test } from '@playwright/test';
import { expectAccessible, login } from './helpers';

test('a policy owner previews and saves a lesson edit, and downloads the question pool as GIFT', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '研修コースの編集' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('研修コースの編集');
	await expectAccessible(page);
	await page.getByRole('link', { name: /委託事業者向け 情報セキュリティの基本/ }).click();
	await expectAccessible(page);

	await page.getByRole('link', { name: /^編集\s*: 対象となる人と情報資産/ }).click();
	const body = page.getByLabel('本文（Markdown）');
	await body.fill(`${await body.inputValue()}\n\n## 追記\n\n**委託先でも**同じです。<script>alert(1)</script>`);
	await page.getByRole('button', { name: 'プレビュー' }).click();
	const preview = page.getByRole('region').filter({ has: page.getByRole('heading', { name: /プレビュー/ }) });
	await expect(preview.locator('strong')).toHaveText('委託先でも');
	await expect(preview.locator('script')).toHaveCount(0);
	await expectAccessible(page);
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page.getByRole('status')).toContainText('保存しました');

	const download = page.waitForEvent('download');
	await page.goto('/admin/courses');
	await page.getByRole('link', { name: /委託事業者向け 情報セキュリティの基本/ }).click();
	await page.getByRole('link', { name: '問題をGIFT形式でダウンロード' }).click();
	expect((await download).suggestedFilename()).toBe('contractor-basics.gift');
});
