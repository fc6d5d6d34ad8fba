import { expect, test } from '@playwright/test';
import { expectAccessible, forbidForeignRequests, login, logout } from './helpers';

// Each test logs in on its own and changes nothing another reads (the lock uses an account of its
// own), so the role tours spread over both workers instead of pinning one.
test.describe.configure({ mode: 'parallel' });

/** Pages whose heading is not the menu label: the annual report is titled as the document it prints. */
const headingOf: Record<string, RegExp> = { 年度報告: /^令和\d+年度 情報セキュリティ研修 実施報告$/ };

const navByAccount: Record<string, { visible: string[]; hidden: string[] }> = {
	'demo-admin': { visible: ['ホーム', '管理', '所属の受講状況', '年度報告', 'ポリシー改訂', '研修の割り当て'], hidden: [] },
	'demo-owner': { visible: ['ホーム', '年度報告', 'ポリシー改訂', '研修の割り当て', '研修コースの編集'], hidden: ['管理', '所属の受講状況'] },
	'demo-approver': { visible: ['ホーム', '年度報告', 'ポリシー改訂'], hidden: ['管理'] },
	'demo-chief': { visible: ['ホーム', '所属の受講状況'], hidden: ['管理', 'ポリシー改訂', '年度報告'] },
	'demo-staff': { visible: ['ホーム', 'わたしの研修'], hidden: ['管理', '所属の受講状況', 'ポリシー改訂', '研修の割り当て'] },
	'demo-parttime': { visible: ['ホーム'], hidden: ['管理', '所属の受講状況', 'ポリシー改訂'] },
	'demo-contractor': { visible: ['ホーム'], hidden: ['管理', '所属の受講状況', 'ポリシー改訂'] }
};

test('the login page is labelled in Japanese and accessible', async ({ page, baseURL }) => {
	const foreign = forbidForeignRequests(page, baseURL!);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
	await expect(page.getByLabel('職員番号')).toBeVisible();
	await expect(page.getByLabel('パスワード')).toBeVisible();
	await expect(page.getByRole('button', { name: 'ログイン' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
	await expectAccessible(page);
	expect(foreign).toEqual([]);
});

for (const [account, nav] of Object.entries(navByAccount)) {
	test(`${account} logs in and sees the navigation of their roles`, async ({ page, baseURL }) => {
		// An admin visits every page of the menu, each checked by axe.
		test.slow();
		const foreign = forbidForeignRequests(page, baseURL!);
		await login(page, account);
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('さん、こんにちは');
		const menu = page.getByRole('navigation', { name: 'メインメニュー' });
		for (const label of nav.visible) await expect(menu.getByRole('link', { name: label, exact: true })).toBeVisible();
		for (const label of nav.hidden) await expect(menu.getByRole('link', { name: label, exact: true })).toHaveCount(0);
		await expectAccessible(page);
		for (const label of nav.visible.filter((l) => l !== 'ホーム')) {
			await menu.getByRole('link', { name: label, exact: true }).click();
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(headingOf[label] ?? label);
			await expectAccessible(page);
		}
		await logout(page);
		await expect(page.getByRole('status')).toContainText('ログアウトしました');
		await page.goto('/');
		await expect(page).toHaveURL(/\/login/);
		expect(foreign).toEqual([]);
	});
}

test('a learner who types an admin URL gets a 403 page, not the data', async ({ page }) => {
	await login(page, 'demo-staff');
	for (const path of [
		'/admin',
		'/admin/people',
		'/admin/departments',
		'/admin/roster',
		'/admin/audit',
		'/admin/campaigns',
		'/admin/campaigns/new',
		'/admin/courses',
		'/revision',
		'/team',
		'/report'
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('403');
		await expect(page.getByText('このページを表示する権限がありません')).toBeVisible();
	}
	await expectAccessible(page);
	// The CSV export is no page, but it refuses the same way.
	expect((await page.request.get('/team/export')).status()).toBe(403);
});

test('a wrong password gets a message that does not say which part was wrong', async ({ page }) => {
	await login(page, 'demo-staff', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('職員番号またはパスワードが正しくありません。');
	await expect(page.getByLabel('職員番号')).toHaveValue('demo-staff');
	await expectAccessible(page);
	await login(page, 'nobody-here', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('職員番号またはパスワードが正しくありません。');
});

test('repeated failures lock the login with a message that says when to try again', async ({ page }) => {
	const account = `lock-${Date.now()}`;
	for (let i = 0; i < 9; i++) {
		await login(page, account, 'wrong-password');
		await expect(page.getByRole('alert')).toHaveText('職員番号またはパスワードが正しくありません。');
	}
	await login(page, account, 'wrong-password');
	await expect(page.getByRole('alert')).toContainText('一時的にログインできません');
	await expect(page.getByRole('alert')).toContainText(/令和\d+年\d+月\d+日 \d\d:\d\d 以降/);
	await expectAccessible(page);
});

test('the English switch changes the interface language and back', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: 'Language: English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectAccessible(page);
	await page.getByRole('button', { name: '表示言語: 日本語' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
});
