import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	// Accounts created by import or reset by an admin choose their own password first.
	if (user.mustChangePassword && url.pathname !== '/account/password') redirect(303, '/account/password');
	return {};
};
