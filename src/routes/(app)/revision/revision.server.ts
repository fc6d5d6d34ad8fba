import { error, type RequestEvent } from '@sveltejs/kit';
import type { MessageKey } from '$lib/i18n';
import type { Role } from '$lib/server/db/schema';
import { requireRole } from '$lib/server/auth/guard';
import { clientAddress } from '$lib/server/http';
import type { RevisionActor } from '$lib/server/revision/common';

type Event = Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>;

/** The caller as the revision domain needs them; a 403 page unless they hold one of the roles. */
export function revisionActor(event: Event, ...roles: Role[]): RevisionActor {
	const user = requireRole(event.locals, event.url, ...(roles.length ? roles : (['policy_owner', 'approver', 'admin'] as Role[])));
	return { orgId: user.orgId, personId: user.id, roles: user.roles, ip: clientAddress(event) };
}

export function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

/** A refusal's problem code as the message the page shows. */
export const problemKey = (problem: string) => `revision.error.${problem}` as MessageKey;

/** Dates travel to the page as ISO strings. */
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
