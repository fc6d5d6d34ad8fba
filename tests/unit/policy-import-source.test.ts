// The import page's first form as the server reads it: a Word file, a PDF, a text file or pasted
// text; a file refused for its kind, its size or its contents gets the page's message, never a 5xx.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/routes/(app)/policy/import/form.server';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/policy-documents/${name}`, import.meta.url));

function form(file: File | null, text = '') {
	const data = new FormData();
	if (file) data.set('file', file);
	data.set('text', text);
	return data;
}

describe('the import page reads its upload', () => {
	it('reads a Word file and a PDF by their contents into text, one paragraph a line', async () => {
		for (const [name, type] of [
			['youkou-minamisawa.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
			['youkou-minamisawa.pdf', 'application/pdf']
		] as const) {
			const source = await readSource(form(new File([fixture(name)], name, { type })));
			expect(source, name).toMatchObject({ ok: true, encoding: name.slice(-4).replace('.', ''), fileName: name, warnings: [] });
			expect(source.ok && source.text.split('\n'), name).toContain(
				'外部記録媒体　USB メモリ、外付けハードディスク、光ディスクその他の持ち運びのできる記録媒体をいう。'
			);
		}
	}, 60_000);

	it('refuses with the message of each problem', async () => {
		const cases: [File, number, string][] = [
			[new File([fixture('scanned.pdf')], 'scan.pdf', { type: 'application/pdf' }), 400, 'policyImport.error.pdf_scanned'],
			[new File([fixture('youkou-minamisawa.docx').subarray(0, 3000)], 'kitei.docx'), 400, 'policyImport.error.docx_broken'],
			[new File(['%PDF-1.7\n', 'x'.repeat(5000)], 'kitei.pdf'), 400, 'policyImport.error.pdf_broken'],
			[new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])], 'kitei.doc'), 400, 'policyImport.error.legacy_word'],
			[new File(['PK\x03\x04'], 'meibo.xlsx'), 400, 'policyImport.error.fileType'],
			[new File(['x'], 'photo.png', { type: 'image/png' }), 400, 'policyImport.error.fileType'],
			[new File(['%PDF-1.7\n', new Uint8Array(20 * 1024 * 1024)], 'big.pdf'), 413, 'policyImport.error.tooLarge'],
			[new File([new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41)], 'big.txt'), 413, 'policyImport.error.tooLarge']
		];
		for (const [file, status, error] of cases) {
			expect(await readSource(form(file)), file.name).toEqual({ ok: false, status, error, params: undefined });
		}
	}, 60_000);

	it('still takes a text file and pasted text', async () => {
		expect(await readSource(form(new File([fixture('youkou-minamisawa.txt')], 'kitei.txt')))).toMatchObject({ ok: true, encoding: 'utf-8', warnings: [] });
		expect(await readSource(form(null, '1 目的\n本文。'))).toEqual({ ok: true, text: '1 目的\n本文。', encoding: 'pasted', fileName: '', warnings: [] });
	});
});
