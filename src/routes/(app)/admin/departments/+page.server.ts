import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import { createDepartment, deleteDepartment, listDepartmentTree, updateDepartment, type DepartmentProblem } from '$lib/server/org/departments';
import type { MessageKey } from '$lib/i18n/core';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	return { departments: await listDepartmentTree(getDb(), user.orgId) };
};

/** Checks the admin role first (actions do not run the load), then names the actor for the audit log. */
function adminActor(event: RequestEvent) {
	const user = requireRole(event.locals, event.url, 'admin');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

interface Message {
	key: MessageKey;
	params?: Record<string, string | number>;
}

const problems: Record<DepartmentProblem, { field: 'code' | 'name' | 'parentId' | null; key: MessageKey }> = {
	required: { field: 'code', key: 'departments.required' },
	code_taken: { field: 'code', key: 'departments.codeTaken' },
	parent_not_found: { field: 'parentId', key: 'departments.parentNotFound' },
	cycle: { field: 'parentId', key: 'departments.cycle' },
	not_found: { field: null, key: 'departments.notFound' }
};

function departmentInput(form: FormData) {
	return {
		code: formString(form, 'code'),
		name: formString(form, 'name'),
		parentId: formString(form, 'parentId') || null
	};
}

/** A refused write: the form's values come back so the admin does not retype them. */
function refused(action: 'create' | 'update', id: string | null, values: ReturnType<typeof departmentInput>, problem: DepartmentProblem) {
	const { field, key } = problems[problem];
	// "required" names whichever of the two fields is empty.
	const emptyField = !values.code.trim() ? 'code' : 'name';
	return fail(problem === 'not_found' ? 404 : 400, {
		action,
		id,
		values,
		field: problem === 'required' ? emptyField : field,
		errors: [{ key, params: { code: values.code.normalize('NFKC').trim() } }] as Message[]
	});
}

export const actions: Actions = {
	create: async (event) => {
		const actor = adminActor(event);
		const values = departmentInput(await event.request.formData());
		const result = await createDepartment(getDb(), actor, actor.orgId, values);
		if (!result.ok) return refused('create', null, values, result.problem);
		return { action: 'create' as const, id: result.id, done: 'departments.created' as MessageKey };
	},
	update: async (event) => {
		const actor = adminActor(event);
		const form = await event.request.formData();
		const id = formString(form, 'id');
		const values = departmentInput(form);
		const result = await updateDepartment(getDb(), actor, actor.orgId, id, values);
		if (!result.ok) return refused('update', id, values, result.problem);
		return { action: 'update' as const, id, done: 'departments.saved' as MessageKey };
	},
	delete: async (event) => {
		const actor = adminActor(event);
		const id = formString(await event.request.formData(), 'id');
		const result = await deleteDepartment(getDb(), actor, actor.orgId, id);
		if (result.ok) return { action: 'delete' as const, id, done: 'departments.deleted' as MessageKey };
		const errors: Message[] = [];
		if (result.problem === 'not_found') errors.push({ key: 'departments.notFound' });
		else {
			const { people, children, supervisors, trainingRecords } = result.dependents;
			if (people) errors.push({ key: 'departments.hasPeople', params: { count: people } });
			if (children) errors.push({ key: 'departments.hasChildren', params: { count: children } });
			if (supervisors) errors.push({ key: 'departments.hasSupervisors', params: { count: supervisors } });
			if (trainingRecords) errors.push({ key: 'departments.hasTrainingRecords', params: { count: trainingRecords } });
		}
		return fail(result.problem === 'not_found' ? 404 : 409, { action: 'delete' as const, id, field: null, errors });
	}
};
