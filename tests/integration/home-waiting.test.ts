import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	acknowledgements,
	assignments,
	departments,
	lessons,
	outbox,
	people,
	policies,
	policyVersions,
	questions,
	rosterImports
} from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { seedDemoCampaigns } from '../../src/lib/server/demo/campaigns';
import { loadCurrentUser, type CurrentUser } from '../../src/lib/server/auth/current-user';
import { waitingFor } from '../../src/lib/server/home/waiting';
import { startRevision } from '../../src/lib/server/revision/drafts';
import { transition } from '../../src/lib/server/revision/workflow';
import { departmentSubtreeIds } from '../../src/lib/server/org/departments';

let handle: DbHandle;
let db: Db;
let orgId: string;
const who: Record<string, CurrentUser> = {};
// Seeded on 2026-11-20, the campaigns started 2026-10-30 and are due 2026-12-20: a day before and after it.
const seededOn = new Date('2026-11-20T00:00:00Z');
const running = '2026-11-25';
const pastDue = '2027-01-10';

const actor = (u: CurrentUser) => ({ orgId: u.orgId, personId: u.id, roles: u.roles });

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	orgId = (await seedDemo(db)).orgId;
	await syncPolicyContent(db, orgId);
	await syncCourseContent(db, orgId);
	await seedDemoCampaigns(db, orgId, seededOn);
	for (const number of ['demo-admin', 'demo-owner', 'demo-approver', 'demo-chief', 'demo-staff', '1004']) {
		const [p] = await db
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, number)));
		who[number] = (await loadCurrentUser(db, p.id, orgId))!;
	}
}, 180_000);
afterAll(() => handle?.close());

/** The people of the demo in a department and below, by 所属コード. */
async function peopleUnder(code: string): Promise<string[]> {
	const [dep] = await db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.orgId, orgId), eq(departments.code, code)));
	const ids = await departmentSubtreeIds(db, orgId, [dep.id]);
	const rows = await db
		.select({ id: people.id, departmentId: people.departmentId })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.active, true)));
	return rows.filter((r) => r.departmentId && ids.includes(r.departmentId)).map((r) => r.id);
}

describe('waitingFor', () => {
	it('gives a learner nothing, and each role only its own part', async () => {
		expect(await waitingFor(db, who['demo-staff'], running)).toEqual({});
		expect(Object.keys(await waitingFor(db, who['demo-approver'], running))).toEqual(['approver']);
		expect(Object.keys(await waitingFor(db, who['demo-owner'], running))).toEqual(['owner']);
		expect(Object.keys(await waitingFor(db, who['demo-chief'], running))).toEqual(['supervisor']);
		expect(Object.keys(await waitingFor(db, who['demo-admin'], running))).toEqual(['admin']);
	});

	it('shows the owner their draft, the approver what is submitted, and the owner what is sent back', async () => {
		expect((await waitingFor(db, who['demo-approver'], running)).approver).toEqual({ inReview: [] });
		expect((await waitingFor(db, who['demo-owner'], running)).owner).toMatchObject({ drafts: [], returned: [] });

		const [basic] = await db
			.select({ id: policies.id, title: policies.title })
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const started = await startRevision(db, actor(who['demo-owner']), { policyId: basic.id });
		if (!started.ok) throw new Error(JSON.stringify(started));
		const [draft] = await db.select({ version: policyVersions.version }).from(policyVersions).where(eq(policyVersions.id, started.versionId));
		const item = { id: started.versionId, policyTitle: basic.title, version: draft.version };

		expect((await waitingFor(db, who['demo-owner'], running)).owner).toMatchObject({ drafts: [item], returned: [] });
		// Someone else's draft is not "yours".
		const otherOwner = { ...who['demo-admin'], roles: ['policy_owner' as const] };
		expect((await waitingFor(db, otherOwner, running)).owner!.drafts).toEqual([]);
		expect((await waitingFor(db, who['demo-approver'], running)).approver!.inReview).toEqual([]);

		expect(await transition(db, actor(who['demo-owner']), started.versionId, 'in_review')).toMatchObject({ ok: true });
		expect((await waitingFor(db, who['demo-approver'], running)).approver!.inReview).toEqual([item]);
		expect((await waitingFor(db, who['demo-owner'], running)).owner).toMatchObject({ drafts: [], returned: [] });

		expect(await transition(db, actor(who['demo-approver']), started.versionId, 'returned', '第5項の表現を見直してください。')).toMatchObject({ ok: true });
		expect((await waitingFor(db, who['demo-approver'], running)).approver!.inReview).toEqual([]);
		expect((await waitingFor(db, who['demo-owner'], running)).owner!.returned).toEqual([item]);
		expect((await waitingFor(db, otherOwner, running)).owner!.returned).toEqual([item]);
	});

	it("lists lessons and questions flagged 要見直し with their course, a course's lessons before its questions", async () => {
		expect((await waitingFor(db, who['demo-owner'], running)).owner).toMatchObject({ flagged: [], flaggedTotal: 0 });
		const [lesson] = await db.select().from(lessons).where(eq(lessons.orgId, orgId)).orderBy(lessons.position).limit(1);
		const qs = await db
			.select()
			.from(questions)
			.where(and(eq(questions.orgId, orgId), eq(questions.courseId, lesson.courseId)))
			.orderBy(questions.position)
			.limit(12);
		await db.update(lessons).set({ needsReview: true }).where(eq(lessons.id, lesson.id));
		await db
			.update(questions)
			.set({ needsReview: true })
			.where(
				sql`${questions.id} in (${sql.join(
					qs.map((q) => sql`${q.id}`),
					sql`, `
				)})`
			);
		const owner = (await waitingFor(db, who['demo-owner'], running)).owner!;
		expect(owner.flaggedTotal).toBe(13);
		expect(owner.flagged).toHaveLength(10);
		expect(owner.flagged[0]).toMatchObject({ kind: 'lesson', id: lesson.id, courseId: lesson.courseId, title: lesson.title });
		expect(owner.flagged.slice(1).every((f) => f.kind === 'question' && qs.some((q) => q.id === f.id && q.stem === f.title))).toBe(true);
	});

	it("counts a supervisor's departments only: not started while running, overdue after the due day", async () => {
		const mine = await peopleUnder('210');
		const chief = (await waitingFor(db, who['demo-chief'], running)).supervisor!;
		const assigned = await db.select({ personId: assignments.personId }).from(assignments).where(eq(assignments.orgId, orgId));
		const inMine = assigned.filter((a) => mine.includes(a.personId)).length;
		expect(inMine).toBeGreaterThan(0);
		expect(chief.campaigns.reduce((n, c) => n + c.notStarted, 0)).toBe(inMine);
		expect(chief.campaigns.every((c) => c.overdue === 0)).toBe(true);

		const later = (await waitingFor(db, who['demo-chief'], pastDue)).supervisor!;
		expect(later.campaigns.reduce((n, c) => n + c.overdue, 0)).toBe(inMine);

		// 税務課's supervisor sees their own people, never 市民課's.
		const theirs = await peopleUnder('220');
		const other = (await waitingFor(db, who['1004'], running)).supervisor!;
		expect(other.campaigns.reduce((n, c) => n + c.notStarted, 0)).toBe(assigned.filter((a) => theirs.includes(a.personId)).length);
		expect(theirs.some((id) => mine.includes(id))).toBe(false);
	});

	it('counts the missing acknowledgements in the departments, and drops them as people acknowledge', async () => {
		const mine = await peopleUnder('210');
		const before = (await waitingFor(db, who['demo-chief'], running)).supervisor!.acknowledgements;
		const basic = before.find((a) => a.slug === 'basic-policy')!;
		expect(basic.missing).toBe(mine.length);
		const [inForce] = await db
			.select({ id: policyVersions.id })
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy'), eq(policyVersions.status, 'published')));
		await db.insert(acknowledgements).values({ orgId, personId: who['demo-staff'].id, versionId: inForce.id });
		// Someone outside 市民課 acknowledging changes nothing here.
		await db.insert(acknowledgements).values({ orgId, personId: who['1004'].id, versionId: inForce.id });
		const after = (await waitingFor(db, who['demo-chief'], running)).supervisor!.acknowledgements.find((a) => a.slug === 'basic-policy')!;
		expect(after.missing).toBe(mine.length - 1);
	});

	it('shows the admin failed mail and imports awaiting apply of their organisation only', async () => {
		expect((await waitingFor(db, who['demo-admin'], running)).admin).toEqual({ failedMail: 0, recentFailed: [], imports: [] });
		const other = await makeOrg(db);
		const adminId = who['demo-admin'].id;
		await db.insert(outbox).values([
			{ orgId, toAddress: 'demo-staff@example.invalid', subject: '研修の督促', body: '…', status: 'failed' },
			{ orgId, toAddress: 'demo-chief@example.invalid', subject: '送信済み', body: '…', status: 'sent' },
			{ orgId: other.id, toAddress: 'x@example.invalid', subject: 'よその市', body: '…', status: 'failed' }
		]);
		await db.insert(rosterImports).values([
			{ orgId, createdBy: adminId, fileName: 'roster-2026-12.csv', encoding: 'utf-8', rows: [] },
			{ orgId, createdBy: adminId, fileName: 'applied.csv', encoding: 'utf-8', rows: [], status: 'applied' }
		]);
		const admin = (await waitingFor(db, who['demo-admin'], running)).admin!;
		expect(admin.failedMail).toBe(1);
		expect(admin.recentFailed).toEqual([
			{ subject: '研修の督促', createdAt: expect.any(Date), personId: who['demo-staff'].id, personName: who['demo-staff'].name }
		]);
		expect(admin.imports.map((i) => i.fileName)).toEqual(['roster-2026-12.csv']);
	});
});
