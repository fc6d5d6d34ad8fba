import { ja, type MessageKey } from './ja';
import { en } from './en';

export type Locale = 'ja' | 'en';
export const locales: readonly Locale[] = ['ja', 'en'];
export const localeCookieName = 'mamori_lang';
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { ja, en };

export function isLocale(value: unknown): value is Locale {
	return value === 'ja' || value === 'en';
}

export function isMessageKey(value: unknown): value is MessageKey {
	return typeof value === 'string' && value in ja;
}

/** A message in the given language, with {name} placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
	const text = catalogues[locale][key] ?? ja[key] ?? key;
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}
