import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { auditActionGroupNames, auditActionGroups, actionGroupKey, actionLabelKey } from '$lib/server/audit/actions';
import { auditObjectKinds, auditPersonRoles, listAuditEvents } from '$lib/server/audit/query';
import { describeAuditEvents } from '$lib/server/audit/present';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';
import { translate } from '$lib/i18n/core';
import { auditQueryFrom } from './query';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const params = readQuery(url);
	const { query, filters } = auditQueryFrom(params);
	const page = params.page();
	const db = getDb();
	const result = await listAuditEvents(db, user.orgId, { ...query, page });
	const lines = await describeAuditEvents(db, user.orgId, result.rows, locals.locale);
	const t = (key: Parameters<typeof translate>[1]) => translate(locals.locale, key);
	return {
		filters,
		// The action select: each group, first as a whole, then its actions, all by label.
		actionGroups: auditActionGroupNames.map((group) => ({
			value: `group:${group}`,
			label: t(actionGroupKey(group)),
			actions: auditActionGroups[group].map((action) => ({ value: action, label: t(actionLabelKey(action)) }))
		})),
		objectKinds: auditObjectKinds,
		personRoles: auditPersonRoles,
		total: result.total,
		page: result.page,
		pages: result.pages,
		rows: lines
	};
};
