import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { expectAccessible, login } from './helpers';
import { flat, looseIncludes, pdfPages } from '../helpers/pdf-text';
import { fiscalYearOf, formatFiscalYear } from '../../src/lib/format/wareki';

// The 年度報告 as the approver takes it to the committee: on screen, as Excel, and printed on A4
// with the 決裁欄 the admin set. Serial: the admin's setting is part of what is printed.
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const boxes = ['課長', '部長', 'CISO', '副市長', '市長'];
const year = fiscalYearOf(new Date());
const yearTitle = formatFiscalYear(year);

async function openReport(page: Page) {
	await login(page, 'demo-approver');
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '年度報告' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${yearTitle} 情報セキュリティ研修 実施報告`);
}

/** Each heading of the report with the start of what it introduces: its table's first row, or its first paragraph. */
async function headingStarts(page: Page): Promise<{ heading: string; start: string }[]> {
	await page.emulateMedia({ media: 'print' });
	const pairs = await page.locator('.annual-report').evaluate((report) =>
		[...report.querySelectorAll<HTMLElement>('h2, h3')].map((h) => {
			const walker = document.createTreeWalker(report, NodeFilter.SHOW_ELEMENT);
			walker.currentNode = h;
			let paragraph = '';
			for (let node = walker.nextNode() as HTMLElement | null; node && !/^H[23]$/.test(node.tagName); node = walker.nextNode() as HTMLElement | null) {
				if (node.tagName === 'TR' && node.parentElement?.tagName === 'TBODY') return { heading: h.innerText, start: node.innerText };
				if (!paragraph && (node.tagName === 'P' || node.tagName === 'LI') && node.innerText.trim()) paragraph = node.innerText.slice(0, 12);
			}
			return { heading: h.innerText, start: paragraph };
		})
	);
	await page.emulateMedia({ media: null });
	return pairs.map((p) => ({ heading: flat(p.heading), start: flat(p.start) })).filter((p) => p.start);
}

async function printed(page: Page) {
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	return pdfPages(new Uint8Array(pdf));
}

/** The text of every table row of the report, to find each whole on one printed page. */
async function rowTexts(page: Page): Promise<string[]> {
	await page.emulateMedia({ media: 'print' });
	const rows = await page.locator('.annual-report tbody tr, .annual-report tfoot tr').allInnerTexts();
	// Back to no emulation: page.pdf prints with print media unless told otherwise.
	await page.emulateMedia({ media: null });
	return rows.map(flat).filter(Boolean);
}

test('without a 決裁欄 set, the report prints none and says where it is set', async ({ page }) => {
	await openReport(page);
	await expect(page.getByRole('table', { name: '決裁欄' })).toHaveCount(0);
	await expect(page.getByText('決裁欄は設定されていないため、印刷しません。')).toBeVisible();
	const { pages } = await printed(page);
	expect(looseIncludes(flat(pages[0]), flat(boxes.join('')))).toBe(false);
});

test('an admin sets the 決裁欄 titles', async ({ page }) => {
	await login(page, 'demo-admin');
	await page.goto('/admin/settings');
	await page.getByLabel('決裁欄（印刷する報告書の押印欄）').fill(boxes.join('\n'));
	await page.getByRole('button', { name: '保存する' }).click();
	await expect(page.getByRole('status').filter({ hasText: '文書の設定を保存しました。' })).toBeVisible();
});

test('the approver opens the report, with the 決裁欄, names of sections and no key, at 1280 px and on a phone', async ({ page }) => {
	await openReport(page);
	const approval = page.getByRole('table', { name: '決裁欄' });
	await expect(approval).toBeVisible();
	await expect(approval.getByRole('columnheader')).toHaveText(boxes);
	// Boxes of equal width, stamp areas empty.
	const widths = await approval.getByRole('columnheader').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width)));
	expect(new Set(widths).size).toBe(1);
	await expect(approval.getByRole('cell')).toHaveText(boxes.map(() => ''));
	for (const heading of [
		'実施した研修',
		'所属別の修了状況',
		'雇用区分別の修了状況',
		'期限を過ぎた未修了者',
		'確認状況',
		'この年度の改訂',
		'理解が不十分な項目'
	]) {
		await expect(page.getByRole('heading', { level: 2, name: new RegExp(heading) })).toBeVisible();
	}
	// Sections by citation and words: 「6(3)③ インターネット接続系においては…」, never 6.3.3.
	const weak = page.getByRole('table', { name: /理解が不十分な項目/ });
	const names = await weak.getByRole('rowheader').allInnerTexts();
	expect(names.length).toBeGreaterThan(0);
	for (const name of names) {
		expect(name).toMatch(/^\d+(\(\d+\)[①-⑳]?)? \S/);
		expect(name).not.toMatch(/^\d+\.\d|施行中の版では表示できない|^[-*+] /);
	}
	await expect(page.getByRole('table', { name: /確認状況/ }).first()).toContainText('第5.0版');
	await expectAccessible(page);

	await page.setViewportSize({ width: 390, height: 844 });
	await page.reload();
	await expect(approval).toBeVisible();
	const widest = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(widest, 'the page at 390 px').toBeLessThanOrEqual(390);
	// Nothing sticks out on either side either (a box pushed past the left edge does not scroll),
	// except inside the boxes that scroll sideways.
	const outside = await page.locator('main').evaluate((main) =>
		[...main.querySelectorAll('*')]
			.filter((el) => !el.closest('.table-wrap') && el.getClientRects().length > 0)
			.filter((el) => {
				const box = el.getBoundingClientRect();
				return box.left < -0.5 || box.right > window.innerWidth + 0.5;
			})
			.map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`)
	);
	expect(outside, 'elements outside the 390 px screen').toEqual([]);
	await expectAccessible(page);
});

test('the approver downloads the report as Excel: real numbers, real dates, frozen headers', async ({ page }) => {
	await openReport(page);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excelでダウンロード' }).click()]);
	expect(download.suggestedFilename()).toBe(`${yearTitle}_情報セキュリティ研修実施報告_北杜市.xlsx`);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
	expect(workbook.worksheets.map((s) => s.name)).toEqual([
		'1 実施した研修',
		'2 所属別',
		'3 雇用区分別',
		'4 期限超過',
		'5 確認状況',
		'5 確認状況（所属別）',
		'6 改訂',
		'6 改訂で変わった項目',
		'7 理解が不十分な項目',
		'8 自己点検（実施状況）',
		'8 自己点検（項目）',
		'8 自己点検（改善計画）'
	]);
	const campaigns = workbook.getWorksheet('1 実施した研修')!;
	expect(campaigns.getCell('A1').value).toBe(`北杜市 ${yearTitle} 情報セキュリティ研修 実施報告`);
	expect(campaigns.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 4 }));
	// The all-staff campaign, as the page shows it.
	let found = false;
	campaigns.eachRow((row, n) => {
		if (n <= 4 || row.getCell(1).value !== '令和8年度 情報セキュリティ研修（全職員）') return;
		found = true;
		expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Date);
		expect(row.getCell(3).numFmt).toContain('ggge');
		expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number);
		expect(row.getCell(5).value).toBeGreaterThan(0);
		expect(row.getCell(7).type).toBe(ExcelJS.ValueType.Number);
		expect(row.getCell(7).numFmt).toBe('0.0%');
		expect(row.getCell(7).value as number).toBeCloseTo((row.getCell(6).value as number) / (row.getCell(5).value as number), 10);
	});
	expect(found, 'the all-staff campaign in the sheet').toBe(true);
	const weak = workbook.getWorksheet('7 理解が不十分な項目')!;
	const firstSection = String(weak.getCell(5, 1).value);
	expect(firstSection).toMatch(/^\d+\(\d+\)/);
	expect(weak.getCell(5, 4).type).toBe(ExcelJS.ValueType.Number);
});

test('the approver prints the report on A4 with the 決裁欄 on the first page and page numbers on every one', async ({ page }) => {
	// Fifty-odd prints: a busy machine needs more than the default time.
	test.setTimeout(300_000);
	await openReport(page);
	const { pages, width, height } = await printed(page);
	// A4 portrait: 210 × 297 mm in points.
	expect(Math.abs(width - 595.3)).toBeLessThan(2);
	expect(Math.abs(height - 841.9)).toBeLessThan(2);
	expect(pages.length).toBeGreaterThan(1);
	expect(looseIncludes(flat(pages[0]), flat(boxes.join(''))), 'the 決裁欄 on page 1').toBe(true);
	for (const later of pages.slice(1)) expect(looseIncludes(flat(later), flat(boxes.join('')))).toBe(false);
	pages.forEach((text, i) => expect(flat(text), `page ${i + 1}`).toContain(`${i + 1}/${pages.length}`));

	// No row is cut between two pages, and every heading is on the page where what it introduces
	// begins (its table's first row, or else its first paragraph). Where the page breaks fall
	// depends on the data, so the report is printed again with the sections pushed down a little
	// more each time — over a whole page — and with long section names, until every heading and
	// row has met a page's foot.
	await page.locator('.annual-report section[aria-labelledby="report-weak"] tbody th').evaluateAll((cells) => {
		for (const cell of cells) cell.append(` ${cell.textContent} ${cell.textContent} ${cell.textContent}`);
	});
	const rows = await rowTexts(page);
	const headings = await headingStarts(page);
	for (let shift = 0; shift <= 270; shift += 5) {
		await page.evaluate((mm) => {
			const spacer = document.getElementById('test-spacer') ?? document.createElement('div');
			spacer.id = 'test-spacer';
			spacer.style.height = `${mm}mm`;
			document.querySelector('.annual-report > header')!.after(spacer);
		}, shift);
		const flatPages = (await printed(page)).pages.map(flat);
		const cut = rows.filter((row) => !flatPages.some((p) => looseIncludes(p, row)));
		expect(cut, `rows not whole on one page, ${shift} mm down`).toEqual([]);
		const parted = headings.flatMap(({ heading, start }) => {
			const at = flatPages.findIndex((p) => looseIncludes(p, heading));
			const startsAt = flatPages.findIndex((p, i) => i >= at && looseIncludes(p, start));
			return at === startsAt ? [] : [`「${heading}」 on page ${at + 1}, what it introduces on page ${startsAt + 1}`];
		});
		expect(parted, `headings apart from what they introduce, ${shift} mm down`).toEqual([]);
	}
});
