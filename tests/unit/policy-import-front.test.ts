import { describe, expect, it } from 'vitest';
import { decodePolicyBytes, parsePolicyText, type ParsedPolicy } from '../../src/lib/server/policy/import';

function parse(text: string): ParsedPolicy {
	const result = parsePolicyText(text);
	if (!result.ok) throw new Error(result.message);
	return result;
}

describe('decodePolicyBytes', () => {
	const text = '1 目的\n① 本文。';

	it('reads UTF-8 with a BOM, dropping the BOM', () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
		expect(decodePolicyBytes(bytes)).toEqual({ text, encoding: 'utf-8-bom', badLines: [] });
	});

	it('reads UTF-8 without a BOM', () => {
		expect(decodePolicyBytes(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8', badLines: [] });
	});

	it('falls back to Shift_JIS (CP932) when the bytes are not UTF-8', () => {
		// 目的 ① in CP932: 96DA 9349 8740
		expect(decodePolicyBytes(new Uint8Array([0x96, 0xda, 0x93, 0x49, 0x87, 0x40]))).toEqual({ text: '目的①', encoding: 'shift_jis', badLines: [] });
	});
});

describe('failures', () => {
	it.each(['', '  \n\u3000\n', '\ufeff'])('empty input %j', (text) => {
		expect(parsePolicyText(text)).toMatchObject({ ok: false, reason: 'empty' });
	});

	it('prose without numbering has no structure', () => {
		expect(parsePolicyText('本市は、情報セキュリティの確保に努める。\n職員は研修を受講する。')).toMatchObject({ ok: false, reason: 'no_structure' });
	});

	it('a document that is only a 目次 has no structure', () => {
		expect(parsePolicyText('目次\n1 目的.....1\n2 定義.....2')).toMatchObject({ ok: false, reason: 'no_structure' });
	});
});

describe('page numbers', () => {
	it.each(['- 1 -', '－１－', '― 2 ―', '1', '１２', '1/10', '3 / 12', 'ページ 3', '3ページ', 'P.3', 'Page 3 of 10', '- ii -'])(
		'drops %j and joins the sentence around it',
		(mark) => {
			const policy = parse(`1 目的\n本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持\n\n${mark}\n\nするため必要な事項を定める。`);
			expect(policy.sections[0].body).toBe('本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため必要な事項を定める。');
		}
	);

	it('handles CRLF line ends', () => {
		expect(parse('1 目的\r\n本文。\r\n- 1 -\r\n2 定義\r\n本文。').sections.map((s) => s.body)).toEqual(['本文。', '本文。']);
	});
});

describe('broken lines', () => {
	it('joins Japanese without a space and Latin words with one', () => {
		const policy = parse('1 目的\n情報資産の機密性を維持するため、LGWAN\n接続系とインターネット接続系を分離し、the security\npolicy を定める。');
		expect(policy.sections[0].body).toBe('情報資産の機密性を維持するため、LGWAN接続系とインターネット接続系を分離し、the security policy を定める。');
	});

	it('keeps sentence-ending lines, indented lines and bullets apart', () => {
		const policy = parse('1 目的\n一文目である。\n二文目である。\n　字下げした段落\n・箇条書き一\n・箇条書き二');
		expect(policy.sections[0].body).toBe('一文目である。\n\n二文目である。\n\n字下げした段落\n\n・箇条書き一\n\n・箇条書き二');
	});

	it('does not join a short line across a blank line', () => {
		expect(parse('1 目的\n【留意事項】\n\n本文である。\n見出し風の行\n\n別の段落。').sections[0].body).toBe(
			'【留意事項】\n\n本文である。\n\n見出し風の行\n\n別の段落。'
		);
	});

	it('joins an item cut after its first line', () => {
		const policy = parse(
			'1 脅威\n(1) 不正アクセス、ウイルス攻撃、サービス不能攻撃等のサイバー攻撃や部外者の\n侵入等の意図的な要因による情報資産の漏えい\n(2) 災害'
		);
		expect(policy.sections[1]).toMatchObject({
			heading: '',
			body: '不正アクセス、ウイルス攻撃、サービス不能攻撃等のサイバー攻撃や部外者の侵入等の意図的な要因による情報資産の漏えい'
		});
	});
});

describe('目次', () => {
	it.each([
		['dot leaders and tab page numbers', '目次\n\n1 目的.....\t1\n2 定義.....\t2\n'],
		['・・・ leaders', '目　次\n1 目的・・・・・・1\n2 定義・・・・・・2\n'],
		['… leaders, full width', '【目次】\n１　目的……１\n２　定義……２\n'],
		['page numbers only', 'もくじ\n1 目的  1\n2 定義  2\n'],
		['no page numbers: ends where the first entry comes again', '目次\n1 目的\n2 定義\n'],
		['Markdown links', '## 目次\n- [目的](#目的)\n- [定義](#定義)\n'],
		['leaders without a 目次 line', '1 目的 ........ 1\n2 定義 ........ 2\n']
	])('%s', (_, toc) => {
		const policy = parse(`基本方針\n\n${toc}\n1 目的\n本文。\n2 定義\n本文。`);
		expect(policy.sections.map((s) => [s.key, s.heading, s.body])).toEqual([
			['1', '目的', '本文。'],
			['2', '定義', '本文。']
		]);
	});
});

describe('改訂履歴', () => {
	it('reads a tab-separated table with the columns in another order', () => {
		const policy = parse('改訂履歴\n日付\t版\t理由\n令和６年４月１日\t第２版\t組織改正\n\n1 目的\n本文。');
		expect(policy.history).toEqual([{ version: '2', date: '令和6年4月1日', kind: '', reason: '組織改正' }]);
	});

	it('reads rows pasted from a PDF with spaces instead of tabs', () => {
		const policy = parse(
			'改訂履歴\n版 日付 区分 理由及び内容\n第 1.0 版 平成 17 年 3 月 新規制定\n第 2.0 版 平成 28 年 8 月 1 日 一部改訂 ガイドライン改定に伴う改訂\n\n1 目的\n本文。'
		);
		expect(policy.history).toEqual([
			{ version: '1.0', date: '平成17年3月', kind: '新規制定', reason: '' },
			{ version: '2.0', date: '平成28年8月1日', kind: '一部改訂', reason: 'ガイドライン改定に伴う改訂' }
		]);
	});

	it('reads a table at the end of the document without ending the last section with it', () => {
		const policy = parse('1 目的\n本文。\n\n改訂履歴\n版\t日付\t区分\t理由及び内容\nVer.1.0\t2024年4月1日\t新規制定\t');
		expect(policy.history).toEqual([{ version: '1.0', date: '2024年4月1日', kind: '新規制定', reason: '' }]);
		expect(policy.sections[0].body).toBe('本文。');
	});
});

describe('cover, title and preamble', () => {
	it('drops the cover lines and keeps the text before the first section as preamble', () => {
		const policy = parse(
			'東山市情報セキュリティ基本方針\n第2.0版\n令和6年4月1日\n東山市\n\n本市は、住民の信頼に応えるため、この方針を定める。\n\n1 目的\n本文。'
		);
		expect(policy.title).toBe('東山市情報セキュリティ基本方針');
		expect(policy.preamble).toBe('本市は、住民の信頼に応えるため、この方針を定める。');
		expect(policy.warnings).toEqual([]);
	});

	it.each(['序', '前文', '【前文】', '## はじめに'])('reads a preamble opened by %s', (marker) => {
		const policy = parse(`西山町情報セキュリティ規程\n\n${marker}\n\n情報資産を守ることは町の責務である。\n\n第1条 本文。`);
		expect(policy.title).toBe('西山町情報セキュリティ規程');
		expect(policy.preamble).toBe('情報資産を守ることは町の責務である。');
		expect(policy.sections.map((s) => s.key)).toEqual(['1']);
	});

	it('prefers a title repeated before the text over the series name', () => {
		const policy = parse('情報セキュリティポリシー\n北山村基本方針書\n\n北山村基本方針書\n\n1 目的\n本文。');
		expect(policy.title).toBe('北山村基本方針書');
		expect(policy.warnings).toEqual(['表紙の行として本文に含めませんでした: 情報セキュリティポリシー']);
	});

	it('drops a title repeated as a running header inside a section', () => {
		const policy = parse(
			'南町情報セキュリティ基本方針\n\n1 目的\n本方針は、町が保有する情報資産を脅威から保護するために必要な事項を\n\n南町情報セキュリティ基本方針\n\n定めるものとする。'
		);
		expect(policy.sections[0].body).toBe('本方針は、町が保有する情報資産を脅威から保護するために必要な事項を定めるものとする。');
	});

	it('warns when no title is found', () => {
		expect(parse('1 目的\n本文。').warnings).toContain('表題が見つかりませんでした。');
	});
});
