import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInspectionItems, itemsMax, parseInspectionItems, type ParsedItem } from '../../src/lib/server/inspection/content/parse';

/** Errors as `line: message` for compact expectations. */
const lines = (errors: { line: number; message: string }[]) => errors.map((e) => `${e.line}: ${e.message}`);
const withoutLines = (items: ParsedItem[]) => items.map(({ line: _l, sectionsLine: _s, ...rest }) => rest);

const item = (id: string, extra: string[] = []) => [`id: ${id}`, 'sections: 6.5', `item: ${id} を実践している。`, ...extra].join('\n');

describe('parseInspectionItems', () => {
	it('reads items separated by `---`, with their lines', () => {
		const text = [item('first', ['audit: 3.2.1', 'explanation: 理由です。', '続きの行です。']), item('second')].join('\n---\n');
		const { value, errors } = parseInspectionItems(text, 'items.md');
		expect(errors).toEqual([]);
		expect(value).toEqual([
			{
				slug: 'first',
				sectionKeys: ['6.5'],
				text: 'first を実践している。',
				auditItem: '3.2.1',
				explanation: '理由です。\n続きの行です。',
				line: 1,
				sectionsLine: 2
			},
			{ slug: 'second', sectionKeys: ['6.5'], text: 'second を実践している。', auditItem: null, explanation: '', line: 8, sectionsLine: 9 }
		]);
	});

	it('names the line of every error, each kind of error in its own place', () => {
		const text = [
			/* 1 */ 'id: Bad_Id',
			/* 2 */ 'sections: 6.5, 6.5, 6 5',
			/* 3 */ 'item: 一つ目',
			/* 4 */ 'itme: 綴りの誤り',
			/* 5 */ '---',
			/* 6 */ 'id: twice',
			/* 7 */ 'sections: 6.5',
			/* 8 */ 'item: 二つ目',
			/* 9 */ '二行目は書けない',
			/* 10 */ '---',
			/* 11 */ 'id: twice',
			/* 12 */ 'sections: 6.5',
			/* 13 */ `item: ${'長'.repeat(401)}`,
			/* 14 */ '---',
			/* 15 */ 'id: no-item',
			/* 16 */ 'sections: 6.5',
			/* 17 */ 'audit: <script>',
			/* 18 */ '---',
			/* 19 */ 'id: long-explanation',
			/* 20 */ 'sections: 6.5',
			/* 21 */ 'item: 三つ目',
			/* 22 */ 'explanation: 最初の行',
			/* 23 */ 'x'.repeat(10_001),
			/* 24 */ 'item: もう一度',
			/* 25 */ '---',
			/* 26 */ 'id: no-sections',
			/* 27 */ 'sections:',
			/* 28 */ 'item: 四つ目'
		].join('\n');
		const { value, errors } = parseInspectionItems(text, 'items.md');
		expect(value).toEqual([]);
		expect(lines(errors)).toEqual([
			'1: item "Bad_Id": the id must be lower-case letters, digits and hyphens, at most 64',
			'2: section key 6.5 is listed twice',
			'2: "6 5" is not a section key (write keys such as 6.3.1, separated by commas)',
			'4: unknown label `itme:` (known: id, sections, audit, item, explanation)',
			'9: unexpected line: an item is `id:`, `sections:`, `audit:` (optional), `item:` and `explanation:`; `item:` is one line',
			'11: item "twice": the id is already used by the item on line 6',
			'13: item "twice": `item:` is 401 characters; at most 400',
			'15: item "no-item": `item:` is missing or empty',
			'17: item "no-item": `audit:` is the audit item\'s number, such as 3.2.1 (at most 40 characters)',
			expect.stringMatching(/^23: /),
			'24: `item:` appears twice (first on line 21)',
			'26: item "no-sections": `sections:` is missing or empty'
		]);
		// Every error is named by a line of the text, with the file.
		for (const e of errors) {
			expect(e.file).toBe('items.md');
			expect(e.line).toBeGreaterThan(0);
			expect(e.line).toBeLessThanOrEqual(28);
		}
	});

	it('accepts the audit item numbers audit guidelines use, and refuses anything else', () => {
		for (const audit of ['3.2.1', 'Ⅱ-1-(3)', '4（2）ア', '1.2 (3)', 'A-12']) {
			const { value, errors } = parseInspectionItems(item('x', [`audit: ${audit}`]), 'items.md');
			expect(errors, audit).toEqual([]);
			expect(value[0].auditItem).toBe(audit);
		}
		expect(parseInspectionItems(item('x', ['audit:']), 'items.md').value[0].auditItem).toBeNull();
		for (const audit of ['<b>3</b>', '3.2.1; 4', '=1+1', '1'.repeat(41), '"3"']) {
			const { value, errors } = parseInspectionItems(item('x', [`audit: ${audit}`]), 'items.md');
			expect(value, audit).toEqual([]);
			expect(lines(errors), audit).toEqual([expect.stringMatching(/^4: item "x": `audit:` is the audit item/)]);
		}
	});

	it(`holds at most ${itemsMax} items, naming the line where the next one starts`, () => {
		const blocks = Array.from({ length: itemsMax + 1 }, (_, i) => item(`item-${i}`));
		const exact = parseInspectionItems(blocks.slice(0, itemsMax).join('\n---\n'), 'items.md');
		expect(exact.errors).toEqual([]);
		expect(exact.value).toHaveLength(itemsMax);
		const over = parseInspectionItems(blocks.join('\n---\n'), 'items.md');
		// Each block is three lines and a separator: the extra one starts on line 4 × 200 + 1.
		expect(lines(over.errors)).toEqual([`${4 * itemsMax + 1}: a checklist holds at most ${itemsMax} items`]);
	});

	it('refuses a text without items, on line 1', () => {
		expect(lines(parseInspectionItems('\n---\n\n', 'items.md').errors)).toEqual([
			'1: the checklist has no items; write `id:`, `sections:` and `item:` for each'
		]);
	});
});

describe('formatInspectionItems', () => {
	const dir = path.resolve('content/inspections');
	const shipped = readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name)
		.sort();

	it('keeps every field, the audit item and a multi-line explanation included', () => {
		const text = [item('with-audit', ['audit: Ⅱ-1-(3)', 'explanation: 一行目。', '', '- 箇条書き']), item('plain')].join('\n---\n');
		const first = parseInspectionItems(text, 'items.md');
		expect(first.errors).toEqual([]);
		const formatted = formatInspectionItems(first.value);
		expect(formatted).toBe(
			'id: with-audit\nsections: 6.5\naudit: Ⅱ-1-(3)\nitem: with-audit を実践している。\nexplanation: 一行目。\n\n- 箇条書き\n---\nid: plain\nsections: 6.5\nitem: plain を実践している。'
		);
		expect(withoutLines(parseInspectionItems(formatted, 'items.md').value)).toEqual(withoutLines(first.value));
	});

	it('finds the shipped checklists', () => {
		expect(shipped).toEqual(['contractor-self-inspection', 'staff-self-inspection', 'supervisor-self-inspection', 'system-self-inspection']);
	});

	it.each(shipped)('gives back %s/items.md as it reads it', (name) => {
		const text = readFileSync(path.join(dir, name, 'items.md'), 'utf8');
		const first = parseInspectionItems(text, 'items.md');
		expect(first.errors).toEqual([]);
		expect(first.value.length).toBeGreaterThanOrEqual(8);
		const formatted = formatInspectionItems(first.value);
		const second = parseInspectionItems(formatted, 'items.md');
		expect(second.errors).toEqual([]);
		expect(withoutLines(second.value)).toEqual(withoutLines(first.value));
		// Formatting what it formatted changes nothing.
		expect(formatInspectionItems(second.value)).toBe(formatted);
	});
});
