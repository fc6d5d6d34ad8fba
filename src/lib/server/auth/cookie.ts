import type { RequestEvent } from '@sveltejs/kit';
import { sessionCookieName } from './session';
import { deviceCookieName, deviceCookieValue, deviceLifetimeMs } from './trusted-device';

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

/** The device cookie goes only to the login page, where it is read, and never to another site. */
export function setDeviceCookie(event: RequestEvent, presented: string[], current: string): void {
	event.cookies.set(deviceCookieName, deviceCookieValue(presented, current), {
		httpOnly: true,
		sameSite: 'strict',
		secure: event.url.protocol === 'https:',
		maxAge: deviceLifetimeMs / 1000,
		path: '/login'
	});
}
