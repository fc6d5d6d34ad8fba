import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isLocale, localeCookieName } from '$lib/i18n/core';
import { formString, safeNextPath } from '$lib/server/http';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const form = await request.formData();
		const to = formString(form, 'to');
		if (isLocale(to)) {
			cookies.set(localeCookieName, to, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 });
		}
		redirect(303, safeNextPath(formString(form, 'back')));
	}
};
