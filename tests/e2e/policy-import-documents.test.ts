// A policy owner imports a Word file and a PDF in a real browser: the structure shown before
// saving is the document's, the draft saved reads as it; a scanned PDF is refused in plain words.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';

test.describe.configure({ mode: 'serial' });

const documents = path.resolve('tests/fixtures/policy-documents');

async function preview(page: Page, file: string) {
	await page.goto('/policy/import');
	await page.getByLabel('ファイル').setInputFiles(path.join(documents, file));
	await page.getByRole('button', { name: '構造を確認する' }).click();
}

test('the import page says it takes Word and PDF files', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/policy/import');
	await expect(page.getByText('Word（.docx）または PDF。', { exact: false })).toBeVisible();
	await expect(page.getByLabel('ファイル')).toHaveAttribute('accept', /\.docx/);
	await expect(page.getByLabel('ファイル')).toHaveAttribute('accept', /\.pdf/);
	await expectAccessible(page);
});

test('an owner uploads a Word file, checks its structure and history, and saves it as a draft policy', async ({ page }) => {
	await login(page, 'demo-owner');
	await preview(page, 'basic-policy-kitahara.docx');
	await expect(page.getByRole('heading', { name: '見つかった構成' })).toBeVisible();
	await expect(page.getByText('Word (.docx)', { exact: true })).toBeVisible();
	// Word's own numbering of the lists, rebuilt: (2) of 5, its ② and that ②'s ア.
	const sections = page.getByRole('table', { name: '節の一覧' });
	for (const [key, label, heading] of [
		['2.1', '(1)', 'ネットワーク'],
		['5.2', '(2)', '情報システム全体の強靱性の向上'],
		['5.2.2.1', 'ア', '']
	]) {
		const row = sections.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
		await expect(row.getByRole('cell').nth(1)).toHaveText(label);
		await expect(row.getByRole('cell').nth(2)).toHaveText(heading);
	}
	await expect(page.getByRole('table', { name: '改訂履歴' }).getByRole('row')).toHaveCount(4);
	await expectAccessible(page);

	await page.getByLabel('新しいポリシーとして保存').check();
	await page.getByLabel('URL 用の名前').fill('kitahara-basic');
	await expect(page.getByLabel('版', { exact: true })).toHaveValue('3.0');
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page).toHaveURL(/\/policy\/kitahara-basic\/v\/3\.0$/);
	await expect(page.getByText('この版は下書きで、まだ施行されていません。')).toBeVisible();
	await expect(page.getByRole('heading', { name: /情報システム全体の強靱性の向上/ })).toBeVisible();
	await expectAccessible(page);
});

test('an owner uploads a PDF: running header and page numbers are gone, definitions are items, and it saves as a draft', async ({ page }) => {
	await login(page, 'demo-owner');
	await preview(page, 'youkou-minamisawa.pdf');
	await expect(page.getByRole('heading', { name: '見つかった構成' })).toBeVisible();
	await expect(page.getByText('PDF', { exact: true })).toBeVisible();
	const sections = page.getByRole('table', { name: '節の一覧' });
	await expect(sections.getByRole('row')).toHaveCount(12);
	for (const [key, heading] of [
		['2.1', '情報システム'],
		['2.4', 'クラウドサービス']
	]) {
		const row = sections.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
		await expect(row.getByRole('cell').nth(2)).toHaveText(heading);
	}
	// The line the page broke reads whole; no page number or header is left in any excerpt.
	await expect(sections).toContainText('この要綱は、南沢村情報セキュリティ基本方針に基づき、村の職員が情報システムを利用するに当たって');
	await expect(sections).not.toContainText('1/2');
	await expectAccessible(page);

	await page.getByLabel('新しいポリシーとして保存').check();
	await page.getByLabel('URL 用の名前').fill('minamisawa-youkou');
	await page.getByLabel('版', { exact: true }).fill('1.0');
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page).toHaveURL(/\/policy\/minamisawa-youkou\/v\/1\.0$/);
	await expect(page.getByText('この版は下書きで、まだ施行されていません。')).toBeVisible();
	await expect(page.getByRole('heading', { name: /外部記録媒体$/ })).toBeVisible();
	await expectAccessible(page);
});

test('a PDF that is only a scanned image is refused with a message that says so, and nothing is saved', async ({ page }) => {
	await login(page, 'demo-owner');
	await preview(page, 'scanned.pdf');
	await expect(page.getByRole('alert')).toContainText('この PDF はスキャンした画像で、文字を読み取れません。');
	await expect(page.getByRole('alert')).toContainText('何も保存していません。');
	await expect(page.getByRole('button', { name: '保存する' })).toHaveCount(0);
	await expectAccessible(page);
});

test('without JavaScript a Word file previews and saves as a draft of a new version of an existing policy', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-owner', undefined, { script: false });
	await preview(page, 'youkou-minamisawa.docx');
	await expect(page.getByRole('cell', { name: '2.3', exact: true })).toBeVisible();
	await page.getByLabel('既存ポリシーの新しい版の下書きとして保存').check();
	await page.getByLabel('ポリシー', { exact: true }).selectOption({ label: '南沢村情報システム利用要綱' });
	await page.getByLabel('新しい版', { exact: true }).fill('1.1');
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page).toHaveURL(/\/policy\/minamisawa-youkou\/v\/1\.1$/);
	await expect(page.getByRole('heading', { name: /クラウドサービス$/ }).first()).toBeVisible();
	await context.close();
});
