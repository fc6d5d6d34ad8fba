import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { askedComparison, comparisonSheet } from '$lib/server/policy/comparison-document';
import { comparisonDownload } from '$lib/server/policy/comparison-docx';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';

/** The 新旧対照表 of two versions as a Word file: the same versions and sections as the page shows. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const query = readQuery(url);
	const asked = await askedComparison(db, { orgId: user.orgId, roles: user.roles }, params.slug, {
		from: query.text('from', 32).trim(),
		to: query.text('to', 32).trim()
	});
	if (!asked?.comparison) error(404, { message: 'Not found', key: 'error.notFound' });
	return comparisonDownload(await comparisonSheet(db, user.orgId, asked.comparison, locals.locale), locals.locale);
};
