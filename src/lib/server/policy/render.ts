import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { markdownBoundsProblem, type TextBoundsProblem } from '../text/bounds';
import { OffThreadTimeout, runOffThread } from '../text/off-thread';

// Policy and lesson text is Markdown written by owners and imported from documents. marked does
// not sanitise, so every rendering goes through an allowlist here, on the server, once.
const marked = new Marked({ gfm: true, breaks: true, async: false });

/** What rendered Markdown may hold; the guides (guide/guides.ts) add their images to it. */
export const markdownAllowlist: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'hr',
		'strong',
		'em',
		'b',
		'i',
		'u',
		's',
		'del',
		'ins',
		'mark',
		'small',
		'sub',
		'sup',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'dl',
		'dt',
		'dd',
		'h2',
		'h3',
		'h4',
		'h5',
		'h6',
		'a',
		'abbr',
		'dfn',
		'table',
		'caption',
		'thead',
		'tbody',
		'tfoot',
		'tr',
		'th',
		'td',
		'span',
		'ruby',
		'rt',
		'rp'
	],
	allowedAttributes: {
		a: ['href', 'title', 'id'],
		abbr: ['title'],
		dfn: ['id'],
		th: ['scope', 'colspan', 'rowspan'],
		td: ['colspan', 'rowspan'],
		ol: ['start'],
		span: ['class', 'id'],
		'*': ['lang']
	},
	allowedClasses: { span: ['term'], a: ['term'] },
	// Only links inside the app or to ordinary web and mail addresses; no javascript:, data: or vbscript:.
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'escape',
	transformTags: {
		// A document's own headings sit below the page's h1.
		h1: 'h2'
	}
};

/** Markdown → HTML that is safe to insert with {@html}. */
export function renderMarkdown(markdown: string): string {
	const html = marked.parse(markdown) as string;
	return inScrollBoxes(sanitizeHtml(html, markdownAllowlist));
}

/**
 * A table written in a policy or lesson can be wider than a phone: like the app's own tables
 * (ScrollBox.svelte) it scrolls sideways in a box the keyboard can reach. The sanitiser leaves
 * table tags without attributes, so the plain tags are all there is to find.
 */
export function inScrollBoxes(html: string): string {
	if (!html.includes('<table>')) return html;
	return html.replaceAll('<table>', '<div class="table-wrap" role="group" aria-label="表" tabindex="0"><table>').replaceAll('</table>', '</table></div>');
}

/** Text shown as it was written: escaped, line breaks kept. */
export function plainTextHtml(text: string): string {
	return `<p class="plain-text">${escapeHtml(text).replace(/\r?\n/g, '<br>\n')}</p>\n`;
}

/** How a stored or typed text was shown: as Markdown, or as plain text because it could not be. */
export interface RenderedText {
	html: string;
	/** Shown as escaped plain text; `problem` says why. */
	plain: boolean;
	problem?: TextBoundsProblem | { kind: 'render_failed' } | { kind: 'too_slow' };
}

function plainBecause(text: string, problem: NonNullable<RenderedText['problem']>): RenderedText {
	return { html: plainTextHtml(text), plain: true, problem };
}

/** Renders each text on the worker; null for a text the renderer threw on. */
export function renderEach(texts: readonly string[]): (string | null)[] {
	return texts.map((text) => {
		try {
			return renderMarkdown(text);
		} catch {
			return null;
		}
	});
}

// Stored texts change rarely and are read often: each is rendered once per process. Keyed by the
// text itself; dropped whole when it grows past the limit.
const cache = new Map<string, RenderedText>();
let cachedChars = 0;
const cacheCharLimit = 32 * 1024 * 1024;
/** A page's texts together must render within this; past it they are shown as plain text. */
const storedBudgetMs = 10_000;

function remember(text: string, rendered: RenderedText): RenderedText {
	if (cachedChars + text.length > cacheCharLimit) {
		cache.clear();
		cachedChars = 0;
	}
	cache.set(text, rendered);
	cachedChars += text.length + rendered.html.length;
	return rendered;
}

/**
 * Stored texts for a page, rendered on the text worker so that no text can hold up other
 * requests. A text over the bounds (saved before they existed), one the renderer fails on, or a
 * page whose texts overrun the time budget is shown as plain text instead of failing the page.
 */
export async function renderStored(texts: readonly string[]): Promise<RenderedText[]> {
	const results: (RenderedText | undefined)[] = texts.map((text) => {
		if (!text.trim()) return { html: '', plain: false };
		const cached = cache.get(text);
		if (cached) return cached;
		const problem = markdownBoundsProblem(text);
		return problem ? remember(text, plainBecause(text, problem)) : undefined;
	});
	const todo = [...new Set(texts.filter((_, i) => !results[i]))];
	if (todo.length > 0) {
		let rendered: (string | null)[] | null = null;
		let slow = false;
		try {
			rendered = await runOffThread('markdown.render', todo, { lane: 'render', budgetMs: storedBudgetMs });
		} catch (error) {
			slow = error instanceof OffThreadTimeout;
		}
		todo.forEach((text, i) => {
			const html = rendered?.[i];
			remember(text, typeof html === 'string' ? { html, plain: false } : plainBecause(text, { kind: slow ? 'too_slow' : 'render_failed' }));
		});
	}
	return texts.map((text, i) => results[i] ?? cache.get(text) ?? plainBecause(text, { kind: 'render_failed' }));
}

/** One stored text; see renderStored. */
export async function renderStoredOne(text: string): Promise<RenderedText> {
	const [rendered] = await renderStored([text]);
	return rendered;
}

/** A preview that takes longer than this is shown as plain text: a megabyte of ordinary text takes about one. */
const previewBudgetMs = 5_000;

/** Typed text for a preview: rendered on the text worker within the preview budget. */
export async function renderPreview(markdown: string): Promise<RenderedText> {
	const problem = markdownBoundsProblem(markdown);
	if (problem) return plainBecause(markdown, problem);
	try {
		const [html] = await runOffThread('markdown.render', [markdown], { lane: 'input', budgetMs: previewBudgetMs });
		return html === null ? plainBecause(markdown, { kind: 'render_failed' }) : { html, plain: false };
	} catch (error) {
		return plainBecause(markdown, error instanceof OffThreadTimeout ? { kind: 'too_slow' } : { kind: 'render_failed' });
	}
}

/** Escapes text for HTML, for callers that build small fragments themselves. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface GlossaryTerm {
	term: string;
	/** Where the definition lives, e.g. `#s-2.8`. */
	href: string;
}

/**
 * Links the first use of each defined term in a rendered fragment to its definition. Works on
 * sanitised HTML, touching text only (never inside tags or existing links), longest term first,
 * so 情報セキュリティポリシー wins over 情報セキュリティ.
 */
export function linkGlossaryTerms(html: string, terms: readonly GlossaryTerm[], skipHref?: string): string {
	const usable = terms.filter((t) => t.term.length >= 2 && t.href !== skipHref).sort((a, b) => b.term.length - a.term.length);
	if (usable.length === 0) return html;
	const pattern = new RegExp(usable.map((t) => t.term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
	const hrefByTerm = new Map(usable.map((t) => [t.term, t.href]));
	const linked = new Set<string>();
	let insideLink = 0;
	return html.replace(/(<[^>]+>)|([^<]+)/g, (whole, tag: string | undefined, text: string | undefined) => {
		if (tag) {
			if (/^<a[\s>]/i.test(tag)) insideLink++;
			else if (/^<\/a>/i.test(tag)) insideLink = Math.max(0, insideLink - 1);
			return tag;
		}
		if (!text || insideLink) return whole;
		return text.replace(pattern, (term) => {
			if (linked.has(term)) return term;
			linked.add(term);
			return `<a class="term" href="${escapeHtml(hrefByTerm.get(term)!)}">${term}</a>`;
		});
	});
}
