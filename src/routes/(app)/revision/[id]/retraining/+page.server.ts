import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole } from '$lib/server/auth/current-user';
import { clientAddress, formString } from '$lib/server/http';
import { getDb } from '$lib/server/runtime';
import { addDays, japanToday } from '$lib/format/calendar';
import { assignRevisionPoints, checkRevisionDueOn, retrainingOverview } from '$lib/server/revision/retraining';

// Everyone who works on revisions sees what a publish changed; assigning a course to all staff is
// a campaign, which policy owners and admins create.
const viewerRoles = ['policy_owner', 'approver', 'admin'] as const;
const assignerRoles = ['policy_owner', 'admin'] as const;

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireRole(locals, url, ...viewerRoles);
	const overview = await retrainingOverview(getDb(), { orgId: user.orgId, roles: user.roles }, params.id);
	if (!overview) notFound();
	return {
		overview,
		canAssign: hasRole(user, ...assignerRoles),
		canEditCourses: hasRole(user, 'policy_owner', 'admin'),
		canSeeCampaigns: hasRole(user, 'policy_owner', 'admin'),
		defaultDueOn: addDays(japanToday(), 30)
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const user = requireRole(event.locals, event.url, ...assignerRoles);
		const db = getDb();
		const overview = await retrainingOverview(db, { orgId: user.orgId, roles: user.roles }, event.params.id);
		if (!overview) notFound();
		const form = await event.request.formData();
		const dueOnText = formString(form, 'dueOn').trim();
		if (!overview.course) return fail(400, { dueOn: dueOnText, error: 'retraining.error.noCourse' as const });
		if (overview.campaign) return { assigned: { added: 0, existed: true } };
		const today = japanToday();
		const due = checkRevisionDueOn(dueOnText, today);
		if (!due.ok) return fail(400, { dueOn: dueOnText, error: due.problem });
		const result = await assignRevisionPoints(db, { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, overview.version.id, {
			dueOn: due.dueOn,
			today
		});
		if (!result) return fail(400, { dueOn: dueOnText, error: 'retraining.error.noCourse' as const });
		return { assigned: { added: result.added, existed: false } };
	}
};
