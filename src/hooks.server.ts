import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { startRuntime, getDb, getSessionPolicy, getSecondFactorPolicy } from '$lib/server/runtime';
import { invalidateSession, sessionCookieName } from '$lib/server/auth/session';
import { secondFactorRequired } from '$lib/server/auth/mfa/policy';
import { requestUser } from '$lib/server/auth/request-user';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { isLocale, localeCookieName } from '$lib/i18n/core';
import { isDatabaseUnavailable, reportDatabaseUnavailable } from '$lib/server/db/availability';
import { databaseUnavailableError, databaseUnavailableResponse } from '$lib/server/unavailable';
import { checkBody, discardUnread } from '$lib/server/input/body';
import { addressHasNul } from '$lib/server/input/query';
import { badAddress, refusalResponse } from '$lib/server/input/refusal';
import { errorForLog, pathForLog } from '$lib/server/log';

export const init: ServerInit = async () => {
	await startRuntime();
};

const locale: Handle = ({ event, resolve }) => {
	const wanted = event.cookies.get(localeCookieName);
	event.locals.locale = isLocale(wanted) ? wanted : 'ja';
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

// A database that is away is a 503 that says so, wherever the failure surfaces: in the session
// check below (it throws through here) or in a load, form action or endpoint (handleError marks
// the request). Without this it would be a 500 that looks like a bug.
const databaseOutage: Handle = async ({ event, resolve }) => {
	try {
		const response = await resolve(event);
		return event.locals.databaseUnavailable ? databaseUnavailableResponse(event) : response;
	} catch (err) {
		if (!isDatabaseUnavailable(err)) throw err;
		reportDatabaseUnavailable(err);
		return databaseUnavailableResponse(event);
	}
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		reportDatabaseUnavailable(error);
		return { ...databaseUnavailableError };
	}
	// As SvelteKit logs by default: the request, and the stack of a server error. The path and the
	// error (a failed query's parameters are request data) are cut to a bounded length.
	const request = `[${status}] ${event.request.method} ${pathForLog(event.url.pathname)}`;
	if (status < 500) console.error(request);
	else console.error(request, errorForLog(error));
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.pendingUser = null;
	event.locals.secondFactorAt = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(sessionCookieName);
	if (token) {
		const found = await requestUser(getDb(), token, getSessionPolicy());
		// A login that proved the password but not yet the code of an enrolled person is no login:
		// the person is only known to the code page (and to logout), for a short while.
		const owesCode = found && found.user.hasSecondFactor && !found.session.secondFactorAt;
		if (found && owesCode && Date.now() - found.session.createdAt.getTime() > getSecondFactorPolicy().pendingMs) {
			await invalidateSession(getDb(), found.session.id);
			clearSessionCookie(event);
		} else if (found) {
			if (owesCode) event.locals.pendingUser = found.user;
			else {
				event.locals.user = found.user;
				event.locals.secondFactorAt = found.session.secondFactorAt ?? null;
			}
			event.locals.sessionId = found.session.id;
			setSessionCookie(event, token, found.session.expiresAt);
		} else {
			clearSessionCookie(event);
		}
	}
	return resolve(event);
};

// A body nobody read is read and dropped once the answer is on its way (body.ts).
const dropUnreadBodies: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} finally {
		discardUnread(event.request);
	}
};

// A NUL in the address is refused before anything reads it: PostgreSQL cannot take it, and no
// link of the app carries one.
const refuseNulInAddress: Handle = ({ event, resolve }) => {
	if (addressHasNul(event)) return refusalResponse(event, badAddress);
	return resolve(event);
};

// A body over its route's limit, malformed or not a form is refused here, before any load or
// action runs and without being held in memory; the route reads the checked form from the request
// handed on in its place (src/lib/server/input/body.ts). After the login check, so an anonymous
// post to the app is sent to the login page unread.
const requestBodies: Handle = async ({ event, resolve }) => {
	const body = await checkBody(event);
	if (!body.ok) return refusalResponse(event, body.refusal);
	return resolve({ ...event, request: body.request });
};

const passwordRoute = '/(app)/account/password';
const enrolRoute = '/(app)/account/second-factor';

// Defence in depth: the (app) wing needs a login before any load or form action runs there.
// Role checks stay in each page's load and actions, next to what they protect.
const requireLoginForApp: Handle = ({ event, resolve }) => {
	const route = event.route.id;
	if (route?.startsWith('/(app)')) {
		const user = event.locals.user;
		if (!user) {
			const next = encodeURIComponent(event.url.pathname + event.url.search);
			redirect(303, `${event.locals.pendingUser ? '/login/code' : '/login'}?next=${next}`);
		}
		// Accounts created by import or reset by an admin choose their own password first. Checked
		// here, not in a layout load: form actions and endpoints run without layout loads.
		if (user.mustChangePassword && route !== passwordRoute) redirect(303, '/account/password');
		// A role that must have a second factor reaches nothing else until it has one.
		if (!user.hasSecondFactor && route !== enrolRoute && route !== passwordRoute && secondFactorRequired(getSecondFactorPolicy(), user.roles)) {
			redirect(303, '/account/second-factor');
		}
	}
	return resolve(event);
};

// Pages get their policy (with a nonce for the inline start-up script) from `kit.csp` in
// svelte.config.js. Anything else — a CSV download, a redirect, the static fallback error page of
// a +server.ts — gets one that loads nothing but inline style and cannot be framed.
const policyWithoutPage = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!response.headers.has('Content-Security-Policy')) response.headers.set('Content-Security-Policy', policyWithoutPage);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user || event.locals.pendingUser) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(dropUnreadBodies, securityHeaders, locale, refuseNulInAddress, databaseOutage, auth, requireLoginForApp, requestBodies);
