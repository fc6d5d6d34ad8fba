import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import { decodeHeader, parseMail, startSmtpServer, transportFor } from '../helpers/smtp';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { assignments, auditEvents, campaigns, courses, outbox, people, reminders } from '../../src/lib/server/db/schema';
import { remindersForLearner, runScheduledReminders, sendReminders, setReminderSchedule } from '../../src/lib/server/notify/reminders';
import { deliverDueMail } from '../../src/lib/server/notify/deliver';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';
import { allCompletionPeople, completionPeople, completionScopeFor, parsePeopleFilter } from '../../src/lib/server/insight/completion';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

/** 課A with a supervisor (部 above it supervised by another) and three learners, one without an address. */
async function makeTown(slug: string, dueOn = '2026-12-25') {
	const org = await makeOrg(db, slug);
	const bu = await makeDepartment(db, org.id, '100', '総務部');
	const ka = await makeDepartment(db, org.id, '110', '総務課', bu.id);
	const [course] = await db.insert(courses).values({ orgId: org.id, slug: 'basic', title: '基本研修' }).returning();
	const [campaign] = await db
		.insert(campaigns)
		.values({
			orgId: org.id,
			courseId: course.id,
			title: '情報セキュリティ研修',
			fiscalYear: 2026,
			startsOn: '2026-11-01',
			dueOn,
			audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
		})
		.returning();
	const chief = await makePerson(db, org.id, {
		employeeNumber: `${slug}-chief`,
		name: '課長 一郎',
		departmentId: ka.id,
		roles: ['supervisor'],
		supervises: [ka.id]
	});
	const director = await makePerson(db, org.id, {
		employeeNumber: `${slug}-dir`,
		name: '部長 二郎',
		departmentId: bu.id,
		roles: ['supervisor'],
		supervises: [bu.id]
	});
	await db.update(people).set({ email: 'chief@example.test' }).where(eq(people.id, chief.id));
	await db.update(people).set({ email: 'director@example.test' }).where(eq(people.id, director.id));
	const learners = [];
	for (const [n, email] of [
		['1', 'taro@example.test'],
		['2', 'hanako@example.test'],
		['3', '']
	] as const) {
		const p = await makePerson(db, org.id, { employeeNumber: `${slug}-${n}`, name: `職員 ${n}`, departmentId: ka.id });
		await db.update(people).set({ email }).where(eq(people.id, p.id));
		const [a] = await db
			.insert(assignments)
			.values({ orgId: org.id, campaignId: campaign.id, personId: p.id, departmentId: ka.id, employmentType: 'regular' })
			.returning();
		learners.push({ person: p, assignmentId: a.id });
	}
	return { org, campaign, chief, director, learners, actor: { orgId: org.id, personId: chief.id } };
}

const ctx = (today: string, mailOn: boolean) => ({ today, mailOn, appUrl: 'https://mamori.example.test' });

async function outboxOf(orgId: string) {
	return db.select().from(outbox).where(eq(outbox.orgId, orgId)).orderBy(asc(outbox.toAddress));
}

describe('sendReminders', () => {
	it('reminds in the app only when mail is off, and not twice on one day', async () => {
		const town = await makeTown('rem-a');
		const ids = town.learners.map((l) => l.assignmentId);
		const first = await sendReminders(db, town.actor, town.campaign.id, ids, ctx('2026-11-20', false));
		expect(first).toEqual({ reminded: 3, alreadyToday: 0, emailed: 0, withoutAddress: 1 });
		expect(await outboxOf(town.org.id)).toEqual([]);
		const again = await sendReminders(db, town.actor, town.campaign.id, ids, ctx('2026-11-20', false));
		expect(again).toEqual({ reminded: 0, alreadyToday: 3, emailed: 0, withoutAddress: 0 });
		const rows = await db.select().from(reminders).where(eq(reminders.orgId, town.org.id));
		expect(rows).toHaveLength(3);
		expect(rows.every((r) => r.kind === 'manual' && r.sentBy === town.chief.id && r.remindedOn === '2026-11-20')).toBe(true);
		const audit = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, town.org.id), eq(auditEvents.action, 'reminder.sent')));
		expect(audit).toHaveLength(1);
	});

	it('queues one mail per person with an address when mail is on', async () => {
		const town = await makeTown('rem-b');
		const ids = town.learners.map((l) => l.assignmentId);
		const outcome = await sendReminders(db, town.actor, town.campaign.id, ids, ctx('2026-11-20', true));
		expect(outcome).toEqual({ reminded: 3, alreadyToday: 0, emailed: 2, withoutAddress: 1 });
		const mails = await outboxOf(town.org.id);
		expect(mails.map((m) => m.toAddress)).toEqual(['hanako@example.test', 'taro@example.test']);
		expect(mails[0].subject).toBe('【受講のお願い】研修「情報セキュリティ研修」（期限 令和8年12月25日）');
		expect(mails[0].body).toContain('職員 2 様');
		expect(mails[0].body).toContain('受講期限まであと35日です。');
		expect(mails[0].body).toContain(`https://mamori.example.test/learn/${town.learners[1].assignmentId}`);
	});

	it('skips completed people, people who left and other campaigns', async () => {
		const town = await makeTown('rem-c');
		const [l1, l2, l3] = town.learners;
		await db.update(assignments).set({ status: 'completed', completedAt: new Date() }).where(eq(assignments.id, l1.assignmentId));
		await db.update(people).set({ active: false }).where(eq(people.id, l2.person.id));
		const outcome = await sendReminders(db, town.actor, town.campaign.id, [l1.assignmentId, l2.assignmentId, l3.assignmentId], ctx('2026-11-20', true));
		expect(outcome?.reminded).toBe(1);
		const elsewhere = await makeTown('rem-c2');
		expect(await sendReminders(db, town.actor, elsewhere.campaign.id, [elsewhere.learners[0].assignmentId], ctx('2026-11-20', true))).toBeNull();
	});
});

describe('remindersForLearner', () => {
	it('shows the latest reminder until the training is completed', async () => {
		const town = await makeTown('rem-d');
		const [l1] = town.learners;
		await sendReminders(db, town.actor, town.campaign.id, [l1.assignmentId], ctx('2026-11-20', false));
		await sendReminders(db, town.actor, town.campaign.id, [l1.assignmentId], ctx('2026-11-22', false));
		const shown = await remindersForLearner(db, town.org.id, l1.person.id, '2026-11-23');
		expect(shown).toEqual([
			{
				assignmentId: l1.assignmentId,
				campaignTitle: '情報セキュリティ研修',
				dueOn: '2026-12-25',
				remindedOn: '2026-11-22',
				kind: 'manual',
				sentByName: '課長 一郎'
			}
		]);
		// Someone else's home does not show it.
		expect(await remindersForLearner(db, town.org.id, town.learners[1].person.id, '2026-11-23')).toEqual([]);
		await db.update(assignments).set({ status: 'completed', completedAt: new Date() }).where(eq(assignments.id, l1.assignmentId));
		expect(await remindersForLearner(db, town.org.id, l1.person.id, '2026-11-23')).toEqual([]);
	});
});

describe('the people list', () => {
	it('shows each person’s latest reminder day, on every page and in the export', async () => {
		const town = await makeTown('rem-list');
		const [l1, l2] = town.learners;
		await sendReminders(db, town.actor, town.campaign.id, [l1.assignmentId], ctx('2026-11-20', false));
		await sendReminders(db, town.actor, town.campaign.id, [l1.assignmentId, l2.assignmentId], ctx('2026-11-22', false));
		const chief = await loadCurrentUser(db, town.chief.id, town.org.id);
		const scope = await completionScopeFor(db, chief!);
		const lastOf = (rows: { assignmentId: string; lastRemindedOn: string | null }[]) => Object.fromEntries(rows.map((r) => [r.assignmentId, r.lastRemindedOn]));
		const expected = { [l1.assignmentId]: '2026-11-22', [l2.assignmentId]: '2026-11-22', [town.learners[2].assignmentId]: null };
		const filter = parsePeopleFilter(new URLSearchParams());
		const pageOne = await completionPeople(db, scope, town.campaign, { ...filter, pageSize: 2 }, '2026-11-23');
		const pageTwo = await completionPeople(db, scope, town.campaign, { ...filter, pageSize: 2, page: 2 }, '2026-11-23');
		expect(pageOne.total).toBe(3);
		expect(lastOf([...pageOne.rows, ...pageTwo.rows])).toEqual(expected);
		expect(lastOf(await allCompletionPeople(db, scope, town.campaign, filter, '2026-11-23'))).toEqual(expected);
	});
});

describe('runScheduledReminders', () => {
	it('sends on the scheduled days only, with one copy per supervisor up the tree', async () => {
		const town = await makeTown('rem-e');
		await db.update(assignments).set({ status: 'completed', completedAt: new Date() }).where(eq(assignments.id, town.learners[0].assignmentId));
		expect(
			await setReminderSchedule(db, { orgId: town.org.id, personId: town.chief.id }, town.campaign.id, {
				daysBefore: [7, 1],
				overdueEveryDays: 7,
				copySupervisors: true
			})
		).toBe(true);

		const nothingYet = await runScheduledReminders(db, ctx('2026-12-17', true));
		expect(nothingYet.reminded).toBe(0);

		const week = await runScheduledReminders(db, ctx('2026-12-18', true));
		expect(week).toEqual({ campaigns: 1, reminded: 2, emailed: 1, supervisorCopies: 2 });
		const mails = await outboxOf(town.org.id);
		expect(mails.map((m) => m.toAddress)).toEqual(['chief@example.test', 'director@example.test', 'hanako@example.test']);
		const copy = mails.find((m) => m.toAddress === 'chief@example.test')!;
		expect(copy.subject).toBe('【写し】研修「情報セキュリティ研修」の督促を2人に送りました');
		expect(copy.body).toContain('・職員 2（総務課、未着手）');
		expect(copy.body).toContain('・職員 3（総務課、未着手）');
		expect(copy.body).not.toContain('職員 1');

		// Running again the same day, or the next, sends nothing more.
		expect((await runScheduledReminders(db, ctx('2026-12-18', true))).reminded).toBe(0);
		expect((await runScheduledReminders(db, ctx('2026-12-19', true))).reminded).toBe(0);
		// The day before, again; then weekly once overdue.
		expect((await runScheduledReminders(db, ctx('2026-12-24', true))).reminded).toBe(2);
		const overdue = await runScheduledReminders(db, ctx('2026-12-26', false));
		expect(overdue.reminded).toBe(2);
		expect(overdue.emailed).toBe(0);
		const kinds = await db
			.select({ kind: reminders.kind, on: reminders.remindedOn })
			.from(reminders)
			.where(eq(reminders.orgId, town.org.id))
			.orderBy(asc(reminders.remindedOn));
		expect(kinds.map((k) => `${k.on} ${k.kind}`)).toEqual([
			'2026-12-18 before_due',
			'2026-12-18 before_due',
			'2026-12-24 before_due',
			'2026-12-24 before_due',
			'2026-12-26 overdue',
			'2026-12-26 overdue'
		]);
	});

	it('leaves campaigns without a schedule alone and skips people reminded by hand that day', async () => {
		const quiet = await makeTown('rem-f');
		const busy = await makeTown('rem-g');
		await setReminderSchedule(db, busy.actor, busy.campaign.id, { daysBefore: [7], overdueEveryDays: null, copySupervisors: false });
		await sendReminders(db, busy.actor, busy.campaign.id, [busy.learners[0].assignmentId], ctx('2026-12-18', false));
		await runScheduledReminders(db, ctx('2026-12-18', true));
		const quietRows = await db.select().from(reminders).where(eq(reminders.orgId, quiet.org.id));
		expect(quietRows).toEqual([]);
		const busyRows = await db.select({ assignmentId: reminders.assignmentId, kind: reminders.kind }).from(reminders).where(eq(reminders.orgId, busy.org.id));
		expect(busyRows.filter((r) => r.assignmentId === busy.learners[0].assignmentId)).toEqual([{ assignmentId: busy.learners[0].assignmentId, kind: 'manual' }]);
		expect(busyRows.filter((r) => r.kind === 'before_due')).toHaveLength(2);
		// copySupervisors off: no copies queued.
		expect((await outboxOf(busy.org.id)).map((m) => m.toAddress)).toEqual(['hanako@example.test']);
	});
});

describe('a reminder by mail', () => {
	it('reaches a real SMTP server with its Japanese subject and body', async () => {
		// Delivery takes every organisation's due mail: start from an empty outbox.
		await db.delete(outbox);
		const town = await makeTown('rem-h');
		await sendReminders(db, town.actor, town.campaign.id, [town.learners[0].assignmentId], ctx('2026-12-27', true));
		const server = await startSmtpServer();
		try {
			const result = await deliverDueMail(db, transportFor(server), { now: new Date(Date.now() + 1000) });
			expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
			expect(server.received).toHaveLength(1);
			const mine = server.received.find((r) => r.rcptTo.includes('taro@example.test'))!;
			const mail = parseMail(mine.raw);
			expect(decodeHeader(mail.headers.get('subject')!)).toBe('【期限超過】研修「情報セキュリティ研修」を修了してください');
			expect(mail.text).toContain('職員 1 様');
			expect(mail.text).toContain('受講期限を2日過ぎています。');
			expect(mail.text).toContain('受講期限：令和8年12月25日（2026-12-25）');
			const [row] = await db
				.select()
				.from(outbox)
				.where(and(eq(outbox.orgId, town.org.id), eq(outbox.toAddress, 'taro@example.test')));
			expect(row.status).toBe('sent');
		} finally {
			await server.close();
		}
	});
});
