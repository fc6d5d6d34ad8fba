import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { exportAuditEvents } from '$lib/server/audit/query';
import { csvDownload, encodeCsv, parseCsvEncoding } from '$lib/server/insight/csv';
import { getDb } from '$lib/server/runtime';
import { formatDateTime, formatIsoDate } from '$lib/format/wareki';
import { translate } from '$lib/i18n/core';
import { auditQueryFrom } from '../query';

/** The audit log as CSV, with the page's filters: for the 情報セキュリティ委員会 or an auditor. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const rows = await exportAuditEvents(getDb(), user.orgId, auditQueryFrom(url.searchParams));
	const h = (key: Parameters<typeof translate>[1]) => translate(locals.locale, key);
	const encoding = parseCsvEncoding(url.searchParams.get('encoding'));
	const csv = encodeCsv(
		[
			[h('audit.at'), h('audit.atIso'), h('audit.action'), h('people.number'), h('people.name'), h('audit.target'), h('audit.targetId'), h('audit.ip'), h('audit.detail')],
			...rows.map((r) => [
				formatDateTime(r.at, locals.locale),
				r.at.toISOString(),
				r.action,
				r.actorNumber ?? '',
				r.actorName ?? '',
				r.targetType ?? '',
				r.targetId ?? '',
				r.ip ?? '',
				JSON.stringify(r.detail)
			])
		],
		encoding
	);
	return csvDownload(csv, `監査ログ_${formatIsoDate(new Date())}.csv`, encoding);
};
