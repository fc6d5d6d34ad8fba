import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';

const fixtures = path.resolve('tests/fixtures/roster');

async function upload(page: Page, file: string) {
	await page.goto('/admin/roster');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('名簿の取込');
	await page.getByLabel('CSVファイル').setInputFiles(path.join(fixtures, file));
	await page.getByRole('button', { name: '内容を確認する' }).click();
}

async function personRow(page: Page, number: string) {
	await page.goto(`/admin/people?q=${encodeURIComponent(number)}&status=all`);
	return page.getByRole('row').filter({ has: page.getByRole('link', { name: number, exact: true }) });
}

test.describe.configure({ mode: 'serial' });

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a Shift_JIS file with errors lists every bad line and changes nothing', async ({ page }) => {
		await login(page, 'demo-admin', undefined, { script: false });
		await upload(page, 'demo-roster-bad-sjis.csv');
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('何も変更していません');
		for (const line of [3, 4, 5, 6, 7, 8, 9, 12]) await expect(alert.getByRole('row', { name: new RegExp(`^${line}行目`) }).first()).toBeVisible();
		await expect(alert).toContainText('アルバイト');
		await expect(alert).toContainText('令和8年2月30日');
		// (axe runs inside the page, so it is checked on the same pages in the JavaScript tests.)
		// Nobody from the file exists afterwards.
		expect(await (await personRow(page, '2001')).count()).toBe(0);
	});
});

test('an unknown column is named and nothing is written', async ({ page }) => {
	await login(page, 'demo-admin');
	await upload(page, 'demo-roster-unknown-column-utf8.csv');
	await expect(page.getByRole('alert')).toContainText('生年月日');
	await expect(page.getByRole('alert')).toContainText('1行目');
	await expectAccessible(page);
});

test('preview shows new people, transfers, changes, retirements and missing people; apply writes them', async ({ page }) => {
	await login(page, 'demo-admin');
	await upload(page, 'demo-roster-good-utf8-bom.csv');
	await expect(page).toHaveURL(/\/admin\/roster\/[0-9a-f-]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('取込内容の確認');
	const count = (label: string) => page.getByRole('row', { name: new RegExp(`^${label}\\s+\\d+$`) }).getByRole('cell');
	await expect(count('新規')).toHaveText('3');
	await expect(count('異動')).toHaveText('1');
	await expect(count('その他の変更')).toHaveText('2');
	await expect(count('退職（無効化）')).toHaveText('1');
	// 1010, and the demo's 48 practice staff (3001–3048), who are not in the file.
	await expect(count('ファイルにない職員')).toHaveText('49');
	await expect(page.getByRole('row').filter({ hasText: '須玉 次郎' }).first()).toContainText('税務課（220）');
	await expectAccessible(page);

	await page.getByLabel(/ファイルにない職員 49名を無効にする/).check();
	await page.getByRole('button', { name: 'この内容で適用する' }).click();
	await expect(page.getByRole('status')).toContainText('名簿を適用しました');
	await expect(page.getByRole('button', { name: 'この内容で適用する' })).toHaveCount(0);
	await expectAccessible(page);

	// The people list reflects it: transfer, new person in a new department, deactivations.
	await expect(await personRow(page, '1002')).toContainText('税務課');
	await expect(await personRow(page, 'C-2002')).toContainText('危機管理室');
	await expect(await personRow(page, '1006')).toContainText('無効');
	await expect(await personRow(page, '1010')).toContainText('無効');
	await expect(await personRow(page, '1003')).not.toContainText('無効');
});
