import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { auditActions, listAuditEvents } from '$lib/server/audit/query';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const action = url.searchParams.get('action') ?? '';
	const page = Number(url.searchParams.get('page') ?? 1) || 1;
	const db = getDb();
	const [result, actions] = await Promise.all([
		listAuditEvents(db, user.orgId, { action: action || undefined, page }),
		auditActions(db, user.orgId)
	]);
	return {
		action,
		actions,
		...result,
		rows: result.rows.map((r) => ({ ...r, at: r.at.toISOString(), detail: JSON.stringify(r.detail) }))
	};
};
