import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { findPolicy, policyHistory } from '$lib/server/policy/policies';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const policy = await findPolicy(db, { orgId: user.orgId, roles: user.roles }, params.slug);
	if (!policy) error(404, { message: 'Not found', key: 'error.notFound' });
	const history = await policyHistory(db, policy.id);
	return {
		policy: { slug: policy.slug, title: policy.title },
		history: history.map((v) => ({
			version: v.version,
			dateLabel: v.dateLabel,
			effectiveDate: v.effectiveDate,
			changeKind: v.changeKind,
			reason: v.reason,
			textHeld: v.textHeld,
			inForce: v.status === 'published'
		}))
	};
};
