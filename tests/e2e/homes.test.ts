import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { answerEveryQuestionRightly, answerKey, e2eDatabaseUrl, expectAccessible, login, readEveryLesson } from './helpers';
import { flat, looseIncludes, pdfPages } from '../helpers/pdf-text';

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

const waiting = (page: Page) => page.getByRole('region', { name: 'あなたを待っている仕事' });

/** Axe at a laptop's and a phone's width, and nothing wider than the phone. */
async function expectAccessibleAtBothWidths(page: Page) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await expectAccessible(page);
		const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(scrollWidth, `page width at ${width}px`).toBeLessThanOrEqual(width);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

async function withDb<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
	const db = new pg.Client({ connectionString: e2eDatabaseUrl() });
	await db.connect();
	try {
		return await work(db);
	} finally {
		await db.end();
	}
}

test("a supervisor's home lists the not-started people of their department, linking to the filtered list", async ({ page }) => {
	await login(page, 'demo-chief');
	const region = waiting(page);
	await expect(region.getByRole('heading', { name: '所属の受講と遵守の確認' })).toBeVisible();
	const notStarted = region.getByRole('link', { name: /^未着手 \d+人$/ }).first();
	await expect(notStarted).toHaveAttribute('href', /^\/team\?campaign=[0-9a-f-]{36}&status=not_started$/);
	const count = Number((await notStarted.textContent())!.match(/\d+/)![0]);
	await expect(region.getByRole('link', { name: /情報セキュリティ基本方針.*遵守の確認が済んでいない人 \d+人/ })).toHaveAttribute(
		'href',
		'/policy/basic-policy/acknowledgements'
	);
	await expectAccessibleAtBothWidths(page);
	await notStarted.click();
	await expect(page).toHaveURL(/\/team\?/);
	// The list behind the link holds exactly the people the home counted, all of 市民課.
	await expect(page.getByText(new RegExp(`${count}人`)).first()).toBeVisible();
});

test("an admin's home lists failed mail with the person it was for", async ({ page }) => {
	await withDb((db) =>
		db.query(
			`insert into outbox (org_id, to_address, subject, body, status, attempts)
			 select org_id, email, '【e2e】送信できなかった督促', '本文', 'failed', 8 from people where employee_number = 'demo-parttime'`
		)
	);
	await login(page, 'demo-admin');
	const region = waiting(page);
	await expect(region.getByRole('heading', { name: /送信できなかったメール \d+通/ })).toBeVisible();
	const item = region.getByRole('listitem').filter({ hasText: '【e2e】送信できなかった督促' });
	await expect(item).toBeVisible();
	await expectAccessibleAtBothWidths(page);
	await item.getByRole('link', { name: '宛先: 白州 さくら' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '白州 さくら' })).toBeVisible();
});

test("a contractor's home and certificate show their company; the printed certificate has the issuer and no site header", async ({ page, browser }) => {
	// C-2001 of the demo cannot log in; give them demo-contractor's password for this test.
	await withDb((db) =>
		db.query(
			`update people set password_hash = (select password_hash from people where employee_number = 'demo-contractor'), must_change_password = false
			 where employee_number = 'C-2001'`
		)
	);

	// The admin names the issuer printed on certificates.
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await login(admin, 'demo-admin');
	await admin.goto('/admin/settings');
	await admin.getByLabel('発行者の役職').fill('北杜市長');
	await admin.getByLabel('発行者の氏名').fill('北杜 太郎');
	await admin.getByRole('button', { name: '保存する' }).click();
	await expect(admin.getByRole('status').filter({ hasText: '文書の設定を保存しました' })).toBeVisible();
	await expectAccessibleAtBothWidths(admin);
	await adminContext.close();

	await login(page, 'C-2001');
	const facts = page.locator('dl.facts').first();
	await expect(facts).toContainText(/事業者名\s*甲府システム株式会社/);
	await expect(facts).toContainText(/契約名\s*庁内ネットワーク運用支援業務委託/);
	await expect(facts).toContainText(/契約期間\s*令和\d+年4月1日から令和\d+年3月31日まで/);
	await expect(facts).not.toContainText('所属');
	await expect(facts).not.toContainText('雇用区分');
	// The contractors' course and their self-inspection only: not the staff's.
	await expect(page.getByRole('article')).toHaveCount(2);
	await expect(page.getByRole('article').filter({ hasText: '委託事業者向け 情報セキュリティの基本' })).toHaveCount(1);
	await expect(page.getByRole('article').filter({ hasText: '自己点検票（委託事業者）' })).toHaveCount(1);
	await expectAccessibleAtBothWidths(page);

	await page.getByRole('article').getByRole('link', { name: '受講を始める' }).click();
	await expect(page.getByText(/^80点以上で合格・/)).toBeVisible();
	await readEveryLesson(page);
	await page.getByRole('link', { name: /確認テストを受ける/ }).click();
	await expect(page.getByText(/80点以上で合格/).first()).toBeVisible();
	await answerEveryQuestionRightly(page, answerKey('contractor-basics'));
	await page.getByRole('button', { name: '回答を送信する' }).click();
	await expect(page).toHaveURL(/\/quiz\/result\//);
	const assignmentId = /\/learn\/([0-9a-f-]{36})\//.exec(page.url())![1];

	await page.goto(`/learn/${assignmentId}/certificate`);
	const certificate = page.getByRole('region', { name: '修了証' });
	await expect(certificate).toContainText(/事業者名\s*甲府システム株式会社/);
	await expect(certificate).not.toContainText('所属');
	await expect(certificate).toContainText(/確認テストの得点\s*100点/);
	await expect(certificate.getByRole('group', { name: '発行者' })).toHaveText(/北杜市\s*北杜市長　北杜 太郎/);
	await expectAccessibleAtBothWidths(page);

	const pdf = await page.pdf({ format: 'A4', printBackground: false });
	const { pages } = await pdfPages(pdf);
	expect(pages).toHaveLength(1);
	const text = flat(pages[0]);
	for (const words of ['修了証', '甲府システム株式会社', '北杜市長北杜太郎', '確認テストの得点100点'])
		expect(looseIncludes(text, words), `${words} in ${text}`).toBe(true);
	// Nothing of the site around it: no app name, no signed-in name, no logout, no breadcrumb.
	expect(text).not.toContain('Mamori');
	expect(text).not.toContain('ログアウト');
	expect(text).not.toContain('わたしの研修');
});
