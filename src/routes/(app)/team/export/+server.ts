import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { japanToday } from '$lib/format/calendar';
import { allCompletionPeople, campaignsInScope, completionScopeFor, narrowScope, parsePeopleFilter } from '$lib/server/insight/completion';
import { completionCsvRows } from '$lib/server/insight/completion-csv';
import { csvDownload, csvEncodingNames, encodeCsv, parseCsvEncoding } from '$lib/server/insight/csv';
import { readQuery } from '$lib/server/input/query';

/** The people list as CSV: the same scope and filters as the page, every page of it. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'supervisor', 'admin');
	const query = readQuery(url);
	const dept = query.id('dept');
	const wanted = query.id('campaign');
	const encoding = parseCsvEncoding(query.choice('encoding', csvEncodingNames));
	const db = getDb();
	const today = japanToday();
	const scope = await completionScopeFor(db, user);
	const view = dept ? await narrowScope(db, scope, dept) : scope;
	const campaign = (await campaignsInScope(db, scope, today)).find((c) => c.id === wanted);
	if (!view || !campaign) error(404, { message: 'Not found', key: 'error.notFound' });
	const people = await allCompletionPeople(db, view, campaign, parsePeopleFilter(url), today);
	return csvDownload(encodeCsv(completionCsvRows(campaign, people, locals.locale), encoding), `受講状況_${campaign.title}_${today}.csv`, encoding);
};
