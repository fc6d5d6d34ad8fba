import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { createDb, type Db, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { assignments, auditEvents, campaigns, courses, lessons, people, type CampaignAudience } from '../../src/lib/server/db/schema';
import {
	archiveCampaign,
	audienceMemberIds,
	createCampaign,
	getCampaign,
	listCampaigns,
	previewAudience,
	syncAssignmentsForPeople,
	updateCampaign,
	type CampaignInput
} from '../../src/lib/server/learning/campaigns';
import { japanToday } from '../../src/lib/format/calendar';
import { getLearnerAssignment, learnerAssignments, recordLessonView } from '../../src/lib/server/learning/assignments';
import { updatePersonAccess } from '../../src/lib/server/org/people';
import { applyRosterImport, previewRosterFile } from '../../src/lib/server/org/roster';
import { fiscalYearOf } from '../../src/lib/format/wareki';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

const everyone: CampaignAudience = { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null };
const filter = (audience: Partial<CampaignAudience>): CampaignAudience => ({
	everyone: false,
	employmentTypes: [],
	departmentIds: [],
	createdSince: null,
	...audience
});

// Due dates must lie ahead of the real clock where a function reads it (updatePersonAccess).
const realFiscalYear = fiscalYearOf(japanToday());
const thisYear = { startsOn: `${realFiscalYear}-04-01`, dueOn: `${realFiscalYear + 1}-03-31` };
const fixedToday = '2026-06-15';

async function makeCourse(orgId: string, slug = 'basic', lessonCount = 3) {
	const [course] = await db
		.insert(courses)
		.values({ orgId, slug, title: `研修 ${slug}` })
		.returning();
	const made = [];
	for (let i = 1; i <= lessonCount; i++) {
		const [lesson] = await db
			.insert(lessons)
			.values({ orgId, courseId: course.id, slug: `0${i}`, position: i, title: `第${i}回`, body: '本文', sectionKeys: [`${i}`] })
			.returning();
		made.push(lesson);
	}
	return { ...course, lessons: made };
}

/**
 * 総務部(100) ─ 総務課(110) ─ 庶務係(111); 市民部(200) ─ 税務課(220); people of several kinds,
 * one inactive, and a second organisation with the same shape that must never show.
 */
async function makeTown(slug: string) {
	const org = await makeOrg(db, slug);
	const d100 = await makeDepartment(db, org.id, '100', '総務部');
	const d110 = await makeDepartment(db, org.id, '110', '総務課', d100.id);
	const d111 = await makeDepartment(db, org.id, '111', '庶務係', d110.id);
	const d200 = await makeDepartment(db, org.id, '200', '市民部');
	const d220 = await makeDepartment(db, org.id, '220', '税務課', d200.id);
	const person = async (
		employeeNumber: string,
		departmentId: string | null,
		employmentType: 'regular' | 'fiscal_year' | 'contractor',
		extra: { active?: boolean; roles?: ('admin' | 'policy_owner')[] } = {}
	) => makePerson(db, org.id, { employeeNumber, departmentId, employmentType, ...extra });
	const admin = await person('A-1', d110.id, 'regular', { roles: ['admin'] });
	const p = {
		regular110: await person('1101', d110.id, 'regular'),
		fiscal111: await person('1111', d111.id, 'fiscal_year'),
		contractor220: await person('2201', d220.id, 'contractor'),
		regular200: await person('2001', d200.id, 'regular'),
		fiscal220: await person('2202', d220.id, 'fiscal_year'),
		noDepartment: await person('9001', null, 'regular'),
		inactive110: await person('1199', d110.id, 'regular', { active: false })
	};
	const course = await makeCourse(org.id);
	const actor = { orgId: org.id, personId: admin.id, ip: '10.0.0.9' };
	return { org, actor, admin, course, p, d: { d100, d110, d111, d200, d220 } };
}
type Town = Awaited<ReturnType<typeof makeTown>>;

const input = (town: Town, audience: CampaignAudience, extra: Partial<CampaignInput> = {}): CampaignInput => ({
	subjectId: town.course.id,
	title: '情報セキュリティ研修',
	...thisYear,
	audience,
	...extra
});

async function assignedIds(campaignId: string) {
	const rows = await db.select({ personId: assignments.personId }).from(assignments).where(eq(assignments.campaignId, campaignId));
	return rows.map((r) => r.personId).sort();
}

async function assignmentOf(campaignId: string, personId: string) {
	const [row] = await db
		.select()
		.from(assignments)
		.where(and(eq(assignments.campaignId, campaignId), eq(assignments.personId, personId)));
	return row;
}

async function create(town: Town, audience: CampaignAudience, extra: Partial<CampaignInput> = {}, today?: string) {
	const result = await createCampaign(db, town.actor, input(town, audience, extra), { today });
	if (!result.ok) throw new Error(`create failed: ${JSON.stringify(result)}`);
	return result;
}

const sorted = (ids: string[]) => [...ids].sort();

describe('audience resolution', () => {
	let town: Town;
	let other: Town;

	beforeAll(async () => {
		town = await makeTown('aud-town');
		other = await makeTown('aud-other');
		// Registered 2026-04-01 00:30 and 2026-03-31 23:30 Japan time: the date is Japan's.
		await db
			.update(people)
			.set({ createdAt: new Date('2026-03-01T00:00:00+09:00') })
			.where(eq(people.orgId, town.org.id));
		await db
			.update(people)
			.set({ createdAt: new Date('2026-04-01T00:30:00+09:00') })
			.where(eq(people.id, town.p.fiscal220.id));
		await db
			.update(people)
			.set({ createdAt: new Date('2026-03-31T23:30:00+09:00') })
			.where(eq(people.id, town.p.contractor220.id));
	});

	const members = (audience: CampaignAudience) => audienceMemberIds(db, town.org.id, audience).then(sorted);

	it('everyone: the active people of the organisation only', async () => {
		const { p, admin } = town;
		expect(await members(everyone)).toEqual(
			sorted([admin.id, p.regular110.id, p.fiscal111.id, p.contractor220.id, p.regular200.id, p.fiscal220.id, p.noDepartment.id])
		);
		// `everyone` wins over any filter that came along with it.
		expect(await members({ ...everyone, employmentTypes: ['contractor'] })).toHaveLength(7);
	});

	it('employment types', async () => {
		const { p } = town;
		expect(await members(filter({ employmentTypes: ['fiscal_year'] }))).toEqual(sorted([p.fiscal111.id, p.fiscal220.id]));
		expect(await members(filter({ employmentTypes: ['fiscal_year', 'contractor'] }))).toEqual(sorted([p.fiscal111.id, p.fiscal220.id, p.contractor220.id]));
	});

	it('departments include their sub-departments, never another organisation’s', async () => {
		const { p, d, admin } = town;
		expect(await members(filter({ departmentIds: [d.d100.id] }))).toEqual(sorted([admin.id, p.regular110.id, p.fiscal111.id]));
		expect(await members(filter({ departmentIds: [d.d111.id, d.d220.id] }))).toEqual(sorted([p.fiscal111.id, p.contractor220.id, p.fiscal220.id]));
		expect(await members(filter({ departmentIds: [other.d.d100.id] }))).toEqual([]);
	});

	it('registered since a date, in Japan time', async () => {
		expect(await members(filter({ createdSince: '2026-04-01' }))).toEqual([town.p.fiscal220.id]);
		expect(await members(filter({ createdSince: '2026-03-31' }))).toEqual(sorted([town.p.fiscal220.id, town.p.contractor220.id]));
	});

	it('combines the filters with AND', async () => {
		const { p, d } = town;
		expect(await members(filter({ employmentTypes: ['fiscal_year'], departmentIds: [d.d200.id] }))).toEqual([p.fiscal220.id]);
		expect(await members(filter({ employmentTypes: ['regular'], departmentIds: [d.d200.id], createdSince: '2026-03-31' }))).toEqual([]);
		expect(await members(filter({ departmentIds: [d.d220.id], createdSince: '2026-03-31' }))).toEqual(sorted([p.contractor220.id, p.fiscal220.id]));
	});

	it('an audience with no filter reaches nobody, and the preview says why', async () => {
		expect(await members(filter({}))).toEqual([]);
		expect(await previewAudience(db, town.org.id, filter({}))).toEqual({ ok: false, problems: [{ field: 'audience', key: 'campaign.error.audienceEmpty' }] });
		expect(await previewAudience(db, town.org.id, filter({ departmentIds: [other.d.d100.id] }))).toEqual({
			ok: false,
			problems: [{ field: 'departmentIds', key: 'campaign.error.departmentNotFound' }]
		});
		expect(await previewAudience(db, town.org.id, filter({ employmentTypes: ['fiscal_year'] }))).toEqual({ ok: true, count: 2 });
	});
});

describe('createCampaign', () => {
	let town: Town;
	let other: Town;

	beforeAll(async () => {
		town = await makeTown('create-town');
		other = await makeTown('create-other');
	});

	it('assigns exactly the audience, copying department and employment type, and audits', async () => {
		const { p, d } = town;
		const created = await create(town, filter({ departmentIds: [d.d100.id, d.d220.id], employmentTypes: ['fiscal_year', 'contractor'] }));
		expect(created.added).toBe(3);
		expect(await assignedIds(created.id)).toEqual(sorted([p.fiscal111.id, p.contractor220.id, p.fiscal220.id]));
		expect(await assignmentOf(created.id, p.fiscal111.id)).toMatchObject({
			orgId: town.org.id,
			departmentId: d.d111.id,
			employmentType: 'fiscal_year',
			status: 'not_started'
		});
		const [stored] = await db.select().from(campaigns).where(eq(campaigns.id, created.id));
		expect(stored).toMatchObject({ fiscalYear: realFiscalYear, createdBy: town.admin.id, archived: false });
		expect(stored.audience).toEqual({
			everyone: false,
			employmentTypes: ['fiscal_year', 'contractor'],
			departmentIds: [d.d100.id, d.d220.id],
			createdSince: null
		});
		const [event] = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'campaign.create'), eq(auditEvents.targetId, created.id)));
		expect(event).toMatchObject({ orgId: town.org.id, actorId: town.admin.id, ip: '10.0.0.9' });
		expect(event.detail).toMatchObject({ added: 3 });
	});

	it('names every bad field and writes nothing', async () => {
		const before = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.orgId, town.org.id));
		const result = await createCampaign(db, town.actor, {
			subjectId: other.course.id,
			title: '  ',
			startsOn: '2026-04-31',
			dueOn: '2026-05-01',
			audience: filter({ employmentTypes: ['boss'], departmentIds: ['not-a-uuid'], createdSince: '2026/04/01' })
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => `${p.field}:${p.key}`)).toEqual([
			'subjectId:campaign.error.courseNotFound',
			'title:campaign.error.titleRequired',
			'startsOn:campaign.error.startsOn',
			'employmentTypes:campaign.error.employmentType',
			'departmentIds:campaign.error.departmentNotFound',
			'createdSince:campaign.error.createdSince'
		]);
		const unknown = await createCampaign(db, town.actor, input(town, filter({ departmentIds: [other.d.d100.id] })));
		expect(unknown).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'departmentIds', key: 'campaign.error.departmentNotFound' }] });
		expect(await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.orgId, town.org.id))).toEqual(before);
	});

	it('checks the dates and the 年度 against each other', async () => {
		const problems = async (extra: Partial<CampaignInput>) => {
			const result = await createCampaign(db, town.actor, input(town, everyone, extra), { today: '2026-03-01' });
			return result.ok ? [] : result.problems.map((p) => p.key);
		};
		expect(await problems({ startsOn: '2026-05-01', dueOn: '2026-04-30' })).toEqual(['campaign.error.dueBeforeStart']);
		expect(await problems({ startsOn: '2026-01-01', dueOn: '2026-02-28' })).toEqual(['campaign.error.dueInPast']);
		expect(await problems({ startsOn: '2026-04-01', dueOn: '2026-06-30', fiscalYear: 2025 })).toEqual(['campaign.error.fiscalYear']);
		// Started in March for the coming year's staff, due in April: either 年度 is fine.
		const early = await createCampaign(
			db,
			town.actor,
			input(town, filter({ employmentTypes: ['contractor'] }), { startsOn: '2026-03-15', dueOn: '2026-04-30', fiscalYear: 2026 }),
			{ today: '2026-03-01' }
		);
		expect(early.ok).toBe(true);
		const byStart = await create(town, filter({ employmentTypes: ['contractor'] }), { startsOn: '2026-03-15', dueOn: '2026-04-30' }, '2026-03-01');
		const [stored] = await db.select({ fiscalYear: campaigns.fiscalYear }).from(campaigns).where(eq(campaigns.id, byStart.id));
		expect(stored.fiscalYear).toBe(2025);
	});
});

describe('people entering and leaving the audience', () => {
	let town: Town;
	let department100: string;
	let all: string;
	let archived: string;
	let pastDue: string;

	beforeAll(async () => {
		town = await makeTown('move-town');
		department100 = (await create(town, filter({ departmentIds: [town.d.d100.id] }), { title: '総務部研修' })).id;
		all = (await create(town, everyone, { title: '全職員研修' })).id;
		archived = (await create(town, everyone, { title: '取り下げた研修' })).id;
		await archiveCampaign(db, town.actor, archived);
		pastDue = (await create(town, everyone, { title: '昨年度の研修', startsOn: '2025-04-01', dueOn: '2025-12-31' }, '2025-04-01')).id;
	});

	it('a new hire gets the open campaigns whose audience they belong to', async () => {
		const hire = await makePerson(db, town.org.id, { employeeNumber: 'N-1', departmentId: town.d.d111.id });
		const elsewhere = await makePerson(db, town.org.id, { employeeNumber: 'N-2', departmentId: town.d.d220.id });
		const result = await syncAssignmentsForPeople(db, town.org.id, [hire.id, elsewhere.id]);
		expect(result).toEqual({ added: 3, moved: 0 });
		expect(await assignmentOf(department100, hire.id)).toMatchObject({ departmentId: town.d.d111.id, status: 'not_started' });
		expect(await assignmentOf(department100, elsewhere.id)).toBeUndefined();
		expect(await assignmentOf(all, hire.id)).toBeDefined();
		expect(await assignmentOf(all, elsewhere.id)).toBeDefined();
		// Archived and past-due campaigns take in no one new.
		expect(await assignmentOf(archived, hire.id)).toBeUndefined();
		expect(await assignmentOf(pastDue, hire.id)).toBeUndefined();
		// Running it again changes nothing.
		expect(await syncAssignmentsForPeople(db, town.org.id, [hire.id, elsewhere.id])).toEqual({ added: 0, moved: 0 });
	});

	it('a transfer into an audience department gets the campaign (through updatePersonAccess)', async () => {
		const { p, d } = town;
		expect(await assignmentOf(department100, p.contractor220.id)).toBeUndefined();
		const result = await updatePersonAccess(db, town.actor, town.org.id, p.contractor220.id, {
			departmentId: d.d110.id,
			active: true,
			roles: [],
			supervisedDepartmentIds: []
		});
		expect(result.ok).toBe(true);
		expect(await assignmentOf(department100, p.contractor220.id)).toMatchObject({ departmentId: d.d110.id, employmentType: 'contractor' });
		// The open assignment of everyone's campaign now counts for the new department.
		expect((await assignmentOf(all, p.contractor220.id)).departmentId).toBe(d.d110.id);
	});

	it('a transfer out keeps the assignment; open ones move department, completed ones stay', async () => {
		const { p, d } = town;
		const completedAt = new Date('2026-05-01T10:00:00+09:00');
		await db
			.update(assignments)
			.set({ status: 'completed', completedAt })
			.where(and(eq(assignments.campaignId, all), eq(assignments.personId, p.regular110.id)));
		const result = await updatePersonAccess(db, town.actor, town.org.id, p.regular110.id, {
			departmentId: d.d220.id,
			active: true,
			roles: [],
			supervisedDepartmentIds: []
		});
		expect(result.ok).toBe(true);
		expect(await assignmentOf(department100, p.regular110.id)).toMatchObject({ departmentId: d.d220.id, status: 'not_started' });
		expect(await assignmentOf(all, p.regular110.id)).toMatchObject({ departmentId: d.d110.id, status: 'completed', completedAt });
		// Training still owed past its due date follows the person; an archived campaign is history.
		expect(await assignmentOf(pastDue, p.regular110.id)).toMatchObject({ departmentId: d.d220.id });
		expect(await assignmentOf(archived, p.regular110.id)).toMatchObject({ departmentId: d.d110.id });
	});

	it('a deactivated person (a leaver) keeps their assignments untouched', async () => {
		const { p, d } = town;
		const before = await db.select().from(assignments).where(eq(assignments.personId, p.fiscal111.id));
		expect(before.length).toBeGreaterThan(0);
		const result = await updatePersonAccess(db, town.actor, town.org.id, p.fiscal111.id, {
			departmentId: d.d220.id,
			active: false,
			roles: [],
			supervisedDepartmentIds: []
		});
		expect(result.ok).toBe(true);
		const after = await db.select().from(assignments).where(eq(assignments.personId, p.fiscal111.id));
		expect(sortById(after)).toEqual(sortById(before));
	});

	it('a returner gets what they missed while away, and nothing twice', async () => {
		const { p, d } = town;
		const newCampaign = (await create(town, filter({ employmentTypes: ['fiscal_year'] }), { title: '会計年度任用職員研修' })).id;
		expect(await assignmentOf(newCampaign, p.fiscal111.id)).toBeUndefined();
		await updatePersonAccess(db, town.actor, town.org.id, p.fiscal111.id, { departmentId: d.d111.id, active: true, roles: [], supervisedDepartmentIds: [] });
		expect(await assignmentOf(newCampaign, p.fiscal111.id)).toMatchObject({ departmentId: d.d111.id });
	});

	it('a campaign past its due date takes in no one new, with a fixed today', async () => {
		const dueSoon = (await create(town, everyone, { title: '短期', startsOn: '2026-06-01', dueOn: '2026-06-30' }, '2026-06-01')).id;
		const hire = await makePerson(db, town.org.id, { employeeNumber: 'N-3', departmentId: town.d.d110.id });
		// On 1 July: the two year-long campaigns take the hire, the June one no longer does.
		expect(await syncAssignmentsForPeople(db, town.org.id, [hire.id], { today: '2026-07-01' })).toMatchObject({ added: 2 });
		expect(await assignmentOf(dueSoon, hire.id)).toBeUndefined();
		expect(await syncAssignmentsForPeople(db, town.org.id, [hire.id], { today: '2026-06-30' })).toMatchObject({ added: 1 });
		expect(await assignmentOf(dueSoon, hire.id)).toBeDefined();
	});
});

const sortById = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

describe('updateCampaign and archiveCampaign', () => {
	let town: Town;
	let id: string;

	beforeAll(async () => {
		town = await makeTown('update-town');
		id = (await create(town, filter({ departmentIds: [town.d.d200.id] }))).id;
	});

	it('widening the audience adds people; narrowing it takes no one away', async () => {
		const { p, d } = town;
		const before = await assignedIds(id);
		expect(before).toEqual(sorted([p.contractor220.id, p.regular200.id, p.fiscal220.id]));
		const widened = await updateCampaign(db, town.actor, id, { title: '改題', ...thisYear, audience: filter({ departmentIds: [d.d200.id, d.d111.id] }) });
		expect(widened).toEqual({ ok: true, id, added: 1 });
		expect(await assignedIds(id)).toEqual(sorted([...before, p.fiscal111.id]));
		const narrowed = await updateCampaign(db, town.actor, id, { title: '改題', ...thisYear, audience: filter({ employmentTypes: ['contractor'] }) });
		expect(narrowed).toEqual({ ok: true, id, added: 0 });
		expect(await assignedIds(id)).toEqual(sorted([...before, p.fiscal111.id]));
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'campaign.update'), eq(auditEvents.targetId, id)));
		expect(events.map((e) => e.detail)).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					before: expect.objectContaining({ title: '情報セキュリティ研修' }),
					after: expect.objectContaining({ title: '改題' }),
					added: 1
				})
			])
		);
		expect(events).toHaveLength(2);
	});

	it('keeps a past due date that is not changed, but refuses a new one in the past', async () => {
		const old = (await create(town, everyone, { startsOn: '2026-04-01', dueOn: '2026-05-31' }, '2026-04-01')).id;
		const keep = await updateCampaign(
			db,
			town.actor,
			old,
			{ title: '新しい題', startsOn: '2026-04-01', dueOn: '2026-05-31', audience: everyone },
			{ today: '2026-06-15' }
		);
		expect(keep.ok).toBe(true);
		const moved = await updateCampaign(
			db,
			town.actor,
			old,
			{ title: '新しい題', startsOn: '2026-04-01', dueOn: '2026-06-01', audience: everyone },
			{ today: '2026-06-15' }
		);
		expect(moved).toEqual({ ok: false, reason: 'invalid', problems: [{ field: 'dueOn', key: 'campaign.error.dueInPast' }] });
	});

	it('archives, refuses edits while archived, and restores', async () => {
		expect(await archiveCampaign(db, town.actor, id)).toEqual({ ok: true, changed: true });
		expect(await archiveCampaign(db, town.actor, id)).toEqual({ ok: true, changed: false });
		expect(await updateCampaign(db, town.actor, id, { title: 'x', ...thisYear, audience: everyone })).toEqual({ ok: false, reason: 'archived' });
		expect((await listCampaigns(db, town.org.id)).map((c) => c.id)).not.toContain(id);
		expect((await listCampaigns(db, town.org.id, { includeArchived: true })).map((c) => c.id)).toContain(id);
		expect(await archiveCampaign(db, town.actor, id, false)).toEqual({ ok: true, changed: true });
		const actions = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, id));
		expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['campaign.archive', 'campaign.restore']));
	});
});

describe('counts, learner views and organisation scoping', () => {
	let town: Town;
	let other: Town;
	let current: string;
	let late: string;

	beforeAll(async () => {
		town = await makeTown('count-town');
		other = await makeTown('count-other');
		current = (await create(town, everyone, { title: '今年度の研修', startsOn: '2026-04-01', dueOn: '2026-07-31' }, '2026-04-01')).id;
		late = (
			await create(town, filter({ departmentIds: [town.d.d100.id] }), { title: '総務部の研修', startsOn: '2026-04-01', dueOn: '2026-06-10' }, '2026-04-01')
		).id;
		await create(town, everyone, { title: '来月からの研修', startsOn: '2026-07-01', dueOn: '2026-08-31' }, '2026-04-01');
		await create(other, everyone, { title: '別市の研修', startsOn: '2026-04-01', dueOn: '2026-07-31' }, '2026-04-01');
		// One completed, one started in 総務部's late campaign.
		await db
			.update(assignments)
			.set({ status: 'completed', completedAt: new Date('2026-05-20T09:00:00+09:00') })
			.where(and(eq(assignments.campaignId, late), eq(assignments.personId, town.admin.id)));
		await db
			.update(assignments)
			.set({ status: 'in_progress' })
			.where(and(eq(assignments.campaignId, late), eq(assignments.personId, town.p.regular110.id)));
	});

	it('lists a 年度 with counts by status; overdue after the due date', async () => {
		const list = await listCampaigns(db, town.org.id, { fiscalYear: 2026, today: fixedToday });
		expect(list.map((c) => c.title)).toEqual(['来月からの研修', '今年度の研修', '総務部の研修']);
		const lateRow = list.find((c) => c.id === late)!;
		expect(lateRow.counts).toEqual({ assigned: 3, completed: 1, inProgress: 1, notStarted: 1, overdue: 2 });
		expect(list.find((c) => c.id === current)!.counts).toEqual({ assigned: 7, completed: 0, inProgress: 0, notStarted: 7, overdue: 0 });
		expect(await listCampaigns(db, town.org.id, { fiscalYear: 2025, today: fixedToday })).toEqual([]);
	});

	it('details counts by department in tree order and by employment type', async () => {
		const detail = await getCampaign(db, town.org.id, current, { today: fixedToday });
		expect(detail?.byDepartment.map((r) => [r.code, r.depth, r.assigned])).toEqual([
			['110', 1, 2],
			['111', 2, 1],
			['200', 0, 1],
			['220', 1, 2],
			[null, 0, 1]
		]);
		expect(detail?.byEmploymentType.map((r) => [r.employmentType, r.assigned])).toEqual([
			['regular', 4],
			['fiscal_year', 2],
			['contractor', 1]
		]);
		const lateDetail = await getCampaign(db, town.org.id, late, { today: fixedToday });
		expect(lateDetail?.audienceDepartments).toEqual([{ id: town.d.d100.id, code: '100', name: '総務部' }]);
		expect(lateDetail?.byDepartment.find((r) => r.code === '110')).toMatchObject({ assigned: 2, completed: 1, overdue: 1 });
	});

	it('gives a learner their assignments: overdue first, then by due date, completed last', async () => {
		const mine = await learnerAssignments(db, town.org.id, town.p.regular110.id, fixedToday);
		// The campaign starting in July is not shown before it starts.
		expect(mine.map((a) => [a.campaignTitle, a.status, a.daysLeft])).toEqual([
			['総務部の研修', 'overdue', -5],
			['今年度の研修', 'not_started', 46]
		]);
		expect(mine[0]).toMatchObject({
			courseSlug: 'basic',
			courseTitle: '研修 basic',
			fiscalYear: 2026,
			dueOn: '2026-06-10',
			lessonsViewed: 0,
			lessonsTotal: 3,
			quizPassed: false
		});
		const admin = await learnerAssignments(db, town.org.id, town.admin.id, fixedToday);
		expect(admin.map((a) => [a.campaignTitle, a.status])).toEqual([
			['今年度の研修', 'not_started'],
			['総務部の研修', 'completed']
		]);
		expect((await learnerAssignments(db, town.org.id, town.admin.id, '2026-07-01')).map((a) => a.campaignTitle)).toContain('来月からの研修');
	});

	it('records lesson views: once each, 受講中 from the first, progress counts active lessons', async () => {
		const person = town.p.regular200.id;
		const [a] = (await learnerAssignments(db, town.org.id, person, fixedToday)).filter((x) => x.campaignId === current);
		const [l1, l2, l3] = town.course.lessons;
		expect(await recordLessonView(db, town.org.id, person, a.id, l1.id, fixedToday)).toEqual({ ok: true, firstView: true });
		expect(await recordLessonView(db, town.org.id, person, a.id, l1.id, fixedToday)).toEqual({ ok: true, firstView: false });
		expect(await recordLessonView(db, town.org.id, person, a.id, l2.id, fixedToday)).toEqual({ ok: true, firstView: true });
		const stored = await db.select().from(assignments).where(eq(assignments.id, a.id));
		expect(stored[0]).toMatchObject({ status: 'in_progress' });
		expect(stored[0].startedAt).not.toBeNull();
		expect(stored[0].lastActivityAt).not.toBeNull();

		let detail = await getLearnerAssignment(db, town.org.id, person, a.id, fixedToday);
		expect(detail).toMatchObject({ status: 'in_progress', lessonsViewed: 2, lessonsTotal: 3, daysLeft: 46, course: { slug: 'basic', passMark: 80 } });
		expect(detail?.lessons.map((l) => [l.slug, l.viewed])).toEqual([
			['01', true],
			['02', true],
			['03', false]
		]);
		// A lesson removed from the content no longer counts either way.
		await db.update(lessons).set({ active: false }).where(eq(lessons.id, l2.id));
		detail = await getLearnerAssignment(db, town.org.id, person, a.id, fixedToday);
		expect(detail).toMatchObject({ lessonsViewed: 1, lessonsTotal: 2 });
		expect(await recordLessonView(db, town.org.id, person, a.id, l2.id, fixedToday)).toEqual({ ok: false, reason: 'not_found' });
		await db.update(lessons).set({ active: true }).where(eq(lessons.id, l2.id));
		expect(l3).toBeDefined();
	});

	it('never shows another organisation’s campaigns or another person’s assignment', async () => {
		const [mine] = await learnerAssignments(db, town.org.id, town.p.regular200.id, fixedToday);
		expect((await listCampaigns(db, other.org.id, { today: fixedToday })).map((c) => c.title)).toEqual(['別市の研修']);
		expect(await getCampaign(db, other.org.id, current)).toBeNull();
		expect(await getCampaign(db, town.org.id, 'not-a-uuid')).toBeNull();
		// Someone else's assignment, or the right person asked through another organisation.
		expect(await getLearnerAssignment(db, town.org.id, town.p.regular110.id, mine.id, fixedToday)).toBeNull();
		expect(await getLearnerAssignment(db, other.org.id, town.p.regular200.id, mine.id, fixedToday)).toBeNull();
		expect(await recordLessonView(db, town.org.id, town.p.regular110.id, mine.id, town.course.lessons[0].id, fixedToday)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		// Another course's lesson cannot be recorded against this assignment.
		expect(await recordLessonView(db, town.org.id, town.p.regular200.id, mine.id, other.course.lessons[0].id, fixedToday)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await learnerAssignments(db, other.org.id, town.p.regular200.id, fixedToday)).toEqual([]);
		// A sync for another organisation's people does nothing here.
		expect(await syncAssignmentsForPeople(db, other.org.id, [town.p.noDepartment.id], { today: fixedToday })).toEqual({ added: 0, moved: 0 });
	});
});

describe('roster import end to end', () => {
	const header = '職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日';
	const csv = (lines: string[]) => new TextEncoder().encode([header, ...lines].join('\r\n') + '\r\n');

	it('assigns new hires and transfers in the import’s transaction; leavers keep theirs', async () => {
		const town = await makeTown('roster-town');
		const today = japanToday();
		const fiscal = (await create(town, filter({ employmentTypes: ['fiscal_year'] }), { title: '会計年度任用職員研修' })).id;
		const soumu = (await create(town, filter({ departmentIds: [town.d.d100.id] }), { title: '総務部研修' })).id;
		const rosterActor = { orgId: town.org.id, personId: town.admin.id };
		const upload = await previewRosterFile(
			db,
			rosterActor,
			{
				name: 'roster.csv',
				bytes: csv([
					'R-100,新人 一郎,シンジン イチロウ,111,,会計年度任用職員,,,',
					'R-101,新人 二郎,シンジン ジロウ,220,,正規職員,,,',
					// 2201 (contractor) transfers into 総務課; 1111 leaves.
					`2201,${town.p.contractor220.name},ショクイン,110,,委託事業者,,,`,
					`1111,${town.p.fiscal111.name},ショクイン,111,,会計年度任用職員,,,2026-03-31`
				])
			},
			{ today }
		);
		if (!upload.ok) throw new Error(JSON.stringify(upload));
		const before = await assignmentOf(fiscal, town.p.fiscal111.id);
		const result = await applyRosterImport(db, rosterActor, upload.importId, { deactivateMissing: false, today });
		expect(result).toMatchObject({ ok: true, counts: { added: 2, transfers: 1, retired: 1 } });
		const [r100] = await db
			.select()
			.from(people)
			.where(and(eq(people.orgId, town.org.id), eq(people.employeeNumber, 'R-100')));
		const [r101] = await db
			.select()
			.from(people)
			.where(and(eq(people.orgId, town.org.id), eq(people.employeeNumber, 'R-101')));
		expect(await assignmentOf(fiscal, r100.id)).toMatchObject({ departmentId: town.d.d111.id, employmentType: 'fiscal_year' });
		expect(await assignmentOf(soumu, r100.id)).toBeDefined();
		expect(await assignmentOf(fiscal, r101.id)).toBeUndefined();
		expect(await assignmentOf(soumu, r101.id)).toBeUndefined();
		expect(await assignmentOf(soumu, town.p.contractor220.id)).toMatchObject({ departmentId: town.d.d110.id });
		expect(await assignmentOf(fiscal, town.p.fiscal111.id)).toEqual(before);
	});
});

describe('at scale', () => {
	it('assigns 20,000 people in one statement and syncs them again quickly', async () => {
		const org = await makeOrg(db, 'big-town');
		const deps: { id: string }[] = [];
		for (let i = 0; i < 20; i++) deps.push(await makeDepartment(db, org.id, `D${i}`, `課${i}`));
		const admin = await makePerson(db, org.id, { employeeNumber: 'admin', departmentId: deps[0].id, roles: ['admin'] });
		for (let start = 0; start < 20_000; start += 2000) {
			await db.insert(people).values(
				Array.from({ length: 2000 }, (_, i) => ({
					orgId: org.id,
					employeeNumber: `P${start + i}`,
					name: `職員 ${start + i}`,
					departmentId: deps[(start + i) % 20].id,
					employmentType: (start + i) % 4 === 0 ? ('fiscal_year' as const) : ('regular' as const)
				}))
			);
		}
		const course = await makeCourse(org.id, 'big', 1);
		const actor = { orgId: org.id, personId: admin.id };
		let t = performance.now();
		const created = await createCampaign(db, actor, { subjectId: course.id, title: '全職員', ...thisYear, audience: everyone });
		console.log(`[campaigns.test] create + assign 20,001 people: ${(performance.now() - t).toFixed(0)} ms`);
		expect(created).toMatchObject({ ok: true, added: 20_001 });
		t = performance.now();
		const byType = await createCampaign(db, actor, {
			subjectId: course.id,
			title: '会計年度',
			...thisYear,
			audience: filter({ employmentTypes: ['fiscal_year'], departmentIds: deps.slice(0, 10).map((d) => d.id) })
		});
		console.log(`[campaigns.test] create + assign by type and departments: ${(performance.now() - t).toFixed(0)} ms`);
		expect(byType).toMatchObject({ ok: true, added: 3_000 });

		// Everyone transferred at once (a roster import's worst case): one sync for 20,000 ids.
		await db.execute(sql`update people set department_id = ${deps[19].id} where org_id = ${org.id} and employee_number <> 'admin'`);
		const ids = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, org.id))).map((r) => r.id);
		t = performance.now();
		const synced = await db.transaction((tx) => syncAssignmentsForPeople(tx, org.id, ids));
		console.log(`[campaigns.test] sync 20,001 transferred people: ${(performance.now() - t).toFixed(0)} ms`);
		expect(synced.added).toBe(0);
		expect(synced.moved).toBeGreaterThan(19_000);
		t = performance.now();
		const list = await listCampaigns(db, org.id);
		console.log(`[campaigns.test] list with counts: ${(performance.now() - t).toFixed(0)} ms`);
		expect(list.find((c) => c.title === '全職員')?.counts.assigned).toBe(20_001);
		const moved = await db
			.select({ n: sql<number>`count(*)::int` })
			.from(assignments)
			.where(and(eq(assignments.orgId, org.id), inArray(assignments.departmentId, [deps[19].id])));
		expect(moved[0].n).toBe(20_000 + 3_000);
	});
});

describe('on the embedded database (PGlite)', () => {
	it('resolves, assigns, syncs and reports the same way', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-campaigns-'));
		const embedded = await createDb({ dataDir: path.join(dir, 'db') });
		const shared = db;
		try {
			await migrate(embedded);
			db = embedded.db;
			const town = await makeTown('pglite-town');
			const { p, d } = town;
			const id = (await create(town, filter({ departmentIds: [d.d100.id], employmentTypes: ['regular', 'fiscal_year'], createdSince: '2000-01-01' }))).id;
			expect(await assignedIds(id)).toEqual(sorted([town.admin.id, p.regular110.id, p.fiscal111.id]));
			await updatePersonAccess(db, town.actor, town.org.id, p.regular200.id, { departmentId: d.d111.id, active: true, roles: [], supervisedDepartmentIds: [] });
			expect(await assignmentOf(id, p.regular200.id)).toMatchObject({ departmentId: d.d111.id });
			await updatePersonAccess(db, town.actor, town.org.id, p.regular110.id, { departmentId: d.d220.id, active: true, roles: [], supervisedDepartmentIds: [] });
			expect(await assignmentOf(id, p.regular110.id)).toMatchObject({ departmentId: d.d220.id });
			const [mine] = await learnerAssignments(db, town.org.id, p.regular110.id);
			expect(await recordLessonView(db, town.org.id, p.regular110.id, mine.id, town.course.lessons[0].id)).toEqual({ ok: true, firstView: true });
			expect(await getLearnerAssignment(db, town.org.id, p.regular110.id, mine.id)).toMatchObject({ status: 'in_progress', lessonsViewed: 1 });
			expect((await getCampaign(db, town.org.id, id))?.counts).toMatchObject({ assigned: 4, inProgress: 1 });
		} finally {
			db = shared;
			await embedded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
