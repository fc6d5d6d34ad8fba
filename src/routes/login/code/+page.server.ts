import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb, getFactorContext } from '$lib/server/runtime';
import { markSessionVerified, secondFactorCodeMaxLength, verifySecondFactor } from '$lib/server/auth/mfa/factors';
import { clientAddress, formString, safeNextPath } from '$lib/server/http';

// The login's second step: the session proved the password; this page takes the code (or a
// recovery code) and turns it into a full login. Only a session that owes a code reaches it.
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	if (!locals.pendingUser) redirect(303, `/login${url.search}`);
	return { name: locals.pendingUser.name };
};

export const actions: Actions = {
	default: async (event) => {
		const { locals, url } = event;
		const person = locals.pendingUser;
		if (!person || !locals.sessionId) redirect(303, `/login${url.search}`);
		const form = await event.request.formData();
		const code = formString(form, 'code').trim();
		if (code.length > secondFactorCodeMaxLength) return fail(400, { error: 'secondFactor.tooLong' as const });
		if (!code) return fail(400, { error: 'secondFactor.required' as const });
		const db = getDb();
		const result = await verifySecondFactor(db, getFactorContext(), { orgId: person.orgId, personId: person.id, ip: clientAddress(event) }, code);
		if (!result.ok) {
			if (result.reason === 'locked') return fail(429, { error: 'secondFactor.locked' as const, until: result.until.toISOString() });
			return fail(400, { error: 'secondFactor.invalid' as const });
		}
		await markSessionVerified(db, locals.sessionId);
		redirect(303, safeNextPath(url.searchParams.get('next')));
	}
};
