import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit/log';
import { clientAddress } from '$lib/server/http';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const { locals } = event;
		// A login still waiting for its second factor can be given up as well.
		const person = locals.user ?? locals.pendingUser;
		if (locals.sessionId && person) {
			const db = getDb();
			await invalidateSession(db, locals.sessionId);
			await recordAudit(
				db,
				{ orgId: person.orgId, personId: person.id, ip: clientAddress(event) },
				{ action: 'logout', targetType: 'person', targetId: person.id }
			);
		}
		clearSessionCookie(event);
		redirect(303, '/login?loggedout');
	}
};
