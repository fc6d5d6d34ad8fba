import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole } from '$lib/server/auth/current-user';
import { acknowledgementSummary } from '$lib/server/policy/acknowledge';
import { findPolicy, versionInForce } from '$lib/server/policy/policies';
import { departmentSubtreeIds } from '$lib/server/org/departments';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireRole(locals, url, 'supervisor', 'policy_owner', 'approver', 'admin');
	const db = getDb();
	const policy = await findPolicy(db, { orgId: user.orgId, roles: user.roles }, params.slug);
	if (!policy) error(404, { message: 'Not found', key: 'error.notFound' });
	const inForce = await versionInForce(db, policy.id);
	if (!inForce) error(404, { message: 'Not found', key: 'policy.noText' });
	// Owners, approvers and admins see the organisation; a supervisor their own departments.
	const scope = hasRole(user, 'policy_owner', 'approver', 'admin') ? null : await departmentSubtreeIds(db, user.orgId, user.supervisedDepartmentIds);
	const summary = await acknowledgementSummary(db, user.orgId, inForce.id, scope);
	return {
		policy: { slug: policy.slug, title: policy.title },
		version: inForce.version,
		wholeOrganisation: scope === null,
		...summary
	};
};
