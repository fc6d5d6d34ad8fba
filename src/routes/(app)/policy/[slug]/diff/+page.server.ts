import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import type { MessageKey } from '$lib/i18n';
import { requireUser } from '$lib/server/auth/guard';
import { comparableVersions, comparePolicyVersions } from '$lib/server/policy/diff';
import { getDb } from '$lib/server/runtime';
import { readQuery, type QueryReader } from '$lib/server/input/query';

/** A version label from the query: one that names no version is simply not found. */
const versionParam = (query: QueryReader, name: string) => query.text(name, 32).trim();

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const query = readQuery(url);
	const db = getDb();
	const viewer = { orgId: user.orgId, roles: user.roles };
	const choice = await comparableVersions(db, viewer, params.slug);
	if (!choice) error(404, { message: 'Not found', key: 'error.notFound' });
	const from = versionParam(query, 'from') || choice.defaultFrom || '';
	const to = versionParam(query, 'to') || choice.defaultTo || '';
	const showAll = query.flag('all');
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
