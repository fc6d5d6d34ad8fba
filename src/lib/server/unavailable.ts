// The answer while the database is away: 503 with Retry-After, in the form the asker reads — a
// page in Japanese and English for a browser (with or without script), an action result for an
// enhanced form, an error body for the client router's data request.
import type { RequestEvent } from '@sveltejs/kit';
import { translate, type Locale } from '$lib/i18n/core';
import { escapeHtml } from './policy/render';

export const retryAfterSeconds = 10;

/** The error body SvelteKit's client shows on the error page in the reader's language. */
export const databaseUnavailableError = { message: 'Database unavailable', key: 'error.databaseUnavailable' } as const;

export function databaseUnavailableResponse(event: Pick<RequestEvent, 'request' | 'url' | 'isDataRequest' | 'locals'>): Response {
	const headers = new Headers({ 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' });
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return Response.json({ type: 'error', error: databaseUnavailableError }, { status: 503, headers });
	}
	const accept = event.request.headers.get('accept') ?? '';
	if (event.isDataRequest || (accept.includes('application/json') && !accept.includes('text/html'))) {
		return Response.json(databaseUnavailableError, { status: 503, headers });
	}
	headers.set('content-type', 'text/html; charset=utf-8');
	// Inline styles only: the page must not need anything else from a server in trouble.
	headers.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	// A post is not repeated by the link: it reloads the page the form was on.
	const again = event.request.method === 'GET' ? event.url.pathname + event.url.search : event.url.pathname;
	return new Response(unavailablePage(event.locals.locale, again), { status: 503, headers });
}

/** Both languages on one page, the reader's first: a locale cookie is no help to a new visitor. */
export function unavailablePage(first: Locale, againHref: string): string {
	const second: Locale = first === 'ja' ? 'en' : 'ja';
	const block = (locale: Locale, heading: 'h1' | 'h2') => {
		const t = (key: Parameters<typeof translate>[1]) => escapeHtml(translate(locale, key));
		return `<section lang="${locale}" aria-labelledby="unavailable-${locale}">
<${heading} id="unavailable-${locale}">${t('unavailable.heading')}</${heading}>
<p>${t('unavailable.body')}</p>
<p>${t('unavailable.kept')}</p>
<p><a href="${escapeHtml(againHref)}">${t('unavailable.retry')}</a>　<a href="/">${t('error.backHome')}</a></p>
</section>`;
	};
	const title = `503 ${translate(first, 'unavailable.heading')} / ${translate(second, 'unavailable.heading')} | ${translate(first, 'app.name')}`;
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
${block(first, 'h1')}
${block(second, 'h2')}
</main>
</body>
</html>
`;
}
