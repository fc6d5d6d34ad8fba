import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { auditActions, listAuditEvents } from '$lib/server/audit/query';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';
import { auditQueryFrom } from './query';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const params = readQuery(url);
	const query = auditQueryFrom(params);
	const page = params.page();
	const db = getDb();
	const [result, actions] = await Promise.all([listAuditEvents(db, user.orgId, { ...query, page }), auditActions(db, user.orgId)]);
	return {
		filters: { action: query.action ?? '', from: query.from ?? '', to: query.to ?? '', actor: query.actorNumber ?? '' },
		actions,
		...result,
		rows: result.rows.map((r) => ({ ...r, at: r.at.toISOString(), detail: JSON.stringify(r.detail) }))
	};
};
