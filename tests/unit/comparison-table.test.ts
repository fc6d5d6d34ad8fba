import { describe, expect, it } from 'vitest';
import { diffSections, type SectionLike } from '../../src/lib/server/policy/diff';
import { comparisonTable, displayLines, lineText, type Cell, type ComparisonRow, type ComparisonTable } from '../../src/lib/server/policy/comparison-table';

// A piece of 北杜市's 基本方針 as the database holds it: keys from the numbering, labels as printed.
const section = (key: string, label: string, heading: string, body: string): SectionLike => ({ key, level: key.split('.').length, label, heading, body });
const before: SectionLike[] = [
	section('1', '1', '目的', '本基本方針は、情報資産の機密性、完全性及び可用性を維持することを目的とする。'),
	section('2', '2', '定義', ''),
	section('2.1', '(1)', 'ネットワーク', 'コンピュータ等を相互に接続するための通信網をいう。'),
	section('2.2', '(2)', '情報システム', 'コンピュータ及びネットワークで構成される仕組みをいう。'),
	section('5', '5', '職員等の遵守義務', '職員等は、情報セキュリティポリシーを遵守しなければならない。'),
	section('6', '6', '情報セキュリティ対策', '上記3の脅威から情報資産を保護するために、以下の対策を講じる。'),
	section('6.1', '(1)', '組織体制', '全庁的な組織体制を確立する。'),
	section('6.3', '(3)', '情報システム全体の強靱性の向上', '次の三段階の対策を講じる。'),
	section('6.3.1', '①', '', 'マイナンバー利用事務系においては、住民情報の流出を防ぐ。'),
	section('6.3.2', '②', '', 'LGWAN 接続系においては、通信経路を分割する。'),
	section('6.3.3', '③', '', '- インターネット接続系においては、不正通信の監視機能の強化等の対策を実施する。\n- 自治体情報セキュリティクラウドを導入する。'),
	section('7', '7', '情報セキュリティ監査', '定期的に監査を実施する。'),
	section('8', '8', '廃止する規定', 'この規定は廃止する。'),
	section('9', '9', '評価', '定期的に評価する。')
];

function revise(
	sections: SectionLike[],
	edits: Record<string, Partial<SectionLike> | null>,
	added: { after: string; section: SectionLike }[] = []
): SectionLike[] {
	const out: SectionLike[] = [];
	for (const s of sections) {
		const edit = edits[s.key];
		if (edit !== null) out.push({ ...s, ...edit });
		for (const a of added.filter((x) => x.after === s.key)) out.push(a.section);
	}
	return out;
}

// ③ gains words in its first item; 8 is removed; 10 is new at the end; the rest is as it was.
const after = revise(
	before,
	{
		'6.3.3': {
			body: '- インターネット接続系においては、不正通信の監視機能の強化及び記録の保存等の対策を実施する。\n- 自治体情報セキュリティクラウドを導入する。'
		},
		'8': null
	},
	[{ after: '9', section: section('10', '10', '教育及び訓練', '職員等に対し、教育及び訓練を毎年度実施する。') }]
);

const table = (from = before, to = after, order: 'new_first' | 'old_first' = 'new_first') => comparisonTable(diffSections(from, to), { order });

/** A cell as text: its lines, （略） and the placeholders spelled out, 傍線 as [brackets]. */
function cellText(cell: Cell): string[] {
	if (cell.kind === 'omitted') return ['（略）'];
	if (cell.kind === 'added') return ['（新設）'];
	if (cell.kind === 'removed') return ['（削除）'];
	const lines = cell.lines.map((l) => l.runs.map((r) => (r.changed ? `[${r.text}]` : r.text)).join(''));
	return cell.bodyOmitted ? [...lines, '（略）'] : lines;
}
const rowText = (row: ComparisonRow, t: ComparisonTable) => t.columns.map((side) => cellText(row[side]));
const underlined = (cell: Cell) => (cell.kind === 'text' ? cell.lines.flatMap((l) => l.runs.filter((r) => r.changed).map((r) => r.text)) : []);

describe('comparisonTable', () => {
	it('shows 改正後 then 改正前 by default, one row per change, unchanged sections folded into （略）', () => {
		const t = table();
		expect(t.columns).toEqual(['new', 'old']);
		expect(t.rows.map((r) => r.kind)).toEqual(['omitted', 'context', 'omitted', 'context', 'omitted', 'changed', 'omitted', 'removed', 'omitted', 'added']);
		// 1, 2, 2(1), 2(2), 5 are one （略）; 6(1) one between the two headings; 6(3)① and ② one; 7 alone; 9 alone.
		expect(t.rows.filter((r) => r.kind === 'omitted').map((r) => r.omitted)).toEqual([5, 1, 2, 1, 1]);
		expect(t.rows.map((r) => rowText(r, t))).toEqual([
			[['（略）'], ['（略）']],
			[
				['6　情報セキュリティ対策', '（略）'],
				['6　情報セキュリティ対策', '（略）']
			],
			[['（略）'], ['（略）']],
			[
				['6(3)　情報システム全体の強靱性の向上', '（略）'],
				['6(3)　情報システム全体の強靱性の向上', '（略）']
			],
			[['（略）'], ['（略）']],
			[
				['6(3)③　インターネット接続系においては、不正通信の監視機能の強化[及び記録の保存]等の対策を実施する。', '自治体情報セキュリティクラウドを導入する。'],
				['6(3)③　インターネット接続系においては、不正通信の監視機能の強化等の対策を実施する。', '自治体情報セキュリティクラウドを導入する。']
			],
			[['（略）'], ['（略）']],
			[['（削除）'], ['[8]　[廃止する規定]', '[この規定は廃止する。]']],
			[['（略）'], ['（略）']],
			[['[10]　[教育及び訓練]', '[職員等に対し、教育及び訓練を毎年度実施する。]'], ['（新設）']]
		]);
	});

	it('puts 改正前 first when the organisation chose that order, with the same rows', () => {
		const newFirst = table();
		const oldFirst = table(before, after, 'old_first');
		expect(oldFirst.columns).toEqual(['old', 'new']);
		expect(oldFirst.rows).toEqual(newFirst.rows);
		const changed = oldFirst.rows.find((r) => r.kind === 'changed')!;
		expect(rowText(changed, oldFirst)[0][0]).not.toContain('記録の保存');
		expect(rowText(changed, oldFirst)[1][0]).toContain('[及び記録の保存]');
	});

	it('underlines the changed characters on both sides, and only them', () => {
		const to = revise(before, {
			'5': { body: '職員等は、情報セキュリティポリシー及び実施手順を厳格に遵守しなければならない。' },
			'7': { heading: '情報セキュリティ監査及び自己点検', body: '毎年度監査を実施する。' }
		});
		const t = table(before, to);
		const duty = t.rows.find((r) => r.key === '5')!;
		// The を between the two insertions is part of the replaced stretch, as 傍線 marks it on both sides.
		expect(underlined(duty.new)).toEqual(['及び実施手順を厳格に']);
		expect(underlined(duty.old)).toEqual(['を']);
		expect(cellText(duty.old)).toEqual(['5　職員等の遵守義務', '職員等は、情報セキュリティポリシー[を]遵守しなければならない。']);
		const audit = t.rows.find((r) => r.key === '7')!;
		expect(underlined(audit.new)).toEqual(['及び自己点検', '毎年度']);
		expect(underlined(audit.old)).toEqual(['定期的に']);
		// Everything not underlined reads the same on both sides.
		const plain = (cell: Cell) => (cell.kind === 'text' ? cell.lines.flatMap((l) => l.runs.filter((r) => !r.changed).map((r) => r.text)).join('') : '');
		expect(plain(audit.new)).toBe(plain(audit.old));
		expect(cellText(audit.new)).toEqual(['7　情報セキュリティ監査[及び自己点検]', '[毎年度]監査を実施する。']);
	});

	it('shows both numbers of a renumbered section, underlining the numbers that changed', () => {
		// A new (2) under 2 pushes ネットワーク's neighbour 情報システム from (2) to (3).
		const to = before.flatMap((s) =>
			s.key === '2.2'
				? [section('2.2', '(2)', 'クラウドサービス', 'インターネットを通じて提供される情報処理サービスをいう。'), { ...s, key: '2.3', label: '(3)' }]
				: [s]
		);
		const t = table(before, to);
		const moved = t.rows.find((r) => r.kind === 'moved')!;
		expect(moved.citation).toEqual({ new: '2(3)', old: '2(2)' });
		expect(cellText(moved.new)).toEqual(['2([3])　情報システム', 'コンピュータ及びネットワークで構成される仕組みをいう。']);
		expect(cellText(moved.old)).toEqual(['2([2])　情報システム', 'コンピュータ及びネットワークで構成される仕組みをいう。']);
		const added = t.rows.find((r) => r.kind === 'added')!;
		expect(added.citation).toEqual({ new: '2(2)', old: null });
		expect(added.old).toEqual({ kind: 'added' });
		// 2 is the context of both; 2(1) between it and them is （略）.
		expect(t.rows.slice(0, 5).map((r) => r.kind)).toEqual(['omitted', 'context', 'omitted', 'added', 'moved']);
	});

	it('keeps a parent heading that changed as a change, not as context, and shows it once', () => {
		const to = revise(before, {
			'6.3': { heading: '情報システム全体の強靱性の向上' + '及び三層の対策' },
			'6.3.1': { body: 'マイナンバー利用事務系においては、住民情報の流出を確実に防ぐ。' },
			'6.3.2': { body: 'LGWAN 接続系においては、通信経路を確実に分割する。' }
		});
		const t = table(before, to);
		const rows = t.rows.filter((r) => r.key?.startsWith('6'));
		expect(rows.map((r) => [r.kind, r.key])).toEqual([
			['context', '6'],
			['changed', '6.3'],
			['changed', '6.3.1'],
			['changed', '6.3.2']
		]);
	});

	it('lays out an item without a heading on its citation line, with no Markdown left in any cell', () => {
		const markdown = before.map((s) =>
			s.key === '9'
				? {
						...s,
						body: '次のとおり評価する。\n\n1. **年一回**、[評価表](https://example.invalid/x)により評価する。\n2) 結果を\n   報告する。\n\n> 注記：`様式`は別に定める。\n\n| 項目 | 頻度 |\n| --- | --- |\n| 監査 | 毎年 |'
					}
				: s
		);
		const to = markdown.map((s) => (s.key === '9' ? { ...s, heading: '評価及び見直し' } : s));
		const t = table(markdown, to);
		const evaluation = t.rows.find((r) => r.key === '9')!;
		expect(cellText(evaluation.new)).toEqual([
			'9　評価[及び見直し]',
			'次のとおり評価する。',
			'年一回、評価表により評価する。',
			'結果を報告する。',
			'注記：様式は別に定める。',
			'項目 頻度',
			'監査 毎年'
		]);
		const item = t.rows.find((r) => r.key === '6.3.3');
		expect(item).toBeUndefined();
		const all = JSON.stringify(table().rows) + JSON.stringify(t.rows);
		expect(all).not.toMatch(/\*\*|\]\(|^- |"- |`|\||---|> /);
		const changed = table().rows.find((r) => r.key === '6.3.3')!;
		expect(changed.new.kind === 'text' && changed.new.lines.map(lineText)).toEqual([
			'6(3)③　インターネット接続系においては、不正通信の監視機能の強化及び記録の保存等の対策を実施する。',
			'自治体情報セキュリティクラウドを導入する。'
		]);
	});

	it('shows unchanged sections in full when asked, and a table of no changes as one （略）', () => {
		const all = comparisonTable(diffSections(before, after), { order: 'new_first', showUnchanged: true });
		expect(all.rows.some((r) => r.kind === 'omitted' || r.kind === 'context')).toBe(false);
		expect(all.rows.filter((r) => r.kind === 'unchanged').every((r) => underlined(r.new).length === 0 && underlined(r.old).length === 0)).toBe(true);
		expect(table(before, before).rows).toEqual([
			{ kind: 'omitted', key: null, citation: { new: null, old: null }, new: { kind: 'omitted' }, old: { kind: 'omitted' }, omitted: before.length }
		]);
	});
});

describe('displayLines', () => {
	it('makes a line of each paragraph, list item and table row, joining wrapped Japanese without a space', () => {
		expect(displayLines('第一の段落は\n折り返して続く。\n\n- 項目一\n- 項目二\n  続き\n\nEnglish words\nwrap with a space')).toEqual([
			'第一の段落は折り返して続く。',
			'項目一',
			'項目二続き',
			'English words wrap with a space'
		]);
		expect(displayLines('')).toEqual([]);
		expect(displayLines('---\n\n***')).toEqual([]);
	});
});
