// The answer while the database is away: 503 with Retry-After, in the form the asker reads (see
// notice.ts).
import { noticeResponse, againHref, inLocale, type NoticeEvent } from './notice';

export const retryAfterSeconds = 10;

/** The error body SvelteKit's client shows on the error page in the reader's language. */
export const databaseUnavailableError = { message: 'Database unavailable', key: 'error.databaseUnavailable' } as const;

export function databaseUnavailableResponse(event: NoticeEvent): Response {
	const again = againHref(event);
	return noticeResponse(
		event,
		503,
		{ ...databaseUnavailableError },
		(locale) => {
			const t = inLocale(locale);
			return {
				heading: t('unavailable.heading'),
				paragraphs: [t('unavailable.body'), t('unavailable.kept')],
				links: [
					{ href: again, text: t('unavailable.retry') },
					{ href: '/', text: t('error.backHome') }
				]
			};
		},
		new Headers({ 'retry-after': String(retryAfterSeconds) })
	);
}
