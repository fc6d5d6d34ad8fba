import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../../src/lib/server/org/roster/csv';
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
	await page.getByLabel('新しいパスワード※必須', { exact: true }).fill('password123');
	await page.getByLabel('新しいパスワード（確認）').fill('password123');
	await page.getByRole('button', { name: '変更する' }).click();
	await expect(page.getByText('このパスワードはよく使われていて推測されやすいため、使えません。')).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('現在のパスワード').fill(temporary);
	await page.getByLabel('新しいパスワード※必須', { exact: true }).fill('八ヶ岳の朝は空気が澄んでいる');
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
	await row('情報政策課')
		.getByRole('button', { name: /削除する/ })
		.click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByRole('rowheader', { name: /^情報政策課/ })).toBeVisible();
	await row('デジタル推進課').getByText('編集').click();
	await row('デジタル推進課')
		.getByRole('button', { name: /削除する/ })
		.click();
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

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A downloaded CSV, read back: its records' cells. */
async function downloadedCsv(page: Page, link: string, encoding: 'utf-8' | 'shift_jis') {
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
	const bytes = await readFile((await download.path())!);
	if (encoding === 'utf-8') expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = encoding === 'utf-8' ? new TextDecoder().decode(bytes.subarray(3)) : iconv.decode(bytes, 'cp932');
	expect(text, 'no id in the CSV').not.toMatch(uuidPattern);
	expect(text, 'no raw details in the CSV').not.toMatch(/[{}]/);
	return parseCsv(text).records.map((r) => r.fields);
}

test('an auditor’s reading of the log: one person’s events on the page and in both CSVs', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/audit');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('監査ログ');
	await expect(page.getByText('監査ログは追記のみです')).toBeVisible();
	await expectAccessible(page);

	// Who submitted a quiz? The action is chosen by its Japanese label.
	await page.getByLabel('操作').selectOption({ label: '確認テストの提出' });
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page).toHaveURL(/action=quiz\.submit/);
	const table = page.getByRole('table', { name: '監査ログ（新しい順）' });
	const firstRow = table.getByRole('row').nth(1);
	await expect(firstRow).toContainText('確認テストの提出');
	await expect(firstRow).toContainText(/確認テストを提出（第\d+回、[\d.]+点で(合格|不合格)）/);
	const who = (await firstRow.getByRole('cell').nth(1).innerText()).split('\n');
	const name = who[0].trim();
	const number = who[1].replace('職員番号', '').trim();
	expect(number).toMatch(/^30\d\d$/);

	// That person's own doings, by 職員番号.
	await page.goto('/admin/audit');
	await page.getByLabel('職員', { exact: true }).fill(number);
	await page.getByLabel('職員の関わり').selectOption({ label: '実行者として' });
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page).toHaveURL(new RegExp(`person=${number}`));
	await expect(page.getByLabel('職員', { exact: true })).toHaveValue(number);
	const rows = table.getByRole('row');
	const shown = (await rows.count()) - 1;
	expect(shown).toBeGreaterThan(1);
	for (let i = 1; i <= shown; i++) await expect(rows.nth(i).getByRole('cell').nth(1)).toHaveText(new RegExp(`^${name}\\s*職員番号 ${number}$`));
	const main = await page.getByRole('main').innerText();
	expect(main).not.toMatch(uuidPattern);
	expect(main).not.toMatch(/[{}]/);
	await expect(table).toContainText('受講');
	await expectAccessible(page);
	const count = Number((await page.getByText(/^\d+件$/).innerText()).replace('件', ''));
	expect(count).toBe(shown);

	for (const [link, encoding] of [
		['CSVで書き出す（Excel用 UTF-8）', 'utf-8'],
		['Shift_JIS で書き出す', 'shift_jis']
	] as const) {
		const records = await downloadedCsv(page, link, encoding);
		expect(records[0]).toEqual(['日時', '日時（ISO 8601）', '操作', '実行者（氏名）', '職員番号', '対象', '内容', '接続元']);
		const data = records.slice(1);
		expect(data).toHaveLength(count);
		for (const row of data) {
			expect(row[0]).toMatch(/^令和\d+年\d+月\d+日 \d\d:\d\d$/);
			expect(row[1]).toMatch(/^\d{4}-\d\d-\d\dT/);
			expect(row.slice(3, 5)).toEqual([name, number]);
			expect(row[6]).not.toBe('');
		}
		expect(data.map((r) => r[2])).toContain('確認テストの提出');
		expect(data.some((r) => r[5].startsWith('受講：'))).toBe(true);
	}

	// On a phone the table scrolls in its own region; the page stays accessible.
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(table).toBeVisible();
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the audit filters are a plain form: by the kind and title of the object', async ({ page }) => {
		await login(page, 'demo-admin', undefined, { script: false });
		await page.goto('/admin/audit');
		await page.getByLabel('対象の種類').selectOption({ label: '研修の割り当て' });
		await page.getByLabel('対象の名前').fill('委託事業者向け');
		await page.getByRole('button', { name: '絞り込む' }).click();
		await expect(page).toHaveURL(/objectKind=campaign/);
		const rows = page.getByRole('table', { name: '監査ログ（新しい順）' }).getByRole('row');
		// Every event found is about that campaign; the demo made it.
		const found = (await rows.count()) - 1;
		expect(found).toBeGreaterThan(0);
		for (let i = 1; i <= found; i++) await expect(rows.nth(i).getByRole('cell').nth(3)).toHaveText(/^研修の割り当て\s*令和\d+年度 委託事業者向け研修$/);
		const made = rows.filter({ hasText: '研修の割り当ての作成' });
		await expect(made).toHaveCount(1);
		await expect(made).toContainText('北杜 管理');
		await expect(made).toContainText(/研修コース「.+」を委託事業者に割り当て（\d+人、期限 令和\d+年\d+月\d+日）/);
		await expect(page.getByRole('link', { name: '条件を解除' })).toBeVisible();
	});
});
