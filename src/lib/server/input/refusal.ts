// Input the app will not take: a body too large or malformed, a field too long, a query parameter
// that is not what the page reads. Each is a 4xx with a message in the reader's language, never a
// 500: thrown from a load or action it shows the app's error page (or an action result), answered
// by the hooks it is a page in Japanese and English (notice.ts).
import { error, type RequestEvent } from '@sveltejs/kit';
import { translate, type MessageKey } from '../../i18n/core';
import { inLocale, noticeResponse, type NoticeEvent } from '../notice';

/** A size as people read it: 16 KB, 1 MB, 6.1 MB. */
export function formatBytes(bytes: number): string {
	const KB = 1024;
	const MB = 1024 * KB;
	if (bytes < MB) return `${Math.floor(bytes / KB)} KB`;
	const mb = bytes / MB;
	return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

export interface Refusal {
	status: 400 | 413 | 415;
	key: MessageKey;
	params?: Record<string, string | number>;
}

export const tooLarge = (bytes: number): Refusal => ({ status: 413, key: 'input.tooLarge', params: { limit: formatBytes(bytes) } });
export const malformedBody: Refusal = { status: 400, key: 'input.malformed' };
export const unsupportedType: Refusal = { status: 415, key: 'input.unsupportedType' };
export const fieldTooLong = (max: number): Refusal => ({ status: 400, key: 'input.fieldTooLong', params: { max } });

/** A parameter's name as the message shows it: short and printable, whatever was sent. */
export function shownName(name: string): string {
	const printable = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
	return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

export const badQuery = (name: string, example?: string): Refusal =>
	example
		? { status: 400, key: 'input.badQueryExample', params: { name: shownName(name), example } }
		: { status: 400, key: 'input.badQuery', params: { name: shownName(name) } };
export const badAddress: Refusal = { status: 400, key: 'input.badAddress' };

/**
 * The error body: a key the app's error page shows in the reader's language, and a message in both
 * languages for whoever reads the body itself (a JSON client, the page of an endpoint's error).
 */
export function refusalError(refusal: Refusal): App.Error {
	const message = `${translate('ja', refusal.key, refusal.params)} / ${translate('en', refusal.key, refusal.params)}`;
	return { message, key: refusal.key, ...(refusal.params ? { params: refusal.params } : {}) };
}

/** Refuses from a load, an action or an endpoint: the app's error page, or an action result. */
export function refuse(refusal: Refusal): never {
	error(refusal.status, refusalError(refusal));
}

/** Refuses from the hooks, before any load or action runs. */
export function refusalResponse(event: NoticeEvent & Pick<RequestEvent, 'request'>, refusal: Refusal): Response {
	// Back to the page itself: without the query that was refused, or to the form that was posted.
	const page = event.url.pathname;
	return noticeResponse(event, refusal.status, refusalError(refusal), (locale) => {
		const t = inLocale(locale);
		return {
			heading: t('input.heading'),
			paragraphs: [t(refusal.key, refusal.params)],
			links: [
				{ href: page, text: t(event.request.method === 'GET' ? 'input.openPlain' : 'input.backToForm') },
				{ href: '/', text: t('error.backHome') }
			]
		};
	});
}
