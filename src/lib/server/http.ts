import type { RequestEvent } from '@sveltejs/kit';
import { withoutNul } from './text/decode';

/** Where the request came from, for rate limits and the audit log. */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/**
 * A redirect target taken from a request (`next` after login, `back` from the language switch),
 * accepted only when it is a path on our own origin however a browser, a proxy or a second decoding
 * reads it; anything else becomes `fallback`. The result is plain ASCII, so it can always go into a
 * Location header.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
	if (!next || next.length > maxRedirectLength) return fallback;
	const candidate = asBrowserReads(next);
	if (!isPathOnOrigin(candidate)) return fallback;
	let url: URL;
	try {
		url = new URL(candidate, redirectBase);
	} catch {
		return fallback;
	}
	if (url.origin !== redirectBase) return fallback;
	// Dot segments can fold `/..//host` into `//host`, which a browser reads as another origin.
	const path = url.pathname + url.search + url.hash;
	return isPathOnOrigin(path) ? path : fallback;
}

const redirectBase = 'http://mamori.invalid';
const maxRedirectLength = 2048;

/** As a browser's URL parser does: tabs and newlines vanish anywhere, backslashes are slashes. */
function asBrowserReads(value: string): string {
	const isControlOrSpace = (i: number) => value.charCodeAt(i) <= 0x20;
	let start = 0;
	let end = value.length;
	while (start < end && isControlOrSpace(start)) start++;
	while (end > start && isControlOrSpace(end - 1)) end--;
	return value
		.slice(start, end)
		.replace(/[\t\n\r]/g, '')
		.replace(/\\/g, '/');
}

/**
 * A path that starts with one slash and stays so with every layer of percent-encoding undone (up to
 * three): `/%2F%2Fhost` or `/%5C%5Chost` would become another origin for whoever decodes it next.
 * Control characters, raw or encoded, are refused: they have no place in a path we send people to.
 */
function isPathOnOrigin(value: string): boolean {
	let current = value;
	for (let layer = 0; layer < 4; layer++) {
		// eslint-disable-next-line no-control-regex -- control characters are what it looks for
		if (!current.startsWith('/') || current.startsWith('//') || /[\u0000-\u001f\u007f]/.test(current)) return false;
		let decoded: string;
		try {
			decoded = decodeURIComponent(current).replace(/\\/g, '/');
		} catch {
			return false;
		}
		if (decoded === current) return true;
		current = decoded;
	}
	return false;
}

export function formString(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? withoutNul(value) : '';
}

/**
 * The posted form, or null when its body is larger than the route takes (its limit in
 * `input/limits.ts`, marked `ownMessage`): the hooks then refuse it before the action sees a byte,
 * and without this the person would get the error page instead of their own form with a message
 * naming the limit.
 */
export async function formDataWithinLimit(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (error) {
		// The hooks' refusal is SvelteKit's HttpError, which is not an Error.
		if (typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 413) return null;
		throw error;
	}
}

// RFC 5987 value characters: encodeURIComponent leaves a few that are not allowed there.
const rfc5987 = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** A plain-ASCII name: each run of other characters becomes one `_`; `fallback` when no letter or digit of the name is left. */
function asciiName(name: string, fallback: string): string {
	const ascii = name
		.replace(/[^\x20-\x7e]|["\\/;]/g, '_')
		.replace(/_{2,}/g, '_')
		.replace(/^_+/, '');
	const extension = /\.[A-Za-z0-9]{1,8}$/.exec(ascii)?.[0] ?? '';
	return /[A-Za-z0-9]/.test(ascii.slice(0, ascii.length - extension.length)) ? ascii : fallback;
}

/**
 * A download's Content-Disposition: the name as given in `filename*` (RFC 5987), and for clients
 * that ignore it a plain-ASCII `filename` made from `ascii` (or from the name itself).
 */
export function attachmentDisposition(filename: string, fallback: string, ascii: string = filename): string {
	return `attachment; filename="${asciiName(ascii, fallback)}"; filename*=UTF-8''${rfc5987(filename)}`;
}
