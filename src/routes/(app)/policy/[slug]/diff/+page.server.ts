import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import type { MessageKey } from '$lib/i18n';
import { requireUser } from '$lib/server/auth/guard';
import { comparableVersions, comparePolicyVersions } from '$lib/server/policy/diff';
import { getDb } from '$lib/server/runtime';

/** A version label from the query; anything odd is simply not found. */
const versionParam = (url: URL, name: string) => (url.searchParams.get(name) ?? '').trim().slice(0, 32);

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const viewer = { orgId: user.orgId, roles: user.roles };
	const choice = await comparableVersions(db, viewer, params.slug);
	if (!choice) error(404, { message: 'Not found', key: 'error.notFound' });
	const from = versionParam(url, 'from') || choice.defaultFrom || '';
	const to = versionParam(url, 'to') || choice.defaultTo || '';
	const showAll = url.searchParams.get('all') === '1';
	const page = {
		policy: { slug: choice.policy.slug, title: choice.policy.title },
		versions: choice.versions.map((v) => ({ version: v.version, status: v.status, dateLabel: v.dateLabel, effectiveDate: v.effectiveDate })),
		from,
		to,
		showAll
	};
	const problem = (key: MessageKey) => ({ ...page, problem: key, comparison: null });
	if (choice.versions.length < 2) return problem('diff.needTwo');
	if (from === to) return problem('diff.same');
	const result = await comparePolicyVersions(db, viewer, params.slug, from, to);
	if (!result) return problem('diff.missing');
	const changes = result.changes
		.filter((c) => showAll || c.kind !== 'unchanged')
		// The page needs one text per section: the parts carry both sides of a change.
		.map(({ before, after, ...c }) => ({ ...c, text: after ?? before! }));
	return { ...page, problem: null, comparison: { summary: result.summary, changes } };
};
