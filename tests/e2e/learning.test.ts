import { expect, test, type Page } from '@playwright/test';
import { answerEveryQuestionRightly, answerKey, expectAccessible, login, readEveryLesson } from './helpers';

test.describe.configure({ mode: 'serial' });
// Reading eight lessons and answering twenty questions takes a while on a 2-core machine.
test.setTimeout(180_000);

test('a part-time member of staff completes the all-staff course with JavaScript, and gets a certificate', async ({ page }) => {
	await login(page, 'demo-parttime');
	const card = page.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' });
	await expect(card).toContainText('未着手');
	await expect(card).toContainText(/あと\d+日/);
	await expectAccessible(page);
	await card.getByRole('link', { name: '受講を始める' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('情報セキュリティ基本方針 研修');
	await expectAccessible(page);

	await readEveryLesson(page);
	// The last lesson links to the policy sections it teaches and on to the quiz.
	await expect(page.getByRole('complementary').getByRole('link').first()).toHaveAttribute('href', /\/policy\/basic-policy#s-/);
	await expectAccessible(page);
	await page.getByRole('link', { name: /確認テストを受ける/ }).click();

	await expect(page.locator('fieldset[id^="q"]')).toHaveCount(20);
	await expectAccessible(page);
	await expectQuestionsInsideTheirFrames(page);
	await expectFocusedOptionBelowProgressBar(page);
	await page.setViewportSize({ width: 390, height: 844 });
	await expectQuestionsInsideTheirFrames(page);
	await expectFocusedOptionBelowProgressBar(page);
	await page.setViewportSize({ width: 1280, height: 720 });
	// An answer is saved as it is given: a reload keeps it.
	const first = page.locator('fieldset#q1 label.choice input').first();
	await first.check();
	await expect(page.locator('.save-status')).toHaveText('保存しました');
	await page.reload();
	await expect(page.locator('fieldset#q1 label.choice input').first()).toBeChecked();

	await answerEveryQuestionRightly(page, answerKey('basic-policy-training'));
	await page.getByRole('button', { name: '回答を送信する' }).click();
	await expect(page).toHaveURL(/\/quiz\/result\//);
	await expect(page.getByRole('main')).toContainText('合格');
	await expect(page.getByRole('main')).toContainText('100');
	await expectAccessible(page);
	// The result leads on: the certificate, and the policies still to acknowledge if any.
	await expect(page.getByRole('link', { name: '修了証を見る' })).toHaveAttribute('href', /\/learn\/[^/]+\/certificate$/);

	await page.goto('/learn');
	const done = page.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' });
	await expect(done).toContainText('修了');
	await done.getByRole('link', { name: '修了証を見る' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('修了証');
	await expect(page.getByRole('main')).toContainText('白州 さくら 様');
	await expect(page.getByRole('main')).toContainText(/令和\d+年\d+月\d+日/);
	// The campaign's title names its 年度: it is not given it a second time.
	await expect(page.locator('dt:text-is("実施") + dd')).toHaveText(/^令和\d+年度 情報セキュリティ研修（全職員）$/);
	await expectAccessible(page);
	await page.getByRole('navigation', { name: 'パンくずリスト' }).getByRole('link', { name: '情報セキュリティ基本方針 研修' }).click();
	await expect(page.locator('dt:text-is("実施") + dd')).toHaveText(/^令和\d+年度 情報セキュリティ研修（全職員）$/);
});

test('another part-time member of staff completes the all-staff course with JavaScript disabled', async ({ browser, page }) => {
	// 大泉 陽子 (会計年度任用職員) gets a password from the admin and chooses her own.
	await login(page, 'demo-admin');
	await page.goto('/admin/people?q=1005&status=all');
	await page.getByRole('link', { name: '1005', exact: true }).click();
	await page.getByRole('button', { name: 'パスワードを再発行する' }).click();
	const temporary = (await page.getByRole('status').filter({ hasText: '仮パスワード' }).textContent())!.match(/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/)![0];

	const context = await browser.newContext({ javaScriptEnabled: false });
	const learner = await context.newPage();
	await login(learner, '1005', temporary, { script: false });
	await learner.getByLabel('現在のパスワード').fill(temporary);
	await learner.getByLabel('新しいパスワード※必須', { exact: true }).fill('甲斐駒ヶ岳に雪が積もった朝');
	await learner.getByLabel('新しいパスワード（確認）').fill('甲斐駒ヶ岳に雪が積もった朝');
	await learner.getByRole('button', { name: '変更する' }).click();
	await learner.goto('/learn');
	const card = learner.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' });
	await card.getByRole('link', { name: '受講を始める' }).click();
	await readEveryLesson(learner);
	await learner.getByRole('link', { name: /確認テストを受ける/ }).click();
	await answerEveryQuestionRightly(learner, answerKey('basic-policy-training'));
	await learner.getByRole('button', { name: '回答を送信する' }).click();
	await expect(learner).toHaveURL(/\/quiz\/result\//);
	await expect(learner.getByRole('main')).toContainText('合格');
	// She has not acknowledged the basic policy: the result links to it, and to her certificate.
	await expect(learner.getByRole('link', { name: '修了証を見る' })).toBeVisible();
	await learner.getByRole('link', { name: '北杜市情報セキュリティ基本方針 第5.0版を読んで確認する' }).click();
	await expect(learner.getByRole('heading', { level: 1 })).toHaveText('北杜市情報セキュリティ基本方針');
	await learner.goto('/learn');
	await expect(learner.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' })).toContainText('修了');
	await context.close();
});

test('a contractor completes their course with JavaScript disabled', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'demo-contractor', undefined, { script: false });
	const card = page.getByRole('article').filter({ hasText: '委託事業者向け 情報セキュリティの基本' });
	await card.getByRole('link', { name: '受講を始める' }).click();
	await readEveryLesson(page);
	await page.getByRole('link', { name: /確認テストを受ける/ }).click();
	// Submitting with questions unanswered asks first.
	await page.getByRole('button', { name: '回答を送信する' }).click();
	await expect(page.getByText(/未回答/).first()).toBeVisible();
	await answerEveryQuestionRightly(page, answerKey('contractor-basics'));
	await page.getByRole('button', { name: '回答を送信する' }).click();
	await expect(page).toHaveURL(/\/quiz\/result\//);
	await expect(page.getByRole('main')).toContainText('合格');
	await page.goto('/learn');
	await expect(page.getByRole('article').filter({ hasText: '委託事業者向け 情報セキュリティの基本' })).toContainText('修了');
	await context.close();
});

test("the supervisor's view shows who in the department has completed", async ({ page }) => {
	await login(page, 'demo-chief');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '所属の受講状況' }).click();
	const row = (name: string) =>
		page
			.getByRole('table', { name: /職員ごとの受講状況/ })
			.getByRole('row')
			.filter({ hasText: name });
	await expect(row('白州 さくら').getByRole('cell').nth(5)).toContainText('修了');
	await expect(row('小淵沢 花子').getByRole('cell').nth(5)).not.toContainText('修了');
	await expectAccessible(page);
});

/** Every question's legend lies inside its frame, below the top border, never on or across it. */
async function expectQuestionsInsideTheirFrames(page: Page) {
	const crossing = await page.locator('fieldset[id^="q"]').evaluateAll((sets) =>
		sets
			.map((set) => {
				const box = set.getBoundingClientRect();
				const legend = set.querySelector('legend')!.getBoundingClientRect();
				const style = getComputedStyle(set);
				const inner = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
				const inside = legend.top >= inner - 1 && legend.bottom <= box.bottom && legend.left >= box.left && legend.right <= box.right;
				return inside ? null : set.id;
			})
			.filter((id) => id !== null)
	);
	expect(crossing, `questions on their frame at ${page.viewportSize()?.width} px`).toEqual([]);
}

/** An option reached by the keyboard is never left under the sticky progress bar. */
async function expectFocusedOptionBelowProgressBar(page: Page) {
	// A one-answer question's first option placed under the bar (on screen, but covered), the
	// focus on its second; the up arrow moves to the first, which must come out from under it.
	const id = await page.evaluate(() => {
		const set = [...document.querySelectorAll('fieldset[id^="q"]')].slice(1).find((f) => f.querySelectorAll('input[type="radio"]').length >= 2)!;
		const [first, second] = set.querySelectorAll<HTMLInputElement>('input[type="radio"]');
		window.scrollBy(0, first.closest('label')!.getBoundingClientRect().top - 8);
		second.focus({ preventScroll: true });
		return set.id;
	});
	await page.keyboard.press('ArrowUp');
	const focused = page.locator(`#${id} input:focus`);
	await expect(focused).toHaveCount(1);
	const bar = await page.locator('.status-bar').evaluate((b) => b.getBoundingClientRect().bottom);
	const option = await focused.evaluate((i) => i.closest('label')!.getBoundingClientRect().top);
	expect(option, 'the focused option starts below the progress bar').toBeGreaterThanOrEqual(bar);
}
