import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePolicyBytes, parsePolicyText, type ParsedPolicy } from '../../src/lib/server/policy/import';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/policies/${name}`, import.meta.url));

function parseFixture(name: string): ParsedPolicy {
	const result = parsePolicyText(decodePolicyBytes(fixture(name)).text);
	if (!result.ok) throw new Error(result.message);
	return result;
}
const section = (policy: ParsedPolicy, key: string) => policy.sections.find((s) => s.key === key);

/** Full-width digits, brackets and dashes → ASCII, as another office would type the same text. */
function halfWidth(text: string): string {
	const map: Record<string, string> = { '（': '(', '）': ')', '－': '-', '．': '.' };
	return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[（）－．]/g, (c) => map[c]);
}

describe('ordinance style (ordinance-kitemachi.txt)', () => {
	const policy = parseFixture('ordinance-kitemachi.txt');

	it('reads title, chapters, divisions, articles, 項, 号, イロハ and 附則', () => {
		expect(policy.title).toBe('北杜町情報セキュリティ規程');
		expect(policy.sections.map((s) => [s.key, s.level, s.heading])).toEqual([
			['ch1', 1, '総則'],
			['1', 2, '目的'],
			['2', 2, '定義'],
			['2.1', 3, '情報資産'],
			['2.1.1', 4, ''],
			['2.1.2', 4, ''],
			['2.1.3', 4, ''],
			['2.2', 3, '職員等'],
			['2.3', 3, '委託事業者'],
			['3', 2, '適用範囲'],
			['3.2', 3, ''],
			['3.3', 3, ''],
			['3.3.1', 4, ''],
			['3.3.2', 4, ''],
			['ch2', 1, '組織体制'],
			['ch2.s1', 2, '最高情報セキュリティ責任者等'],
			['4', 3, '最高情報セキュリティ責任者'],
			['4.2', 4, ''],
			['5', 3, '情報セキュリティ管理者'],
			['ch2.s2', 2, '情報セキュリティ委員会'],
			['6', 3, '情報セキュリティ委員会'],
			['6.2', 4, ''],
			['6.2.1', 5, ''],
			['6.2.2', 5, ''],
			['6.3', 4, ''],
			['ch3', 1, '情報資産の管理'],
			['7', 2, '情報資産の分類'],
			['8', 2, '管理責任'],
			['9', 2, ''],
			['10', 2, '情報資産の持出し'],
			['10-2', 2, '外部サービスの利用'],
			['suppl', 1, '附則'],
			['suppl2', 1, '附則（令和５年３月１４日訓令第２号）']
		]);
	});

	it('keeps the wording of articles, 項 and 号', () => {
		expect(section(policy, '2.2')?.body).toBe('町の職員（会計年度任用職員を含む。）及び派遣労働者をいう。');
		expect(section(policy, '3.2')?.body).toBe('各課等の長は、所属する職員等にこの規程を遵守させなければならない。');
		expect(section(policy, '3.3.2')?.body).toBe('町立病院');
		expect(section(policy, '5')?.body).toBe('各課等の長を情報セキュリティ管理者とし、所管する課等の情報セキュリティ対策に関する権限及び責任を有する。');
		expect(section(policy, '9')?.body).toBe('削除');
		expect(section(policy, 'suppl')?.body).toBe(
			'（施行期日）\n\n１　この規程は、平成１８年４月１日から施行する。\n\n（経過措置）\n\n２　この規程の施行の際現に管理されている情報資産については、この規程により分類されたものとみなす。'
		);
	});

	it('skips the 目次 whose entries carry article ranges instead of page numbers', () => {
		expect(policy.sections.filter((s) => s.key === 'ch1')).toHaveLength(1);
		expect(policy.preamble).toBe('');
		expect(policy.warnings).toEqual([]);
	});

	it('gives the same outline typed with half-width digits', () => {
		const half = parsePolicyText(halfWidth(fixture('ordinance-kitemachi.txt').toString('utf-8')));
		expect(half.ok && half.sections.map((s) => [s.key, s.level])).toEqual(policy.sections.map((s) => [s.key, s.level]));
	});
});

describe('１－１ style with （１） and ア (kijun-mitsumine-fullwidth.txt)', () => {
	const policy = parseFixture('kijun-mitsumine-fullwidth.txt');
	const expectedKeys = [
		'1',
		'1.1',
		'1.1.1',
		'1.1.2',
		'1.1.2.1',
		'1.1.2.2',
		'1.1.2.3',
		'1.2',
		'1.2.1',
		'1.2.2',
		'2',
		'2.1',
		'2.1.1',
		'2.1.1.1',
		'2.1.1.2',
		'2.1.1.3',
		'2.1.2',
		'2.1.2.1',
		'2.1.2.2',
		'2.2',
		'2.2.1',
		'2.2.1.1',
		'2.2.1.2',
		'2.2.2',
		'2.2.2.1',
		'2.2.2.1.1',
		'2.2.2.1.2',
		'2.2.2.2'
	];

	it('nests 1, 1-1, (1), ア and (ア)', () => {
		expect(policy.title).toBe('三峰村情報セキュリティ対策基準');
		expect(policy.sections.map((s) => s.key)).toEqual(expectedKeys);
		expect(section(policy, '1.2')).toEqual({ key: '1.2', level: 2, label: '1-2', heading: '統括情報セキュリティ責任者', body: '' });
		expect(section(policy, '2.1.1.2')).toEqual({
			key: '2.1.1.2',
			level: 4,
			label: 'イ',
			heading: '機密性２',
			body: '行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性は要しないが、直ちに一般に公表することを前提としていない情報資産'
		});
		expect(section(policy, '2.2.2.1.2')).toMatchObject({ level: 5, heading: '', body: '暗号化等の措置を講じること。' });
	});

	it('does not take a reference such as （１）の分類 inside a sentence for an item', () => {
		expect(section(policy, '2.2.1.2')?.body).toBe('情報資産が複製又は伝送された場合には、複製等された情報資産も（１）の分類に基づき管理しなければならない。');
	});

	it('gives the same keys typed with half-width digits and brackets (1-1, (1))', () => {
		const half = parsePolicyText(halfWidth(fixture('kijun-mitsumine-fullwidth.txt').toString('utf-8')));
		if (!half.ok) throw new Error(half.message);
		expect(half.sections.map((s) => s.key)).toEqual(expectedKeys);
		expect(half.sections.find((s) => s.key === '2.1.1.2')?.heading).toBe('機密性2');
	});
});

describe('Markdown (basic-policy-minamiyama.md)', () => {
	const policy = parseFixture('basic-policy-minamiyama.md');

	it('takes the # heading as title and ## 前文 as preamble, keeping its lines', () => {
		expect(policy.title).toBe('南山町情報セキュリティ基本方針');
		expect(policy.preamble).toBe('南山町は、住民の個人情報をはじめとする多くの情報資産を取り扱っている。\nこれらを脅威から守るため、ここに基本方針を定める。');
	});

	it('reads the Markdown 改訂履歴 table and skips the linked 目次', () => {
		expect(policy.history).toEqual([
			{ version: '1.0', date: '平成16年4月1日', kind: '新規制定', reason: '' },
			{ version: '2.0', date: '令和6年10月1日', kind: '全部改訂', reason: '総務省ガイドライン（令和5年3月版）への対応' }
		]);
		expect(policy.sections.map((s) => [s.key, s.heading])).toEqual([
			['1', '目的'],
			['2', '定義'],
			['2.1', 'ネットワーク'],
			['2.2', '情報システム'],
			['3', '職員等の遵守義務'],
			['4', '情報セキュリティ対策'],
			['4.1', '物理的セキュリティ'],
			['4.2', '人的セキュリティ']
		]);
	});

	it('keeps lists, tables and emphasis as Markdown', () => {
		expect(section(policy, '3')?.body).toBe(
			'職員等は、次の事項を遵守しなければならない。\n\n1. 情報セキュリティポリシー及び実施手順を遵守すること。\n2. 情報セキュリティインシデントを発見したときは、速やかに報告すること。\n\n報告先は次のとおりとする。\n\n| 時間帯 | 報告先 |\n| --- | --- |\n| 開庁時間 | 情報政策課 |\n| 閉庁時間 | 宿日直 |'
		);
		expect(section(policy, '4.2')?.body).toBe('- 職員等に対し、情報セキュリティに関する研修を**毎年度**実施する。\n- 研修の受講状況を記録する。');
	});
});

describe('copied from a PDF (basic-policy-nishikawa-pdf.txt)', () => {
	const policy = parseFixture('basic-policy-nishikawa-pdf.txt');

	it('finds the title repeated after the 目次 and the 前文 as preamble, joined', () => {
		expect(policy.title).toBe('西川市情報セキュリティ基本方針');
		expect(policy.preamble).toBe(
			'西川市（以下「本市」という。）は、行政サービスの電子化の進展に伴い、住民の個人情報や行政運営上重要な情報を数多く取り扱っている。これらの情報資産を様々な脅威から守ることは、住民の信頼に応えるために不可欠である。\n\n本市は、ここに情報セキュリティ基本方針を定め、全庁を挙げて情報セキュリティの確保に取り組む。'
		);
	});

	it('skips the 目次 and reads 1. and (1) numbering', () => {
		expect(policy.sections.map((s) => [s.key, s.heading])).toEqual([
			['1', '目的'],
			['2', '定義'],
			['2.1', '情報資産'],
			['2.2', '情報セキュリティインシデント'],
			['3', '適用範囲'],
			['4', '職員等の義務'],
			['5', '情報セキュリティ対策'],
			['5.1', '物理的セキュリティ'],
			['5.2', '人的セキュリティ'],
			['5.3', '技術的セキュリティ']
		]);
	});

	it('joins cut lines across page numbers and running headers', () => {
		expect(section(policy, '2.1')?.body).toBe(
			'ネットワーク、情報システム、これらに関する設備、電磁的記録媒体及びこれらで取り扱う情報（紙に印刷したものを含む。）をいう。'
		);
		expect(section(policy, '4')?.body).toBe(
			'職員等は、情報セキュリティの重要性を認識し、業務の遂行に当たっては、次の事項を遵守しなければならない。\n\n・情報セキュリティポリシー及び情報セキュリティ実施手順を遵守すること。\n\n・情報セキュリティインシデントを発見した場合は、直ちに情報セキュリティ管理者に報告すること。'
		);
		for (const s of policy.sections) expect(s.body).not.toMatch(/- \d -|3 \/ 3|西川市情報セキュリティ基本方針/);
	});
});

describe('Shift_JIS (youryou-sakuragawa.sjis.txt, made with iconv -t CP932)', () => {
	it('decodes CP932, ① and ㈱ included, to the same text as the UTF-8 source', () => {
		const decoded = decodePolicyBytes(fixture('youryou-sakuragawa.sjis.txt'));
		expect(decoded.encoding).toBe('shift_jis');
		expect(decoded.text).toBe(fixture('youryou-sakuragawa.utf8.txt').toString('utf-8'));
	});

	it('parses 第１　趣旨 sections with ① items', () => {
		const policy = parseFixture('youryou-sakuragawa.sjis.txt');
		expect(policy.title).toBe('桜川町情報機器等管理要領');
		expect(policy.sections.map((s) => [s.key, s.heading])).toEqual([
			['1', '趣旨'],
			['2', '管理台帳'],
			['2.1', ''],
			['2.2', ''],
			['2.3', ''],
			['2.4', ''],
			['3', '持出し'],
			['3.1', ''],
			['3.2', '']
		]);
		expect(section(policy, '2.4')?.body).toBe('保守事業者名（例：㈱桜川システム）');
		expect(section(policy, '2.3')?.body).toBe('使用期間（例：２０２３年４月～２０２８年３月）');
	});
});

describe('no structure (no-structure-memo.txt)', () => {
	it('fails with no_structure and a message in Japanese', () => {
		const result = parsePolicyText(decodePolicyBytes(fixture('no-structure-memo.txt')).text);
		expect(result).toMatchObject({ ok: false, reason: 'no_structure' });
		expect(!result.ok && result.message).toContain('見出し');
	});
});
