import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { exportAuditEvents } from '$lib/server/audit/query';
import { auditCsvRows } from '$lib/server/audit/csv';
import { csvDownload, csvEncodingNames, encodeCsv, parseCsvEncoding } from '$lib/server/insight/csv';
import { getDb } from '$lib/server/runtime';
import { formatIsoDate } from '$lib/format/wareki';
import { readQuery } from '$lib/server/input/query';
import { auditQueryFrom } from '../query';

/** The audit log as CSV, with the page's filters: for the 情報セキュリティ委員会 or an auditor. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const query = readQuery(url);
	const rows = await exportAuditEvents(getDb(), user.orgId, auditQueryFrom(query));
	const encoding = parseCsvEncoding(query.choice('encoding', csvEncodingNames));
	return csvDownload(encodeCsv(auditCsvRows(rows, locals.locale), encoding), `監査ログ_${formatIsoDate(new Date())}.csv`, encoding);
};
