// Drill templates as the content format writes them: a good one read whole, every broken part
// named by its line, quotes held to the place they mark, and HTML that could run or load refused.
import { describe, expect, it } from 'vitest';
import { parseDrill } from '../../src/lib/server/drills/content/parse';
import { formatContentError } from '../../src/lib/server/text/labelled';

const good = `id: delivery-absence
category: delivery
sender-name: ヤマネコ運輸 お客様センター
sender-address: info@yamaneko-unyu-delivery.example
subject: 【ご不在連絡】お荷物をお預かりしております
sections: 6.5, 3.2
---
text
北杜市役所 ご担当者様

ご不在のため持ち帰りました。本日中に手続きがない場合は返送します。
再配達のお申し込み：{{link}}
---
html
<p>北杜市役所 ご担当者様</p>
<p>ご不在のため持ち帰りました。本日中に手続きがない場合は返送します。</p>
<p><a href="{{link}}">再配達のお申し込み</a></p>
---
point
where: sender
quote: yamaneko-unyu-delivery.example
explanation: 送信元のアドレスが正式なドメインではありません。
  開かずに情報政策担当へ報告します（6(5)）。
---
point
where: body
quote: 本日中に手続きがない場合は返送します
explanation: 急がせる言葉は典型的な手口です（3(2)）。
---
point
where: link
quote: 再配達のお申し込み
explanation: リンク先を開かず、公式の窓口から確かめます（6(5)）。
`;

const errorsOf = (source: string) => parseDrill(source, 'drill.md').errors.map(formatContentError);

describe('parseDrill', () => {
	it('reads a template whole: header, both bodies and its points with the places they mark', () => {
		const { value, errors } = parseDrill(good, 'drill.md');
		expect(errors).toEqual([]);
		expect(value).toMatchObject({
			slug: 'delivery-absence',
			category: 'delivery',
			senderAddress: 'info@yamaneko-unyu-delivery.example',
			sectionKeys: ['6.5', '3.2'],
			points: [
				{ where: 'sender', quote: 'yamaneko-unyu-delivery.example', line: 19 },
				{ where: 'body', quote: '本日中に手続きがない場合は返送します' },
				{ where: 'link', quote: '再配達のお申し込み' }
			]
		});
		expect(value!.points[0].explanation).toBe('送信元のアドレスが正式なドメインではありません。\n  開かずに情報政策担当へ報告します（6(5)）。');
		expect(value!.text.startsWith('北杜市役所')).toBe(true);
		expect(value!.html).toContain('<a href="{{link}}">');
	});

	it('names each line that is wrong: category, address, a quote not in its place, an unknown place', () => {
		const broken = good
			.replace('category: delivery', 'category: parcel')
			.replace('sender-address: info@yamaneko-unyu-delivery.example', 'sender-address: 送信者')
			.replace('quote: 本日中に手続きがない場合は返送します', 'quote: 至急ご確認ください')
			.replace('where: link', 'where: footer');
		expect(errorsOf(broken)).toEqual([
			'drill.md:2: unknown category "parcel" (delivery, payroll, council, mynumber, invoice, account)',
			'drill.md:4: "送信者" is not a mail address (ASCII, such as info@example.jp)',
			// The sender's quote no longer stands in the changed address: said too.
			'drill.md:21: `quote:` "yamaneko-unyu-delivery.example" does not stand as written in the mail\'s sender',
			'drill.md:27: `quote:` "至急ご確認ください" does not stand as written in the mail\'s body',
			'drill.md:31: `where:` is one of sender, subject, body, link, not "footer"'
		]);
	});

	it('holds the link to one {{link}} in each body, and the HTML to nothing that runs or loads', () => {
		expect(errorsOf(good.replace('再配達のお申し込み：{{link}}', '再配達のお申し込み'))).toContain(
			'drill.md:8: the `text` part must hold {{link}} exactly once, where the link goes (it holds it 0 times)'
		);
		const hostile = good.replace(
			'<p>北杜市役所 ご担当者様</p>',
			'<p onclick="x()">北杜市役所</p><img src="https://evil.example/t.png"><a href="https://evil.example">x</a>'
		);
		expect(errorsOf(hostile)).toEqual([
			'drill.md:14: the `html` part may not hold scripts, frames, images, styles and forms',
			'drill.md:14: the `html` part may not hold event attributes (onclick=…)',
			'drill.md:14: every link of the `html` part is <a href="{{link}}">: no other address'
		]);
	});

	it('asks for the missing parts and for at least three points', () => {
		const [header] = good.split('\n---\ntext');
		expect(errorsOf(header)).toEqual([
			'drill.md:1: the mail has no `text` part (its plain-text body)',
			'drill.md:1: the mail has no `html` part (its HTML body)',
			'drill.md:1: a drill has 3 to 20 見破るポイント (`point` parts); this one has 0'
		]);
		expect(errorsOf('')).toEqual(['drill.md:1: empty: a drill is a header, a `text` part, an `html` part and its `point` parts, separated by lines `---`']);
	});

	it('reads a body full of link markers and says the link must stand once', () => {
		const many = good.replace(
			'<p><a href="{{link}}">再配達のお申し込み</a></p>',
			`<p><a href="{{link}}">再配達のお申し込み</a></p>${'<a href="{{link}}"'.repeat(1_000)}`
		);
		expect(errorsOf(many).some((e) => e.includes('exactly once'))).toBe(true);
	});
});
