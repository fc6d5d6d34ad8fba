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

/** Only same-site paths are followed after login, so ?next= cannot send anyone elsewhere. */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	return next;
}

export function formString(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? withoutNul(value) : '';
}

/**
 * The posted form, or null when its body is larger than the server takes (`BODY_SIZE_LIMIT`): the
 * server then refuses it before the action sees a byte, and without this the person would get a
 * bare error page instead of their own form with a message naming the limit.
 */
export async function formDataWithinLimit(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (error) {
		if (error instanceof Error && (error as { status?: unknown }).status === 413) return null;
		throw error;
	}
}
