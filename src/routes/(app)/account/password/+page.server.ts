import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { changeOwnPassword, passwordFieldMaxLength } from '$lib/server/auth/change-password';
import { getDb, getLoginLimits } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { forced: user.mustChangePassword };
};

const problemKeys = {
	wrong_current: 'password.wrongCurrent',
	mismatch: 'password.mismatch',
	same_as_current: 'password.same_as_current',
	too_short: 'password.too_short',
	too_long: 'password.too_long',
	too_common: 'password.too_common',
	same_as_login: 'password.same_as_login',
	blank: 'password.blank',
	too_predictable: 'password.too_predictable'
} as const;

const fields = ['current', 'next', 'confirm'] as const;

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event.locals, event.url);
		const form = await event.request.formData();
		const input = { current: formString(form, 'current'), next: formString(form, 'next'), confirm: formString(form, 'confirm') };
		// Nothing is checked or hashed for a field longer than any password can be.
		const tooLong = fields.find((f) => input[f].length > passwordFieldMaxLength);
		if (tooLong) return fail(400, { field: tooLong, error: 'password.fieldTooLong' as const, max: passwordFieldMaxLength });
		const result = await changeOwnPassword(
			getDb(),
			{ orgId: user.orgId, personId: user.id, ip: clientAddress(event) },
			event.locals.sessionId!,
			input,
			getLoginLimits()
		);
		if (!result.ok) {
			if (result.problem === 'locked') {
				return fail(429, { field: 'current', error: 'password.locked' as const, until: result.until.toISOString() });
			}
			const field = result.problem === 'wrong_current' ? 'current' : result.problem === 'mismatch' ? 'confirm' : 'next';
			return fail(400, { field, error: problemKeys[result.problem] });
		}
		return { changed: true };
	}
};
