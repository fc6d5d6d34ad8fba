import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { assignments, campaigns, courses, type EmploymentType } from '../../src/lib/server/db/schema';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';
import {
	allCompletionPeople,
	campaignsInScope,
	completionDashboard,
	completionPeople,
	completionScopeFor,
	departmentPath,
	incompleteAssignmentIds,
	narrowScope,
	parsePeopleFilter,
	remindableAssignmentIds,
	scopeDepartments,
	type CompletionScope
} from '../../src/lib/server/insight/completion';
import { completionCsvRows } from '../../src/lib/server/insight/completion-csv';
import { getCampaign } from '../../src/lib/server/learning/campaigns';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

type Status = 'not_started' | 'in_progress' | 'completed';

/**
 * 部A(100) ─ 課A1(110), 課A2(120) ─ 係A21(121); 部B(200) ─ 課B1(210); one person without a
 * department. Twelve people with hand-picked statuses, so every count below is worked out by hand.
 */
async function makeTown(slug: string) {
	const org = await makeOrg(db, slug);
	const bA = await makeDepartment(db, org.id, '100', '部A');
	const kA1 = await makeDepartment(db, org.id, '110', '課A1', bA.id);
	const kA2 = await makeDepartment(db, org.id, '120', '課A2', bA.id);
	const kA21 = await makeDepartment(db, org.id, '121', '係A21', kA2.id);
	const bB = await makeDepartment(db, org.id, '200', '部B');
	const kB1 = await makeDepartment(db, org.id, '210', '課B1', bB.id);
	const [course] = await db.insert(courses).values({ orgId: org.id, slug: 'basic', title: '基本研修' }).returning();
	const [campaign] = await db
		.insert(campaigns)
		.values({
			orgId: org.id,
			courseId: course.id,
			title: '令和8年度 全職員研修',
			fiscalYear: 2026,
			startsOn: '2026-11-01',
			dueOn: '2026-12-25',
			audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		})
		.returning();
	const plan: [string, string | null, EmploymentType, Status, string | null, string][] = [
		['p1', kA1.id, 'regular', 'completed', '2026-11-10T03:00:00Z', 'アオキ'],
		// 16:00 UTC is 01:00 the next day in Japan: counted on 11-11.
		['p2', kA1.id, 'regular', 'completed', '2026-11-10T16:00:00Z', 'イトウ'],
		['p3', kA1.id, 'fiscal_year', 'in_progress', null, 'ウエダ'],
		['p4', kA1.id, 'contractor', 'not_started', null, 'エンドウ'],
		['p5', kA2.id, 'regular', 'completed', '2026-11-12T01:00:00Z', 'オオタ'],
		['p6', kA2.id, 'fiscal_year', 'not_started', null, 'カトウ'],
		['p7', kA21.id, 'regular', 'in_progress', null, 'キムラ'],
		['p8', kA21.id, 'regular', 'not_started', null, 'クボ'],
		['p9', kB1.id, 'regular', 'completed', '2026-11-10T05:00:00Z', 'ケンモチ'],
		['p10', kB1.id, 'fiscal_year', 'not_started', null, 'コバヤシ'],
		['p11', kB1.id, 'contractor', 'not_started', null, 'サトウ'],
		['p12', null, 'dispatched', 'not_started', null, 'シミズ']
	];
	const people: Record<string, { personId: string; assignmentId: string }> = {};
	for (const [number, departmentId, employmentType, status, completedAt, kana] of plan) {
		const person = await makePerson(db, org.id, { employeeNumber: `${slug}-${number}`, name: `職員${number}`, nameKana: kana, departmentId, employmentType });
		const [a] = await db.insert(assignments).values({ orgId: org.id, campaignId: campaign.id, personId: person.id, departmentId, employmentType }).returning();
		// Status changes as the app makes them: an UPDATE after the INSERT, so the trigger sees both.
		if (status !== 'not_started') {
			await db
				.update(assignments)
				.set({
					status,
					startedAt: new Date('2026-11-05T00:00:00Z'),
					completedAt: completedAt ? new Date(completedAt) : null,
					attemptCount: status === 'completed' ? 1 : 0
				})
				.where(eq(assignments.id, a.id));
		}
		people[number] = { personId: person.id, assignmentId: a.id };
	}
	const admin = await makePerson(db, org.id, { employeeNumber: `${slug}-admin`, roles: ['admin'] });
	const supA2 = await makePerson(db, org.id, { employeeNumber: `${slug}-sup`, departmentId: kA2.id, roles: ['supervisor'], supervises: [kA2.id] });
	const learner = await makePerson(db, org.id, { employeeNumber: `${slug}-learner`, departmentId: kA2.id });
	return { org, d: { bA, kA1, kA2, kA21, bB, kB1 }, campaign, people, admin, supA2, learner };
}

let town: Awaited<ReturnType<typeof makeTown>>;
let other: Awaited<ReturnType<typeof makeTown>>;

async function scopeOf(personId: string, orgId: string): Promise<CompletionScope> {
	const user = await loadCurrentUser(db, personId, orgId);
	return completionScopeFor(db, user!);
}

beforeAll(async () => {
	town = await makeTown('comp-a');
	other = await makeTown('comp-b');
}, 120_000);

describe('completion counts kept by the trigger', () => {
	it('equal a recount of the assignments after inserts, status changes, transfers and deletes', async () => {
		const recount = async () =>
			(
				(await db.execute(sql`
				select coalesce(c.campaign_id, a.campaign_id) as campaign_id, coalesce(c.assigned, 0) as c_assigned, coalesce(a.assigned, 0) as a_assigned,
					coalesce(c.completed, 0) as c_completed, coalesce(a.completed, 0) as a_completed, coalesce(c.in_progress, 0) as c_in, coalesce(a.in_progress, 0) as a_in
				from completion_counts c
				full join (
					select campaign_id, department_id, employment_type, count(*)::int as assigned,
						(count(*) filter (where status = 'completed'))::int as completed, (count(*) filter (where status = 'in_progress'))::int as in_progress
					from assignments group by 1, 2, 3
				) a on a.campaign_id = c.campaign_id and a.department_id is not distinct from c.department_id and a.employment_type = c.employment_type
				where coalesce(c.assigned, 0) <> coalesce(a.assigned, 0) or coalesce(c.completed, 0) <> coalesce(a.completed, 0) or coalesce(c.in_progress, 0) <> coalesce(a.in_progress, 0)`)) as unknown as {
					rows: unknown[];
				}
			).rows;
		expect(await recount()).toEqual([]);
		// A transfer, a type change, a completion undone, and a delete, all in one go.
		const scratch = await makeTown('comp-scratch');
		await db.update(assignments).set({ departmentId: scratch.d.kB1.id }).where(eq(assignments.id, scratch.people.p4.assignmentId));
		await db.update(assignments).set({ employmentType: 'reappointed' }).where(eq(assignments.id, scratch.people.p6.assignmentId));
		await db.update(assignments).set({ status: 'in_progress', completedAt: null }).where(eq(assignments.id, scratch.people.p1.assignmentId));
		await db.update(assignments).set({ lastActivityAt: new Date() }).where(eq(assignments.id, scratch.people.p2.assignmentId));
		await db.delete(assignments).where(eq(assignments.id, scratch.people.p12.assignmentId));
		expect(await recount()).toEqual([]);
		const scope = await scopeOf(scratch.admin.id, scratch.org.id);
		const board = await completionDashboard(db, scope, scratch.campaign.id, '2026-11-20');
		expect(board!.totals).toEqual({ assigned: 11, completed: 3, inProgress: 3, notStarted: 5, overdue: 0 });
		// p1's completion on 11-10 is gone from the daily counts; p9's remains.
		expect(board!.daily).toEqual([
			{ day: '2026-11-10', completed: 1 },
			{ day: '2026-11-11', completed: 1 },
			{ day: '2026-11-12', completed: 1 }
		]);
	});
});

describe('completionDashboard', () => {
	it('gives an admin the whole organisation by 部, by employment type and by day', async () => {
		const scope = await scopeOf(town.admin.id, town.org.id);
		expect(scope.departmentIds).toBeNull();
		const board = (await completionDashboard(db, scope, town.campaign.id, '2026-11-20'))!;
		expect(board.totals).toEqual({ assigned: 12, completed: 4, inProgress: 2, notStarted: 6, overdue: 0 });
		expect(board.byDepartment.map((d) => [d.name, d.assigned, d.completed, d.inProgress, d.notStarted, d.hasChildren])).toEqual([
			['部A', 8, 3, 2, 3, true],
			['部B', 3, 1, 0, 2, true],
			[null, 1, 0, 0, 1, false]
		]);
		expect(board.byEmploymentType.map((c) => [c.employmentType, c.assigned, c.completed, c.inProgress])).toEqual([
			['regular', 6, 4, 1],
			['fiscal_year', 3, 0, 1],
			['dispatched', 1, 0, 0],
			['contractor', 2, 0, 0]
		]);
		expect(board.daily).toEqual([
			{ day: '2026-11-10', completed: 2 },
			{ day: '2026-11-11', completed: 1 },
			{ day: '2026-11-12', completed: 1 }
		]);
	});

	it('counts everyone not completed as overdue once the due date has passed', async () => {
		const scope = await scopeOf(town.admin.id, town.org.id);
		const board = (await completionDashboard(db, scope, town.campaign.id, '2026-12-26'))!;
		expect(board.totals.overdue).toBe(8);
		expect(board.byDepartment[0].overdue).toBe(5);
		const onDueDay = (await completionDashboard(db, scope, town.campaign.id, '2026-12-25'))!;
		expect(onDueDay.totals.overdue).toBe(0);
	});

	it('drills into a 部: its 課 with their 係 summed', async () => {
		const scope = (await narrowScope(db, await scopeOf(town.admin.id, town.org.id), town.d.bA.id))!;
		const board = (await completionDashboard(db, scope, town.campaign.id, '2026-11-20'))!;
		// 部A has no one of its own, so no "(直属)" row.
		expect(board.byDepartment.map((d) => [d.name, d.assigned, d.completed, d.inProgress, d.hasChildren, d.directOnly])).toEqual([
			['課A1', 4, 2, 1, false, false],
			['課A2', 4, 1, 1, true, false]
		]);
		expect(board.totals.assigned).toBe(8);
	});

	it('gives a supervisor of 課A2 their 課 and its 係, nothing else', async () => {
		const scope = await scopeOf(town.supA2.id, town.org.id);
		expect(new Set(scope.departmentIds)).toEqual(new Set([town.d.kA2.id, town.d.kA21.id]));
		const list = await campaignsInScope(db, scope, '2026-11-20');
		expect(list.map((c) => [c.title, c.counts.assigned, c.counts.completed])).toEqual([['令和8年度 全職員研修', 4, 1]]);
		const board = (await completionDashboard(db, scope, town.campaign.id, '2026-11-20'))!;
		expect(board.byDepartment.map((d) => [d.name, d.assigned, d.completed, d.inProgress, d.directOnly])).toEqual([
			['課A2', 2, 1, 0, true],
			['係A21', 2, 0, 1, false]
		]);
		expect(board.byEmploymentType.map((c) => [c.employmentType, c.assigned])).toEqual([
			['regular', 3],
			['fiscal_year', 1]
		]);
		expect(board.daily).toEqual([{ day: '2026-11-12', completed: 1 }]);
	});
});

describe('scope', () => {
	it('refuses departments outside the scope and other organisations', async () => {
		const sup = await scopeOf(town.supA2.id, town.org.id);
		expect(await narrowScope(db, sup, town.d.kA1.id)).toBeNull();
		expect(await narrowScope(db, sup, town.d.bA.id)).toBeNull();
		expect(await narrowScope(db, sup, other.d.kA2.id)).toBeNull();
		expect(await narrowScope(db, sup, 'not-a-uuid')).toBeNull();
		expect((await narrowScope(db, sup, town.d.kA21.id))?.departmentIds).toEqual([town.d.kA21.id]);
		const admin = await scopeOf(town.admin.id, town.org.id);
		expect(await narrowScope(db, admin, other.d.bA.id)).toBeNull();
		// Another organisation's campaign is simply not there.
		expect(await completionDashboard(db, admin, other.campaign.id, '2026-11-20')).toBeNull();
		expect((await campaignsInScope(db, admin, '2026-11-20')).map((c) => c.id)).toEqual([town.campaign.id]);
	});

	it('gives a learner without the role nothing', async () => {
		const scope = await scopeOf(town.learner.id, town.org.id);
		expect(scope.departmentIds).toEqual([]);
		expect(await campaignsInScope(db, scope, '2026-11-20')).toEqual([]);
		const board = await completionDashboard(db, scope, town.campaign.id, '2026-11-20');
		expect(board?.totals.assigned).toBe(0);
	});

	it('keeps the people list and reminder targets inside the scope', async () => {
		const sup = await scopeOf(town.supA2.id, town.org.id);
		const all = await allCompletionPeople(db, sup, town.campaign, parsePeopleFilter(new URLSearchParams()), '2026-11-20');
		expect(all.map((p) => p.employeeNumber)).toEqual(['comp-a-p6', 'comp-a-p8', 'comp-a-p7', 'comp-a-p5']);
		const foreign = [town.people.p1.assignmentId, town.people.p9.assignmentId, other.people.p6.assignmentId];
		const mine = [town.people.p6.assignmentId, town.people.p5.assignmentId /* completed */, town.people.p7.assignmentId];
		expect(new Set(await remindableAssignmentIds(db, sup, town.campaign.id, [...foreign, ...mine, 'junk']))).toEqual(
			new Set([town.people.p6.assignmentId, town.people.p7.assignmentId])
		);
		expect(new Set(await incompleteAssignmentIds(db, sup, town.campaign.id, null))).toEqual(
			new Set([town.people.p6.assignmentId, town.people.p7.assignmentId, town.people.p8.assignmentId])
		);
		expect(await incompleteAssignmentIds(db, sup, town.campaign.id, 'fiscal_year')).toEqual([town.people.p6.assignmentId]);
		expect((await scopeDepartments(db, sup)).map((d) => [d.name, d.depth])).toEqual([
			['課A2', 0],
			['係A21', 1]
		]);
		expect(await departmentPath(db, sup, town.d.kA21.id)).toEqual([
			{ id: town.d.kA2.id, name: '課A2' },
			{ id: town.d.kA21.id, name: '係A21' }
		]);
	});
});

describe('completionPeople', () => {
	const filter = (query: string) => parsePeopleFilter(new URLSearchParams(query));

	it('filters by status and employment type and pages', async () => {
		const admin = await scopeOf(town.admin.id, town.org.id);
		const numbers = async (query: string, today = '2026-11-20') =>
			(await completionPeople(db, admin, town.campaign, filter(query), today)).rows.map((r) => r.employeeNumber.replace('comp-a-', ''));
		expect(await numbers('status=completed&sort=name')).toEqual(['p1', 'p2', 'p5', 'p9']);
		expect(await numbers('status=in_progress&sort=name')).toEqual(['p3', 'p7']);
		expect(await numbers('status=incomplete&type=fiscal_year&sort=name')).toEqual(['p3', 'p6', 'p10']);
		expect(await numbers('status=overdue')).toEqual([]);
		expect((await numbers('status=overdue', '2026-12-26')).length).toBe(8);
		// Overdue first by default: not started, then in progress, each by department code then kana.
		expect(await numbers('')).toEqual(['p4', 'p6', 'p8', 'p10', 'p11', 'p12', 'p3', 'p7', 'p1', 'p2', 'p5', 'p9']);
		expect(await numbers('sort=completed&status=completed')).toEqual(['p5', 'p2', 'p9', 'p1']);
		const page = await completionPeople(db, admin, town.campaign, { ...filter('sort=name'), pageSize: 5, page: 3 }, '2026-11-20');
		expect(page.total).toBe(12);
		expect(page.rows.map((r) => r.employeeNumber)).toEqual(['comp-a-p11', 'comp-a-p12']);
	});

	it('reads an empty filter as the defaults and refuses values the page cannot send with a 400', () => {
		expect(filter('status=&type=&sort=')).toMatchObject({ status: 'all', employmentType: null, sort: 'status', page: 1 });
		for (const query of ['status=drop', 'type=x', 'sort=;', 'page=-3', 'page=1e9']) {
			expect(() => filter(query), query).toThrow(expect.objectContaining({ status: 400 }));
		}
	});

	it('shapes CSV rows with 和暦 and ISO dates', async () => {
		const admin = await scopeOf(town.admin.id, town.org.id);
		const rows = completionCsvRows(
			town.campaign,
			await allCompletionPeople(db, admin, town.campaign, filter('status=completed&sort=name'), '2026-11-20'),
			'ja'
		);
		expect(rows[0]).toContain('修了日（和暦）');
		const p2 = rows.find((r) => r[1] === 'comp-a-p2')!;
		expect(p2).toContain('令和8年11月11日');
		expect(p2).toContain('2026-11-11');
		expect(p2).toContain('修了');
		expect(p2).toContain('令和8年12月25日');
	});
});

describe('campaign counts read from the summary rows', () => {
	it('match the dashboard for the admin campaign page', async () => {
		const detail = (await getCampaign(db, town.org.id, town.campaign.id, { today: '2026-11-20' }))!;
		expect(detail.counts).toEqual({ assigned: 12, completed: 4, inProgress: 2, notStarted: 6, overdue: 0 });
		expect(detail.byDepartment.find((d) => d.departmentId === town.d.kA21.id)).toMatchObject({ assigned: 2, inProgress: 1 });
	});
});
