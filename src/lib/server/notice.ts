// A request the app answers without a page of its own — the database is away, a body is too large
// or malformed — gets the answer in the form its asker reads: a page in Japanese and English for a
// browser (with or without script), an action result for an enhanced form, an error body for the
// client router's data request or any other JSON client.
import type { RequestEvent } from '@sveltejs/kit';
import { translate, type Locale, type MessageKey } from '../i18n/core';
import { escapeHtml } from './policy/render';

export type NoticeEvent = Pick<RequestEvent, 'request' | 'url' | 'isDataRequest' | 'locals'>;

/** One language's part of the page: a heading, its paragraphs, and links. */
export interface NoticeBlock {
	heading: string;
	paragraphs: string[];
	links: { href: string; text: string }[];
}

export function noticeResponse(event: NoticeEvent, status: number, body: App.Error, block: (locale: Locale) => NoticeBlock, headers = new Headers()): Response {
	headers.set('cache-control', 'no-store');
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return Response.json({ type: 'error', error: body }, { status, headers });
	}
	const accept = event.request.headers.get('accept') ?? '';
	if (event.isDataRequest || (accept.includes('application/json') && !accept.includes('text/html'))) {
		return Response.json(body, { status, headers });
	}
	headers.set('content-type', 'text/html; charset=utf-8');
	// Inline styles only: the page must not need anything else from a server in trouble.
	headers.set(
		'content-security-policy',
		"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	);
	return new Response(bilingualPage(event.locals.locale, status, block), { status, headers });
}

/** The link that tries again: a GET reloads itself, a post reloads the page its form was on. */
export function againHref(event: Pick<RequestEvent, 'request' | 'url'>): string {
	return event.request.method === 'GET' ? event.url.pathname + event.url.search : event.url.pathname;
}

/** Both languages on one page, the reader's first: a locale cookie is no help to a new visitor. */
export function bilingualPage(first: Locale, status: number, block: (locale: Locale) => NoticeBlock): string {
	const second: Locale = first === 'ja' ? 'en' : 'ja';
	const [one, two] = [block(first), block(second)];
	const section = (locale: Locale, part: NoticeBlock, heading: 'h1' | 'h2') => `<section lang="${locale}" aria-labelledby="notice-${locale}">
<${heading} id="notice-${locale}">${escapeHtml(part.heading)}</${heading}>
${part.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p>${part.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join('　')}</p>
</section>`;
	const title = `${status} ${one.heading} / ${two.heading} | ${translate(first, 'app.name')}`;
	return `<!doctype html>
<html lang="${first}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.svg">
<title>${escapeHtml(title)}</title>
<style>
html { font-family: 'Noto Sans JP', 'Hiragino Sans', 'BIZ UDPGothic', Meiryo, system-ui, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.7; }
body { margin: 0; }
main { max-width: 40rem; margin: 0 auto; padding: 2rem 1rem 4rem; }
h1 { font-size: 2rem; line-height: 1.4; }
h2 { font-size: 1.5rem; line-height: 1.5; margin-top: 2.5rem; }
a { color: #0017c1; text-underline-offset: 0.2em; }
a:focus-visible { outline: 4px solid #000; outline-offset: 2px; box-shadow: 0 0 0 2px #ffd43d; }
</style>
</head>
<body>
<main>
${section(first, one, 'h1')}
${section(second, two, 'h2')}
</main>
</body>
</html>
`;
}

/** A message in one language, for a notice block. */
export const inLocale = (locale: Locale) => (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
