import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { japanToday } from '$lib/server/learning/campaigns';
import { allCompletionPeople, campaignsInScope, completionScopeFor, narrowScope, parsePeopleFilter } from '$lib/server/insight/completion';
import { completionCsvRows } from '$lib/server/insight/completion-csv';
import { csvDownload, encodeCsv, parseCsvEncoding } from '$lib/server/insight/csv';

/** The people list as CSV: the same scope and filters as the page, every page of it. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'supervisor', 'admin');
	const db = getDb();
	const today = japanToday();
	const scope = await completionScopeFor(db, user);
	const dept = url.searchParams.get('dept');
	const view = dept ? await narrowScope(db, scope, dept) : scope;
	const campaign = (await campaignsInScope(db, scope, today)).find((c) => c.id === url.searchParams.get('campaign'));
	if (!view || !campaign) error(404, { message: 'Not found', key: 'error.notFound' });
	const people = await allCompletionPeople(db, view, campaign, parsePeopleFilter(url.searchParams), today);
	const encoding = parseCsvEncoding(url.searchParams.get('encoding'));
	return csvDownload(encodeCsv(completionCsvRows(campaign, people, locals.locale), encoding), `受講状況_${campaign.title}_${today}.csv`, encoding);
};
