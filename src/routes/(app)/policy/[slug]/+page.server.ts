import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { acknowledgeVersion } from '$lib/server/policy/acknowledge';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import { loadDocument } from './load-document';

export const load: PageServerLoad = ({ locals, url, params }) => loadDocument(locals, url, params.slug);

export const actions: Actions = {
	acknowledge: async (event) => {
		const user = requireUser(event.locals, event.url);
		const form = await event.request.formData();
		const result = await acknowledgeVersion(
			getDb(),
			{ orgId: user.orgId, personId: user.id, roles: user.roles, ip: clientAddress(event) },
			formString(form, 'versionId')
		);
		if (!result.ok) return fail(409, { ackError: 'ack.notInForce' as const });
		return { acknowledged: true };
	}
};
