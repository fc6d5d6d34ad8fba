import type { AuditQuery } from '$lib/server/audit/query';
import type { QueryReader } from '$lib/server/input/query';

/** The audit filters from a query string, shared by the page and its CSV export. */
export function auditQueryFrom(query: QueryReader): AuditQuery {
	return {
		action: query.text('action', 100).trim() || undefined,
		from: query.date('from') ?? undefined,
		to: query.date('to') ?? undefined,
		actorNumber: query.text('actor', 100).trim() || undefined
	};
}
