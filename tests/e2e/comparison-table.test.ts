// The 新旧対照表 as an approver meets it: a revision under review shows the two columns, downloads
// as a Word file that opens with its table, and prints on A4 landscape with the heading row on
// every page. The revision is of a policy of its own (非公開, so learners never see it), with
// enough changed sections to fill more than one printed page.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { demoPassword, e2eDatabaseUrl, expectAccessible, login } from './helpers';
import { postAction } from './access-setup';
import { demoOrgSlug } from '../../src/lib/server/demo/seed';
import { markedText, readDocx } from '../helpers/docx';
import { pdfPages } from '../helpers/pdf-text';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const slug = 'comparison-table-e2e';
const title = '北杜市情報資産取扱規程';
const added = 'なお、この定義は、本市が保有する全ての情報資産及びその取扱いに関わる事務に等しく適用する。';
let revisionId = '';

/** The revision: every definition in 2 gains a sentence, 6(3)② a clause, 3(5) goes. Taken up where an earlier run stopped. */
async function prepareRevision(owner: APIRequestContext, db: pg.Client): Promise<string> {
	const policyRow = () =>
		db.query<{ id: string }>(`select p.id from policies p join organizations o on o.id = p.org_id where o.slug = $1 and p.slug = $2`, [demoOrgSlug, slug]);
	if ((await policyRow()).rows.length === 0) {
		const text = readFileSync('content/policies/basic-policy/v5.0.md', 'utf8').replace(/^# .*$/m, `# ${title}`);
		expect((await postAction(owner, '/policy/import?/preview', { form: { text } })).ok()).toBe(true);
		const { rows } = await db.query<{ id: string }>(
			`select v.id from policy_import_previews v join people p on p.id = v.person_id join organizations o on o.id = p.org_id
			 where o.slug = $1 and p.employee_number = 'demo-owner' order by v.created_at desc limit 1`,
			[demoOrgSlug]
		);
		const saved = await postAction(owner, '/policy/import?/save', {
			form: { previewId: rows[0].id, mode: 'new', slug, title, newVersion: '1.0', newKind: 'enacted', publish: 'on' }
		});
		expect(await saved.text()).toContain('redirect');
		// 非公開: the other tests' learners and their acknowledgements never meet it.
		await db.query(
			`update policies set restricted_to = '{policy_owner,approver,admin}' where slug = $1 and org_id = (select id from organizations where slug = $2)`,
			[slug, demoOrgSlug]
		);
	}
	const policyId = (await policyRow()).rows[0].id;
	const started = await postAction(owner, '/revision?/start', { form: { policyId } });
	const id = /\/revision\/([0-9a-f-]{36})/.exec(((await started.json()) as { location?: string }).location ?? '')?.[1];
	expect(id, 'the revision').toBeTruthy();
	const { rows } = await db.query<{ status: string }>(`select status from policy_versions where id = $1`, [id]);
	if (rows[0].status !== 'draft') return id!;
	const sections = await db.query<{ key: string; label: string; heading: string; body: string; rev: number }>(
		`select key, label, heading, body, rev from policy_sections where version_id = $1 order by position`,
		[id]
	);
	for (const s of sections.rows) {
		let body = s.body;
		if (/^2\.\d+$/.test(s.key) && !body.includes(added)) body = `${body}${added}`;
		if (s.key === '6.3.2') body = body.replace('無害化通信を実施する。', '無害化通信を実施し、その記録を保存する。');
		if (body !== s.body) {
			const saved = await postAction(owner, `/revision/${id}?/saveSection`, {
				form: { key: s.key, rev: String(s.rev), label: s.label, heading: s.heading, body }
			});
			expect(saved.ok()).toBe(true);
		}
		if (s.key === '3.5') expect((await postAction(owner, `/revision/${id}?/removeSection`, { form: { key: s.key, rev: String(s.rev) } })).ok()).toBe(true);
	}
	expect(((await (await postAction(owner, `/revision/${id}?/submit`, { form: {} })).json()) as { type: string }).type).toBe('redirect');
	return id!;
}

test.beforeAll(async ({ playwright, baseURL }) => {
	const owner = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: new URL(baseURL!).origin, Accept: 'text/html' } });
	expect((await owner.post('/login', { form: { employeeNumber: 'demo-owner', password: demoPassword }, maxRedirects: 0 })).status()).toBe(303);
	const db = new pg.Client({ connectionString: e2eDatabaseUrl() });
	await db.connect();
	try {
		revisionId = await prepareRevision(owner, db);
	} finally {
		await db.end();
		await owner.dispose();
	}
});

/** The table's column headings and each row's cells, with 傍線 (underlined words) in [brackets]. */
async function tableText(page: Page) {
	const table = page.getByRole('table', { name: /新旧対照/ });
	const headings = await table.getByRole('columnheader').allTextContents();
	const rows = await table.locator('tbody tr').evaluateAll((trs) =>
		trs.map((tr) =>
			Array.from(tr.querySelectorAll('td'), (td) =>
				Array.from(td.querySelectorAll('p'), (p) =>
					Array.from(p.childNodes)
						// Text and 傍線; not the comments the page's script uses to find its place.
						.filter((n) => n.nodeType === Node.TEXT_NODE || n.nodeName === 'U')
						.map((n) => (n.nodeName === 'U' ? `[${n.textContent}]` : n.textContent))
						.join('')
				)
			)
		)
	);
	return { headings, rows };
}

test('the approver opens the revision under review and reads it as a two-column 新旧対照表', async ({ page }) => {
	await login(page, 'demo-approver');
	await page.goto(`/revision/${revisionId}/review`);
	await expect(page.getByRole('heading', { name: '新旧対照（第1.0版 → 第1.1版（案））' })).toBeVisible();
	const { headings, rows } = await tableText(page);
	expect(headings).toEqual(['改正後', '改正前']);
	// The parent heading as context, the definitions with their added sentence underlined on the new side.
	expect(rows).toContainEqual([['2　定義'], ['2　定義']]);
	expect(rows).toContainEqual([
		['2(1)　ネットワーク', `コンピュータ等を相互に接続するための通信網、その構成機器（ハードウェア及びソフトウェア）をいう。[${added}]`],
		['2(1)　ネットワーク', 'コンピュータ等を相互に接続するための通信網、その構成機器（ハードウェア及びソフトウェア）をいう。']
	]);
	// An item without a heading starts on its citation's line.
	expect(rows).toContainEqual([['（削除）'], ['[3(5)]　[電力供給の途絶、通信の途絶、水道供給の途絶等のインフラの障害からの波及等]']]);
	const secured = rows.find((r) => r[0][0]?.startsWith('6(3)②'))!;
	expect(secured[0][0]).toContain('無害化通信を実施[し、その記録を保存]する。');
	expect(secured[1][0]).toContain('無害化通信を実施する。');
	expect(secured[1][0]).not.toContain('[');
	expect(rows.filter((r) => r[0][0] === '（略）' && r[1][0] === '（略）').length).toBeGreaterThan(1);
	// No Markdown in any cell.
	expect(JSON.stringify(rows)).not.toMatch(/##|\*\*|"- /);
	await expectAccessible(page);

	// Summary counts stay above the table.
	await expect(page.getByRole('list', { name: '変更の件数' })).toContainText('変更 13件');
});

test('the approver downloads the 新旧対照表 as Word and it opens with its table', async ({ page }) => {
	await login(page, 'demo-approver');
	await page.goto(`/revision/${revisionId}/review`);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '新旧対照表をWord形式（.docx）でダウンロード' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`${title}_新旧対照表_第1.0版-第1.1版.docx`);
	const docx = readDocx(readFileSync((await download.path())!));
	expect(docx.page.orient).toBe('landscape');
	expect(docx.page.width).toBeGreaterThan(docx.page.height);
	expect(docx.paragraphs.map((p) => p.text)).toContain('新旧対照表');
	const [header, ...rows] = docx.tables[0];
	expect(header.header).toBe(true);
	expect(header.cells.map((c) => c.text)).toEqual(['改正後', '改正前']);
	const network = rows.find((r) => r.cells[0].text.startsWith('2(1)'))!;
	expect(markedText(network.cells[0])).toEqual([
		'2(1)　ネットワーク',
		`コンピュータ等を相互に接続するための通信網、その構成機器（ハードウェア及びソフトウェア）をいう。[${added}]`
	]);
	expect(markedText(network.cells[1])).toEqual([
		'2(1)　ネットワーク',
		'コンピュータ等を相互に接続するための通信網、その構成機器（ハードウェア及びソフトウェア）をいう。'
	]);
	expect(rows.some((r) => r.cells.every((c) => c.text === '（略）'))).toBe(true);

	// The name in UTF-8 for every current browser, and an ASCII one from the policy's slug for the rest.
	const response = await page.request.get(`/revision/${revisionId}/docx`);
	expect(response.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
	expect(response.headers()['content-disposition']).toBe(
		`attachment; filename="${slug}_1.0-1.1.docx"; filename*=UTF-8''${encodeURIComponent(`${title}_新旧対照表_第1.0版-第1.1版.docx`)}`
	);
});

test('the print view fills A4 landscape pages, each with the heading row, and numbers them', async ({ page }) => {
	await login(page, 'demo-approver');
	await page.goto(`/revision/${revisionId}/review`);
	await page.getByRole('link', { name: '印刷用の新旧対照表（A4横）' }).click();
	await expect(page).toHaveURL(new RegExp(`/revision/${revisionId}/print$`));
	await expect(page.getByRole('heading', { level: 1 })).toContainText('新旧対照表');
	await expect(page.getByText(/^第1\.0版/)).toBeVisible();
	await expectAccessible(page);

	await page.emulateMedia({ media: 'print' });
	// The page's own size (A4 landscape) rather than one given here, so the stylesheet is what is tested.
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
	const read = await pdfPages(new Uint8Array(pdf));
	const pages = read.pages.length;
	expect([read.width, read.height].map(Math.round)).toEqual([842, 595]);
	expect(pages).toBeGreaterThan(1);
	for (let n = 1; n <= pages; n++) {
		const text = read.pages[n - 1];
		expect(text, `page ${n}`).toMatch(/改正後\s+改正前/);
		expect(text, `page ${n}`).toMatch(new RegExp(`(^|\\s)${n}\\s*/\\s*${pages}(\\s|$)`));
		// The sheet is the page: no menu, no buttons.
		expect(text).not.toContain('ログアウト');
		expect(text).not.toContain('印刷／PDFに保存');
	}
});

test('on a 390 px phone the review page and the print view stay within the screen', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await login(page, 'demo-approver');
	for (const url of [`/revision/${revisionId}/review`, `/revision/${revisionId}/print`, `/policy/${slug}/diff`]) {
		await page.goto(url);
		await expect(page.getByRole('table', { name: /新旧対照/ })).toBeVisible();
		expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(390);
		await expectAccessible(page);
	}
	await context.close();
});

test('the policy owner compares the version in force with the draft by default, and learners never see it', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, 'demo-owner');
	await page.goto(`/policy/${slug}/diff`);
	await expect(page.getByRole('heading', { name: '第1.0版から第1.1版への変更' })).toBeVisible();
	await expect(page.getByLabel('比較元')).toHaveValue('1.0');
	const { headings } = await tableText(page);
	expect(headings).toEqual(['改正後', '改正前']);
	await expectAccessible(page);
	await page.getByRole('link', { name: '印刷用の新旧対照表（A4横）' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
	await expectAccessible(page);
	await context.close();

	const learner = await browser.newContext();
	const staff = await learner.newPage();
	await login(staff, 'demo-staff');
	for (const url of [`/policy/${slug}/diff`, `/policy/${slug}/diff/print`, `/policy/${slug}/diff/docx?from=1.0&to=1.1`]) {
		expect((await staff.request.get(url, { maxRedirects: 0 })).status(), url).toBe(404);
	}
	await learner.close();
});
