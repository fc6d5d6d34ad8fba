import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseOptionContaining, expectAccessible, login } from './helpers';

test.describe.configure({ mode: 'serial' });

const fixtures = path.resolve('tests/fixtures/policies');
// 第5.1版 (draft): 6(3)② gains a sentence and section 6 gains an item (10).
const v51 = readFileSync('content/policies/basic-policy/v5.0.md', 'utf8')
	.replace('なお、両システム間で通信する場合には、無害化通信を実施する。', 'なお、両システム間で通信する場合には、無害化通信を実施し、その記録を保存する。')
	.replace(
		'## 7 情報セキュリティ監査及び自己点検の実施',
		'### (10) 教育及び訓練\n\n職員等に対し、情報セキュリティに関する教育及び訓練を毎年度実施する。\n\n## 7 情報セキュリティ監査及び自己点検の実施'
	);

test('an owner pastes a revised text, previews its structure and saves it as a draft of 第5.1版; the diff shows exactly what changed', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/policy');
	await page.getByRole('link', { name: 'ポリシーの取込' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('ポリシーの取込');
	await expectAccessible(page);

	await page.getByLabel('文書を貼り付ける').fill(v51);
	await page.getByRole('button', { name: '構造を確認する' }).click();
	await expect(page.getByRole('cell', { name: '6.3.2', exact: true })).toBeVisible();
	await expect(page.getByRole('cell', { name: '6.10', exact: true })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('既存ポリシーの新しい版の下書きとして保存').check();
	await chooseOptionContaining(page.getByLabel('ポリシー', { exact: true }), '基本方針');
	await page.getByLabel('新しい版', { exact: true }).fill('5.1');
	await page.locator('#draft-reason').fill('無害化通信の記録と教育訓練を追加');
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page).toHaveURL(/\/policy\/basic-policy\/v\/5\.1$/);
	await expect(page.getByText('この版は下書きで、まだ施行されていません。')).toBeVisible();
	await expectAccessible(page);

	await page.goto('/policy/basic-policy/diff?from=5.0&to=5.1');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('版の比較');
	await expect(page.getByRole('heading', { name: '第5.0版から第5.1版への変更' })).toBeVisible();
	// The 新旧対照表: one row for each change, the changed words underlined, the rest （略）.
	const table = page.getByRole('table', { name: '新旧対照表' });
	await expect(table.getByRole('columnheader')).toHaveText(['改正後', '改正前']);
	const changes = table.locator('tbody tr').filter({ has: page.locator('u') });
	await expect(changes).toHaveCount(2);
	const changed = changes.filter({ hasText: '6(3)②' });
	// 「実施する。」→「実施し、その記録を保存する。」: only the inserted words are marked, on the new side.
	await expect(changed.locator('u')).toHaveText(['し、その記録を保存']);
	await expect(changed.locator('td').nth(1)).toContainText('無害化通信を実施する。');
	const added = changes.filter({ hasText: '教育及び訓練' });
	await expect(added.locator('td').first()).toContainText('6(10)　教育及び訓練');
	await expect(added.locator('td').nth(1)).toHaveText('（新設）');
	await expect(table.getByRole('cell', { name: '（略）', exact: true }).first()).toBeVisible();
	await expectAccessible(page);

	// Without the checkbox unchanged sections are （略）; with it, all of them in full.
	await page.getByLabel('変更のない節も表示').check();
	await page.getByRole('button', { name: '比較する' }).click();
	await expect(table.getByRole('cell', { name: '（略）', exact: true })).toHaveCount(0);
	await expect(changes).toHaveCount(2);
});

test('a learner does not see the draft, cannot open the import page, and compares only published versions', async ({ page }) => {
	await login(page, 'demo-staff');
	expect((await page.goto('/policy/basic-policy/v/5.1'))?.status()).toBe(404);
	expect((await page.goto('/policy/import'))?.status()).toBe(403);
	await page.goto('/policy/basic-policy/diff');
	await expect(page.getByText('比較するには、本文のある版が二つ以上必要です。')).toBeVisible();
	await expectAccessible(page);
});

test("another municipality's PDF copy becomes a new policy with its own history", async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/policy/import');
	await page.getByLabel('ファイル').setInputFiles(path.join(fixtures, 'basic-policy-nishikawa-pdf.txt'));
	await page.getByRole('button', { name: '構造を確認する' }).click();
	await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
	await page.getByLabel('新しいポリシーとして保存').check();
	await page.getByLabel('URL 用の名前').fill('nishikawa-basic');
	await page.getByLabel('公開する（施行中の版にする）').check();
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page).toHaveURL(/\/policy\/nishikawa-basic$/);
	await expect(page.getByRole('navigation', { name: '目次' }).getByRole('link').first()).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: '改訂履歴' }).first().click();
	await expect(page.getByRole('row')).not.toHaveCount(1);
});

test('text with no recognisable structure is refused with a clear message and nothing is saved', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/policy/import');
	await page.getByLabel('ファイル').setInputFiles(path.join(fixtures, 'no-structure-memo.txt'));
	await page.getByRole('button', { name: '構造を確認する' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByRole('button', { name: '保存する' })).toHaveCount(0);
	await expectAccessible(page);
});

test('the imported draft is an open revision, which its owner can discard', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/revision');
	await page.getByRole('link', { name: /5\.1/ }).first().click();
	await expect(page).toHaveURL(/\/revision\/[0-9a-f-]+$/);
	await page.getByLabel('この改訂案を破棄することを確認しました').check();
	await page.getByRole('button', { name: '改訂案を破棄する' }).click();
	await expect(page.getByText('改訂案を破棄しました。')).toBeVisible();
	expect((await page.goto('/policy/basic-policy/v/5.1'))?.status()).toBe(404);
});
