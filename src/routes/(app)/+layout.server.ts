import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';

// The hooks send anyone without a session to the login page, and anyone who must choose a new
// password to /account/password, before any load, action or endpoint of this wing runs.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
	return {};
};
