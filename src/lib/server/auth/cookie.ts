import type { RequestEvent } from '@sveltejs/kit';
import { sessionCookieName } from './session';

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date): void {
	event.cookies.set(sessionCookieName, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: expiresAt,
		path: '/'
	});
}

export function clearSessionCookie(event: RequestEvent): void {
	event.cookies.delete(sessionCookieName, { path: '/', secure: event.url.protocol === 'https:' });
}
