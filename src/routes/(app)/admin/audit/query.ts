import { auditActionGroupNames, auditActionGroups, auditActions, type AuditActionGroup } from '$lib/server/audit/actions';
import { auditObjectKinds, auditPersonRoles, type AuditQuery } from '$lib/server/audit/query';
import type { QueryReader } from '$lib/server/input/query';

/** The action filter: one action, or a whole group (`group:access`). */
export const actionChoices: readonly string[] = [...auditActionGroupNames.map((g) => `group:${g}`), ...auditActions];

/** What the form shows back, as typed. */
export interface AuditFilters {
	action: string;
	from: string;
	to: string;
	person: string;
	personRole: string;
	objectKind: string;
	object: string;
}

/** The audit filters from a query string, shared by the page and its CSV export. */
export function auditQueryFrom(query: QueryReader): { query: AuditQuery; filters: AuditFilters } {
	const action = query.choice('action', actionChoices);
	const group = action?.startsWith('group:') ? (action.slice('group:'.length) as AuditActionGroup) : null;
	const personRole = query.choice('personRole', auditPersonRoles);
	const objectKind = query.choice('objectKind', auditObjectKinds);
	const from = query.date('from');
	const to = query.date('to');
	const person = query.text('person', 100).trim();
	const object = query.text('object', 100).trim();
	return {
		query: {
			actions: group ? auditActionGroups[group] : action ? [action] : undefined,
			from: from ?? undefined,
			to: to ?? undefined,
			person: person || undefined,
			personRole: personRole ?? undefined,
			objectKind: objectKind ?? undefined,
			object: object || undefined
		},
		filters: { action: action ?? '', from: from ?? '', to: to ?? '', person, personRole: personRole ?? '', objectKind: objectKind ?? '', object }
	};
}
