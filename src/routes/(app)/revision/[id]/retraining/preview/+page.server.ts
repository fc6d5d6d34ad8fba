import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { revisionPointsPreview } from '$lib/server/revision/retraining';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireRole(locals, url, 'policy_owner', 'approver', 'admin');
	const preview = await revisionPointsPreview(getDb(), { orgId: user.orgId, roles: user.roles }, params.id);
	if (!preview) error(404, { message: 'Not found', key: 'error.notFound' });
	return { preview };
};
