import { expect, test } from '@playwright/test';
import { expectAccessible, login } from './helpers';

test.describe.configure({ mode: 'serial' });

test('a part-time learner reads the policy in force, follows the contents and a term, sees the history and acknowledges', async ({ page }) => {
	await login(page, 'demo-parttime');
	const todo = page.getByRole('listitem').filter({ hasText: '北杜市情報セキュリティ基本方針 第5.0版をまだ確認していません' });
	await expect(todo).toBeVisible();
	await todo.getByRole('link', { name: '読んで確認する' }).click();

	// The link opens the text at its beginning, not past it at the button.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('北杜市情報セキュリティ基本方針');
	await expect(page).not.toHaveURL(/#/);
	await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
	await expect(page.getByText('施行日 令和7年11月25日')).toBeVisible();
	await expectAccessible(page);

	// Contents: all ten sections, and each item reachable by its stable anchor.
	const toc = page.getByRole('navigation', { name: '目次' });
	for (const heading of ['1 目的', '2 定義', '5 職員等の遵守義務', '6 情報セキュリティ対策', '10 情報セキュリティ実施手順の策定']) {
		await expect(toc.getByRole('link', { name: heading, exact: true })).toBeVisible();
	}
	await toc.getByRole('link', { name: '(8) マイナンバー利用事務系（個人番号利用事務系）' }).click();
	await expect(page).toHaveURL(/#s-2\.8$/);
	await expect(page.locator('#s-2\\.8')).toContainText('戸籍事務等に関わる情報システム及びデータをいう。');

	// ② of 6(3), with its glossary term linked to section 2's definition.
	const item = page.locator('#s-6\\.3\\.2');
	await expect(item).toContainText('②');
	await item.getByRole('link', { name: '無害化通信' }).click();
	await expect(page).toHaveURL(/#s-2\.12$/);

	await page.getByRole('link', { name: '改訂履歴' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('改訂履歴');
	const rows = page.getByRole('row');
	await expect(rows).toHaveCount(6);
	await expect(rows.nth(1)).toContainText('第1.0版');
	await expect(rows.nth(1)).toContainText('平成17年3月');
	await expect(rows.nth(1)).toContainText('新規制定');
	await expect(rows.nth(5)).toContainText('令和7年11月25日');
	await expect(rows.nth(5)).toContainText('総務省情報セキュリティガイドライン (令和 7 年 3 月版) に合わせて一部改訂');
	await expect(rows.nth(1).getByRole('link')).toHaveCount(0); // text not held
	await expectAccessible(page);
	await rows.nth(5).getByRole('link', { name: '第5.0版' }).click();

	await page.getByRole('button', { name: '第5.0版を読み、遵守します' }).click();
	await expect(page.getByRole('status')).toContainText('確認を記録しました');
	await expect(page.getByRole('status')).toContainText('北杜市情報セキュリティ基本方針 第5.0版を読み、遵守します。');
	// Where the person is looking: on screen, and focused for a screen reader.
	await expect(page.getByRole('status')).toBeInViewport();
	await expect(page.getByRole('status')).toBeFocused();
	await expectAccessible(page);

	await page.goto('/');
	await expect(page.getByText('北杜市情報セキュリティ基本方針 第5.0版は確認済みです')).toBeVisible();
});

test('acknowledging works without JavaScript too', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-contractor', undefined, { script: false });
	await page.goto('/policy/basic-policy');
	await page.getByRole('button', { name: '第5.0版を読み、遵守します' }).click();
	await expect(page.getByRole('status')).toContainText('確認を記録しました');
	await expect(page.getByRole('status')).toBeInViewport();
	await context.close();
});

test('a restricted 実施手順 does not exist for a learner, and is readable by the policy owner', async ({ page }) => {
	await login(page, 'demo-staff');
	await page.goto('/policy');
	await expect(page.getByRole('link', { name: '北杜市情報セキュリティ基本方針' })).toBeVisible();
	await expect(page.getByText('実施手順（情報セキュリティインシデント対応）')).toHaveCount(0);
	const response = await page.goto('/policy/incident-procedure');
	expect(response?.status()).toBe(404);
	expect(await page.goto('/policy/incident-procedure/history').then((r) => r?.status())).toBe(404);

	await page.getByRole('button', { name: 'ログアウト' }).click();
	await login(page, 'demo-owner');
	await page.goto('/policy');
	await page.getByRole('link', { name: '北杜市情報セキュリティ実施手順（情報セキュリティインシデント対応）' }).click();
	await expect(page.getByText('非公開').first()).toBeVisible();
	await expect(page.locator('#s-3\\.1')).toContainText('電源を切らずにネットワークから切り離し');
	await expectAccessible(page);
});

test('a supervisor sees who in their department has not acknowledged, and no one else', async ({ page }) => {
	await login(page, 'demo-chief');
	await page.goto('/policy/basic-policy');
	await page.getByRole('link', { name: '確認状況' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('確認状況');
	// 市民課 and its 窓口係 only: demo-parttime has acknowledged (first test), the others not yet.
	await expect(page.getByText(/\d+ \/ \d+名が確認済み/)).toBeVisible();
	const missing = page.getByRole('table').last();
	await expect(missing).toContainText('小淵沢 花子');
	await expect(missing).not.toContainText('白州 さくら');
	await expect(page.getByRole('main')).not.toContainText('長坂 一郎'); // 総務課, not theirs
	await expectAccessible(page);
});
