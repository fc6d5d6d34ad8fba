import type { LayoutServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';

// Checklists are edited by policy owners and admins. Pages check again in their loads and actions:
// form actions run without this load.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireRole(locals, url, 'policy_owner', 'admin');
	return {};
};
