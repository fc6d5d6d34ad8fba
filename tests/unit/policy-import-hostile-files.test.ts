// Crafted Word files and PDFs: each is refused with a message that names the problem, read on the
// text worker as the app reads it, in bounded time and memory, and the worker serves the next job.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPolicyDocumentOffThread } from '../../src/lib/server/policy/import';
import { readZip } from '../../src/lib/server/policy/import/zip';
import { docxBounds } from '../../src/lib/server/policy/import/docx';
import { pdfMaxPages } from '../../src/lib/server/policy/import/pdf';
import { runOffThread } from '../../src/lib/server/text/off-thread';
import { minimalDocx, pagesPdf, pdf, textPdf, zip } from '../helpers/containers';

const MB = 1024 * 1024;
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/** Reads on the worker, and checks it answered well within its budget. */
async function read(bytes: Uint8Array, kind: 'docx' | 'pdf') {
	const started = Date.now();
	const result = await readPolicyDocumentOffThread(bytes, kind);
	expect(Date.now() - started).toBeLessThan(20_000);
	return result;
}

describe('crafted Word files', { timeout: 60_000 }, () => {
	it('reads a minimal well-formed one, so the refusals below are about what was crafted', async () => {
		expect(await read(zip(minimalDocx(paragraph('1 目的') + paragraph('本文。'))), 'docx')).toEqual({ ok: true, text: '1 目的\n本文。', warnings: [] });
	});

	it('refuses a document.xml that inflates past its bound (a zip bomb) without inflating it all', async () => {
		const bomb = 'a'.repeat(docxBounds.maxEntryBytes + 1);
		expect(await read(zip(minimalDocx(paragraph(bomb))), 'docx')).toEqual({ ok: false, problem: 'docx_too_large' });
	});

	it('refuses a picture that inflates past the bound, and parts that together do', async () => {
		const picture = { name: 'word/media/image1.png', data: new Uint8Array(docxBounds.maxEntryBytes + 1) };
		expect(await read(zip(minimalDocx(paragraph('本文'), [picture])), 'docx')).toEqual({ ok: false, problem: 'docx_too_large' });
		const parts = Array.from({ length: 5 }, (_, i) => ({ name: `word/media/image${i}.png`, data: new Uint8Array(15 * MB) }));
		expect(await read(zip(minimalDocx(paragraph('本文'), parts)), 'docx')).toEqual({ ok: false, problem: 'docx_too_large' });
	});

	it('measures what an entry inflates to, not what the directory says', () => {
		const lying = zip([{ name: 'word/document.xml', data: 'a'.repeat(20 * MB), claimedSize: 100 }]);
		expect(readZip(lying, docxBounds)).toEqual({ ok: false, problem: 'too_large' });
	});

	it('refuses too many entries, an encrypted entry, and a file that is not a ZIP past its first bytes', async () => {
		const many = Array.from({ length: docxBounds.maxEntries + 1 }, (_, i) => ({ name: `x/${i}.xml`, data: '<a/>' }));
		expect(await read(zip(many), 'docx')).toEqual({ ok: false, problem: 'docx_too_large' });
		const encrypted = minimalDocx(paragraph('本文')).map((e) => ({ ...e, encrypted: e.name === 'word/document.xml' }));
		expect(await read(zip(encrypted), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
		const truncated = zip(minimalDocx(paragraph('本文')));
		expect(await read(truncated.subarray(0, truncated.length - 30), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
		expect(await read(zip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
	});

	it('refuses XML nested far too deep, and malformed XML', async () => {
		const deep = `${'<w:r>'.repeat(200_000)}${'</w:r>'.repeat(200_000)}`;
		expect(await read(zip(minimalDocx(deep)), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
		const links = `<w:p>${'<w:hyperlink>'.repeat(50_000)}<w:r><w:t>x</w:t></w:r>${'</w:hyperlink>'.repeat(50_000)}</w:p>`;
		expect(await read(zip(minimalDocx(links)), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
		expect(await read(zip(minimalDocx('<w:p><w:r><w:t>閉じない')), 'docx')).toEqual({ ok: false, problem: 'docx_broken' });
	});
});

describe('crafted PDFs', { timeout: 60_000 }, () => {
	it('reads text drawn by a minimal one', async () => {
		expect(await read(textPdf('BT /F1 12 Tf 72 720 Td (1 Purpose) Tj ET'), 'pdf')).toEqual({ ok: true, text: '1 Purpose', warnings: [] });
	});

	it('refuses more pages than the bound before reading them; a page count that lies costs nothing', async () => {
		expect(await read(pagesPdf(pdfMaxPages + 1), 'pdf')).toEqual({ ok: false, problem: 'pdf_too_many_pages', params: { max: pdfMaxPages } });
		// The reader counts the pages the tree holds: one page, and no text on it.
		expect(await read(pagesPdf(1, 10_000_000), 'pdf')).toEqual({ ok: false, problem: 'pdf_scanned' });
	});

	it('refuses deeply nested objects and a page tree that points at itself as a damaged PDF', async () => {
		const nested = pdf([
			'<< /Type /Catalog /Pages 2 0 R >>',
			`<< /Type /Pages /Kids [3 0 R] /Count 1 /X ${'['.repeat(100_000)}${']'.repeat(100_000)} >>`,
			'<< /Type /Page /Parent 2 0 R >>'
		]);
		expect(await read(nested, 'pdf')).toEqual({ ok: false, problem: 'pdf_broken' });
		const cycle = pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']);
		expect(await read(cycle, 'pdf')).toEqual({ ok: false, problem: 'pdf_broken' });
	});

	it('stops a page that keeps the reader busy at the time budget, and the worker serves the next job', async () => {
		// Tens of thousands of nested graphics states: the reader takes minutes over them, all on the
		// worker; the budget (shortened here) ends it and the caller is told the reading took too long.
		const started = Date.now();
		expect(await readPolicyDocumentOffThread(textPdf('q '.repeat(20_000)), 'pdf', 2_000)).toEqual({ ok: false, problem: 'too_slow' });
		expect(Date.now() - started).toBeLessThan(10_000);
		await expect(runOffThread('policy.parse', '1 目的\n本文。')).resolves.toMatchObject({ ok: true });
		const fixture = new Uint8Array(readFileSync(new URL('../fixtures/policy-documents/youkou-minamisawa.pdf', import.meta.url)));
		expect(await read(fixture, 'pdf')).toMatchObject({ ok: true });
	});
});
