import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { createRawSnippet } from 'svelte';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import TextField from '../../src/lib/components/TextField.svelte';
import TextareaField from '../../src/lib/components/TextareaField.svelte';
import SelectField from '../../src/lib/components/SelectField.svelte';
import DateField from '../../src/lib/components/DateField.svelte';
import CheckboxField from '../../src/lib/components/CheckboxField.svelte';
import CheckboxGroup from '../../src/lib/components/CheckboxGroup.svelte';
import RadioGroup from '../../src/lib/components/RadioGroup.svelte';
import Notice from '../../src/lib/components/Notice.svelte';
import DataTable from '../../src/lib/components/DataTable.svelte';

// The control set's accessibility contract, read from the server-rendered markup: every control is
// labelled, its hint and error text are named by aria-describedby, an error marks it invalid.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's props, as Svelte's own Component type has them
function dom<P extends Record<string, any>>(component: Component<P>, props: NoInfer<P>, locale: 'ja' | 'en' = 'ja') {
	const context = new Map<string, unknown>([['__request__', { page: { data: { locale } } }]]);
	return parseDocument(render(component, { props, context }).body);
}

type Doc = ReturnType<typeof parseDocument>;
const all = (doc: Doc, tag: string) => DomUtils.getElementsByTagName(tag, doc.children, true);
const one = (doc: Doc, tag: string) => {
	const found = all(doc, tag);
	expect(found, tag).toHaveLength(1);
	return found[0];
};
const byId = (doc: Doc, id: string) => DomUtils.getElementById(id, doc.children, true);
const text = (el: Element | null) => (el ? DomUtils.textContent(el).trim() : '');

/** The texts aria-describedby names, each id pointing at an element that exists. */
function descriptions(doc: Doc, el: Element): string[] {
	const ids = (el.attribs['aria-describedby'] ?? '').split(/\s+/).filter(Boolean);
	return ids.map((id) => {
		const target = byId(doc, id);
		expect(target, `#${id}`).not.toBeNull();
		return text(target);
	});
}

function labelOf(doc: Doc, control: Element): string {
	const labels = all(doc, 'label').filter((l) => l.attribs.for === control.attribs.id);
	expect(labels, `label for #${control.attribs.id}`).toHaveLength(1);
	return text(labels[0]);
}

const text1 = createRawSnippet(() => ({ render: () => '<p>保存しました。</p>' }));

describe('single-value fields', () => {
	const cases = [
		['text field', TextField, 'input'],
		['textarea', TextareaField, 'textarea'],
		['select', SelectField, 'select'],
		['date field', DateField, 'input']
	] as const;

	for (const [what, control, tag] of cases) {
		// Each field's own props, widened to one type for the loop.
		const component = control as unknown as Component<Record<string, unknown>>;
		it(`a ${what} names its hint and error, and is invalid only with an error`, () => {
			const doc = dom(component, { name: 'title', label: '件名', hint: '40字まで', error: '件名を入力してください' });
			const control = one(doc, tag);
			expect(labelOf(doc, control)).toBe('件名');
			expect(descriptions(doc, control)).toEqual(['40字まで', '件名を入力してください']);
			expect(control.attribs['aria-invalid']).toBe('true');

			const plain = dom(component, { name: 'title', label: '件名' });
			const quiet = one(plain, tag);
			expect(quiet.attribs['aria-describedby']).toBeUndefined();
			expect(quiet.attribs['aria-invalid']).toBeUndefined();
		});

		it(`a required ${what} says so in its label and is required`, () => {
			const doc = dom(component, { name: 'title', label: '件名', required: true });
			const control = one(doc, tag);
			expect(labelOf(doc, control)).toBe('件名※必須');
			expect(control.attribs.required).toBeDefined();
			const en = dom(component, { name: 'title', label: 'Title', required: true }, 'en');
			expect(labelOf(en, one(en, tag))).toBe('TitleRequired');
		});
	}

	for (const [what, control, tag] of cases) {
		const component = control as unknown as Component<Record<string, unknown>>;
		it(`a ${what} reads words with its label that it does not show, and names further descriptions after its own`, () => {
			const doc = dom(component, {
				name: 'body',
				label: 'コメントする',
				labelContext: '：第1条',
				hint: '400字まで',
				error: '入力してください',
				describedby: 'banner'
			});
			const control = one(doc, tag);
			expect(labelOf(doc, control)).toBe('コメントする：第1条');
			const hidden = all(doc, 'span').find((s) => s.attribs.class === 'visually-hidden');
			expect(text(hidden ?? null)).toBe('：第1条');
			expect(control.attribs['aria-describedby']).toBe('field-body-hint field-body-error banner');
			const plain = one(dom(component, { name: 'body', label: 'コメントする', describedby: 'banner' }), tag);
			expect(plain.attribs['aria-describedby']).toBe('banner');
			expect(plain.attribs['aria-invalid']).toBeUndefined();
		});
	}

	it('a single checkbox names further descriptions after its own', () => {
		const input = one(dom(CheckboxField, { name: 'confirm', label: '確認しました', hint: '取り消せません', describedby: 'discard-error' }), 'input');
		expect(input.attribs['aria-describedby']).toBe('field-confirm-hint discard-error');
	});

	it('a select marks the chosen option itself, so the choice shows without JavaScript', () => {
		const doc = dom(SelectField, {
			name: 'status',
			label: '状況',
			blank: 'すべて',
			value: 'b',
			options: [
				{ value: 'a', label: '未受講' },
				{ value: 'b', label: '受講中' }
			]
		});
		const options = all(doc, 'option');
		expect(options.map((o) => [o.attribs.value, text(o), o.attribs.selected !== undefined])).toEqual([
			['', 'すべて', false],
			['a', '未受講', false],
			['b', '受講中', true]
		]);
		const blank = all(dom(SelectField, { name: 's', label: 's', blank: 'すべて', value: null, options: [{ value: 'a', label: 'A' }] }), 'option');
		expect(blank.map((o) => o.attribs.selected !== undefined)).toEqual([true, false]);
	});

	it('a date field repeats the chosen day in 和暦 and names it', () => {
		const doc = dom(DateField, { name: 'dueOn', label: '期限', value: '2026-12-07' });
		const input = one(doc, 'input');
		expect(input.attribs.type).toBe('date');
		expect(input.attribs.value).toBe('2026-12-07');
		expect(descriptions(doc, input)).toEqual(['令和8年12月7日']);
		expect(one(dom(DateField, { name: 'dueOn', label: '期限', value: 'nonsense' }), 'input').attribs['aria-describedby']).toBeUndefined();
	});

	it('a single checkbox is labelled beside it and keeps its hint', () => {
		const doc = dom(CheckboxField, { name: 'confirm', label: '確認しました', hint: '取り消せません', checked: true });
		const input = one(doc, 'input');
		expect(input.attribs.type).toBe('checkbox');
		expect(input.attribs.checked).toBeDefined();
		expect(labelOf(doc, input)).toBe('確認しました');
		expect(descriptions(doc, input)).toEqual(['取り消せません']);
	});
});

describe('choice groups', () => {
	const options = [
		{ value: 'full_time', label: '常勤職員' },
		{ value: 'part_time', label: '会計年度任用職員', hint: 'パートタイムを含む' },
		{ value: 'contractor', label: '委託事業者' }
	];

	it('a checkbox group is a fieldset whose legend asks the question, with each box labelled', () => {
		const doc = dom(CheckboxGroup, {
			name: 'types',
			legend: '対象',
			options,
			checked: ['part_time', 'contractor'],
			hint: '複数選べます',
			error: '一つ以上選んでください'
		});
		const fieldset = one(doc, 'fieldset');
		expect(text(one(doc, 'legend'))).toBe('対象');
		expect(descriptions(doc, fieldset)).toEqual(['複数選べます', '一つ以上選んでください']);
		const inputs = all(doc, 'input');
		expect(inputs.map((i) => [i.attribs.type, i.attribs.name, i.attribs.value, i.attribs.checked !== undefined])).toEqual([
			['checkbox', 'types', 'full_time', false],
			['checkbox', 'types', 'part_time', true],
			['checkbox', 'types', 'contractor', true]
		]);
		expect(inputs.map((i) => labelOf(doc, i))).toEqual(['常勤職員', '会計年度任用職員', '委託事業者']);
		expect(descriptions(doc, inputs[1])).toEqual(['パートタイムを含む']);
	});

	it('a radio group checks the one value chosen, and a required one requires a choice', () => {
		const doc = dom(RadioGroup, { name: 'type', legend: '雇用区分', options, value: 'contractor', required: true });
		const inputs = all(doc, 'input');
		expect(inputs.map((i) => [i.attribs.type, i.attribs.checked !== undefined, i.attribs.required !== undefined])).toEqual([
			['radio', false, true],
			['radio', false, true],
			['radio', true, true]
		]);
		expect(text(one(doc, 'legend'))).toBe('雇用区分※必須');
		expect(new Set(inputs.map((i) => i.attribs.id)).size).toBe(3);
	});
	it('an option keeps the id it is given, and its hint follows that id', () => {
		const doc = dom(RadioGroup, {
			name: 'order',
			legend: '列の順',
			options: [
				{ value: 'new_first', label: '新しい版を左', id: 'order-new_first', hint: '既定' },
				{ value: 'old_first', label: '古い版を左' }
			],
			value: 'old_first',
			id: 'order'
		});
		const inputs = all(doc, 'input');
		expect(inputs.map((i) => i.attribs.id)).toEqual(['order-new_first', 'order-1']);
		expect(inputs.map((i) => labelOf(doc, i))).toEqual(['新しい版を左', '古い版を左']);
		expect(descriptions(doc, inputs[0])).toEqual(['既定']);
	});

	it('a group shows its children after the choices, inside the fieldset and described by its hint and error', () => {
		const tree = createRawSnippet(() => ({ render: () => '<ul><li><input type="checkbox" id="dept-1" name="departmentIds" value="1" /></li></ul>' }));
		const doc = dom(CheckboxGroup, {
			name: 'departmentIds',
			legend: '所属',
			hint: '下位の所属も含みます',
			error: '選んでください',
			id: 'departments',
			children: tree
		});
		const fieldset = one(doc, 'fieldset');
		expect(descriptions(doc, fieldset)).toEqual(['下位の所属も含みます', '選んでください']);
		expect(DomUtils.findOne((e) => e.attribs.id === 'dept-1', fieldset.children, true)).not.toBeNull();
		expect(all(doc, 'input')).toHaveLength(1);

		const after = createRawSnippet(() => ({ render: () => '<div id="conditions">条件</div>' }));
		const radios = dom(RadioGroup, { name: 'audience', legend: '対象者', options: [{ value: 'everyone', label: '全職員' }], children: after });
		const order = DomUtils.findAll((e) => e.name === 'input' || e.attribs.id === 'conditions', one(radios, 'fieldset').children);
		expect(order.map((e) => e.name)).toEqual(['input', 'div']);
	});
});

describe('notices', () => {
	it('a result is announced, a failure interrupts, other notices are read in place', () => {
		const roleOf = (props: Record<string, unknown>) => all(dom(Notice, { children: text1, ...props }), 'div')[0].attribs.role;
		expect(roleOf({ variant: 'success' })).toBe('status');
		expect(roleOf({ variant: 'error' })).toBe('alert');
		expect(roleOf({ variant: 'info' })).toBeUndefined();
		expect(roleOf({ variant: 'warning' })).toBeUndefined();
		expect(roleOf({ variant: 'success', announce: 'none' })).toBeUndefined();
		expect(roleOf({ variant: 'warning', announce: 'alert' })).toBe('alert');
	});

	it('keeps its variant as a class, its body, and an icon hidden from screen readers', () => {
		const doc = dom(Notice, { variant: 'error', title: '保存できませんでした', children: text1 });
		const banner = all(doc, 'div')[0];
		expect(banner.attribs.class.split(/\s+/)).toEqual(expect.arrayContaining(['notice', 'error']));
		expect(one(doc, 'svg').attribs['aria-hidden']).toBe('true');
		expect(text(banner).replace(/\s+/g, ' ')).toBe('エラー: 保存できませんでした 保存しました。');
	});
});

describe('data table', () => {
	it('scrolls in a region a keyboard reaches, named by the table caption', () => {
		const rows = createRawSnippet(() => ({ render: () => '<tbody><tr><td>1</td></tr></tbody>' }));
		const doc = dom(DataTable, { id: 'people', caption: '職員一覧', children: rows });
		const region = all(doc, 'div')[0];
		expect(region.attribs.tabindex).toBe('0');
		expect(text(byId(doc, region.attribs['aria-labelledby']))).toBe('職員一覧');
		expect(one(doc, 'caption').attribs.id).toBe(region.attribs['aria-labelledby']);
	});
});
