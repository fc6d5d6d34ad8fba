import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { annualReport } from '$lib/server/insight/annual-report';
import { annualReportFileName, annualReportWorkbook } from '$lib/server/insight/annual-report-xlsx';
import { fileDownload } from '$lib/server/insight/csv';
import { japanToday } from '$lib/format/calendar';
import { fiscalYearOf } from '$lib/format/wareki';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The 年度報告 as an Excel workbook: the same people may have it, for the same `?year=`, as the page. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin', 'policy_owner', 'approver');
	const today = japanToday();
	const year = readQuery(url).fiscalYear('year') ?? fiscalYearOf(today);
	const report = await annualReport(getDb(), user.orgId, year, today);
	const { name, fallback } = annualReportFileName(report, locals.locale);
	return fileDownload(await annualReportWorkbook(report, { locale: locals.locale, origin: url.origin }), name, xlsxType, fallback);
};
