import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole } from '$lib/server/auth/current-user';
import { getDb } from '$lib/server/runtime';
import { japanToday } from '$lib/format/calendar';
import { readQuery } from '$lib/server/input/query';
import { recentWeakSpots, revisionEffects, weakSpotChoices, type RevisionEffects, type WeakSpotFilter } from '$lib/server/insight/weak-spots';
import { fiscalYearOf } from '$lib/format/wareki';

// A report with no script of its own: sending the figures again for the browser to take over the
// page would double what the page weighs and cost the server more than drawing it.
export const csr = false;

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'policy_owner', 'approver', 'admin');
	const db = getDb();
	const currentYear = fiscalYearOf(japanToday());
	const choices = await weakSpotChoices(db, user.orgId);

	const query = readQuery(url);
	const campaignId = query.id('campaign');
	const dept = query.id('dept');
	// Without a choice: this 年度 when it has campaigns, else the latest that has.
	const year = query.fiscalYear('year') ?? (choices.years.includes(currentYear) ? currentYear : (choices.years[0] ?? currentYear));
	const filter: WeakSpotFilter = campaignId ? { campaignId } : { fiscalYear: year };
	const spots = await recentWeakSpots(db, user.orgId, filter, { roles: user.roles, departmentId: dept });
	if (!spots) notFound();

	// A year typed into the address stays selectable, so the form shows what the page shows.
	const years = [...new Set([...choices.years, currentYear, ...('fiscalYear' in filter ? [filter.fiscalYear] : [])])].sort((a, b) => b - a);
	const effects: (RevisionEffects & { policyTitle: string })[] = [];
	for (const policy of spots.policies) {
		const e = await revisionEffects(db, user.orgId, policy.id, { roles: user.roles });
		if (e) effects.push({ ...e, policyTitle: policy.title });
	}
	return {
		filter,
		years,
		campaigns: choices.campaigns,
		spots,
		effects,
		dept,
		policySlugs: Object.fromEntries(spots.policies.map((p) => [p.id, p.slug])),
		// Drafting is the policy owner's (and the admin's); approvers review drafts instead.
		canDraft: hasRole(user, 'policy_owner', 'admin')
	};
};
