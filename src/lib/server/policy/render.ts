import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Policy and lesson text is Markdown written by owners and imported from documents. marked does
// not sanitise, so every rendering goes through an allowlist here, on the server, once.
const marked = new Marked({ gfm: true, breaks: true, async: false });

const allowed: sanitizeHtml.IOptions = {
	allowedTags: [
		'p', 'br', 'hr', 'strong', 'em', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'code', 'pre',
		'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'abbr', 'dfn',
		'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'span', 'ruby', 'rt', 'rp'
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
	return sanitizeHtml(html, allowed);
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
