import type { AuditQuery } from '$lib/server/audit/query';

/** The audit filters from a query string, shared by the page and its CSV export. */
export function auditQueryFrom(params: URLSearchParams): AuditQuery {
	const text = (name: string) => (params.get(name) ?? '').trim();
	return { action: text('action') || undefined, from: text('from') || undefined, to: text('to') || undefined, actorNumber: text('actor') || undefined };
}
