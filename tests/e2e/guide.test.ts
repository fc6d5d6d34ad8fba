// The 操作マニュアル (docs/guide): the suite walks each role's flows on a fresh private app and
// captures the screenshots the guides show (docs/guide/images/<role>-<step>.png), so they are
// never stale; then it reads the guides in the app as each role would.
//
// The screenshots are rewritten on every run; commit them when a screen changes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { answerEveryQuestionRightly, answerKey, expectAccessible, login, readEveryLesson, waitForHydration } from './helpers';
import { startPrivateApp, type PrivateApp } from './private-app';

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

const guideDir = path.resolve('docs/guide');
const imagesDir = path.join(guideDir, 'images');
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

let app: PrivateApp;
const captured = new Set<string>();

test.beforeAll(async () => {
	test.setTimeout(300_000);
	app = await startPrivateApp('guide', { demo: true });
});

test.afterAll(async () => {
	await app?.stop();
});

async function open(
	browser: Browser,
	user: string,
	options: { viewport?: typeof desktop; script?: boolean } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: app.origin, viewport: options.viewport ?? desktop, javaScriptEnabled: options.script !== false });
	const page = await context.newPage();
	await login(page, user, undefined, { script: options.script });
	return { context, page };
}

/** One screenshot for the guides: the viewport, or one element (kept small: never a whole long page). */
async function shot(page: Page, name: string, target?: Locator) {
	const file = path.join(imagesDir, `${name}.png`);
	if (target) {
		await target.scrollIntoViewIfNeeded();
		await target.screenshot({ path: file, animations: 'disabled' });
	} else {
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: file, animations: 'disabled' });
	}
	captured.add(`${name}.png`);
}

const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' }).first();
const waiting = (page: Page) => page.getByRole('region', { name: 'あなたを待っている仕事' });

test('一般職員: the home, a course and its quiz, the 修了証 and the policy acknowledgement', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-staff');
	await shot(page, 'staff-home');
	await page.getByRole('link', { name: '受講を始める' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('研修');
	await shot(page, 'staff-course');
	await readEveryLesson(page);
	await shot(page, 'staff-lesson');
	await page.getByRole('link', { name: /確認テストを受ける/ }).click();
	await expect(page.locator('fieldset[id^="q"]')).toHaveCount(20);
	await shot(page, 'staff-quiz');
	await answerEveryQuestionRightly(page, answerKey('basic-policy-training'));
	await page.getByRole('button', { name: '回答を送信する' }).click();
	await expect(page).toHaveURL(/\/quiz\/result\//);
	await expect(page.getByRole('main')).toContainText('合格');
	await shot(page, 'staff-result');
	await page.getByRole('link', { name: '修了証を見る' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('修了証');
	await shot(page, 'staff-certificate');

	await page.goto('/learn');
	await page.getByRole('article').filter({ hasText: '自己点検票（一般職員）' }).getByRole('link', { name: '点検を始める' }).click();
	await waitForHydration(page);
	await page.locator('li.item').first().getByLabel('はい', { exact: true }).check();
	await expect(page.locator('#result')).toContainText('保存しました');
	await shot(page, 'staff-inspection');

	await page.goto('/policy/basic-policy');
	const ack = page.locator('section').filter({ has: page.getByRole('heading', { name: '遵守の確認' }) });
	await shot(page, 'staff-policy-ack', ack);
	await page.getByRole('button', { name: /を読み、遵守します/ }).click();
	await expect(page.getByRole('status')).toContainText('確認を記録しました');
	await shot(page, 'staff-policy-done', ack);
	await context.close();

	// On a phone, the menu is a button.
	const phoneSession = await open(browser, 'demo-parttime', { viewport: phone });
	await phoneSession.page.getByText('メニュー', { exact: true }).click();
	await shot(phoneSession.page, 'staff-phone-menu');
	await phoneSession.context.close();

	const contractor = await open(browser, 'demo-contractor');
	await shot(contractor.page, 'staff-contractor');
	await contractor.context.close();
});

test('所属長: what waits, team completion, a reminder, the CSV and the acknowledgements', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-chief');
	await shot(page, 'supervisor-home', waiting(page));
	await mainMenu(page).getByRole('link', { name: '所属の受講状況' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('所属の受講状況');
	await shot(page, 'supervisor-team');
	await shot(page, 'supervisor-people', page.getByRole('heading', { name: '職員ごとの状況' }).locator('xpath=..'));
	await page
		.getByRole('checkbox', { name: /を選択$/ })
		.first()
		.check();
	await page.getByRole('button', { name: '選択した人に督促を送る' }).click();
	await expect(page.getByRole('status')).toContainText('督促を送りました');
	await shot(page, 'supervisor-reminder', page.getByRole('group', { name: '督促を送る' }));
	await expect(page.getByRole('link', { name: 'CSVで書き出す（Excel用 UTF-8）' })).toBeVisible();
	await shot(
		page,
		'supervisor-csv',
		page.getByRole('link', { name: 'CSVで書き出す（Excel用 UTF-8）' }).locator('xpath=ancestor::*[self::p or self::div or self::ul][1]')
	);
	await page.goto('/policy/basic-policy/acknowledgements');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await shot(page, 'supervisor-acknowledgements');
	await page.goto('/learn');
	await page.getByRole('article').filter({ hasText: '自己点検票（所属長）' }).getByRole('link', { name: '点検を始める' }).click();
	await waitForHydration(page);
	await page.locator('li.item').first().getByLabel('いいえ', { exact: true }).check();
	await expect(page.locator('#result')).toContainText('改善計画を1件作りました');
	await shot(page, 'supervisor-inspection');
	await page.getByRole('link', { name: '改善計画を見る' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('改善計画');
	const plan = page.locator('li.plan').first();
	await plan.getByLabel('対応内容（何をするか）').fill('所属の情報資産台帳を見直し、差分を反映する');
	await plan.getByLabel('担当（誰が）').fill('庶務担当');
	await plan.getByRole('button', { name: /保存する/ }).click();
	await expect(plan).toContainText('改善計画を保存しました');
	await shot(page, 'supervisor-improvements');
	await context.close();
});

let revisionUrl = '';

test('規程担当: weak spots, a draft from one, editing it, the 新旧対照表 and sending it for review', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-owner');
	await shot(page, 'owner-home', waiting(page));
	await mainMenu(page).getByRole('link', { name: '弱点分析' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('弱点分析');
	await shot(page, 'owner-insight');
	await page.goto('/insight/practice');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('理解と実践');
	await shot(page, 'owner-practice');
	await page.goto('/insight');
	await page
		.getByRole('button', { name: /改訂案を作成（6\(3\)② / })
		.first()
		.click();
	await expect(page).toHaveURL(/\/revision\/[0-9a-f-]+/);
	revisionUrl = new URL(page.url()).pathname;
	await waitForHydration(page);
	await shot(page, 'owner-draft');
	const section = page.locator('#section-6\\.3\\.2');
	// A draft made from a weak spot opens at that section's editor already.
	if (
		!(await section
			.locator('details')
			.first()
			.evaluate((d: HTMLDetailsElement) => d.open))
	)
		await section.getByText('この節を編集').click();
	await section
		.getByLabel('本文')
		.fill(
			'住民情報を扱う端末は、マイナンバー利用事務系として他の系から分離し、インターネットに直接つながないこと。ファイルを取り込むときは、必ず無害化してから取り込むこと。'
		);
	await shot(page, 'owner-edit', section);
	await section.getByRole('button', { name: '保存', exact: true }).click();
	await expect(
		page
			.getByRole('status')
			.filter({ hasText: /保存しました/ })
			.first()
	).toBeVisible();
	await page.getByLabel('理由及び内容').fill('6(3)②の誤答が多かったため、系の分離と無害化の要件を具体的に書き改めた。');
	await page.getByRole('button', { name: '版の情報を保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '版の情報を保存しました' })).toBeVisible();
	await expect(page.getByRole('link', { name: '印刷用の新旧対照表（A4横）' })).toBeVisible();
	await shot(page, 'owner-comparison-links', page.getByRole('link', { name: '印刷用の新旧対照表（A4横）' }).locator('xpath=ancestor::ul[1]'));
	await page.goto(`${revisionUrl}/print`);
	await shot(page, 'owner-print');
	await page.goto(revisionUrl);
	await waitForHydration(page);
	await page.getByRole('button', { name: '審査を依頼する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '審査を依頼しました' })).toBeVisible();
	await shot(page, 'owner-submitted', page.getByRole('status').filter({ hasText: '審査を依頼しました' }));
	await context.close();
});

test('承認者: the revision waiting, the 新旧対照表, approve and publish, the retraining and the 年度報告', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-approver');
	await shot(page, 'approver-home', waiting(page));
	await waiting(page)
		.getByRole('link', { name: /第5\.1版を審査する/ })
		.click();
	await expect(page.getByRole('heading', { name: /新旧対照/ }).first()).toBeVisible();
	await shot(page, 'approver-review');
	const table = page.getByRole('table', { name: /新旧対照/ });
	await shot(page, 'approver-comparison', table.locator('tbody tr').filter({ hasText: '6(3)②' }).first());
	await page.getByLabel('承認のコメント（任意）').fill('分かりやすくなった。');
	await shot(page, 'approver-approve', page.getByRole('button', { name: '承認する' }).locator('xpath=ancestor::form[1]'));
	await page.getByRole('button', { name: '承認する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '承認しました' })).toBeVisible();
	await expect(page.getByLabel('版', { exact: true })).toHaveValue('5.1');
	await shot(page, 'approver-publish', page.getByRole('button', { name: '公開する' }).locator('xpath=ancestor::form[1]'));
	await page.getByRole('button', { name: '公開する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '第5.1版を公開しました' })).toBeVisible();
	await shot(page, 'approver-published', page.getByRole('status').filter({ hasText: '第5.1版を公開しました' }));
	await page.goto(`${revisionUrl}/retraining`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('改訂後の研修');
	await shot(page, 'approver-retraining');
	await mainMenu(page).getByRole('link', { name: '年度報告' }).click();
	await shot(page, 'approver-report');
	await context.close();

	// The 規程担当 (or an admin) assigns the 改訂のポイント course.
	const owner = await open(browser, 'demo-owner');
	await owner.page.goto(`${revisionUrl}/retraining`);
	await owner.page.getByRole('button', { name: '改訂のポイントを全職員に割り当てる' }).click();
	const assigned = owner.page.getByRole('status').filter({ hasText: /人に割り当てました/ });
	await expect(assigned).toBeVisible();
	await shot(owner.page, 'owner-retraining', assigned);
	await owner.context.close();
});

test('管理者: people, the roster import, campaigns, courses, the audit log, settings and the report', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-admin');
	await shot(page, 'admin-home', waiting(page));
	await mainMenu(page).getByRole('link', { name: '管理', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('管理');
	await shot(page, 'admin-menu');
	await page.goto('/admin/people');
	await shot(page, 'admin-people');
	await page.goto('/admin/roster');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('名簿の取込');
	await shot(page, 'admin-roster');
	await page.getByLabel('CSVファイル').setInputFiles(path.resolve('tests/fixtures/roster/demo-roster-good-utf8-bom.csv'));
	await page.getByRole('button', { name: '内容を確認する' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('取込内容の確認');
	await shot(page, 'admin-roster-preview');
	await page.goto('/admin/campaigns');
	await shot(page, 'admin-campaigns');
	await page.getByRole('link', { name: '研修を割り当てる' }).click();
	await expect(page).toHaveURL(/\/admin\/campaigns\/new$/);
	await shot(page, 'admin-campaign-new');
	await page.goto('/admin/campaigns');
	await page
		.getByRole('link', { name: /情報セキュリティ研修（全職員）/ })
		.first()
		.click();
	await shot(page, 'admin-campaign');
	await page.goto('/admin/courses');
	await shot(page, 'admin-courses');
	await page.goto('/admin/audit');
	await shot(page, 'admin-audit');
	await page.goto('/admin/settings');
	await shot(page, 'admin-settings');
	await page.goto('/report');
	await expect(page.getByRole('link', { name: 'Excelでダウンロード' })).toBeVisible();
	await shot(page, 'admin-report');
	await context.close();
});

/** `images/<name>.png` as the guides write them. */
function referencedImages(): Map<string, string[]> {
	const refs = new Map<string, string[]>();
	for (const file of readdirSync(guideDir).filter((f) => f.endsWith('.md'))) {
		for (const m of readFileSync(path.join(guideDir, file), 'utf8').matchAll(/!\[[^\]]*\]\(images\/([^)\s]+)\)/g))
			refs.set(m[1], [...(refs.get(m[1]) ?? []), file]);
	}
	return refs;
}

test('every screenshot the guides show was captured by this run, and every one captured is shown', () => {
	const refs = referencedImages();
	expect(
		[...refs.keys()].filter((name) => !captured.has(name)),
		'shown in a guide but not captured'
	).toEqual([]);
	expect(
		[...captured].filter((name) => !refs.has(name)),
		'captured but shown in no guide'
	).toEqual([]);
	// No stale file left in the folder from a step that is gone.
	expect(readdirSync(imagesDir).filter((name) => !captured.has(name))).toEqual([]);
});

const ownGuide: [string, string, string][] = [
	['demo-staff', 'staff', '一般職員'],
	['demo-chief', 'supervisor', '所属長'],
	['demo-owner', 'owner', '規程担当'],
	['demo-approver', 'approver', '承認者'],
	['demo-admin', 'admin', '管理者']
];

for (const [user, slug, role] of ownGuide) {
	test(`${role}: the header links to the ${slug} guide, on a wide screen and in the phone menu`, async ({ browser }) => {
		const { context, page } = await open(browser, user);
		const link = page.getByRole('banner').getByRole('link', { name: '操作マニュアル' }).first();
		await expect(link).toHaveAttribute('href', `/guide/${slug}`);
		await link.click();
		await expect(page).toHaveURL(`/guide/${slug}`);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(role);
		await expectAccessible(page);
		// The guide's screenshots come from our own origin and load.
		const images = page.locator('main .guide img');
		expect(await images.count()).toBeGreaterThan(2);
		for (const img of await images.all()) {
			await img.scrollIntoViewIfNeeded();
			await expect(img).toHaveAttribute('src', /^\/guide\/images\/[a-z0-9-]+\.png$/);
			await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
		}
		await page.setViewportSize(phone);
		await page.getByText('メニュー', { exact: true }).click();
		const phoneLink = page.locator('details.menu').getByRole('link', { name: '操作マニュアル' });
		await expect(phoneLink).toHaveAttribute('href', `/guide/${slug}`);
		await expect(phoneLink).toHaveAttribute('aria-current', 'page');
		await context.close();
	});
}

test('every role reads every guide, at 390 px; without JavaScript too; nothing else is served', async ({ browser }) => {
	const { context, page } = await open(browser, 'demo-staff', { viewport: phone });
	await page.goto('/guide');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('操作マニュアル');
	await expect(page.getByRole('link', { name: /あなたのマニュアル/ })).toHaveAttribute('href', '/guide/staff');
	await expectAccessible(page);
	for (const [, slug] of ownGuide) {
		await page.goto(`/guide/${slug}`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		// Nothing wider than the phone's screen: the page does not scroll sideways.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
		if (slug === 'staff') await expectAccessible(page);
	}
	await context.close();

	const noScript = await open(browser, 'demo-chief', { script: false });
	await noScript.page.goto('/guide');
	await noScript.page.getByRole('link', { name: /あなたのマニュアル/ }).click();
	await expect(noScript.page).toHaveURL('/guide/supervisor');
	await expect(noScript.page.locator('main .guide img').first()).toHaveAttribute('src', /^\/guide\/images\/supervisor-/);
	// Only the files the images folder lists, by their plain names.
	for (const bad of [
		'/guide/images/..%2Fstaff.md',
		'/guide/images/..%2F..%2Fpackage.json',
		'/guide/images/%2Fetc%2Fpasswd',
		'/guide/images/staff-home.png.bak',
		'/guide/nobody'
	]) {
		const response = await noScript.page.request.get(bad);
		expect(response.status(), bad).toBe(404);
	}
	const png = await noScript.page.request.get('/guide/images/staff-home.png');
	expect(png.status()).toBe(200);
	expect(png.headers()['content-type']).toBe('image/png');
	await noScript.context.close();
});
