import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { policyOverview } from '$lib/server/policy/overview';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const policies = await policyOverview(getDb(), { orgId: user.orgId, roles: user.roles, personId: user.id });
	return {
		policies: policies.map((p) => ({ ...p, acknowledgedAt: p.acknowledgedAt?.toISOString() ?? null })),
		canImport: user.roles.includes('policy_owner') || user.roles.includes('admin')
	};
};
