import { describe, expect, it } from 'vitest';
import { linkGlossaryTerms, renderMarkdown } from '../../src/lib/server/policy/render';

// Payloads from public XSS cheat sheets, as an owner or an imported document might carry them.
const payloads = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'<svg onload=alert(1)>',
	'<svg><script>alert(1)</script></svg>',
	'<iframe src="javascript:alert(1)"></iframe>',
	'<a href="javascript:alert(1)">click</a>',
	'<a href="JaVaScRiPt:alert(1)">click</a>',
	'<a href="&#106;avascript:alert(1)">click</a>',
	'<a href="java\tscript:alert(1)">x</a>',
	'[click](javascript:alert(1))',
	'[click](vbscript:msgbox(1))',
	'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'![x](javascript:alert(1))',
	'<body onload=alert(1)>',
	'<div style="background:url(javascript:alert(1))">x</div>',
	'<object data="javascript:alert(1)"></object>',
	'<embed src="javascript:alert(1)">',
	'<form action="javascript:alert(1)"><button>x</button></form>',
	'<input autofocus onfocus=alert(1)>',
	'<details open ontoggle=alert(1)>',
	'<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
	'<a href="#" onclick="alert(1)">x</a>',
	'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
	'<base href="javascript:alert(1)//">',
	'<link rel=stylesheet href="javascript:alert(1)">',
	'<style>@import "javascript:alert(1)";</style>',
	'"><script>alert(1)</script>',
	'<scr<script>ipt>alert(1)</scr</script>ipt>',
	'<p title="</p><script>alert(1)</script>">x</p>',
	'<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'
];

/** Checks the real tags of the output; escaped text such as `&lt;img onerror=…&gt;` is inert. */
function assertInert(html: string) {
	const tags = html.match(/<[^>]*>/g) ?? [];
	for (const tag of tags) {
		expect(tag).not.toMatch(/^<\/?(script|iframe|object|embed|form|input|meta|base|link|style|svg|math|body|img|details)\b/i);
		expect(tag).not.toMatch(/\son\w+\s*=/i);
		expect(tag).not.toMatch(/\s(style|src|action|data|background)\s*=/i);
		const href = tag.match(/\shref\s*=\s*"([^"]*)"/i)?.[1];
		if (href) expect(href).toMatch(/^(\/|#|https?:|mailto:)/);
	}
}

describe('renderMarkdown', () => {
	it('renders the Markdown of policies: paragraphs, lists, emphasis, tables, links', () => {
		const html = renderMarkdown('本文です。\n\n- (1) 項目\n- (2) **重要**\n\n| 版 | 日付 |\n| --- | --- |\n| 5.0 | 令和7年 |\n\n[方針](/policy/hokuto)');
		expect(html).toContain('<p>本文です。</p>');
		expect(html).toContain('<li>(2) <strong>重要</strong></li>');
		expect(html).toContain('<th>版</th>');
		expect(html).toContain('<a href="/policy/hokuto">方針</a>');
	});

	it('puts a table in a box that scrolls sideways and takes focus, and only a table', () => {
		const html = renderMarkdown('| 版 | 日付 |\n| --- | --- |\n| 5.0 | 令和7年 |\n\n本文 `<table>`');
		expect(html).toMatch(/^<div class="table-wrap" role="group" aria-label="表" tabindex="0"><table>[\s\S]*<\/table><\/div>/);
		expect(html.match(/table-wrap/g)).toHaveLength(1);
		expect(html).toContain('<code>&lt;table&gt;</code>');
	});

	it.each(payloads)('leaves nothing executable of %s', (payload) => {
		assertInert(renderMarkdown(payload));
		assertInert(renderMarkdown(`本文\n\n${payload}\n\n- ${payload}`));
	});

	it('keeps the text of escaped tags visible rather than silently dropping it', () => {
		expect(renderMarkdown('<script>alert(1)</script>')).toContain('&lt;script&gt;');
	});
});

describe('linkGlossaryTerms', () => {
	const terms = [
		{ term: '情報セキュリティ', href: '#s-2.3' },
		{ term: '情報セキュリティポリシー', href: '#s-2.4' },
		{ term: '機密性', href: '#s-2.5' }
	];

	it('links the first use of each term, longest first, outside tags and links', () => {
		const html = linkGlossaryTerms('<p>情報セキュリティポリシーは機密性と<a href="/x">機密性</a>、機密性と情報セキュリティを守る。</p>', terms);
		expect(html).toBe(
			'<p><a class="term" href="#s-2.4">情報セキュリティポリシー</a>は<a class="term" href="#s-2.5">機密性</a>と<a href="/x">機密性</a>、機密性と<a class="term" href="#s-2.3">情報セキュリティ</a>を守る。</p>'
		);
	});

	it('does not link a definition to itself', () => {
		expect(linkGlossaryTerms('<p>機密性とは…</p>', terms, '#s-2.5')).toBe('<p>機密性とは…</p>');
	});
});
