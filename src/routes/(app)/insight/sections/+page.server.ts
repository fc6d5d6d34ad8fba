import type { PageServerLoad } from './$types';
import { readQuery } from '$lib/server/input/query';
import { departmentChoices, sectionsOfDepartment } from '$lib/server/insight/weak-spots';
import { detailPage, loadWeakSpotView, requireInsightViewer } from '../view.server';

export const csr = false;

export const load: PageServerLoad = async (event) => {
	const user = requireInsightViewer(event);
	const query = readQuery(event.url);
	const view = await loadWeakSpotView(user, { campaignId: query.id('campaign'), year: query.fiscalYear('year') });
	// A 部 narrows the table to its people's answers; one that is not a 部 of this view (unknown,
	// another organisation's, without answers) shows an empty state, never another 部's figures.
	const departmentId = query.id('dept');
	const ofDepartment = departmentId ? sectionsOfDepartment(view.spots, departmentId) : null;
	const shown = ofDepartment ? (ofDepartment.state === 'shown' ? ofDepartment.sections : []) : view.spots.sections;
	return {
		...view,
		departmentId,
		departmentState: ofDepartment?.state ?? null,
		departmentOptions: departmentChoices(view.spots),
		...detailPage(view.spots, view.spots.sections, { policyId: query.id('policy'), page: query.page('page') }, shown)
	};
};
