import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { clientAddress } from '$lib/server/http';
import type { EditorActor } from '$lib/server/learning/editor';

/** The caller as the course editor needs them; a 403 page unless a policy owner or an admin. */
export function courseActor(event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>): EditorActor {
	const user = requireRole(event.locals, event.url, 'policy_owner', 'admin');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

export function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

export { courseEditMaxBytes } from '$lib/server/learning/editor';
