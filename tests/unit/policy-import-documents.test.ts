// Policies as Word files and PDFs (tests/fixtures/policy-documents, written by its generate.ts
// from one source per document): each format gives the sections of the text file of the same
// document, read back with the real Word and PDF readers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyText, previewPolicyFile, readPolicyDocument, type ParsedPolicy } from '../../src/lib/server/policy/import';
import { joinBrokenLines, linesOfPage, readPdf, withoutRunningLines, type PdfItem, type PdfLine } from '../../src/lib/server/policy/import/pdf';
import { readDocx } from '../../src/lib/server/policy/import/docx';
import { policyFileKind } from '../../src/lib/server/policy/import/files';
import { minimalDocx, pdf, zip } from '../helpers/containers';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/policy-documents/${name}`, import.meta.url)));
const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/policy-documents/${name}`, import.meta.url), 'utf8');

function parsed(result: ReturnType<typeof parsePolicyText>): ParsedPolicy {
	if (!result.ok) throw new Error(result.message);
	return result;
}

async function fromFile(name: string, kind: 'docx' | 'pdf'): Promise<ParsedPolicy> {
	const read = await readPolicyDocument({ bytes: fixture(name), kind });
	if (!read.ok) throw new Error(read.problem);
	return parsed(parsePolicyText(read.text, { paragraphLines: true }));
}

const outline = (p: ParsedPolicy) => p.sections.map((s) => [s.key, s.level, s.label, s.heading]);
const bodies = (p: ParsedPolicy) => p.sections.map((s) => [s.key, s.body]);

/** The extracted text compared line by line: no blank lines, no trailing spaces (an empty last table cell). */
const lines = (text: string) =>
	text
		.split('\n')
		.map((l) => l.trimEnd())
		.filter(Boolean);

const documents = {
	'ordinance-higashine': [
		['ch1', 1, '第1章', '総則'],
		['1', 2, '第1条', '目的'],
		['2', 2, '第2条', '定義'],
		['2.1', 3, '一', '情報資産'],
		['2.1.1', 4, 'イ', ''],
		['2.1.2', 4, 'ロ', ''],
		['2.2', 3, '二', '職員等'],
		['2.3', 3, '三', '委託事業者'],
		['3', 2, '第3条', '適用範囲'],
		['3.2', 3, '2', ''],
		['3.3', 3, '3', ''],
		['3.3.1', 4, '一', ''],
		['3.3.2', 4, '二', ''],
		['ch2', 1, '第2章', '組織及び体制'],
		['4', 2, '第4条', '最高情報セキュリティ責任者'],
		['4.2', 3, '2', ''],
		['5', 2, '第5条', '情報セキュリティ管理者'],
		['ch3', 1, '第3章', '情報資産の管理'],
		['6', 2, '第6条', '情報資産の分類'],
		['7', 2, '第7条', '情報資産の持出し'],
		['suppl', 1, '', '附則']
	],
	'basic-policy-kitahara': [
		['1', 1, '1', '目的'],
		['2', 1, '2', '定義'],
		['2.1', 2, '(1)', 'ネットワーク'],
		['2.2', 2, '(2)', '情報システム'],
		['2.3', 2, '(3)', '機密性'],
		['3', 1, '3', '対象とする脅威'],
		['3.1', 2, '(1)', ''],
		['3.2', 2, '(2)', ''],
		['3.3', 2, '(3)', ''],
		['4', 1, '4', '適用範囲'],
		['4.1', 2, '(1)', '適用範囲'],
		['4.2', 2, '(2)', '情報資産の範囲'],
		['4.2.1', 3, '①', ''],
		['4.2.2', 3, '②', ''],
		['5', 1, '5', '情報セキュリティ対策'],
		['5.1', 2, '(1)', '組織体制'],
		['5.2', 2, '(2)', '情報システム全体の強靱性の向上'],
		['5.2.1', 3, '①', ''],
		['5.2.2', 3, '②', ''],
		['5.2.2.1', 4, 'ア', ''],
		['5.2.2.2', 4, 'イ', ''],
		['5.3', 2, '(3)', '人的セキュリティ'],
		['6', 1, '6', '情報セキュリティポリシーの見直し']
	],
	'youkou-minamisawa': [
		['1', 1, '第1条', '趣旨'],
		['2', 1, '第2条', '定義'],
		['2.1', 2, '', '情報システム'],
		['2.2', 2, '', '端末'],
		['2.3', 2, '', '外部記録媒体'],
		['2.4', 2, '', 'クラウドサービス'],
		['3', 1, '第3条', '利用者の責務'],
		['3.2', 2, '2', ''],
		['4', 1, '第4条', '外部記録媒体の利用'],
		['5', 1, '第5条', 'クラウドサービスの利用'],
		['suppl', 1, '', '附則']
	]
} as const;

describe.each(Object.entries(documents))('%s', (name, expected) => {
	const text = parsed(parsePolicyText(fixtureText(`${name}.txt`)));

	it('has the expected outline as text', () => {
		expect(outline(text)).toEqual(expected);
	});

	it('gives the same title, history and sections (keys, labels, headings, bodies) from the Word file', async () => {
		const docx = await fromFile(`${name}.docx`, 'docx');
		expect(outline(docx)).toEqual(outline(text));
		expect(bodies(docx)).toEqual(bodies(text));
		expect([docx.title, docx.preamble, docx.history]).toEqual([text.title, text.preamble, text.history]);
	});

	it('gives the same from the PDF', async () => {
		const pdf = await fromFile(`${name}.pdf`, 'pdf');
		expect(outline(pdf)).toEqual(outline(text));
		expect(bodies(pdf)).toEqual(bodies(text));
		expect([pdf.title, pdf.preamble, pdf.history]).toEqual([text.title, text.preamble, text.history]);
	});

	it('reads the PDF back as the text it was printed from: no running header, no page numbers, no broken lines', async () => {
		const read = await readPdf(fixture(`${name}.pdf`));
		if (!read.ok) throw new Error(read.problem);
		expect(lines(read.text)).toEqual(lines(fixtureText(`${name}.txt`)));
		expect(read.warnings).toEqual([]);
	});
});

describe('what the PDF reader drops and joins', () => {
	it('the printed PDFs wrap long paragraphs and repeat a header and a page number on each page', async () => {
		// The fixtures exercise what they should: without the reader's work the text would differ.
		const { extractTextItems } = await import('unpdf');
		for (const [name, header, pageNumber] of [
			['ordinance-higashine', '東根町例規集', /^[0-9]ページ$/],
			['basic-policy-kitahara', '北原市情報セキュリティ基本方針', /^- [0-9] -$/],
			['youkou-minamisawa', '南沢村情報システム利用要綱', /^[0-9]\/[0-9]$/]
		] as const) {
			const { items } = await extractTextItems(fixture(`${name}.pdf`));
			expect(items.length, name).toBeGreaterThanOrEqual(2);
			const pages = items.map(linesOfPage);
			for (const page of pages) {
				expect(page[0].text, name).toContain(header);
				expect(page.at(-1)!.text, name).toMatch(pageNumber);
			}
			const all = pages.flat().map((l) => l.text);
			const paragraphs = lines(fixtureText(`${name}.txt`));
			// More lines on the pages than paragraphs in the text: the layout broke some of them.
			expect(all.length - 2 * pages.length, name).toBeGreaterThan(paragraphs.length);
		}
	});

	const line = (text: string, y: number, right = 500, size = 10): PdfLine => ({ text, left: 70, right, y, size });

	it('drops a header and a footer repeated on most pages, and page numbers at the foot of a page', () => {
		const body = ['目的を定める。', '定義を定める。', '範囲を定める。', '義務を定める。', '対策を定める。'];
		const page = (n: number) => [
			line('北杜市情報セキュリティ基本方針', 800, 200, 8),
			line(body[n], 700, 300),
			line(['- 3 -', '3', '3/12', '３ページ', 'ii'][n], 40, 300, 8)
		];
		const kept = withoutRunningLines([page(0), page(1), page(2), page(3), page(4)]);
		expect(kept.map((p) => p.map((l) => l.text))).toEqual(body.map((text) => [text]));
		// On one page of two a header is not "most pages"; a page number is still one.
		const two = withoutRunningLines([
			[line('表紙だけの行', 800), line('目的を定める。', 700)],
			[line('別の行', 800), line('定義を定める。', 700), line('2', 40)]
		]);
		expect(two.map((p) => p.map((l) => l.text))).toEqual([
			['表紙だけの行', '目的を定める。'],
			['別の行', '定義を定める。']
		]);
		// A title at another height than the running header is not the header.
		const titled = withoutRunningLines([
			[line('基本方針', 800, 100, 8), line('基本方針', 700, 300, 18), line('1 目的', 650)],
			[line('基本方針', 800, 100, 8), line('2 定義', 750)]
		]);
		expect(titled.map((p) => p.map((l) => l.text))).toEqual([['基本方針', '1 目的'], ['2 定義']]);
	});

	it('joins a line that reaches the margin to the next, unless it ends a sentence or the next starts a number', () => {
		const joined = joinBrokenLines([
			[
				line('(1) 情報資産の無断持ち出し、無許可ソフトウェアの使用等の規定違', 700),
				line('反、設計・開発の不備等', 685, 200),
				line('この文は右端まで届いて終わる文です。ここで終わる。', 660),
				line('次の段落は新しく始まる。', 645, 200),
				line('右端まで届くが次は番号で始まる行なので、つながらない', 620),
				line('(2) 次の項目', 605, 150),
				line('ISMS は情報セキュリティ管理の仕組みで、英語では Information', 580),
				line('Security Management System という', 565, 200),
				line('ページの最後の行で、右端まで届いて文が続いているの', 80)
			],
			[line('で、次のページにつながる。', 760, 200)]
		]);
		expect(joined).toEqual([
			'(1) 情報資産の無断持ち出し、無許可ソフトウェアの使用等の規定違反、設計・開発の不備等',
			'この文は右端まで届いて終わる文です。ここで終わる。',
			'次の段落は新しく始まる。',
			'右端まで届くが次は番号で始まる行なので、つながらない',
			'(2) 次の項目',
			'ISMS は情報セキュリティ管理の仕組みで、英語では Information Security Management System という',
			'ページの最後の行で、右端まで届いて文が続いているので、次のページにつながる。'
		]);
	});

	it('puts pieces on lines by height, spaces and table columns by the gaps between them, and reads radicals as kanji', () => {
		const item = (str: string, x: number, y: number, width: number): PdfItem => ({ str, x, y, width, fontSize: 10 });
		const lines = linesOfPage([
			item('(1)', 70, 700, 14),
			item('ネットワーク', 94, 700.4, 60),
			item('第 1.0 版', 70, 680, 40),
			item('平成 18 年 4 ⽉ 1 ⽇', 140, 680, 90),
			item('本基本', 70, 660, 30),
			item('⽅', 100, 660, 10),
			item('針‧住⺠', 110, 660, 40)
		]);
		expect(lines.map((l) => l.text)).toEqual(['(1)\u3000ネットワーク', '第 1.0 版\t平成 18 年 4 月 1 日', '本基本方針・住民']);
	});
});

describe('tables in a Word file', () => {
	it('stay within their section as a table, and a first-cell number is not a heading', async () => {
		const p = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;
		const cell = (text: string) => `<w:tc>${p(text)}</w:tc>`;
		const row = (...cells: string[]) => `<w:tr>${cells.map(cell).join('')}</w:tr>`;
		const table = `<w:tbl>${row('区分', '取扱い')}${row('1 機密性３', '暗号化して|保管する')}</w:tbl>`;
		const read = await readDocx(zip(minimalDocx(p('1 目的') + p('情報資産を分類する。') + table + p('2 定義') + p('用語を定める。'))));
		if (!read.ok) throw new Error(read.problem);
		const policy = parsed(parsePolicyText(read.text, { paragraphLines: true }));
		expect(policy.sections.map((s) => [s.key, s.heading, s.body])).toEqual([
			['1', '目的', '情報資産を分類する。\n\n| 区分 | 取扱い |\n| --- | --- |\n| 1 機密性３ | 暗号化して｜保管する |'],
			['2', '定義', '用語を定める。']
		]);
	});
});

describe('files that are not a readable policy', () => {
	it('tells a scanned PDF in plain words, in Japanese and English', async () => {
		expect(await readPdf(fixture('scanned.pdf'))).toEqual({ ok: false, problem: 'pdf_scanned' });
		const preview = await previewPolicyFile(fixture('scanned.pdf'), 'scanned.pdf');
		expect(preview).toMatchObject({ ok: false, reason: 'file' });
		expect(!preview.ok && preview.message).toContain('スキャンした画像で、文字を読み取れません');
		expect(!preview.ok && preview.message).toContain('scanned image');
	});

	it('reads the pages that hold text and names those that do not', async () => {
		const content = 'BT /F1 12 Tf 72 720 Td (1 Purpose) Tj ET';
		const twoPages = pdf([
			'<< /Type /Catalog /Pages 2 0 R >>',
			'<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>',
			'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>',
			`<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
			'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
			'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
		]);
		expect(await readPdf(twoPages)).toEqual({ ok: true, text: '1 Purpose', warnings: ['2ページ目には文字がありません（画像だけのページは読み取れません）。'] });
	});

	it('refuses a damaged Word file and a damaged PDF, naming the format', async () => {
		const docx = fixture('youkou-minamisawa.docx');
		expect(await readDocx(docx.subarray(0, docx.length >> 1))).toEqual({ ok: false, problem: 'docx_broken' });
		const pdf = fixture('youkou-minamisawa.pdf');
		const garbage = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x41)]));
		expect(await readPdf(garbage)).toEqual({ ok: false, problem: 'pdf_broken' });
		for (const [bytes, name, text] of [
			[docx.subarray(0, docx.length >> 1), 'kitei.docx', 'Word ファイル（.docx）として読み取れませんでした'],
			[new Uint8Array(Buffer.from('これは Word ファイルではありません')), 'kitei.docx', 'Word ファイル（.docx）として読み取れませんでした'],
			[garbage, 'kitei.pdf', 'PDF として読み取れませんでした'],
			[new Uint8Array(Buffer.from('not a pdf at all')), 'kitei.pdf', 'PDF として読み取れませんでした'],
			[new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'kitei.doc', '古い形式（.doc）'],
			[pdf.subarray(0, 200), 'kitei.pdf', 'PDF として読み取れませんでした']
		] as const) {
			const preview = await previewPolicyFile(bytes, name);
			expect(preview.ok, name).toBe(false);
			expect(!preview.ok && preview.message, name).toContain(text);
		}
	});

	it('refuses a file over its size before reading it', async () => {
		const big = new Uint8Array(20 * 1024 * 1024 + 1);
		big.set(Buffer.from('%PDF-1.7\n'));
		const preview = await previewPolicyFile(big, 'big.pdf');
		expect(!preview.ok && preview.message).toContain('Word と PDF は 20MB 以下');
		const text = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41);
		expect(await previewPolicyFile(text, 'big.txt')).toMatchObject({ ok: false, reason: 'file' });
	});

	it('tells the kind by the first bytes, then by the name', () => {
		const head = (text: string) => new Uint8Array(Buffer.from(text));
		expect(policyFileKind('kitei.txt', '', head('%PDF-1.4'))).toEqual({ ok: true, kind: 'pdf' });
		expect(policyFileKind('kitei.docx', '', head('PK\x03\x04'))).toEqual({ ok: true, kind: 'docx' });
		expect(policyFileKind('meibo.xlsx', '', head('PK\x03\x04'))).toEqual({ ok: false, problem: 'file_type' });
		expect(policyFileKind('kitei.docx', '', head('第1条'))).toEqual({ ok: false, problem: 'docx_broken' });
		expect(policyFileKind('kitei.pdf', '', head('第1条'))).toEqual({ ok: false, problem: 'pdf_broken' });
		expect(policyFileKind('kitei.md', '', head('# 規程'))).toEqual({ ok: true, kind: 'text' });
		expect(policyFileKind('photo.png', 'image/png', head('\x89PNG'))).toEqual({ ok: false, problem: 'file_type' });
	});
});
