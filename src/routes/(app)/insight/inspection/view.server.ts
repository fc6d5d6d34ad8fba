// What the 自己点検 results page and its export both read: the guard, the round or 年度 chosen and
// the figures. Policy owners and admins only: supervisors see their departments' completion on
// /team and their 改善計画 on /inspection/improvements, never other departments' answers.
import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { japanToday } from '$lib/format/calendar';
import { fiscalYearOf } from '$lib/format/wareki';
import { readQuery } from '$lib/server/input/query';
import { organizations } from '$lib/server/db/schema';
import { inspectionChoices, inspectionFigures, type InspectionFilter } from '$lib/server/inspection/figures';

export function requireEvidenceViewer(locals: App.Locals, url: URL) {
	return requireRole(locals, url, 'policy_owner', 'admin');
}

/** `?round=<id>` or `?year=<yyyy>`; without either, this 年度 when it has rounds, else the latest that has. */
export async function loadEvidence(locals: App.Locals, url: URL) {
	const user = requireEvidenceViewer(locals, url);
	const query = readQuery(url);
	const round = query.id('round');
	const askedYear = query.fiscalYear('year');
	const db = getDb();
	const today = japanToday();
	const currentYear = fiscalYearOf(today);
	const choices = await inspectionChoices(db, user.orgId);
	const year = askedYear ?? (choices.years.includes(currentYear) ? currentYear : (choices.years[0] ?? currentYear));
	const filter: InspectionFilter = round ? { campaignId: round } : { fiscalYear: year };
	const figures = await inspectionFigures(db, user.orgId, filter, { roles: user.roles });
	if (!figures) error(404, { message: 'Not found', key: 'error.notFound' });
	const [org] = await db.select({ name: organizations.name, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, user.orgId));
	// A year typed into the address stays selectable, so the form shows what the page shows.
	const years = [...new Set([...choices.years, currentYear, ...('fiscalYear' in filter ? [filter.fiscalYear] : [])])].sort((a, b) => b - a);
	return { user, today, filter, figures, rounds: choices.rounds, years, organisation: org ?? { name: '', nameEn: '' } };
}
