import type { LayoutServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';

// Campaigns belong to admins and policy owners. Pages check again in their loads and actions:
// form actions run without this load.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireRole(locals, url, 'admin', 'policy_owner');
	return {};
};
