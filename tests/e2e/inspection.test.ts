// 自己点検 as its people use it: a part-time member of staff answers the staff checklist without
// JavaScript and resumes it; a 課長 answers the department's checklist with JavaScript, each answer
// saving as given, and fills in the 改善計画 a いいえ opened; the policy owner reads understanding
// beside practice and starts a draft whose evidence holds both. Axe on every page.
import { expect, test } from '@playwright/test';
import { expectAccessible, login, waitForHydration } from './helpers';

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

test('a part-time member of staff answers the staff checklist without JavaScript, and it resumes', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-parttime', undefined, { script: false });
	await page.goto('/learn');
	const card = page.getByRole('article').filter({ hasText: '自己点検票（一般職員）' });
	await expect(card).toContainText('未回答');
	await card.getByRole('link', { name: '点検を始める' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('自己点検票（一般職員）');

	const items = page.locator('li.item');
	const total = await items.count();
	expect(total).toBeGreaterThanOrEqual(20);
	// Half first, with one いいえ and a comment: saved as given.
	const half = Math.floor(total / 2);
	for (let i = 0; i < half; i++)
		await items
			.nth(i)
			.getByLabel(i === 1 ? 'いいえ' : 'はい', { exact: true })
			.check();
	await items.nth(1).getByLabel('コメント（任意）').fill('外出時にロックを忘れることがある');
	// A comment without an answer is refused with what it belongs to, and nothing typed is lost.
	await items.nth(half).getByLabel('コメント（任意）').fill('あとで確認する');
	await page.getByRole('button', { name: '回答を保存する' }).click();
	await expect(page.getByRole('alert')).toContainText('先に「はい」「いいえ」「該当しない」のいずれかを選んでください');
	await expect(items.nth(half).getByLabel('コメント（任意）')).toHaveValue('あとで確認する');
	await expect(items.nth(1).getByLabel('いいえ', { exact: true })).toBeChecked();
	await items.nth(half).getByLabel('コメント（任意）').fill('');
	await page.getByRole('button', { name: '回答を保存する' }).click();
	await expect(page.locator('#result')).toContainText(`保存しました（${half}/${total}項目 回答済み）`);

	// Leaving and coming back resumes where it was left.
	await page.goto('/learn');
	await expect(page.getByRole('article').filter({ hasText: '自己点検票（一般職員）' })).toContainText(`${half}/${total}項目 回答済み`);
	await page.getByRole('article').filter({ hasText: '自己点検票（一般職員）' }).getByRole('link', { name: '続きから回答する' }).click();
	await expect(items.nth(1).getByLabel('いいえ', { exact: true })).toBeChecked();
	await expect(items.nth(1).getByLabel('コメント（任意）')).toHaveValue('外出時にロックを忘れることがある');
	for (let i = half; i < total; i++)
		await items
			.nth(i)
			.getByLabel(i === total - 1 ? '該当しない' : 'はい', { exact: true })
			.check();
	await page.getByRole('button', { name: '回答を保存する' }).click();
	await expect(page.locator('#result')).toContainText('すべての項目に回答しました');
	await page.goto('/learn');
	await expect(page.getByRole('article').filter({ hasText: '自己点検票（一般職員）' })).toContainText('点検済み');
	await context.close();
});

test('a 課長 answers the department checklist, each answer saving as given, and fills in the 改善計画', async ({ page }) => {
	await login(page, 'demo-chief');
	await page.goto('/learn');
	await page.getByRole('article').filter({ hasText: '自己点検票（所属長）' }).getByRole('link', { name: '点検を始める' }).click();
	await waitForHydration(page);
	await expect(page.getByRole('main')).toContainText('「市民課」として答えます');
	await expectAccessible(page);
	const items = page.locator('li.item');
	const first = items.nth(0);
	const question = (await first.locator('legend').innerText())
		.replace(/^\d+\.\s*/, '')
		.replace(/※必須|必須$/, '')
		.trim();
	await first.getByLabel('いいえ', { exact: true }).check();
	await expect(page.locator('#result')).toContainText('改善計画を1件作りました');
	await items.nth(1).getByLabel('はい', { exact: true }).check();
	await expect(page.locator('#result')).toContainText('2/');
	// Saved without pressing the button: a reload shows both.
	await page.reload();
	await expect(items.nth(0).getByLabel('いいえ', { exact: true })).toBeChecked();
	await expect(items.nth(1).getByLabel('はい', { exact: true })).toBeChecked();

	await page.getByRole('link', { name: '改善計画を見る' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('改善計画');
	await expectAccessible(page);
	const plan = page.locator('li.plan').filter({ hasText: question.slice(0, 20) });
	await expect(plan).toContainText('市民課');
	await expect(plan).toContainText('未着手');
	await plan.getByLabel('対応内容（何をするか）').fill('所属の情報資産台帳を点検し、差分を反映する');
	await plan.getByLabel('担当（誰が）').fill('庶務担当');
	await plan.getByLabel('期限（いつまでに）').fill('2027-03-31');
	await plan.getByLabel('状況').selectOption('in_progress');
	await plan.getByRole('button', { name: /保存する/ }).click();
	await expect(plan.getByRole('status').or(plan.locator('.notice'))).toContainText('改善計画を保存しました');
	await page.reload();
	await expect(plan).toContainText('対応中');
	await expect(plan.getByLabel('担当（誰が）')).toHaveValue('庶務担当');
	await expectAccessible(page);
	await page.setViewportSize({ width: 390, height: 844 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('the policy owner reads understanding beside practice and starts a draft whose evidence holds both', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/insight/sections');
	await expectAccessible(page);
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^6\(4\) 物理的セキュリティ/ }) });
	// Quiz error rate and the self-inspection's いいえ rate, each with its interval.
	await expect(row.locator('td.rate')).toHaveCount(2);
	await expect(row.locator('td.rate').nth(1)).toContainText(/\d+\.\d%（95%信頼区間/);
	await expect(row).toContainText('理解されているが、実践されていない');

	// The heat map draws either measure: the いいえ rate per department and employment type, small groups withheld.
	await page.goto('/insight/heatmap');
	await page.getByRole('link', { name: '自己点検の「いいえ」率（実践）' }).click();
	const heat = page.getByRole('table', { name: /項目別・所属別の自己点検「いいえ」率/ });
	await expect(heat.getByRole('row').filter({ hasText: '6(4)' }).first()).toContainText(/\d+\.\d%/);
	await expect(page.getByRole('table', { name: '項目別・雇用区分別の自己点検「いいえ」率' })).toBeVisible();
	await expectAccessible(page);

	await page.goto('/insight');
	const summary = page.locator('section[aria-labelledby="practice-title"]');
	await expect(summary).toContainText(/理解されているが、実践されていない：\d+項目/);
	await summary.getByRole('link', { name: '理解と実践の詳細を見る' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('理解と実践');
	await expectAccessible(page);
	const known = page.getByRole('table', { name: '理解されているが、実践されていない' });
	await expect(known).toContainText('6(4)');
	await expect(page.getByRole('table', { name: '実践されているが、理解されていない' })).toContainText('6(3)');
	await known
		.getByRole('button', { name: /改訂案を作成（6\(4\) / })
		.first()
		.click();
	await expect(page).toHaveURL(/\/revision\/[0-9a-f-]+/);
	await expect(page.getByRole('heading', { name: '自己点検（実践）' })).toBeVisible();
	await expect(page.getByRole('table', { name: '自己点検の「いいえ」率' })).toContainText('理解されているが、実践されていない');
	await expect(page.getByRole('table', { name: '対象の節の誤答率' })).toContainText('6(4)');
	await expectAccessible(page);
	// The loop test drafts this policy later: this draft is discarded so it starts from the version in force.
	await waitForHydration(page);
	await page.getByLabel('この改訂案を破棄することを確認しました').check();
	await page.getByRole('button', { name: '改訂案を破棄する' }).click();
	await expect(page).toHaveURL(/\/revision(\?|$)/);
});

test('an admin assigns a self-inspection round by role, and it reaches exactly that role', async ({ page, browser }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/campaigns/new');
	await waitForHydration(page);
	await page.getByLabel('研修コース・点検票').selectOption({ label: '自己点検票（システム担当者）' });
	await page.getByLabel('割り当て名').fill('システム担当者の自己点検（承認者で試行）');
	// Due after the demo's campaigns, so the pages that open on the soonest-due campaign (/team) still open on theirs.
	const due = new Date(Date.now() + 80 * 86_400_000).toISOString().slice(0, 10);
	await page.getByLabel('期限').fill(due);
	await page.getByLabel('条件で絞り込む').check();
	await page.getByRole('group', { name: '役割' }).getByLabel('承認者').check();
	await page.getByRole('button', { name: '対象者数を確認する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '条件に当てはまる' })).toContainText('現在 1名です');
	await expectAccessible(page);
	await page.getByRole('button', { name: '割り当てる', exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]+/);
	await expect(page.getByRole('main')).toContainText('自己点検票（システム担当者）');
	await expect(page.getByRole('main')).toContainText('役割：承認者');

	const approver = await browser.newPage();
	await login(approver, 'demo-approver');
	await approver.goto('/learn');
	await expect(approver.getByRole('article').filter({ hasText: '自己点検票（システム担当者）' })).toContainText('未回答');
	await approver.close();
	const staff = await browser.newPage();
	await login(staff, 'demo-staff');
	await staff.goto('/learn');
	await expect(staff.getByRole('article').filter({ hasText: '自己点検票（システム担当者）' })).toHaveCount(0);
	await staff.close();
});
