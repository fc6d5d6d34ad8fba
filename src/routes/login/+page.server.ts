import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb, getLoginLimits, getSessionPolicy } from '$lib/server/runtime';
import { login, loginIdMaxLength, loginPasswordMaxLength } from '$lib/server/auth/login';
import { setDeviceCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { sessionCookieName } from '$lib/server/auth/session';
import { deviceCookieName, deviceTokensFromCookie } from '$lib/server/auth/trusted-device';
import { organizationForHost } from '$lib/server/org/organizations';
import { pingDatabase } from '$lib/server/db/availability';
import { clientAddress, formString, safeNextPath } from '$lib/server/http';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	if (locals.pendingUser) redirect(303, `/login/code${url.search}`);
	// While the database is away, say so before someone types a password, not after.
	await pingDatabase(getDb());
	return { loggedOut: url.searchParams.has('loggedout') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const employeeNumber = formString(form, 'employeeNumber').trim();
		const password = formString(form, 'password');
		// Over-long fields are refused before any hashing or writing; the id is not echoed back whole.
		if (employeeNumber.length > loginIdMaxLength) {
			return fail(400, { employeeNumber: '', error: 'login.employeeNumberTooLong' as const, max: loginIdMaxLength });
		}
		if (password.length > loginPasswordMaxLength) {
			return fail(400, { employeeNumber, error: 'login.passwordTooLong' as const, max: loginPasswordMaxLength });
		}
		if (!employeeNumber || !password) {
			return fail(400, { employeeNumber, error: 'login.required' as const });
		}
		const db = getDb();
		const org = await organizationForHost(db, event.url.host);
		if (!org) return fail(503, { employeeNumber, error: 'login.noOrganization' as const });

		const deviceTokens = deviceTokensFromCookie(event.cookies.get(deviceCookieName));
		const result = await login(
			db,
			{
				orgId: org.id,
				loginId: employeeNumber,
				password,
				ip: clientAddress(event),
				previousToken: event.cookies.get(sessionCookieName),
				deviceTokens
			},
			getLoginLimits(),
			getSessionPolicy()
		);
		if (!result.ok) {
			if (result.reason === 'locked') {
				return fail(429, { employeeNumber, error: 'login.locked' as const, until: result.until.toISOString() });
			}
			// Not the password's fault: said as such, so nobody starts guessing or resetting.
			if (result.reason === 'directory_unavailable') return fail(503, { employeeNumber, error: 'login.directoryUnavailable' as const });
			return fail(400, { employeeNumber, error: 'login.invalid' as const });
		}
		setSessionCookie(event, result.token, result.session.expiresAt);
		setDeviceCookie(event, deviceTokens, result.deviceToken);
		if (result.mustChangePassword) redirect(303, '/account/password');
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
