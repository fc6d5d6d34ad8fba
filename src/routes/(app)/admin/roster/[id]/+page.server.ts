import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { isUuid } from '$lib/server/db/ids';
import { clientAddress } from '$lib/server/http';
import { applyRosterImport, discardRosterImport, loadRosterPreview, rosterCodeMax, rosterListLimit } from '$lib/server/org/roster';

/** The import id from the path; anything that is not a uuid cannot name one. */
function importId(id: string): string {
	if (!isUuid(id)) error(404, { message: 'Not found', key: 'error.notFound' });
	return id;
}

/**
 * The unknown 所属コード ticked 「新しい所属として作成する」: text values only, each no longer than a
 * code may be, and no more of them than the preview offers.
 */
function tickedCodes(form: FormData): string[] {
	const codes = form.getAll('createDepartment').filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= rosterCodeMax);
	return [...new Set(codes)].slice(0, rosterListLimit);
}

function actor(event: RequestEvent) {
	const user = requireRole(event.locals, event.url, 'admin');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireRole(locals, url, 'admin');
	const preview = await loadRosterPreview(getDb(), user.orgId, importId(params.id), { actorId: user.id });
	if (!preview) error(404, { message: 'Not found', key: 'error.notFound' });
	return {
		preview: { ...preview, createdAt: preview.createdAt.toISOString(), appliedAt: preview.appliedAt?.toISOString() ?? null }
	};
};

export const actions: Actions = {
	apply: async (event) => {
		const who = actor(event);
		const id = importId(event.params.id);
		const form = await event.request.formData();
		const createDepartments = tickedCodes(form);
		const result = await applyRosterImport(getDb(), who, id, { deactivateMissing: form.get('deactivateMissing') === 'on', createDepartments });
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, { message: 'Not found', key: 'error.notFound' });
			if (result.reason === 'not_previewed') {
				return fail(409, { error: result.status === 'applied' ? ('roster.alreadyApplied' as const) : ('roster.isDiscarded' as const) });
			}
			if (result.reason === 'unconfirmed_departments') {
				return fail(400, { error: 'roster.unconfirmedDepartments' as const, problems: result.problems, more: result.more, ticked: createDepartments });
			}
			return fail(409, { error: 'roster.stale' as const, problems: result.problems, more: result.more });
		}
		redirect(303, `/admin/roster/${id}`);
	},
	discard: async (event) => {
		const who = actor(event);
		const id = importId(event.params.id);
		const discarded = await discardRosterImport(getDb(), who, id);
		// When it was applied or discarded meanwhile, the page shows what it is now.
		redirect(303, discarded ? '/admin/roster?discarded=1' : `/admin/roster/${id}`);
	}
};
