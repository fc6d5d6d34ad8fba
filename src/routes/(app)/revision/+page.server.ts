import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';

export const load: PageServerLoad = ({ locals, url }) => {
	requireRole(locals, url, 'policy_owner', 'approver', 'admin');
	return {};
};
