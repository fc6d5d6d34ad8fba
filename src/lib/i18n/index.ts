import { page } from '$app/state';
import { isLocale, translate, type Locale, type MessageKey } from './core';

export * from './core';

/** A message in the reader's language; for components, which read the locale from the page. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
	return translate(currentLocale(), key, params);
}

export function currentLocale(): Locale {
	const locale = page.data?.locale;
	return isLocale(locale) ? locale : 'ja';
}
