// The whole hostile corpus through every server renderer of user text, checked on a parsed tree.
import { describe, expect, it } from 'vitest';
import { parseDocument, DomUtils } from 'htmlparser2';
import { glossaryOf } from '../../src/lib/server/policy/reader';
import { linkGlossaryTerms, renderMarkdown } from '../../src/lib/server/policy/render';
import { diffText } from '../../src/lib/server/policy/diff';
import { executableParts, type ParsedElement } from '../fixtures/hostile/inert';
import { hostileNames, xssPayloads } from '../fixtures/hostile/xss';

function elementsOf(html: string): ParsedElement[] {
	const document = parseDocument(html);
	return DomUtils.findAll(() => true, document.children).map((element) => ({ tag: element.name, attributes: Object.entries(element.attribs) }));
}

const executableIn = (html: string) => executableParts(elementsOf(html));

describe('the check', () => {
	it('finds what could run in raw, unsanitised payloads', () => {
		// Otherwise the empty findings below would prove nothing.
		const raw = [
			'<script>__pwned()</script>',
			'<img src=x onerror=__pwned()>',
			'<a href="java\tscript:__pwned()">x</a>',
			'<a href="&#106;&#97;vascript:__pwned()">x</a>',
			'<a href="data:text/html,x">x</a>',
			'<iframe srcdoc="x"></iframe>',
			'<div style="background:url(x)">x</div>',
			'<form action="/x"><button>x</button></form>'
		];
		for (const html of raw) expect(executableIn(html), html).not.toEqual([]);
		expect(executableIn('<p><a href="/policy">方針</a><a href="https://localhost/">外部</a></p>')).toEqual([]);
	});
});

describe('renderMarkdown on the hostile corpus', () => {
	it.each(xssPayloads.map((p) => [p]))('leaves nothing that could run of %j', (payload) => {
		for (const markdown of [payload, `本文です。\n\n${payload}\n\n- ${payload}\n\n> ${payload}`, `**${payload}**`]) {
			const html = renderMarkdown(markdown);
			expect(executableIn(html), html).toEqual([]);
		}
	});

	it('shows an escaped tag as its text, so a reader sees what was written', () => {
		const html = renderMarkdown('個人情報<script>__pwned()</script>を守る');
		expect(DomUtils.textContent(parseDocument(html))).toContain('<script>__pwned()</script>');
	});
});

describe('glossary links over hostile sections', () => {
	// A 定義 section whose items are named with payloads: their names become terms linked in every body.
	const sections = [
		{ key: '2', heading: '定義' },
		...hostileNames.map((name, i) => ({ key: `2.${i + 1}`, heading: name })),
		{ key: '2.99', heading: '情報資産（<img src=x onerror=__pwned()>）' }
	];
	const terms = glossaryOf(sections).map((g) => ({ term: g.term, href: `#${g.anchor}` }));

	it('takes the hostile headings as terms', () => {
		expect(terms.map((t) => t.term)).toContain('<img src=x onerror=__pwned()>');
	});

	it.each(xssPayloads.map((p) => [p]))('links terms without making anything that could run in %j', (payload) => {
		const body = `${payload}\n\n${hostileNames.join('、')}と情報資産。&lt;img src=x onerror=__pwned()&gt;`;
		const html = linkGlossaryTerms(renderMarkdown(body), terms, '#s-2.1');
		expect(executableIn(html), html).toEqual([]);
	});
});

describe('the character diff of two section texts', () => {
	it('returns text parts only, which pages show as text', () => {
		const parts = diffText('旧本文', xssPayloads.join('\n'));
		expect(parts.map((p) => p.text).join('')).toContain('<script>__pwned()</script>');
		for (const part of parts) expect(typeof part.text).toBe('string');
	});
});
