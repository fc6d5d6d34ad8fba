import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { clientAddress } from '$lib/server/http';
import type { ChecklistEditor } from '$lib/server/inspection/editor';

/** The caller as the checklist editor needs them; a 403 page unless a policy owner or an admin. */
export function checklistActor(event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>): ChecklistEditor {
	const user = requireRole(event.locals, event.url, 'policy_owner', 'admin');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

export function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}
