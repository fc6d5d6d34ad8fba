import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePolicyBytes, parsePolicyText, type ParsedPolicy } from '../../src/lib/server/policy/import';

const seedPath = new URL('../fixtures/policies/hokuto-basic-policy-v5.0.txt', import.meta.url);

function parseSeed(): ParsedPolicy {
	const { text, encoding } = decodePolicyBytes(readFileSync(seedPath));
	expect(encoding).toBe('utf-8');
	const result = parsePolicyText(text);
	if (!result.ok) throw new Error(result.message);
	return result;
}

const seed = parseSeed();
const byKey = (key: string) => {
	const section = seed.sections.find((s) => s.key === key);
	if (!section) throw new Error(`no section ${key}`);
	return section;
};

describe('Hokuto basic policy v5.0 (seed)', () => {
	it('takes the title from the cover, not the series name', () => {
		expect(seed.title).toBe('北杜市情報セキュリティ基本方針');
		expect(seed.preamble).toBe('');
	});

	it('reads the five 改訂履歴 rows with normalised versions and dates', () => {
		expect(seed.history).toEqual([
			{ version: '1.0', date: '平成17年3月', kind: '新規制定', reason: '' },
			{ version: '2.0', date: '平成28年8月1日', kind: '一部改訂', reason: '総務省情報セキュリティガイドライン (平成 27 年 3 月版) に合わせて一部改訂' },
			{ version: '3.0', date: '令和元年11月6日', kind: '一部改訂', reason: '総務省情報セキュリティガイドライン (平成 30 年 9 月版) に合わせて一部改訂' },
			{ version: '4.0', date: '令和5年3月14日', kind: '一部改訂', reason: '総務省情報セキュリティガイドライン (令和 4 年 3 月版) に合わせて一部改訂' },
			{ version: '5.0', date: '令和7年11月25日', kind: '一部改訂', reason: '総務省情報セキュリティガイドライン (令和 7 年 3 月版) に合わせて一部改訂' }
		]);
	});

	it('has exactly these sections, in document order (the 目次 adds none)', () => {
		const items = (parent: string, n: number) => Array.from({ length: n }, (_, i) => `${parent}.${i + 1}`);
		expect(seed.sections.map((s) => s.key)).toEqual([
			'1',
			'2',
			...items('2', 12),
			'3',
			...items('3', 5),
			'4',
			'4.1',
			'4.2',
			...items('4.2', 3),
			'5',
			'6',
			'6.1',
			'6.2',
			'6.3',
			...items('6.3', 3),
			...['6.4', '6.5', '6.6', '6.7', '6.8', '6.9'],
			'7',
			'8',
			'9',
			'10'
		]);
	});

	it('names the ten top sections', () => {
		const top = seed.sections.filter((s) => s.level === 1);
		expect(top.map((s) => [s.key, s.heading])).toEqual([
			['1', '目的'],
			['2', '定義'],
			['3', '対象とする脅威'],
			['4', '適用範囲'],
			['5', '職員等の遵守義務'],
			['6', '情報セキュリティ対策'],
			['7', '情報セキュリティ監査及び自己点検の実施'],
			['8', '情報セキュリティポリシーの見直し'],
			['9', '情報セキュリティ対策基準の策定'],
			['10', '情報セキュリティ実施手順の策定']
		]);
	});

	it('gives levels by depth: sections 1, items 2, ① under an item 3', () => {
		expect(byKey('2').level).toBe(1);
		expect(byKey('2.8').level).toBe(2);
		expect(byKey('6.3.2').level).toBe(3);
		expect(byKey('4.2.1').level).toBe(3);
	});

	it('labels each section with its number as the document writes it', () => {
		expect(byKey('1').label).toBe('1');
		expect(byKey('10').label).toBe('10');
		expect(byKey('2.8').label).toBe('(8)');
		expect(byKey('2.12').label).toBe('(12)');
		expect(byKey('6.3.2').label).toBe('②');
		expect(byKey('4.2.3').label).toBe('③');
	});

	it('uses the captions of the definitions as headings', () => {
		expect(seed.sections.filter((s) => s.key.startsWith('2.')).map((s) => s.heading)).toEqual([
			'ネットワーク',
			'情報システム',
			'情報セキュリティ',
			'情報セキュリティポリシー',
			'機密性',
			'完全性',
			'可用性',
			'マイナンバー利用事務系（個人番号利用事務系）',
			'LGWAN 接続系',
			'インターネット接続系',
			'通信経路の分割',
			'無害化通信'
		]);
		expect(byKey('4.1').heading).toBe('適用範囲');
		expect(byKey('4.2').heading).toBe('情報資産の範囲');
		expect(byKey('6.3').heading).toBe('情報システム全体の強靱性の向上');
		expect(byKey('6.8').heading).toBe('業務委託と外部サービス（クラウドサービス）の利用');
		expect(byKey('6.9').heading).toBe('評価・見直し');
	});

	it('keeps bodies verbatim', () => {
		expect(byKey('1').body).toBe(
			'本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、本市が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。'
		);
		expect(byKey('2').body).toBe('');
		expect(byKey('2.8').body).toBe('個人番号利用事務（社会保障、地方税若しくは防災に関する事務）又は戸籍事務等に関わる情報システム及びデータをいう。');
		expect(byKey('2.9').body).toBe(
			'人事給与、財務会計及び文書管理等 LGWAN に接続された情報システム及びその情報システムで取り扱うデータをいう（マイナンバー利用事務系を除く。）。'
		);
		expect(byKey('4.1').body).toBe(
			'情報セキュリティポリシーの適用範囲は、市全て（学校及び病院を除く。）の情報資産並びに情報資産を活用するための設備、さらに、これら情報資産に接する全ての職員（会計年度任用職員等、雇用形態によらず市の情報資産に接するすべての者（以下「職員等」という。））及び情報資産の取扱を委託された者（以下「委託事業者」という。）とする。'
		);
		expect(byKey('6').body).toBe('上記3の脅威から情報資産を保護するために、以下の情報セキュリティ対策を講じる。');
		expect(byKey('6.3.2').body).toBe(
			'LGWAN 接続系においては、LGWAN と接続する業務用システムと、インターネット接続系の情報システムとの通信経路を分割する。なお、両システム間で通信する場合には、無害化通信を実施する。'
		);
		expect(byKey('6.8').body).toBe(
			[
				'業務委託を行う場合には、委託事業者を選定し、情報セキュリティ要件を明記した契約を締結し、委託事業者において必要なセキュリティ対策が確保されていることを確認し、必要に応じて契約に基づき措置を講じる。',
				'外部サービス（クラウドサービス）を利用する場合には、利用に係る規定を整備し対策を講じる。',
				'ソーシャルメディアサービスを利用する場合には、ソーシャルメディアサービスの運用手順を定め、ソーシャルメディアサービスで発信できる情報を規定し、利用するソーシャルメディアサービスごとの責任者を定める。'
			].join('\n\n')
		);
		expect(byKey('10').body).toBe(
			'情報セキュリティ対策基準に基づき、情報セキュリティ対策を実施するための具体的な手順を定めた情報セキュリティ実施手順を策定するものとする。\n\nなお、情報セキュリティ実施手順は、公にすることにより本市の行政運営に重大な支障を及ぼすおそれがあることから非公開とする。'
		);
	});

	it('puts an uncaptioned item in the body with an empty heading', () => {
		expect(byKey('3.3')).toEqual({ key: '3.3', level: 2, label: '(3)', heading: '', body: '地震、落雷、風水害、火災等の災害によるサービス及び業務の停止等' });
		expect(byKey('4.2.2')).toMatchObject({ heading: '', body: 'ネットワーク及び情報システムで取り扱う情報並びに行政情報（これらを印刷した文書を含む。）' });
		expect(byKey('6.3.1').heading).toBe('');
	});

	it('joins the lines the PDF copy broke, across the blank line, without a space', () => {
		expect(byKey('2.10').body).toBe(
			'インターネットメール、ホームページ管理システム等に関わるインターネットに接続された情報システム及びその情報システムで取り扱うデータをいう。'
		);
		expect(byKey('8').body).toBe(
			'情報セキュリティ監査及び自己点検の結果、情報セキュリティポリシーの見直しが必要となった場合及び情報セキュリティに関する状況の変化に対応するため新たに対策が必要となった場合には、保有する情報及び利用する情報システムに係る脅威の発生が可能性及び発生時の損失等を分析し、リスクを検討したうえで、情報セキュリティポリシーを見直す。'
		);
	});

	it('gives the same sections when the seed is typed full-width, as Markdown, or with CRLF and a BOM', () => {
		const text = readFileSync(seedPath, 'utf-8');
		const outline = (policy: ReturnType<typeof parsePolicyText>) =>
			policy.ok ? policy.sections.map((s) => [s.key, s.level, s.label, s.heading.normalize('NFKC')]) : policy.message;
		const expected = outline(seed);
		const fullWidth = text
			.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
			.replace(/\(/g, '（')
			.replace(/\)/g, '）');
		const markdown = text.replace(/^(\d+) (\S+)$/gm, '## $1 $2');
		expect(outline(parsePolicyText(fullWidth))).toEqual(expected);
		expect(outline(parsePolicyText(markdown))).toEqual(expected);
		expect(outline(parsePolicyText(`\ufeff${text.replace(/\n/g, '\r\n')}`))).toEqual(expected);
	});

	it('leaves no 目次 line, leader or page number in any body', () => {
		for (const s of seed.sections) {
			expect(s.body).not.toMatch(/\.{3,}|目次|改訂履歴/);
			expect(s.heading).not.toMatch(/\.{3,}/);
		}
	});
});
