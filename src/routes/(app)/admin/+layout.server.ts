import type { LayoutServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';

// Every page under /admin checks the role again in its own load and actions:
// form actions run without this layout's load.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireRole(locals, url, 'admin');
	return {};
};
