import type { PageServerLoad } from './$types';
import { readQuery } from '$lib/server/input/query';
import { detailPage, loadWeakSpotView, requireInsightViewer } from '../view.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireInsightViewer(event);
	const query = readQuery(event.url);
	const view = await loadWeakSpotView(user, { campaignId: query.id('campaign'), year: query.fiscalYear('year') });
	return { ...view, ...detailPage(view.spots, view.spots.sections, { policyId: query.id('policy'), page: query.page('page') }) };
};
