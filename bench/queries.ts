// Server time of the dashboard and weak-spot reads: the domain functions the pages call, run
// from this process against the bench database, one after another.
import type { Db } from '../src/lib/server/db/client';
import { loadCurrentUser } from '../src/lib/server/auth/current-user';
import { campaignsInScope, completionDashboard, completionPeople, completionScopeFor, parsePeopleFilter } from '../src/lib/server/insight/completion';
import { sideBySide, weakSpots } from '../src/lib/server/insight/weak-spots';
import { japanToday } from '../src/lib/format/calendar';
import { percentile } from './load';
import type { BenchWorld } from './scenarios';
import { saveInspectionAnswers } from '../src/lib/server/inspection/rounds';
import { nextInspectionAnswers, type InspectionWorld } from './inspection';

export interface QueryTiming {
	name: string;
	runs: number;
	p50: number;
	p95: number;
	max: number;
}

async function time(name: string, runs: number, fn: () => Promise<unknown>): Promise<QueryTiming> {
	for (let i = 0; i < 3; i++) await fn();
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await fn();
		ms.push(performance.now() - t0);
	}
	ms.sort((a, b) => a - b);
	const r = (x: number) => Math.round(x * 100) / 100;
	return { name, runs, p50: r(percentile(ms, 50)), p95: r(percentile(ms, 95)), max: r(ms.at(-1)!) };
}

export async function timeQueries(db: Db, world: BenchWorld, runs: number): Promise<QueryTiming[]> {
	const today = japanToday();
	const supervisor = await loadCurrentUser(db, world.topSupervisors[0].id, world.orgId);
	const owner = await loadCurrentUser(db, world.policyOwner.id, world.orgId);
	if (!supervisor || !owner) throw new Error('bench supervisor or policy owner missing');
	const scope = await completionScopeFor(db, supervisor);
	const [campaign] = await campaignsInScope(db, scope, today);
	const filter = parsePeopleFilter(new URLSearchParams());
	return [
		await time('completion scope (supervisor of a 部)', runs, () => completionScopeFor(db, supervisor)),
		await time('campaigns in scope', runs, () => campaignsInScope(db, scope, today)),
		await time('completion dashboard', runs, () => completionDashboard(db, scope, campaign.id, today)),
		await time('people list, first page', runs, () => completionPeople(db, scope, campaign, filter, today)),
		await time(`weak spots, ${world.fiscalYear} 年度`, runs, () => weakSpots(db, world.orgId, { fiscalYear: world.fiscalYear }, { roles: owner.roles })),
		await time('weak spots, one campaign', runs, () => weakSpots(db, world.orgId, { campaignId: world.deadlineCampaignId }, { roles: owner.roles })),
		await time(`self-inspection figures, ${world.fiscalYear} 年度`, runs, () =>
			weakSpots(db, world.orgId, { fiscalYear: world.fiscalYear }, { roles: owner.roles, source: 'inspection' })
		),
		await time(`quiz beside practice, ${world.fiscalYear} 年度`, runs, () =>
			sideBySide(db, world.orgId, { fiscalYear: world.fiscalYear }, { roles: owner.roles })
		)
	];
}

/**
 * One autosave of the self-inspection round as the action runs it (the whole form, one answer
 * changed), from this process: the server time of its one transaction, without HTTP.
 */
export async function timeInspectionSave(db: Db, world: BenchWorld, round: InspectionWorld, person: { personId: string; assignmentId: string }, runs: number) {
	const state: string[] = [];
	let n = 0;
	const save = async () => {
		const answers = nextInspectionAnswers(round, state, n++).map(([itemId, answer]) => ({ itemId, answer: answer as 'yes' | 'no' | 'na', comment: '' }));
		const result = await saveInspectionAnswers(db, world.orgId, person.personId, person.assignmentId, answers);
		if (!result.ok) throw new Error(`inspection save refused: ${result.reason}`);
	};
	return time(`one self-inspection save (${round.items.length} items, one changed)`, runs, save);
}
