import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import { listDepartmentTree } from '$lib/server/org/departments';
import { roles } from '$lib/server/db/schema';
import { getPersonDetail, resetPassword, updatePersonAccess } from '$lib/server/org/people';
import { resetSecondFactor, secondFactorStatus } from '$lib/server/auth/mfa/factors';
import { requireFreshSecondFactor } from '$lib/server/auth/mfa/step-up';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireRole(locals, url, 'admin');
	const db = getDb();
	const [person, departments] = await Promise.all([getPersonDetail(db, user.orgId, params.id), listDepartmentTree(db, user.orgId)]);
	if (!person) error(404, { message: 'Not found', key: 'error.notFound' });
	const factor = await secondFactorStatus(db, user.orgId, person.id);
	return {
		person,
		secondFactor: { enrolledAt: factor.confirmedAt?.toISOString() ?? null },
		isSelf: person.id === user.id,
		roles,
		departments: departments.map(({ id, code, name, depth }) => ({ id, code, name, depth }))
	};
};

/** Checks the admin role first (actions do not run the load), then names the actor for the audit log. */
function adminActor(event: RequestEvent) {
	const user = requireRole(event.locals, event.url, 'admin');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

const problemKeys = {
	self_lockout: 'person.cannotDeactivateSelf',
	department_not_found: 'person.departmentNotFound'
} as const;

export const actions: Actions = {
	save: async (event) => {
		const actor = adminActor(event);
		const form = await event.request.formData();
		// Roles decide who may change the policy and the training: a fresh second factor first.
		const stepUp = await requireFreshSecondFactor(event, form, '?/save');
		if (stepUp) return stepUp;
		const result = await updatePersonAccess(getDb(), actor, actor.orgId, event.params.id, {
			departmentId: formString(form, 'departmentId') || null,
			active: form.get('active') === 'on',
			roles: form.getAll('roles').filter((v): v is string => typeof v === 'string'),
			supervisedDepartmentIds: form.getAll('supervised').filter((v): v is string => typeof v === 'string')
		});
		if (!result.ok) {
			if (result.problem === 'not_found') error(404, { message: 'Not found', key: 'error.notFound' });
			return fail(400, { action: 'save' as const, error: problemKeys[result.problem] });
		}
		return { action: 'save' as const, saved: true };
	},
	resetPassword: async (event) => {
		const actor = adminActor(event);
		const result = await resetPassword(getDb(), actor, actor.orgId, event.params.id);
		if (!result.ok) error(404, { message: 'Not found', key: 'error.notFound' });
		return { action: 'resetPassword' as const, temporaryPassword: result.temporaryPassword };
	},
	resetSecondFactor: async (event) => {
		const actor = adminActor(event);
		// Removing someone's second factor opens their account to a password alone: a fresh code first.
		const stepUp = await requireFreshSecondFactor(event, await event.request.formData(), '?/resetSecondFactor');
		if (stepUp) return stepUp;
		const result = await resetSecondFactor(getDb(), actor, event.params.id);
		if (!result.ok) {
			if (result.problem === 'not_found') error(404, { message: 'Not found', key: 'error.notFound' });
			return fail(400, { action: 'resetSecondFactor' as const, error: 'person.secondFactor.self' as const });
		}
		return { action: 'resetSecondFactor' as const, reset: true };
	}
};
