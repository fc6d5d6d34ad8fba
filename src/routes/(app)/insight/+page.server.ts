import type { PageServerLoad } from './$types';
import { revisionEffects, type RevisionEffects } from '$lib/server/insight/weak-spots';
import { listRevisions } from '$lib/server/revision/drafts';
import { readQuery } from '$lib/server/input/query';
import { getDb } from '$lib/server/runtime';
import { gapsOf, loadWeakSpotView, requireInsightViewer } from './view.server';

// A report with no script of its own: sending the figures again for the browser to take over the
// page would double what the page weighs and cost the server more than drawing it.
export const csr = false;

/** The summary opens with this many of the weakest sections; the rest are on /insight/sections. */
const weakestCount = 5;

export const load: PageServerLoad = async (event) => {
	const user = requireInsightViewer(event);
	const query = readQuery(event.url);
	const view = await loadWeakSpotView(user, { campaignId: query.id('campaign'), year: query.fiscalYear('year') });
	const db = getDb();
	const weakest = view.spots.sections.slice(0, weakestCount);
	// What the item analysis says of each: the questions that cite the section.
	const questionsOf = (s: (typeof weakest)[number]) => view.spots.questions.filter((q) => q.policyId === s.policyId && q.sectionKeys.includes(s.key));
	const open = (await listRevisions(db, user)).open;
	const effects: (RevisionEffects & { policyTitle: string })[] = [];
	for (const policy of view.spots.policies) {
		const e = await revisionEffects(db, user.orgId, policy.id, { roles: user.roles });
		if (e) effects.push({ ...e, policyTitle: policy.title });
	}
	return {
		...view,
		weakest: weakest.map((s) => ({
			section: s,
			policyTitle: view.spots.policies.find((p) => p.id === s.policyId)?.title ?? '',
			readings: questionsOf(s).map((q) => q.interpretation),
			// An open revision of the policy: the action opens it instead of starting another.
			openRevision: open.find((r) => r.policySlug === view.policySlugs[s.policyId]) ?? null
		})),
		effects,
		// Understanding and practice apart, counted here and listed on /insight/practice.
		gaps: gapsOf(view.spots.sections).map((g) => ({ reading: g.reading, count: g.sections.length }))
	};
};
