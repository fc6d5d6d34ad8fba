import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { askedComparison, comparisonSheet } from '$lib/server/policy/comparison-document';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const query = readQuery(url);
	const db = getDb();
	const asked = await askedComparison(db, { orgId: user.orgId, roles: user.roles }, params.slug, {
		from: query.text('from', 32).trim(),
		to: query.text('to', 32).trim()
	});
	if (!asked) error(404, { message: 'Not found', key: 'error.notFound' });
	const showAll = query.flag('all');
	const sheet = asked.comparison ? await comparisonSheet(db, user.orgId, asked.comparison, locals.locale, { showUnchanged: showAll }) : null;
	return {
		policy: { slug: asked.policy.slug, title: asked.policy.title },
		versions: asked.versions.map((v) => ({ version: v.version, status: v.status, dateLabel: v.dateLabel, effectiveDate: v.effectiveDate })),
		from: asked.from,
		to: asked.to,
		showAll,
		problem: asked.problem,
		sheet
	};
};
