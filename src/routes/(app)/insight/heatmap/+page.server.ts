import type { PageServerLoad } from './$types';
import { readQuery } from '$lib/server/input/query';
import { practiceAsSpots } from '$lib/server/insight/weak-spots';
import { detailPage, loadWeakSpotView, requireInsightViewer } from '../view.server';

export const csr = false;

/** The heat map draws one measure: the quiz's error rate (理解) or the self-inspection's いいえ rate (実践). */
const measures = ['quiz', 'practice'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requireInsightViewer(event);
	const query = readQuery(event.url);
	const measure = query.choice('measure', measures) ?? 'quiz';
	const view = await loadWeakSpotView(user, { campaignId: query.id('campaign'), year: query.fiscalYear('year'), dept: query.id('dept') });
	const spots = measure === 'practice' ? practiceAsSpots(view.spots) : view.spots;
	return { ...view, spots, measure, ...detailPage(spots, spots.sections, { policyId: query.id('policy'), page: query.page('page') }) };
};
