// Hostile input through the real pages: payloads typed where people type (a lesson, a question, a
// revision, comments) and names from a roster file, then every page that shows them is opened with
// the page's script policy bypassed, so only the server's sanitising stands between a payload and
// `__pwned()`. Each page is also read element by element for anything that could run, and the
// payloads must be visible as the text that was typed. It adds people to a roster and edits a
// lesson for a while, so it works in an organisation of its own (see the beforeAll), which lets
// it run alongside the other files without touching what they count or answer.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { answerEveryQuestionRightly, answerKey, chooseOptionContaining, demoPassword, e2eDatabaseUrl, login, readEveryLesson } from './helpers';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { createDb } from '../../src/lib/server/db/client';
import { organizations } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { seedDemoCampaigns } from '../../src/lib/server/demo/campaigns';
import { executableParts, type ParsedElement } from '../fixtures/hostile/inert';
import { formulaCells, hostileNames, xssPayloads } from '../fixtures/hostile/xss';
import { renderMarkdown } from '../../src/lib/server/policy/render';
import { parseCsv } from '../../src/lib/server/org/roster/csv';

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

/** What the app's own pages are made of: its scripts, forms and charts. */
const appTags = new Set(['script', 'style', 'link', 'meta', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'noscript']);

const department = { code: 'H90', name: '<svg onload=__pwned()>危機対策課' };
const people = hostileNames.map((name, i) => ({ number: `H-${9001 + i}`, name }));
const formulaPerson = { number: 'H-9100', name: formulaCells[0] };
const learnerPassword = '八ヶ岳の麓で悪意ある入力を確かめる';

/** The organisation's host: the access test's has 127.0.0.1 and the sessions test's 127.0.0.2. */
const ownHost = '127.0.0.3';
let origin = '';

/**
 * An organisation of this file's own, chosen by host at login, with the demo's policies, courses
 * and this 年度's training, and the three demo roles the file logs in as (same numbers and password).
 */
test.beforeAll(async ({ baseURL }) => {
	origin = baseURL!.replace('localhost', ownHost);
	expect(origin, 'the organisation needs a host of its own').not.toBe(baseURL);
	const handle = await createDb({ url: e2eDatabaseUrl(), poolSize: 1 });
	try {
		const db = handle.db;
		const slug = 'hostile-input';
		const [existing] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
		let orgId = existing?.id;
		if (!orgId) {
			orgId = (await makeOrg(db, slug, '悪意検証町', ownHost)).id;
			await makePerson(db, orgId, { employeeNumber: 'demo-admin', name: '検証 管理', password: demoPassword, roles: ['admin'] });
			await makePerson(db, orgId, { employeeNumber: 'demo-owner', name: '検証 政策', password: demoPassword, roles: ['policy_owner'] });
			await makePerson(db, orgId, { employeeNumber: 'demo-approver', name: '検証 統括', password: demoPassword, roles: ['approver'] });
		}
		await syncPolicyContent(db, orgId);
		await syncCourseContent(db, orgId);
		await seedDemoCampaigns(db, orgId);
	} finally {
		await handle.close();
	}
});

interface Watched {
	page: Page;
	fired: string[];
	close: () => Promise<void>;
}

/** A logged-in page whose script policy is off and whose every dialog or `__pwned()` call is recorded. */
async function watchedPage(browser: Browser, employeeNumber: string, options: { password?: string; script?: boolean } = {}): Promise<Watched> {
	const context = await browser.newContext({ baseURL: origin, bypassCSP: true, javaScriptEnabled: options.script !== false });
	const fired: string[] = [];
	await context.exposeBinding('__pwned', ({ frame }) => void fired.push(`__pwned() ran on ${frame.url()}`));
	const page = await context.newPage();
	page.on('dialog', (dialog) => {
		fired.push(`${dialog.type()}(${dialog.message()}) on ${page.url()}`);
		void dialog.dismiss();
	});
	await login(page, employeeNumber, options.password, { script: options.script });
	return { page, fired, close: () => context.close() };
}

/** Nothing ran, and nothing on the page could: no handler attribute, script URL, frame or planted script. */
async function expectInert({ page, fired }: Watched): Promise<void> {
	const { elements, planted } = await page.evaluate(() => {
		const all = [...document.querySelectorAll('*')];
		return {
			elements: all.map((el) => ({ tag: el.localName, attributes: [...el.attributes].map((a) => [a.name, a.value] as [string, string]) })),
			// The app's own scripts carry the response's nonce (its data holds the names, escaped);
			// a script that markup smuggled in cannot.
			planted: all
				.filter((el) => (el instanceof HTMLScriptElement ? !el.nonce : el.localName === 'style') && /__pwned|alert\(/.test(el.textContent ?? ''))
				.map((el) => el.outerHTML)
		};
	});
	expect(executableParts(elements, appTags), page.url()).toEqual([]);
	expect(planted, `scripts or styles planted on ${page.url()}`).toEqual([]);
	expect(fired).toEqual([]);
}

const quoted = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

function rosterCsv(): Buffer {
	const rows = [...people, formulaPerson].map((p) => quoted([p.number, p.name, 'テスト', department.code, department.name, '正規職員']));
	return Buffer.from([quoted(['職員番号', '氏名', '氏名カナ', '所属コード', '所属名', '雇用区分']), ...rows].join('\r\n'), 'utf8');
}

let temporaryPassword = '';
let courseUrl = '';
let lessonEditUrl = '';
let lessonTitle = '';
let originalLesson = '';
let revisionUrl = '';

test('the renderer’s output holds nothing that could run, as the browser itself parses it', async ({ page }) => {
	await page.goto('/login');
	const rendered = xssPayloads.map((p) => renderMarkdown(`本文\n\n${p}\n\n- ${p}`));
	const parsed = await page.evaluate((htmls) => {
		return htmls.map((html) =>
			[...new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html').body.querySelectorAll('*')].map((el) => ({
				tag: el.localName,
				attributes: [...el.attributes].map((a) => [a.name, a.value] as [string, string])
			}))
		);
	}, rendered);
	const found = parsed.flatMap((elements: ParsedElement[], i) => executableParts(elements).map((part) => `${part} from ${JSON.stringify(xssPayloads[i])}`));
	expect(found).toEqual([]);
});

test('the admin imports a roster of hostile names: every page shows them as text', async ({ browser }) => {
	const admin = await watchedPage(browser, 'demo-admin');
	const { page } = admin;
	await page.goto('/admin/roster');
	await page.getByLabel('CSVファイル').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: rosterCsv() });
	await page.getByRole('button', { name: '内容を確認する' }).click();
	await expect(page).toHaveURL(/\/admin\/roster\/[0-9a-f-]+$/);
	for (const p of people) await expect(page.getByText(p.name).first()).toBeVisible();
	await expect(page.getByText(department.name).first()).toBeVisible();
	await expectInert(admin);
	// The department is new: created because the admin ticks it, its hostile name shown as text.
	const create = page.getByRole('group', { name: '新しい所属として作成する' }).getByRole('checkbox');
	await expect(create).toHaveCount(1);
	await expect(create).toHaveAccessibleName(`新しい所属として作成する：${department.code} ${department.name}`);
	await create.check();
	// Only the new people are added: the people missing from this file stay as they are.
	await page.getByRole('button', { name: 'この内容で適用する' }).click();
	await expect(page.getByRole('status')).toContainText('名簿を適用しました');
	await expectInert(admin);

	await page.goto('/admin/people?q=H-9&status=all');
	for (const p of people) await expect(page.getByRole('row').filter({ hasText: p.number }).first()).toContainText(p.name);
	await expectInert(admin);
	await page.getByRole('link', { name: people[0].number, exact: true }).click();
	await expect(page.getByText(people[0].name).first()).toBeVisible();
	await expectInert(admin);
	const departmentId = await page.locator('select[name="departmentId"]').inputValue();
	await page.getByRole('button', { name: 'パスワードを再発行する' }).click();
	temporaryPassword = (await page.getByRole('status').filter({ hasText: '仮パスワード' }).textContent())!.match(/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/)![0];

	// The team dashboard, narrowed to the new department, lists them; so does its CSV.
	await page.goto(`/team?dept=${departmentId}`);
	await expect(page.getByRole('navigation', { name: '表示している範囲' })).toContainText(department.name);
	const list = page.getByRole('table', { name: /職員ごとの受講状況/ });
	for (const p of people) await expect(list).toContainText(p.name);
	await expectInert(admin);
	const href = await page.getByRole('link', { name: 'CSVで書き出す（Excel用 UTF-8）' }).getAttribute('href');
	const csv = new TextDecoder('utf-8').decode((await (await page.request.get(href!)).body()).subarray(3));
	const cells = parseCsv(csv).records.flatMap((r) => r.fields);
	expect(cells).toContain(`'${formulaPerson.name}`);
	expect(cells).not.toContain(formulaPerson.name);
	expect(cells).toContain(people[0].name);
	await admin.close();
});

test('a lesson body with the whole corpus previews, saves and is read by a learner as text', async ({ browser }) => {
	const admin = await watchedPage(browser, 'demo-admin');
	const { page } = admin;
	await page.goto('/admin/courses');
	await page.getByRole('link', { name: /情報セキュリティ基本方針 研修/ }).click();
	await expect(page).toHaveURL(/\/admin\/courses\/[0-9a-f-]+$/);
	courseUrl = new URL(page.url()).pathname;
	const edit = page.getByRole('link', { name: /^編集\s*: / }).first();
	lessonTitle = (await edit.textContent())!.replace(/^編集\s*:\s*/, '').trim();
	await edit.click();
	await expect(page).toHaveURL(/\/lesson\/[0-9a-f-]+$/);
	lessonEditUrl = new URL(page.url()).pathname;
	const body = page.getByLabel('本文（Markdown）');
	originalLesson = await body.inputValue();
	await body.fill(`${originalLesson}\n\n${xssPayloads.join('\n\n')}`);
	await page.getByRole('button', { name: 'プレビュー' }).click();
	const preview = page.getByRole('region').filter({ has: page.getByRole('heading', { name: /プレビュー/ }) });
	await expect(preview).toContainText('個人情報<script>__pwned()</script>を守る');
	await expectInert(admin);
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page.getByRole('status')).toContainText('保存しました');
	await expectInert(admin);
	await admin.close();

	const learner = await watchedPage(browser, people[0].number, { password: temporaryPassword });
	await learner.page.getByLabel('現在のパスワード').fill(temporaryPassword);
	await learner.page.getByLabel('新しいパスワード※必須', { exact: true }).fill(learnerPassword);
	await learner.page.getByLabel('新しいパスワード（確認）').fill(learnerPassword);
	await learner.page.getByRole('button', { name: '変更する' }).click();
	await learner.page.goto('/learn');
	await expect(learner.page.getByText(people[0].name).first()).toBeVisible();
	await expectInert(learner);
	await learner.page.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' }).getByRole('link', { name: '受講を始める' }).click();
	// The lesson edited above is the course's first.
	const lessonUrl = await learner.page.getByRole('link', { name: lessonTitle, exact: true }).getAttribute('href');
	await readEveryLesson(learner.page);
	await learner.page.goto(lessonUrl!);
	await expect(learner.page.getByRole('heading', { level: 1 })).toHaveText(lessonTitle);
	const article = learner.page.locator('article.lesson');
	await expect(article).toContainText('個人情報<script>__pwned()</script>を守る');
	await expect(article).toContainText('<img src=x onerror=__pwned()>');
	await expectInert(learner);
	await learner.close();
});

test('a question with hostile choices and explanation is answered and its result read as text', async ({ browser }) => {
	const learner = await watchedPage(browser, people[0].number, { password: learnerPassword });
	await learner.page.goto('/learn');
	await learner.page.getByRole('article').filter({ hasText: '情報セキュリティ基本方針 研修' }).getByRole('link').first().click();
	await learner.page.getByRole('link', { name: /確認テストを受ける/ }).click();
	// The click resolves before the quiz page has loaded: wait for its questions first.
	await expect(learner.page.locator('fieldset[id^="q"]').first()).toBeVisible();
	const shown = await learner.page.locator('input[name="shown"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));

	const admin = await watchedPage(browser, 'demo-admin');
	const text = admin.page.getByLabel('問題（questions.md の書式）');
	// The draw is random and a ○× question has no choice lines to carry a payload: take the
	// first drawn question that has them.
	let questionId = '';
	let original = '';
	for (const id of shown) {
		await admin.page.goto(`${courseUrl}/question/${id}`);
		original = await text.inputValue();
		questionId = id;
		if (/^- \[[ x]\] /m.test(original)) break;
	}
	expect(original, 'a drawn question with choice lines').toMatch(/^- \[[ x]\] /m);
	// The stem is tried in the preview only: the learner's answer key finds questions by stem.
	await text.fill(original.replace(/^question: .*$/m, 'question: <script>__pwned()</script>悪意のある設問<img src=x onerror=__pwned()>'));
	await admin.page.getByRole('button', { name: 'プレビュー' }).click();
	await expect(admin.page.getByText('<script>__pwned()</script>悪意のある設問<img src=x onerror=__pwned()>', { exact: true })).toBeVisible();
	await expectInert(admin);
	const hostile = original
		.replace(/^(- \[[ x]\] .*)$/gm, '$1（<img src=x onerror=__pwned()>）')
		.replace(/^explanation: (.*)$/m, 'explanation: $1 <script>__pwned()</script>[解説のリンク](javascript:__pwned()) <svg onload=__pwned()>');
	await text.fill(hostile);
	await admin.page.getByRole('button', { name: '保存する' }).click();
	await expect(admin.page.getByRole('status')).toContainText('保存しました');
	await expectInert(admin);

	try {
		await learner.page.reload();
		await expect(learner.page.getByText('（<img src=x onerror=__pwned()>）').first()).toBeVisible();
		await expectInert(learner);
		await answerEveryQuestionRightly(learner.page, answerKey('basic-policy-training'));
		await learner.page.getByRole('button', { name: '回答を送信する' }).click();
		await expect(learner.page).toHaveURL(/\/quiz\/result\//);
		await expect(learner.page.getByRole('main')).toContainText('<script>__pwned()</script>');
		await expect(learner.page.getByRole('link', { name: '解説のリンク' })).toHaveCount(0);
		await expectInert(learner);
	} finally {
		// Put the course back as it was, for the pages read after this.
		await admin.page.goto(`${courseUrl}/question/${questionId}`);
		await admin.page.getByLabel('問題（questions.md の書式）').fill(original);
		await admin.page.getByRole('button', { name: '保存する' }).click();
		await expect(admin.page.getByRole('status')).toContainText('保存しました');
		await admin.page.goto(lessonEditUrl);
		await admin.page.getByLabel('本文（Markdown）').fill(originalLesson);
		await admin.page.getByRole('button', { name: '保存する' }).click();
		await expect(admin.page.getByRole('status')).toContainText('保存しました');
		await admin.close();
		await learner.close();
	}
});

const sectionPayloads = [
	'個人情報<script>__pwned()</script>を守る',
	'[手順書](javascript:__pwned())',
	'<img src=x onerror=__pwned()>',
	'<iframe src="javascript:__pwned()"></iframe>',
	'<svg><script>__pwned()</script></svg>'
];

test('a revision draft of the incident procedure carries payloads in its section, reason and note', async ({ browser }) => {
	const owner = await watchedPage(browser, 'demo-owner');
	const { page } = owner;
	await page.goto('/revision');
	await chooseOptionContaining(page.getByLabel('改訂するポリシー'), 'インシデント対応');
	await page.getByRole('button', { name: '改訂案を作成' }).click();
	await expect(page).toHaveURL(/\/revision\/[0-9a-f-]+$/);
	revisionUrl = new URL(page.url()).pathname;
	const section = page.locator('[id^="section-"]').first();
	await section.getByText('この節を編集').click();
	await section.getByLabel('見出し').fill(hostileNames[1]);
	await section.getByLabel('本文').fill(sectionPayloads.join('\n\n'));
	await section.getByRole('button', { name: '保存', exact: true }).click();
	await expect(
		page
			.getByRole('status')
			.filter({ hasText: /保存しました/ })
			.first()
	).toBeVisible();
	// Let the editor's autosave finish before reading the page as the server renders it.
	await page.waitForLoadState('networkidle');
	await page.reload();
	await expect(page.locator('[id^="section-"]').first()).toContainText('個人情報<script>__pwned()</script>を守る');
	await expectInert(owner);
	await page.getByLabel('理由及び内容').fill(`理由${hostileNames[0]}`);
	await page.getByRole('button', { name: '版の情報を保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '版の情報を保存しました' })).toBeVisible();
	await page.getByLabel('承認者へのコメント（任意）').fill(`確認をお願いします${hostileNames[2]}`);
	await page.getByRole('button', { name: '審査を依頼する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '審査を依頼しました' })).toBeVisible();
	await expectInert(owner);
	await owner.close();
});

test('the approver reads the diff, comments and sends it back; the owner reads it all and discards the draft', async ({ browser }) => {
	const approver = await watchedPage(browser, 'demo-approver');
	await approver.page.goto(`${revisionUrl}/review`);
	// In the 新旧対照表 the markup is text, underlined as the change it is (emphasis marks read as plain text).
	await expect(
		approver.page
			.getByRole('table', { name: /新旧対照/ })
			.locator('u')
			.filter({ hasText: '<script>' })
			.first()
	).toBeVisible();
	await expect(approver.page.getByRole('main')).toContainText(hostileNames[2]);
	await expectInert(approver);
	const general = approver.page.getByRole('textbox', { name: /改訂案全体へのコメント/ });
	await general.fill(`コメント${xssPayloads[0]}${hostileNames[3]}`);
	await approver.page.locator('form').filter({ has: general }).getByRole('button', { name: 'コメントする' }).click();
	await expect(approver.page.getByRole('status').filter({ hasText: 'コメントを追加しました' })).toBeVisible();
	await expect(approver.page.getByText(hostileNames[3]).first()).toBeVisible();
	await expectInert(approver);
	await approver.page.getByLabel('差し戻す理由').fill(`差戻し${hostileNames[4]}`);
	await approver.page.getByRole('button', { name: '差し戻す' }).click();
	await expect(approver.page.getByRole('status').filter({ hasText: '差し戻しました' })).toBeVisible();
	await expectInert(approver);
	await approver.close();

	const owner = await watchedPage(browser, 'demo-owner');
	await owner.page.goto(revisionUrl);
	await expect(owner.page.getByText(hostileNames[3]).first()).toBeVisible();
	await expectInert(owner);
	const version = await owner.page.getByLabel('版', { exact: true }).inputValue();
	await owner.page.goto(`/policy/incident-procedure/v/${encodeURIComponent(version)}`);
	await expect(owner.page.getByRole('main')).toContainText('個人情報<script>__pwned()</script>を守る');
	await expectInert(owner);
	await owner.page.goto(revisionUrl);
	await owner.page.getByLabel('この改訂案を破棄することを確認しました').check();
	await owner.page.getByRole('button', { name: '改訂案を破棄する' }).click();
	await expect(owner.page.getByRole('status').filter({ hasText: '改訂案を破棄しました' })).toBeVisible();
	await owner.close();
});

test.describe('an oversized upload is refused on its own page, without JavaScript', () => {
	// Over the server's 27 MB body limit the form is never read, and the page still says why; the
	// smaller ones are over their own page's limit.
	const overBodyLimit = Buffer.alloc(28 * 1024 * 1024, 'a');
	const overPolicyLimit = Buffer.alloc(3 * 1024 * 1024, 'a');
	const overPdfLimit = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024, 'a')]);
	const overGiftLimit = Buffer.alloc(2 * 1024 * 1024, 'a');

	test('the roster, the policy import and the GIFT import each name their limit', async ({ browser }) => {
		const admin = await watchedPage(browser, 'demo-admin', { script: false });
		const { page } = admin;
		await page.goto('/admin/roster');
		const importsBefore = await page.getByRole('row').count();
		await page.getByLabel('CSVファイル').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: overBodyLimit });
		await page.getByRole('button', { name: '内容を確認する' }).click();
		await expect(page.getByText('ファイルが大きすぎます。10MB以下のファイルにしてください。')).toBeVisible();
		expect(new URL(page.url()).pathname).toBe('/admin/roster');
		await page.goto('/admin/roster');
		expect(await page.getByRole('row').count()).toBe(importsBefore);

		await page.goto('/policy/import');
		await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: 'large.txt', mimeType: 'text/plain', buffer: overPolicyLimit });
		await page.getByRole('button', { name: '構造を確認する' }).click();
		await expect(page.getByText('文書が大きすぎます。テキストは 2MB、Word と PDF は 20MB 以下にしてください。')).toBeVisible();
		expect(new URL(page.url()).pathname).toBe('/policy/import');
		await page.goto('/policy/import');
		await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: 'large.pdf', mimeType: 'application/pdf', buffer: overPdfLimit });
		await page.getByRole('button', { name: '構造を確認する' }).click();
		await expect(page.getByText('文書が大きすぎます。テキストは 2MB、Word と PDF は 20MB 以下にしてください。')).toBeVisible();

		await page.goto('/admin/courses');
		await page.getByRole('link', { name: /情報セキュリティ基本方針 研修/ }).click();
		await expect(page).toHaveURL(/\/admin\/courses\/[0-9a-f-]+$/);
		const questionsBefore = await page.getByRole('link', { name: /^編集\s*: / }).count();
		await page.getByLabel('GIFTファイル').setInputFiles({ name: 'large.gift', mimeType: 'text/plain', buffer: overGiftLimit });
		await page.getByRole('button', { name: '取り込む' }).click();
		await expect(page.getByText('ファイルが大きすぎます（1MBまで）。')).toBeVisible();
		expect(await page.getByRole('link', { name: /^編集\s*: / }).count()).toBe(questionsBefore);
		expect(admin.fired).toEqual([]);
		await admin.close();
	});
});
