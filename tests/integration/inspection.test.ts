// Self-inspection rounds on PostgreSQL: campaigns that assign a checklist (by role too), answers
// saved as given, the summary rows against a recount after changes, transfers and concurrent saves,
// completion, the 改善計画 a 所属長's いいえ opens, removes and carries into next year, who may edit
// it, and the understanding-beside-practice figures with their withholding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { createDb, rowsOf, type Db, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import {
	assignments,
	auditEvents,
	completionCounts,
	improvementActions,
	inspectionChecklists,
	inspectionItems,
	people,
	policies,
	policySections,
	policyVersions,
	type InspectionAnswer
} from '../../src/lib/server/db/schema';
import { createCampaign, syncAssignmentsForPeople } from '../../src/lib/server/learning/campaigns';
import { getRound, learnerRounds, saveInspectionAnswers } from '../../src/lib/server/inspection/rounds';
import { listImprovements, updateImprovement } from '../../src/lib/server/inspection/improvements';
import { writeChecklistItems } from '../../src/lib/server/inspection/content/sync';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';
import { completionScopeFor } from '../../src/lib/server/insight/completion';
import { sideBySide, weakSpots } from '../../src/lib/server/insight/weak-spots';
import { sendReminders } from '../../src/lib/server/notify/reminders';
import { waitingFor } from '../../src/lib/server/home/waiting';
import { outbox } from '../../src/lib/server/db/schema';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

const today = '2026-06-15';
const nextYearDay = '2027-06-15';

async function makeTown(slug: string) {
	const org = await makeOrg(db, slug);
	const d100 = await makeDepartment(db, org.id, '100', '総務部');
	const d200 = await makeDepartment(db, org.id, '200', '市民部');
	const admin = await makePerson(db, org.id, { employeeNumber: 'A-1', departmentId: d100.id, roles: ['admin'] });
	const chief100 = await makePerson(db, org.id, { employeeNumber: 'C-100', departmentId: d100.id, roles: ['supervisor'], supervises: [d100.id] });
	const chief200 = await makePerson(db, org.id, { employeeNumber: 'C-200', departmentId: d200.id, roles: ['supervisor'], supervises: [d200.id] });
	const staff = [];
	for (let i = 0; i < 6; i++)
		staff.push(await makePerson(db, org.id, { employeeNumber: `1${i}`, departmentId: d100.id, employmentType: i % 2 ? 'fiscal_year' : 'regular' }));
	for (let i = 0; i < 6; i++) staff.push(await makePerson(db, org.id, { employeeNumber: `2${i}`, departmentId: d200.id }));
	const [policy] = await db.insert(policies).values({ orgId: org.id, slug: 'basic', title: '基本方針' }).returning();
	const [version] = await db
		.insert(policyVersions)
		.values({ orgId: org.id, policyId: policy.id, version: '1.0', status: 'published', changeKind: 'enacted', publishedAt: new Date('2026-04-01') })
		.returning();
	for (const [i, key] of ['6', '6.4', '6.5'].entries()) {
		await db
			.insert(policySections)
			.values({ orgId: org.id, versionId: version.id, key, label: key, heading: `見出し${key}`, body: '本文', position: i + 1, level: key.split('.').length });
	}
	const checklist = async (slugName: string, tier: 'staff' | 'supervisor') => {
		const [c] = await db
			.insert(inspectionChecklists)
			.values({ orgId: org.id, slug: slugName, title: `点検票 ${slugName}`, tier, policyId: policy.id })
			.returning();
		await writeChecklistItems(db, org.id, c.id, [
			{ slug: 'lock', text: '離席時に画面をロックしている。', explanation: '', sectionKeys: ['6.5'], auditItem: '3.1', line: 1, sectionsLine: 2 },
			{ slug: 'desk', text: '机の上に書類を置いたままにしない。', explanation: '', sectionKeys: ['6.4', '6.5'], auditItem: null, line: 3, sectionsLine: 4 },
			{ slug: 'media', text: '媒体を施錠保管している。', explanation: '', sectionKeys: ['6.4'], auditItem: null, line: 5, sectionsLine: 6 }
		]);
		const items = await db.select().from(inspectionItems).where(eq(inspectionItems.checklistId, c.id)).orderBy(inspectionItems.position);
		return { ...c, items };
	};
	const actor = { orgId: org.id, personId: admin.id };
	return {
		org,
		d100,
		d200,
		admin,
		chief100,
		chief200,
		staff,
		policy,
		actor,
		staffList: await checklist('staff', 'staff'),
		chiefList: await checklist('chief', 'supervisor')
	};
}
type Town = Awaited<ReturnType<typeof makeTown>>;

async function round(town: Town, checklistId: string, audience: { roles?: string[] } = {}, fiscalYear = 2026, startsOn = '2026-06-01', dueOn = '2026-07-31') {
	const made = await createCampaign(
		db,
		town.actor,
		{
			subjectId: checklistId,
			title: `自己点検 ${fiscalYear}`,
			fiscalYear,
			startsOn,
			dueOn,
			audience: audience.roles
				? { everyone: false, employmentTypes: [], departmentIds: [], createdSince: null, roles: audience.roles }
				: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		},
		{ today: startsOn }
	);
	if (!made.ok) throw new Error(JSON.stringify(made));
	return made.id;
}

async function assignmentOf(campaignId: string, personId: string) {
	const [a] = await db
		.select()
		.from(assignments)
		.where(and(eq(assignments.campaignId, campaignId), eq(assignments.personId, personId)));
	return a;
}

/** The summary rows recounted from the answers themselves. */
async function recount(campaignId: string) {
	const stored = await rowsOf<Record<string, unknown>>(
		db,
		sql`
		select item_id::text, coalesce(department_id::text, '') as dept, employment_type::text as type, yes, no, na
		from inspection_item_stats where campaign_id = ${campaignId} and (yes <> 0 or no <> 0 or na <> 0) order by 1, 2, 3`
	);
	const counted = await rowsOf<Record<string, unknown>>(
		db,
		sql`
		select r.item_id::text, coalesce(r.department_id::text, '') as dept, r.employment_type::text as type,
			count(*) filter (where answer = 'yes')::int as yes, count(*) filter (where answer = 'no')::int as no, count(*) filter (where answer = 'na')::int as na
		from inspection_responses r join assignments a on a.id = r.assignment_id
		where a.campaign_id = ${campaignId} group by 1, 2, 3 order by 1, 2, 3`
	);
	const sectionStored = await rowsOf<Record<string, unknown>>(
		db,
		sql`
		select section_key, coalesce(department_id::text, '') as dept, employment_type::text as type, answers, errors
		from section_answer_stats where campaign_id = ${campaignId} and (answers <> 0 or errors <> 0) order by 1, 2, 3`
	);
	const sectionCounted = await rowsOf<Record<string, unknown>>(
		db,
		sql`
		select k as section_key, coalesce(r.department_id::text, '') as dept, r.employment_type::text as type,
			count(*) filter (where answer <> 'na')::int as answers, count(*) filter (where answer = 'no')::int as errors
		from inspection_responses r join assignments a on a.id = r.assignment_id join inspection_items i on i.id = r.item_id, unnest(i.section_keys) k
		where a.campaign_id = ${campaignId} group by 1, 2, 3 having count(*) filter (where answer <> 'na') > 0 order by 1, 2, 3`
	);
	return { stored, counted, sectionStored, sectionCounted };
}

const answer = (itemId: string, value: InspectionAnswer, comment = '') => ({ itemId, answer: value, comment });

describe('inspection rounds', () => {
	let town: Town;
	let campaignId: string;
	beforeAll(async () => {
		town = await makeTown('insp-a');
		campaignId = await round(town, town.staffList.id);
	});

	it('assigns the checklist to the audience and shows it on the person’s list, not as a course', async () => {
		const rounds = await learnerRounds(db, town.org.id, town.staff[0].id, today);
		expect(rounds.map((r) => [r.checklistTitle, r.itemsTotal, r.answered, r.status])).toEqual([['点検票 staff', 3, 0, 'not_started']]);
	});

	it('saves answers as given, resumes them, and completes the round when every item is answered', async () => {
		const person = town.staff[0];
		const a = await assignmentOf(campaignId, person.id);
		const [lock, desk, media] = town.staffList.items;
		const first = await saveInspectionAnswers(db, town.org.id, person.id, a.id, [answer(lock.id, 'no', 'たまに忘れる')], today);
		expect(first).toMatchObject({ ok: true, saved: 1, answered: 1, completed: false });
		expect((await assignmentOf(campaignId, person.id)).status).toBe('in_progress');
		const again = await getRound(db, town.org.id, person.id, a.id, today);
		expect(again?.items.map((i) => [i.slug, i.answer, i.comment])).toEqual([
			['lock', 'no', 'たまに忘れる'],
			['desk', null, ''],
			['media', null, '']
		]);
		// The same answer again changes nothing.
		expect(await saveInspectionAnswers(db, town.org.id, person.id, a.id, [answer(lock.id, 'no', 'たまに忘れる')], today)).toMatchObject({ ok: true, saved: 0 });
		const done = await saveInspectionAnswers(db, town.org.id, person.id, a.id, [answer(desk.id, 'yes'), answer(media.id, 'na')], today);
		expect(done).toMatchObject({ ok: true, completed: true, answered: 3 });
		const after = await assignmentOf(campaignId, person.id);
		expect(after.status).toBe('completed');
		expect(after.completedAt).not.toBeNull();
		const [counts] = await db
			.select({ completed: sql<number>`sum(${completionCounts.completed})::int`, attempted: sql<number>`sum(${completionCounts.attempted})::int` })
			.from(completionCounts)
			.where(eq(completionCounts.campaignId, campaignId));
		expect(counts).toEqual({ completed: 1, attempted: 1 });
	});

	it('keeps the summary rows equal to a recount through changed answers, a transfer and concurrent saves', async () => {
		const [lock, desk, media] = town.staffList.items;
		const values: InspectionAnswer[] = ['yes', 'no', 'na'];
		for (const [i, person] of town.staff.slice(1).entries()) {
			const a = await assignmentOf(campaignId, person.id);
			await saveInspectionAnswers(db, town.org.id, person.id, a.id, [answer(lock.id, values[i % 3]), answer(desk.id, values[(i + 1) % 3])], today);
		}
		// Changed answers move their counts.
		const p1 = town.staff[1];
		const a1 = await assignmentOf(campaignId, p1.id);
		await saveInspectionAnswers(db, town.org.id, p1.id, a1.id, [answer(lock.id, 'no'), answer(desk.id, 'na'), answer(media.id, 'yes')], today);
		// A transfer with the round still open: the assignment moves to the new department, and a changed
		// answer moves its count from the department it was counted in.
		const mover = town.staff[4];
		const moverRound = await assignmentOf(campaignId, mover.id);
		expect(moverRound.status).toBe('in_progress');
		await db.update(people).set({ departmentId: town.d200.id }).where(eq(people.id, mover.id));
		await syncAssignmentsForPeople(db, town.org.id, [mover.id], { today });
		expect((await assignmentOf(campaignId, mover.id)).departmentId).toBe(town.d200.id);
		await saveInspectionAnswers(db, town.org.id, mover.id, moverRound.id, [answer(lock.id, 'no')], today);
		// Concurrent saves of one person's round and of others' take turns without losing a count.
		const p2 = town.staff[2];
		const a2 = await assignmentOf(campaignId, p2.id);
		const p3 = town.staff[3];
		const a3 = await assignmentOf(campaignId, p3.id);
		const results = await Promise.all([
			saveInspectionAnswers(db, town.org.id, p2.id, a2.id, [answer(media.id, 'no')], today),
			saveInspectionAnswers(db, town.org.id, p2.id, a2.id, [answer(media.id, 'yes')], today),
			saveInspectionAnswers(db, town.org.id, p3.id, a3.id, [answer(media.id, 'no'), answer(lock.id, 'no')], today),
			saveInspectionAnswers(db, town.org.id, p3.id, a3.id, [answer(desk.id, 'yes')], today)
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		const { stored, counted, sectionStored, sectionCounted } = await recount(campaignId);
		expect(stored).toEqual(counted);
		expect(sectionStored).toEqual(sectionCounted);
		expect(counted.length).toBeGreaterThan(3);
	});

	it('reminds by mail with the round’s own words and address', async () => {
		const person = town.staff[5];
		await db.update(people).set({ email: 'staff5@example.lg.jp' }).where(eq(people.id, person.id));
		const a = await assignmentOf(campaignId, person.id);
		const outcome = await sendReminders(db, { ...town.actor, ip: null }, campaignId, [a.id], { today, mailOn: true, appUrl: 'https://mamori.example.lg.jp' });
		expect(outcome?.reminded).toBe(1);
		const [mail] = await db.select().from(outbox).where(eq(outbox.toAddress, 'staff5@example.lg.jp'));
		expect(mail.subject).toBe(`【回答のお願い】自己点検「自己点検 2026」（期限 令和8年7月31日）`);
		expect(mail.body).toContain(`回答はこちらから：https://mamori.example.lg.jp/inspection/${a.id}`);
		expect(mail.body).not.toContain('受講');
	});

	it('refuses another person’s round, an item of another checklist and an unknown answer', async () => {
		const a = await assignmentOf(campaignId, town.staff[4].id);
		expect(await saveInspectionAnswers(db, town.org.id, town.staff[5].id, a.id, [answer(town.staffList.items[0].id, 'yes')], today)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await saveInspectionAnswers(db, town.org.id, town.staff[4].id, a.id, [answer(town.chiefList.items[0].id, 'yes')], today)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(
			await saveInspectionAnswers(
				db,
				town.org.id,
				town.staff[4].id,
				a.id,
				[{ itemId: town.staffList.items[0].id, answer: 'maybe' as never, comment: '' }],
				today
			)
		).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const other = await makeTown('insp-other');
		expect(await saveInspectionAnswers(db, other.org.id, town.staff[4].id, a.id, [answer(town.staffList.items[0].id, 'yes')], today)).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});
});

describe('改善計画', () => {
	let town: Town;
	let first: string;
	beforeAll(async () => {
		town = await makeTown('insp-plan');
		first = await round(town, town.chiefList.id, { roles: ['supervisor'] });
	});

	it('assigns the 所属長 checklist by role only', async () => {
		const assigned = await db.select({ personId: assignments.personId }).from(assignments).where(eq(assignments.campaignId, first));
		expect(assigned.map((a) => a.personId).sort()).toEqual([town.chief100.id, town.chief200.id].sort());
	});

	it('opens a plan for each いいえ, removes one taken back untouched, and keeps one being worked on', async () => {
		const [lock, desk, media] = town.chiefList.items;
		const a = await assignmentOf(first, town.chief100.id);
		const saved = await saveInspectionAnswers(
			db,
			town.org.id,
			town.chief100.id,
			a.id,
			[answer(lock.id, 'no', '徹底できていない'), answer(desk.id, 'no'), answer(media.id, 'yes')],
			today
		);
		expect(saved).toMatchObject({ ok: true, plansOpened: 2 });
		let plans = await db.select().from(improvementActions).where(eq(improvementActions.departmentId, town.d100.id));
		expect(plans.map((p) => [p.itemId, p.status, p.finding]).sort()).toEqual(
			[
				[desk.id, 'open', ''],
				[lock.id, 'open', '徹底できていない']
			].sort()
		);
		// 課長 of 市民部 does not see 総務部's plans; the 総務部 one edits its own.
		const scope200 = await completionScopeFor(db, (await loadCurrentUser(db, town.chief200.id, town.org.id))!);
		expect(await listImprovements(db, scope200)).toEqual([]);
		const scope100 = await completionScopeFor(db, (await loadCurrentUser(db, town.chief100.id, town.org.id))!);
		const lockPlan = plans.find((p) => p.itemId === lock.id)!;
		expect(
			await updateImprovement(db, { orgId: town.org.id, personId: town.chief200.id }, scope200, lockPlan.id, {
				plan: 'x',
				assignee: '',
				dueOn: '',
				status: 'open'
			})
		).toEqual({ ok: false, reason: 'not_found' });
		const edit = await updateImprovement(db, { orgId: town.org.id, personId: town.chief100.id }, scope100, lockPlan.id, {
			plan: '離席時ロックの設定を全端末に入れる',
			assignee: '総務係長',
			dueOn: '令和8年9月30日',
			status: 'in_progress'
		});
		expect(edit).toEqual({ ok: true });
		const [event] = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'improvement.update'), eq(auditEvents.targetId, lockPlan.id)));
		expect(event.detail).toMatchObject({ department: '総務部', after: { status: 'in_progress', dueOn: '2026-09-30' } });
		expect(
			await updateImprovement(db, { orgId: town.org.id, personId: town.chief100.id }, scope100, lockPlan.id, {
				plan: '',
				assignee: '',
				dueOn: '2026-13-01',
				status: 'done'
			})
		).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		// Both いいえ taken back: the untouched plan goes, the one being worked on stays.
		await saveInspectionAnswers(db, town.org.id, town.chief100.id, a.id, [answer(lock.id, 'yes'), answer(desk.id, 'yes')], today);
		plans = await db.select().from(improvementActions).where(eq(improvementActions.departmentId, town.d100.id));
		expect(plans.map((p) => [p.itemId, p.status])).toEqual([[lock.id, 'in_progress']]);
	});

	it('carries an unfinished plan into next year’s round and shows it beside the item', async () => {
		const [lock] = town.chiefList.items;
		const next = await round(town, town.chiefList.id, { roles: ['supervisor'] }, 2027, '2027-06-01', '2027-07-31');
		const a = await assignmentOf(next, town.chief100.id);
		const shown = await getRound(db, town.org.id, town.chief100.id, a.id, nextYearDay);
		expect(shown?.items.find((i) => i.id === lock.id)?.openPlan).toMatchObject({ status: 'in_progress', fiscalYear: 2026 });
		const saved = await saveInspectionAnswers(db, town.org.id, town.chief100.id, a.id, [answer(lock.id, 'no')], nextYearDay);
		expect(saved).toMatchObject({ ok: true, plansOpened: 0 });
		const plans = await db.select().from(improvementActions).where(eq(improvementActions.departmentId, town.d100.id));
		expect(plans).toHaveLength(1);
		expect(plans[0]).toMatchObject({ campaignId: first, lastCampaignId: next, fiscalYear: 2026, status: 'in_progress' });
		const scope = await completionScopeFor(db, (await loadCurrentUser(db, town.admin.id, town.org.id))!);
		const listed = await listImprovements(db, scope, { status: 'unfinished' });
		expect(listed.map((r) => [r.departmentName, r.fiscalYear, r.lastFiscalYear])).toEqual([['総務部', 2026, 2027]]);
		// The 課長's home counts their department's unfinished plans; the other 課長's counts none.
		const home100 = await waitingFor(db, (await loadCurrentUser(db, town.chief100.id, town.org.id))!, nextYearDay);
		const home200 = await waitingFor(db, (await loadCurrentUser(db, town.chief200.id, town.org.id))!, nextYearDay);
		expect([home100.supervisor?.openImprovements, home200.supervisor?.openImprovements]).toEqual([1, 0]);
	});
});

describe('understanding beside practice', () => {
	it('puts each section’s いいえ rate beside the quiz, withholds small departments and reads the pair', async () => {
		const town = await makeTown('insp-side');
		const campaignId = await round(town, town.staffList.id);
		const [lock, desk, media] = town.staffList.items;
		for (const [i, person] of town.staff.entries()) {
			const a = await assignmentOf(campaignId, person.id);
			// 総務部 (the first six) answers いいえ to lock; 市民部 only sometimes.
			const lockAnswer: InspectionAnswer = i < 6 ? 'no' : i % 3 === 0 ? 'no' : 'yes';
			await saveInspectionAnswers(
				db,
				town.org.id,
				person.id,
				a.id,
				[answer(lock.id, lockAnswer), answer(desk.id, 'yes'), answer(media.id, i === 0 ? 'na' : 'yes')],
				today
			);
		}
		// One more person in a department of their own: fewer than 5, withheld.
		const d300 = await makeDepartment(db, town.org.id, '300', '小さな課');
		const lone = await makePerson(db, town.org.id, { employeeNumber: '301', departmentId: d300.id });
		await syncAssignmentsForPeople(db, town.org.id, [lone.id], { today });
		const la = await assignmentOf(campaignId, lone.id);
		await saveInspectionAnswers(db, town.org.id, lone.id, la.id, [answer(lock.id, 'no')], today);

		const practice = await weakSpots(db, town.org.id, { fiscalYear: 2026 }, { roles: [], source: 'inspection' });
		expect(practice?.shown).toBe(true);
		const s65 = practice!.sections.find((s) => s.key === '6.5')!;
		// 6.5: lock (13 answers, 9 いいえ) and desk (12 はい).
		expect([s65.answers, s65.errors]).toEqual([25, 9]);
		const small = practice!.departments.findIndex((d) => d.name === '小さな課');
		expect(practice!.departments[small].suppressed).toBe(true);
		expect(s65.byDepartment[small]).toEqual({ suppressed: true });

		// With no quiz answers the sections still show, their practice beside an empty quiz column.
		const side = await sideBySide(db, town.org.id, { fiscalYear: 2026 }, { roles: [] });
		const row = side!.sections.find((s) => s.key === '6.5')!;
		expect(row.practice).toMatchObject({ answers: 25, errors: 9 });
		expect(row.answers).toBe(0);
		expect(row.reading).toBe('too_few');
		expect(side!.practice).toMatchObject({ fiscalYear: 2026, shown: true });
	});
});

describe('on the embedded database (PGlite)', () => {
	it('assigns by role, saves answers with their summary rows and opens a 改善計画 the same way', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-inspection-'));
		const embedded = await createDb({ dataDir: path.join(dir, 'db') });
		const shared = db;
		try {
			await migrate(embedded);
			db = embedded.db;
			const town = await makeTown('pglite-inspection');
			const chiefRound = await round(town, town.chiefList.id, { roles: ['supervisor'] });
			const a = await assignmentOf(chiefRound, town.chief100.id);
			const [lock, desk] = town.chiefList.items;
			expect(await saveInspectionAnswers(db, town.org.id, town.chief100.id, a.id, [answer(lock.id, 'no'), answer(desk.id, 'na')], today)).toMatchObject({
				ok: true,
				plansOpened: 1
			});
			await saveInspectionAnswers(db, town.org.id, town.chief100.id, a.id, [answer(lock.id, 'yes')], today);
			const { stored, counted, sectionStored, sectionCounted } = await recount(chiefRound);
			expect(stored).toEqual(counted);
			expect(sectionStored).toEqual(sectionCounted);
		} finally {
			db = shared;
			await embedded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
