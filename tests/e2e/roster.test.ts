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

/** The good fixture's import, previewed with JavaScript and applied without it. */
let goodImport = '';

test('preview shows new people, transfers, changes, retirements, missing people and an unknown code; apply is refused until it is ticked', async ({ page }) => {
	await login(page, 'demo-admin');
	await upload(page, 'demo-roster-good-utf8-bom.csv');
	await expect(page).toHaveURL(/\/admin\/roster\/[0-9a-f-]+$/);
	goodImport = new URL(page.url()).pathname;
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('取込内容の確認');
	const count = (label: string) => page.getByRole('row', { name: new RegExp(`^${label}\\s+\\d+$`) }).getByRole('cell');
	await expect(count('新規')).toHaveText('3');
	await expect(count('異動')).toHaveText('1');
	await expect(count('その他の変更')).toHaveText('2');
	await expect(count('退職（無効化）')).toHaveText('1');
	// 1010, and the demo's 48 practice staff (3001–3048), who are not in the file.
	await expect(count('ファイルにない職員')).toHaveText('49');
	await expect(count('登録されていない所属コード')).toHaveText('1');
	await expect(page.getByRole('row').filter({ hasText: '須玉 次郎' }).first()).toContainText('税務課（220）');

	// 600 is not a department of 北杜市: its line is a problem, naming the code and the column.
	const unknown = page.getByRole('region', { name: '登録されていない所属コード' });
	const line = unknown.getByRole('row', { name: /^21行目/ });
	await expect(line).toContainText('「所属コード」列の「600」は登録されていない所属コードです');
	await expect(unknown.getByRole('row')).toHaveCount(2);
	const tick = page.getByRole('checkbox', { name: '新しい所属として作成する：600 危機管理室' });
	await expect(tick).not.toBeChecked();
	await expect(tick).toHaveAccessibleDescription('使っている行：21');
	await expectAccessible(page);

	// Applying without ticking it is refused, and nothing changes.
	await page.getByRole('button', { name: 'この内容で適用する' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('チェックしていないものがあるため、適用しませんでした');
	await expect(alert.getByRole('row', { name: /^21行目/ })).toContainText('600');
	await expect(page.getByRole('button', { name: 'この内容で適用する' })).toBeVisible();
	await expectAccessible(page);
	await expect(await personRow(page, 'C-2002')).toHaveCount(0);
});

test.describe('ticking without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('an unticked code is refused again, a ticked one is created with the people who use it', async ({ page }) => {
		expect(goodImport, 'the preview test ran first').not.toBe('');
		await login(page, 'demo-admin', undefined, { script: false });
		await page.goto(goodImport);
		await page.getByRole('button', { name: 'この内容で適用する' }).click();
		await expect(page.getByRole('alert')).toContainText('チェックしていないものがあるため、適用しませんでした');
		await expect(page.getByRole('alert').getByRole('row', { name: /^21行目/ })).toContainText('「所属コード」列の「600」');

		await page.getByRole('checkbox', { name: '新しい所属として作成する：600 危機管理室' }).check();
		await page.getByLabel(/ファイルにない職員 49名を無効にする/).check();
		await page.getByRole('button', { name: 'この内容で適用する' }).click();
		await expect(page.getByRole('status')).toContainText('名簿を適用しました');
		await expect(page.getByRole('row', { name: /^新しく作成した所属\s+1$/ })).toBeVisible();
		await expect(page.getByRole('button', { name: 'この内容で適用する' })).toHaveCount(0);

		// The people list reflects it: transfer, new person in the new department, deactivations.
		await expect(await personRow(page, '1002')).toContainText('税務課');
		await expect(await personRow(page, 'C-2002')).toContainText('危機管理室');
		await expect(await personRow(page, '1006')).toContainText('無効');
		await expect(await personRow(page, '1010')).toContainText('無効');
		await expect(await personRow(page, '1003')).not.toContainText('無効');
		await page.goto('/admin/departments');
		await expect(page.getByRole('rowheader', { name: /危機管理室/ })).toHaveCount(1);
	});
});

test('the applied import shows what it created', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto(goodImport);
	await expect(page.getByRole('status')).toContainText('名簿を適用しました');
	await expectAccessible(page);
});

test('the file control speaks Japanese, is reached by the keyboard and names the chosen file', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/roster');
	const input = page.getByLabel('CSVファイル');
	await expect(page.getByText('ファイルを選択', { exact: true })).toBeVisible();
	await expect(page.getByText('選択されていません')).toBeVisible();
	// The browser's own English button is not what the person sees.
	expect(await input.evaluate((i) => i.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
	await page.getByText('ファイルの大きさは10MBまでです。').click();
	await page.keyboard.press('Tab');
	await expect(input).toBeFocused();
	const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
	await chooser.setFiles(path.join(fixtures, 'demo-roster-bad-sjis.csv'));
	await expect(page.getByText('demo-roster-bad-sjis.csv')).toBeVisible();
	await expectAccessible(page);
});
