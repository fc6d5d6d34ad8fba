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
		if (locals.sessionId && locals.user) {
			const db = getDb();
			await invalidateSession(db, locals.sessionId);
			await recordAudit(
				db,
				{ orgId: locals.user.orgId, personId: locals.user.id, ip: clientAddress(event) },
				{ action: 'logout', targetType: 'person', targetId: locals.user.id }
			);
		}
		clearSessionCookie(event);
		redirect(303, '/login?loggedout');
	}
};
