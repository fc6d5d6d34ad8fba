import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress } from '$lib/server/http';
import { readQuery } from '$lib/server/input/query';
import { formText } from '$lib/server/input/form';
import { improvementScopeFor, listImprovements, updateImprovement, assigneeMax, planMax } from '$lib/server/inspection/improvements';
import { improvementStatuses } from '$lib/server/db/schema';
import type { CurrentUser } from '$lib/server/auth/current-user';

/** Supervisors (their departments), policy owners and admins (all); anyone else is told there is nothing here. */
async function scopeOf(user: CurrentUser) {
	const scope = await improvementScopeFor(getDb(), user);
	if (!scope) error(403, { message: 'Forbidden', key: 'error.forbidden' });
	return scope;
}

const filters = ['unfinished', 'all', ...improvementStatuses] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const scope = await scopeOf(user);
	const status = readQuery(url).choice('status', filters) ?? 'unfinished';
	const rows = await listImprovements(getDb(), scope, { status: status === 'all' ? null : status, limit: 500 });
	return {
		status,
		filters,
		allDepartments: scope.departmentIds === null,
		rows: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event.locals, event.url);
		const scope = await scopeOf(user);
		const form = await event.request.formData();
		const id = formText(form, 'id', 64) ?? '';
		const plan = formText(form, 'plan', planMax * 2);
		const assignee = formText(form, 'assignee', assigneeMax * 2);
		const values = { plan: plan ?? '', assignee: assignee ?? '', dueOn: formText(form, 'dueOn', 40) ?? '', status: formText(form, 'status', 20) ?? '' };
		if (plan === null) return fail(400, { id, values, problems: [{ field: 'plan', key: 'improvement.error.plan' as const }] });
		if (assignee === null) return fail(400, { id, values, problems: [{ field: 'assignee', key: 'improvement.error.assignee' as const }] });
		const result = await updateImprovement(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, scope, id, values);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, { message: 'Not found', key: 'error.notFound' });
			return fail(400, { id, values, problems: result.problems });
		}
		return { id, saved: true as const };
	}
};
