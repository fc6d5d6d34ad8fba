import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole } from '$lib/server/auth/current-user';
import { annualReport, overduePeopleLimit, reportFiscalYears, weakSectionMinAnswers } from '$lib/server/insight/annual-report';
import { getDocumentSettings } from '$lib/server/org/document-settings';
import { japanToday } from '$lib/format/calendar';
import { fiscalYearOf } from '$lib/format/wareki';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin', 'policy_owner', 'approver');
	const db = getDb();
	const today = japanToday();
	const currentYear = fiscalYearOf(today);
	// `?year=2026`, or the current 年度 (the Excel download reads it the same way).
	const year = readQuery(url).fiscalYear('year') ?? currentYear;
	const years = await reportFiscalYears(db, user.orgId, currentYear);
	// A year typed into the address stays selectable, so the form shows what the page shows.
	if (!years.includes(year)) {
		years.push(year);
		years.sort((a, b) => b - a);
	}
	const report = await annualReport(db, user.orgId, year, today);
	return {
		year,
		years,
		report,
		approvalBoxes: (await getDocumentSettings(db, user.orgId)).approvalBoxes,
		// Printed links show their address: paper has no links to follow.
		origin: url.origin,
		// Only they can make campaigns and import policies; the empty states point others elsewhere.
		canManageCampaigns: hasRole(user, 'admin', 'policy_owner'),
		canSetDocuments: hasRole(user, 'admin'),
		// The 自己点検 results page is theirs (approvers read the section here only).
		canSeeInspection: hasRole(user, 'admin', 'policy_owner'),
		overduePeopleLimit,
		weakSectionMinAnswers
	};
};
