import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from './helpers';

/** The system checklist's editor, from the list. */
async function openSystemChecklist(page: Page) {
	await page.goto('/admin/inspections');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('点検票の編集');
	const row = page.getByRole('row').filter({ hasText: '自己点検票（システム担当者）' });
	await expect(row).toContainText('システム担当者');
	await expect(row).toContainText(/\d+項目/);
	await row.getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('自己点検票（システム担当者）');
}

/** The items with an unknown section key on line 2 and an item with a misspelt label at the end. */
const broken = (original: string) => `${original.replace(/^sections: .*$/m, 'sections: 99.9')}\n---\nid: extra\nitme: 綴りの誤り`;

async function expectLineErrors(page: Page) {
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('何も保存していません');
	await expect(alert).toContainText('2行目: item');
	await expect(alert).toContainText('cites 99.9');
	await expect(alert).toContainText(/\d+行目: unknown label `itme:`/);
}

test('the menu leads to the checklists, whose list and editor pass axe and fit a phone, errors included', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '点検票', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('点検票の編集');
	await page.setViewportSize({ width: 390, height: 844 });
	await openSystemChecklist(page);
	await expectAccessible(page);
	await page.goto('/admin/inspections');
	await expectAccessible(page);
	await openSystemChecklist(page);
	const items = page.getByLabel('点検項目（items.md の書式）');
	await items.fill(broken(await items.inputValue()));
	await page.getByRole('button', { name: '保存する' }).click();
	await expectLineErrors(page);
	await expectAccessible(page);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a policy owner is shown each error of a checklist with its line, keeps what was typed, and saves', async ({ page }) => {
		await login(page, 'demo-owner', undefined, { script: false });
		await openSystemChecklist(page);
		const items = page.getByLabel('点検項目（items.md の書式）');
		const original = await items.inputValue();
		await items.fill(broken(original));
		await page.getByRole('button', { name: '保存する' }).click();
		await expectLineErrors(page);
		await expect(items).toHaveValue(broken(original));

		await items.fill(original);
		await page.getByRole('button', { name: '保存する' }).click();
		await expect(page.getByRole('status')).toContainText('保存しました');
		await expect(page.getByRole('status')).toContainText('無効化0件');
	});
});
