import type { PageServerLoad } from './$types';
import { readQuery } from '$lib/server/input/query';
import { gapsOf, loadWeakSpotView, requireInsightViewer } from '../view.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireInsightViewer(event);
	const query = readQuery(event.url);
	const view = await loadWeakSpotView(user, { campaignId: query.id('campaign'), year: query.fiscalYear('year') });
	return {
		...view,
		gaps: gapsOf(view.spots.sections).map((g) => ({
			reading: g.reading,
			sections: g.sections.map((s) => ({ section: s, policyTitle: view.spots.policies.find((p) => p.id === s.policyId)?.title ?? '' }))
		}))
	};
};
