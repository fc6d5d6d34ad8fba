import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { policyOverview } from '$lib/server/policy/overview';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const policies = await policyOverview(getDb(), { orgId: user.orgId, roles: user.roles, personId: user.id });
	return {
		person: {
			name: user.name,
			employeeNumber: user.employeeNumber,
			employmentType: user.employmentType,
			departmentName: user.departmentName,
			roles: user.roles
		},
		policies: policies
			.filter((p) => p.inForce)
			.map((p) => ({ slug: p.slug, title: p.title, version: p.inForce!.version, acknowledgedAt: p.acknowledgedAt?.toISOString() ?? null }))
	};
};
