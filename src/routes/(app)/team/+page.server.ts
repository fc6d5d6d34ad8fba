import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { clientAddress } from '$lib/server/http';
import { getDb, mailEnabled } from '$lib/server/runtime';
import { japanToday } from '$lib/format/calendar';
import { employmentTypes } from '$lib/server/db/schema';
import {
	campaignsInScope,
	completionDashboard,
	completionPeople,
	completionScopeFor,
	departmentPath,
	incompleteAssignmentIds,
	narrowScope,
	parsePeopleFilter,
	personSorts,
	personStatusFilters,
	remindableAssignmentIds,
	scopeDepartments
} from '$lib/server/insight/completion';
import { sendReminders } from '$lib/server/notify/reminders';
import { readQuery, type QueryReader } from '$lib/server/input/query';

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

/**
 * The viewer's scope, narrowed to `dept` when asked. A department outside the scope is a 404,
 * the same as one that does not exist, so a URL reveals nothing about other departments.
 */
async function viewScope(event: Pick<RequestEvent, 'locals' | 'url'>, query: QueryReader) {
	const user = requireRole(event.locals, event.url, 'supervisor', 'admin');
	const dept = query.id('dept');
	const db = getDb();
	const scope = await completionScopeFor(db, user);
	const view = dept ? await narrowScope(db, scope, dept) : scope;
	if (!view) notFound();
	return { user, scope, view, dept };
}

export const load: PageServerLoad = async (event) => {
	const query = readQuery(event.url);
	const { scope, view, dept } = await viewScope(event, query);
	const db = getDb();
	const today = japanToday();
	const campaigns = await campaignsInScope(db, scope, today);
	const wanted = query.id('campaign');
	const selected = wanted ? campaigns.find((c) => c.id === wanted) : campaigns[0];
	if (wanted && !selected) notFound();
	const filter = parsePeopleFilter(event.url);
	// Independent reads, each on its own connection: the page waits for the slowest, not the sum.
	const [dashboard, people, path, departments] = await Promise.all([
		selected ? completionDashboard(db, view, selected.id, today) : null,
		selected ? completionPeople(db, view, selected, filter, today) : { rows: [], total: 0 },
		dept ? departmentPath(db, scope, dept) : [],
		scopeDepartments(db, scope)
	]);
	return {
		today,
		hasScope: scope.departmentIds === null || scope.departmentIds.length > 0,
		campaigns: campaigns.map((c) => ({ id: c.id, title: c.title, dueOn: c.dueOn, fiscalYear: c.fiscalYear })),
		dashboard,
		dept,
		path,
		filter,
		people: {
			total: people.total,
			pages: Math.max(1, Math.ceil(people.total / filter.pageSize)),
			rows: people.rows.map((p) => ({
				...p,
				lastActivityAt: p.lastActivityAt?.toISOString() ?? null,
				completedAt: p.completedAt?.toISOString() ?? null
			}))
		},
		choices: { statuses: personStatusFilters, sorts: personSorts, employmentTypes, departments },
		mailOn: mailEnabled()
	};
};

/** The campaign and filters a reminder form posts back, checked against the scope like the page. */
async function remindTarget(event: RequestEvent) {
	const form = await event.request.formData();
	const params = new URLSearchParams();
	for (const name of ['campaign', 'dept', 'type']) {
		const value = form.get(name);
		if (typeof value === 'string' && value) params.set(name, value);
	}
	const { user, view, dept } = await viewScope(event, readQuery(params));
	const campaignId = params.get('campaign') ?? '';
	return { user, view, dept, form, campaignId, filter: parsePeopleFilter(params) };
}

async function remind(event: RequestEvent, pick: 'selected' | 'all') {
	const { user, view, dept, form, campaignId, filter } = await remindTarget(event);
	const db = getDb();
	const ids =
		pick === 'all'
			? await incompleteAssignmentIds(db, view, campaignId, filter.employmentType)
			: await remindableAssignmentIds(
					db,
					view,
					campaignId,
					form.getAll('assignment').filter((v): v is string => typeof v === 'string')
				);
	if (ids.length === 0) return fail(400, { remind: { error: pick === 'all' ? ('team.remind.noneLeft' as const) : ('team.remind.noneSelected' as const) } });
	const outcome = await sendReminders(
		db,
		{ orgId: user.orgId, personId: user.id, ip: clientAddress(event) },
		campaignId,
		ids,
		{ today: japanToday(), mailOn: mailEnabled(), appUrl: process.env.ORIGIN || event.url.origin },
		{ departmentId: dept, pick }
	);
	if (!outcome) notFound();
	return { remind: { outcome } };
}

export const actions: Actions = {
	remind: (event) => remind(event, 'selected'),
	remindAll: (event) => remind(event, 'all')
};
