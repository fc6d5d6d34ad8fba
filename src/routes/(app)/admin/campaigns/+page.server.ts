import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { campaignFiscalYears, departmentNames, listCampaigns } from '$lib/server/learning/campaigns';
import { japanToday } from '$lib/format/calendar';
import { fiscalYearOf } from '$lib/format/wareki';
import { campaignActor } from './form.server';
import { readQuery } from '$lib/server/input/query';

export const load: PageServerLoad = async (event) => {
	const { orgId } = campaignActor(event);
	const db = getDb();
	const today = japanToday();
	const currentYear = fiscalYearOf(today);
	const query = readQuery(event.url);
	// This 年度 unless another (or all) is asked for.
	const year = query.text('year', 8) === 'all' ? null : (query.fiscalYear('year') ?? currentYear);
	const includeArchived = query.flag('archived');
	const years = [...new Set([currentYear + 1, currentYear, ...(await campaignFiscalYears(db, orgId))])].sort((a, b) => b - a);
	if (year !== null && !years.includes(year)) years.push(year);
	const campaigns = await listCampaigns(db, orgId, { fiscalYear: year ?? undefined, includeArchived, today });
	const names = await departmentNames(db, orgId);
	return {
		year,
		years,
		includeArchived,
		today,
		campaigns,
		departmentNames: Object.fromEntries([...names].map(([id, d]) => [id, `${d.code} ${d.name}`]))
	};
};
