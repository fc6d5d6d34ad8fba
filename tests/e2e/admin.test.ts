import { expect, test } from '@playwright/test';
import { chooseOptionContaining, expectAccessible, login, logout } from './helpers';

// Each test logs in on its own and changes what no other test here reads, so they spread over
// both workers.
test.describe.configure({ mode: 'parallel' });

test('an admin resets a password; the person must choose a new one at first login', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '管理' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: '職員', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('職員一覧');
	await expectAccessible(page);

	await page.getByLabel('検索（氏名・カナ・職員番号）').fill('すたま');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page.getByRole('link', { name: '1002' })).toBeVisible();
	await expect(page.getByRole('row')).toHaveCount(2); // header + 須玉 次郎
	await page.getByRole('link', { name: '1002' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('須玉 次郎');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'パスワードを再発行する' }).click();
	const notice = page.getByRole('status').filter({ hasText: '仮パスワード' });
	await expect(notice).toBeVisible();
	const temporary = (await notice.textContent())!.match(/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/)![0];
	await expectAccessible(page);
	await logout(page);

	await login(page, '1002', temporary);
	await expect(page).toHaveURL(/\/account\/password$/);
	await expect(page.getByText('新しいパスワードを設定してください')).toBeVisible();
	await expectAccessible(page);
	// Nothing else opens until the password is changed.
	await page.goto('/');
	await expect(page).toHaveURL(/\/account\/password$/);

	await page.getByLabel('現在のパスワード').fill(temporary);
	await page.getByLabel('新しいパスワード', { exact: true }).fill('password123');
	await page.getByLabel('新しいパスワード（確認）').fill('password123');
	await page.getByRole('button', { name: '変更する' }).click();
	await expect(page.getByText('このパスワードはよく使われていて推測されやすいため、使えません。')).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('現在のパスワード').fill(temporary);
	await page.getByLabel('新しいパスワード', { exact: true }).fill('八ヶ岳の朝は空気が澄んでいる');
	await page.getByLabel('新しいパスワード（確認）').fill('八ヶ岳の朝は空気が澄んでいる');
	await page.getByRole('button', { name: '変更する' }).click();
	await expect(page.getByRole('status')).toContainText('パスワードを変更しました');
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('須玉 次郎');
	await logout(page);

	await login(page, '1002', '八ヶ岳の朝は空気が澄んでいる');
	await expect(page).toHaveURL(/\/$/);
});

test('the admin edits the department tree and people lists filter by it', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/departments');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('所属の管理');
	await expectAccessible(page);

	const add = page.locator('form[action="?/create"]');
	await add.getByLabel('所属コード').fill('125');
	await add.getByLabel('所属名').fill('デジタル推進課');
	await chooseOptionContaining(add.getByLabel('上位の所属'), '総務部');
	await add.getByRole('button', { name: '所属を追加する' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await expect(page.getByRole('rowheader', { name: /デジタル推進課/ })).toBeVisible();

	// The same code twice is refused, naming the code.
	await add.getByLabel('所属コード').fill('125');
	await add.getByLabel('所属名').fill('重複課');
	await add.getByRole('button', { name: '所属を追加する' }).click();
	await expect(page.getByRole('alert')).toContainText('125');
	await expectAccessible(page);

	// A department with people cannot be deleted; an empty one can.
	const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
	await row('情報政策課').getByText('編集').click();
	await row('情報政策課').getByRole('button', { name: /削除する/ }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByRole('rowheader', { name: /^情報政策課/ })).toBeVisible();
	await row('デジタル推進課').getByText('編集').click();
	await row('デジタル推進課').getByRole('button', { name: /削除する/ }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await expect(page.getByRole('rowheader', { name: /デジタル推進課/ })).toHaveCount(0);

	// Filtering people by 市民課 includes its 窓口係.
	await page.goto('/admin/people');
	await chooseOptionContaining(page.getByLabel('所属', { exact: true }), '市民課');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page.getByRole('cell', { name: '小淵沢 花子' }).or(page.getByText('小淵沢 花子'))).toBeVisible();
	await expect(page.getByText('長坂 一郎')).toHaveCount(0);
	await expectAccessible(page);
});

test('the admin filters the audit log and exports it as CSV', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/audit');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('監査ログ');
	await expect(page.getByText('監査ログは追記のみです')).toBeVisible();
	await page.getByLabel('操作者の職員番号').fill('demo-admin');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page).toHaveURL(/actor=demo-admin/);
	await expect(page.getByRole('cell', { name: /demo-admin/ }).first()).toBeVisible();
	await expectAccessible(page);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSVで書き出す（Excel用 UTF-8）' }).click()]);
	const bytes = await (await import('node:fs/promises')).readFile((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = new TextDecoder().decode(bytes.subarray(3));
	expect(text.split('\r\n')[0]).toContain('職員番号');
	expect(text).toContain('login.success');
	expect(text).not.toMatch(/\r\n[^\r\n]*,demo-staff,/);
});
