import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { auditCsvRows, exportAuditLines } from '$lib/server/audit/csv';
import { csvDownload, csvEncodingNames, encodeCsv, parseCsvEncoding } from '$lib/server/insight/csv';
import { getDb } from '$lib/server/runtime';
import { formatIsoDate } from '$lib/format/wareki';
import { readQuery } from '$lib/server/input/query';
import { auditQueryFrom } from '../query';

/** The audit log as CSV, with the page's filters: for the 情報セキュリティ委員会 or an auditor. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const params = readQuery(url);
	const { query } = auditQueryFrom(params);
	const encoding = parseCsvEncoding(params.choice('encoding', csvEncodingNames));
	const lines = await exportAuditLines(getDb(), user.orgId, query, locals.locale);
	return csvDownload(encodeCsv(auditCsvRows(lines, locals.locale), encoding), `監査ログ_${formatIsoDate(new Date())}.csv`, encoding);
};
