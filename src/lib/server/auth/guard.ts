import { error, redirect } from '@sveltejs/kit';
import type { Role } from '../db/schema';
import { hasRole, type CurrentUser } from './current-user';

/** The logged-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(locals: App.Locals, url?: URL): CurrentUser {
	if (!locals.user) {
		const next = url ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
		redirect(303, `/login${next}`);
	}
	return locals.user;
}

/** The user when they hold one of the roles; a 403 page otherwise. */
export function requireRole(locals: App.Locals, url: URL | undefined, ...roles: Role[]): CurrentUser {
	const user = requireUser(locals, url);
	if (!hasRole(user, ...roles)) error(403, { message: 'Forbidden', key: 'error.forbidden' });
	return user;
}
