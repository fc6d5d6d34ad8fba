// What every 弱点分析 page loads: the guard, the campaign or 年度 chosen, the figures, and for the
// detail pages the policy shown and the page of rows.
import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole, type CurrentUser } from '$lib/server/auth/current-user';
import { getDb } from '$lib/server/runtime';
import { japanToday } from '$lib/format/calendar';
import { recentSideBySide, weakSpotChoices, type SideBySideSection, type WeakSpotFilter, type WeakSpots } from '$lib/server/insight/weak-spots';
import { fiscalYearOf } from '$lib/format/wareki';

/** Rows per page of a detail table: a few screens, not the whole policy. */
export const detailPageSize = 25;

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

/** The pages are for policy owners, approvers and admins; the guard comes before any parameter is read. */
export function requireInsightViewer(event: Pick<RequestEvent, 'locals' | 'url'>) {
	return requireRole(event.locals, event.url, 'policy_owner', 'approver', 'admin');
}

/**
 * The figures for the campaign or 年度 asked for, the 年度's self-inspection beside them, (and `dept`, where the page drills into
 * departments). Without a choice: this 年度 when it has campaigns, else the latest that has.
 */
export async function loadWeakSpotView(user: CurrentUser, asked: { campaignId: string | null; year: number | null; dept?: string | null }) {
	const db = getDb();
	const currentYear = fiscalYearOf(japanToday());
	const choices = await weakSpotChoices(db, user.orgId);
	const dept = asked.dept ?? null;
	const year = asked.year ?? (choices.years.includes(currentYear) ? currentYear : (choices.years[0] ?? currentYear));
	const filter: WeakSpotFilter = asked.campaignId ? { campaignId: asked.campaignId } : { fiscalYear: year };
	const spots = await recentSideBySide(db, user.orgId, filter, { roles: user.roles, departmentId: dept });
	if (!spots) notFound();
	// A year typed into the address stays selectable, so the form shows what the page shows.
	const years = [...new Set([...choices.years, currentYear, ...('fiscalYear' in filter ? [filter.fiscalYear] : [])])].sort((a, b) => b - a);
	return {
		filter,
		years,
		campaigns: choices.campaigns,
		spots,
		dept,
		policySlugs: Object.fromEntries(spots.policies.map((p) => [p.id, p.slug])),
		// Drafting is the policy owner's (and the admin's); approvers review drafts instead.
		canDraft: hasRole(user, 'policy_owner', 'admin'),
		// The 自己点検 results (/insight/inspection) are the policy owner's and the admin's too.
		canSeeInspection: hasRole(user, 'policy_owner', 'admin')
	};
}

/**
 * A detail page's policy (the one asked for, else the first with figures) and its rows of one
 * page (past the end shows the last). A policy the viewer may not see is a 404. `shown` narrows
 * the rows (to one 部) without changing the policies offered or the one chosen by default.
 */
export function detailPage<T extends { policyId: string }>(spots: WeakSpots, all: T[], asked: { policyId: string | null; page: number }, shown: T[] = all) {
	if (asked.policyId && !spots.policies.some((p) => p.id === asked.policyId)) notFound();
	const withRows = spots.policies.filter((p) => all.some((r) => r.policyId === p.id));
	const policyId = asked.policyId ?? withRows[0]?.id ?? null;
	const rows = shown.filter((r) => r.policyId === policyId);
	const pages = Math.max(1, Math.ceil(rows.length / detailPageSize));
	const page = Math.min(asked.page, pages);
	return {
		policyId,
		policyOptions: withRows.map((p) => ({ id: p.id, title: p.title })),
		rows: rows.slice((page - 1) * detailPageSize, page * detailPageSize),
		total: rows.length,
		first: (page - 1) * detailPageSize + 1,
		page,
		pages
	};
}

/** The two readings that call for different work: a clause known but not done, and one done but not known. */
export const gapReadings = ['known_not_done', 'done_not_known'] as const;

/** Sections of each reading, the widest gap between the two rates first. */
export function gapsOf(sections: readonly SideBySideSection[]) {
	const gap = (s: SideBySideSection) => Math.abs((s.practice?.errorRate ?? 0) - (s.errorRate ?? 0));
	return gapReadings.map((reading) => ({ reading, sections: sections.filter((s) => s.reading === reading).sort((a, b) => gap(b) - gap(a)) }));
}
