import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { expectAccessible, login } from './helpers';
import { fiscalYearOf, formatFiscalYear } from '../../src/lib/format/wareki';

// The policy owner finds the 自己点検 results from the 弱点分析, reads the items least followed
// with their sections, and takes the auditor's evidence file away as Excel.
test.setTimeout(120_000);

const yearTitle = formatFiscalYear(fiscalYearOf(new Date()));

test('the policy owner opens the self-inspection results from the weak spots and downloads the evidence as Excel', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/insight');
	await page.getByRole('link', { name: /^自己点検の結果/ }).click();
	await expect(page).toHaveURL(/\/insight\/inspection$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('自己点検の結果');
	await expect(page.getByText(`${yearTitle}の点検 3件の結果`)).toBeVisible();
	// Least followed first: the first row's rate is the highest, cited as the document cites it.
	const items = page.getByRole('table', { name: '項目別の不遵守率（守られていない順）' });
	const rates = await items.locator('tbody tr td.rate').allInnerTexts();
	expect(rates.length).toBeGreaterThan(10);
	const numbers = rates.map((r) => Number(/^(\d+\.\d)%/.exec(r)![1]));
	expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
	await expect(items.locator('tbody tr').first().locator('td').nth(1)).toHaveText(/^\d+\(\d+\)/);
	// The 所属長 round has fewer than five people: its items are withheld, department cells too.
	await expect(items.getByText('5人未満のため非表示').first()).toBeVisible();
	await expect(page.getByRole('table', { name: '所属別の不遵守率' }).getByText('非表示').first()).toBeVisible();
	await expectAccessible(page);

	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel', exact: true }).click()]);
	expect(download.suggestedFilename()).toBe(`${yearTitle}_自己点検結果_北杜市.xlsx`);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
	expect(workbook.worksheets.map((s) => s.name)).toEqual(['項目別', '所属別', '改善計画']);
	const sheet = workbook.getWorksheet('項目別')!;
	expect(sheet.getCell(4, 1).value).toBe('点検票');
	expect(sheet.getCell(5, 1).value).toBe('自己点検票（一般職員）');
	expect(typeof sheet.getCell(5, 6).value).toBe('number');
	expect(sheet.getCell(5, 9).numFmt).toBe('0.0%');
	expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
});

test('with a round chosen, the page shows that round and its links carry it', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/insight/inspection');
	await page.getByLabel('点検を選んで見る').selectOption({ label: `${yearTitle} 情報セキュリティ自己点検（職員）` });
	await page.getByRole('button', { name: '表示' }).first().click();
	await expect(page).toHaveURL(/\/insight\/inspection\?round=[0-9a-f-]{36}$/);
	await expect(page.getByText(`${yearTitle} 情報セキュリティ自己点検（職員）の結果`)).toBeVisible();
	await expect(page.getByRole('link', { name: 'CSV（UTF-8）' })).toHaveAttribute('href', /round=[0-9a-f-]{36}&format=csv$/);
	await expectAccessible(page);
});
