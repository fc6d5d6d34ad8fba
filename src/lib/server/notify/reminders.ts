import { and, desc, eq, gte, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import {
	assignments,
	campaigns,
	departments,
	people,
	personRoles,
	reminders,
	supervisedDepartments,
	type ReminderKind,
	type ReminderSchedule
} from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/log';
import { formatWareki } from '$lib/format/wareki';
import { daysLeft } from '../../format/calendar';
import { enqueueMail, type OutgoingMail } from './outbox';
import { automaticReminderDue } from './schedule';

/** What sending reminders needs from the process: today's date, whether mail is on, and the app's address for links. */
export interface ReminderContext {
	today: string;
	mailOn: boolean;
	/** e.g. https://mamori.city.example.lg.jp — links in mail are left out without it. */
	appUrl: string | null;
}

export interface ReminderOutcome {
	/** People reminded now (shown on their home). */
	reminded: number;
	/** Skipped: already reminded today, so a second click does not send again. */
	alreadyToday: number;
	/** Of those reminded, mails queued. */
	emailed: number;
	/** Of those reminded, people with no address: in-app only. */
	withoutAddress: number;
}

interface Recipient {
	assignmentId: string;
	personId: string;
	name: string;
	email: string;
	departmentId: string | null;
	status: string;
}

interface CampaignForMail {
	id: string;
	orgId: string;
	title: string;
	dueOn: string;
	/** Set for an inspection round: the mail asks for answers, not for a course. */
	checklistId: string | null;
}

function reminderMail(campaign: CampaignForMail, person: Recipient, kind: ReminderKind, ctx: ReminderContext): OutgoingMail {
	const left = daysLeft(campaign.dueOn, ctx.today);
	const due = formatWareki(campaign.dueOn);
	const round = campaign.checklistId !== null;
	const [what, act] = round ? ['自己点検', '回答'] : ['研修', '受講'];
	const when = left > 0 ? `${act}期限まであと${left}日です。` : left === 0 ? `本日が${act}期限です。` : `${act}期限を${-left}日過ぎています。`;
	const subject =
		left < 0
			? `【期限超過】${what}「${campaign.title}」を${round ? '完了' : '修了'}してください`
			: `【${act}のお願い】${what}「${campaign.title}」（期限 ${due}）`;
	const lines = [
		`${person.name} 様`,
		'',
		kind === 'manual' ? `所属長から、次の${what}の${act}についてお知らせがあります。` : `次の${what}がまだ${round ? '完了' : '修了'}していません。`,
		'',
		`${what}：${campaign.title}`,
		`${act}期限：${due}（${campaign.dueOn}）`,
		when,
		'',
		ctx.appUrl
			? `${act}はこちらから：${ctx.appUrl.replace(/\/$/, '')}/${round ? 'inspection' : 'learn'}/${person.assignmentId}`
			: `Mamori にログインし、「わたしの研修」から${act}してください。`,
		'',
		'--',
		'Mamori 守り（情報セキュリティポリシー研修）',
		'このメールは送信専用です。'
	];
	return { orgId: campaign.orgId, to: person.email, subject, body: lines.join('\n') };
}

/**
 * Records reminders for the given assignments and queues their mail, in one transaction. An
 * assignment already reminded today (by hand or automatically) is skipped; the unique key on
 * (assignment, kind, day) settles two clicks racing each other.
 */
async function remind(
	tx: DbOrTx,
	campaign: CampaignForMail,
	recipients: Recipient[],
	kind: ReminderKind,
	sentBy: string | null,
	ctx: ReminderContext
): Promise<{ reminded: Recipient[]; alreadyToday: number; emailed: number }> {
	if (recipients.length === 0) return { reminded: [], alreadyToday: 0, emailed: 0 };
	const ids = recipients.map((r) => r.assignmentId);
	const remindedToday = new Set<string>();
	for (let i = 0; i < ids.length; i += 1000) {
		const rows = await tx
			.select({ id: reminders.assignmentId })
			.from(reminders)
			.where(and(inArray(reminders.assignmentId, ids.slice(i, i + 1000)), eq(reminders.remindedOn, ctx.today)));
		for (const r of rows) remindedToday.add(r.id);
	}
	const fresh = recipients.filter((r) => !remindedToday.has(r.assignmentId));
	const inserted = new Set<string>();
	for (let i = 0; i < fresh.length; i += 500) {
		const rows = await tx
			.insert(reminders)
			.values(
				fresh.slice(i, i + 500).map((r) => ({
					orgId: campaign.orgId,
					campaignId: campaign.id,
					assignmentId: r.assignmentId,
					personId: r.personId,
					kind,
					sentBy,
					remindedOn: ctx.today
				}))
			)
			.onConflictDoNothing()
			.returning({ id: reminders.assignmentId });
		for (const r of rows) inserted.add(r.id);
	}
	const reminded = fresh.filter((r) => inserted.has(r.assignmentId));
	const emailed = ctx.mailOn
		? await enqueueMail(
				tx,
				reminded.map((r) => reminderMail(campaign, r, kind, ctx))
			)
		: 0;
	return { reminded, alreadyToday: recipients.length - reminded.length, emailed };
}

async function recipientsOf(db: DbOrTx, orgId: string, assignmentIds: readonly string[]): Promise<Recipient[]> {
	const out: Recipient[] = [];
	for (let i = 0; i < assignmentIds.length; i += 1000) {
		const rows = await db
			.select({
				assignmentId: assignments.id,
				personId: people.id,
				name: people.name,
				email: people.email,
				departmentId: assignments.departmentId,
				status: assignments.status
			})
			.from(assignments)
			.innerJoin(people, eq(people.id, assignments.personId))
			.where(
				and(
					eq(assignments.orgId, orgId),
					inArray(assignments.id, assignmentIds.slice(i, i + 1000)),
					ne(assignments.status, 'completed'),
					eq(people.active, true)
				)
			);
		out.push(...rows);
	}
	return out;
}

/**
 * A supervisor's reminder to people of one campaign. The caller has already limited
 * `assignmentIds` to the supervisor's scope (insight/completion `remindableAssignmentIds`).
 */
export async function sendReminders(
	db: Db,
	actor: AuditActor & { orgId: string; personId: string },
	campaignId: string,
	assignmentIds: readonly string[],
	ctx: ReminderContext,
	/** What the sender was looking at, for the log: a department (with those below it), and whether they picked people or took all. */
	view: { departmentId?: string | null; pick?: 'selected' | 'all' } = {}
): Promise<ReminderOutcome | null> {
	return db.transaction(async (tx) => {
		const [campaign] = await tx
			.select({ id: campaigns.id, orgId: campaigns.orgId, title: campaigns.title, dueOn: campaigns.dueOn, checklistId: campaigns.checklistId })
			.from(campaigns)
			.where(and(eq(campaigns.orgId, actor.orgId), eq(campaigns.id, campaignId)));
		if (!campaign) return null;
		const recipients = await recipientsOf(tx, actor.orgId, assignmentIds);
		const result = await remind(tx, campaign, recipients, 'manual', actor.personId, ctx);
		const outcome: ReminderOutcome = {
			reminded: result.reminded.length,
			alreadyToday: result.alreadyToday,
			emailed: result.emailed,
			withoutAddress: result.reminded.filter((r) => r.email.trim() === '').length
		};
		if (outcome.reminded > 0) {
			const [department] = view.departmentId
				? await tx
						.select({ name: departments.name })
						.from(departments)
						.where(and(eq(departments.orgId, actor.orgId), eq(departments.id, view.departmentId)))
				: [];
			await recordAudit(tx, actor, {
				action: 'reminder.sent',
				targetType: 'campaign',
				targetId: campaign.id,
				detail: {
					...outcome,
					...(view.pick ? { pick: view.pick } : {}),
					// The name as it was, for the log's summary should the department go later.
					...(department ? { departmentId: view.departmentId, departmentName: department.name } : {}),
					assignmentIds: result.reminded.map((r) => r.assignmentId)
				}
			});
		}
		return outcome;
	});
}

/** Supervisors (active, with the role) per department they supervise directly. */
async function supervisorsByDepartment(db: DbOrTx, orgId: string) {
	const rows = await db
		.select({ departmentId: supervisedDepartments.departmentId, personId: people.id, name: people.name, email: people.email })
		.from(supervisedDepartments)
		.innerJoin(people, and(eq(people.id, supervisedDepartments.personId), eq(people.active, true)))
		.innerJoin(personRoles, and(eq(personRoles.personId, people.id), eq(personRoles.role, 'supervisor')))
		.where(eq(supervisedDepartments.orgId, orgId));
	const parents = await db
		.select({ id: departments.id, parentId: departments.parentId, name: departments.name })
		.from(departments)
		.where(eq(departments.orgId, orgId));
	const parentOf = new Map(parents.map((d) => [d.id, d.parentId]));
	const nameOf = new Map(parents.map((d) => [d.id, d.name]));
	const direct = new Map<string, typeof rows>();
	for (const r of rows) direct.set(r.departmentId, [...(direct.get(r.departmentId) ?? []), r]);
	/** Everyone supervising the department or one of its ancestors. */
	const of = (departmentId: string | null) => {
		const found = new Map<string, (typeof rows)[number]>();
		const seen = new Set<string>();
		for (let cur = departmentId; cur && !seen.has(cur); cur = parentOf.get(cur) ?? null) {
			seen.add(cur);
			for (const s of direct.get(cur) ?? []) found.set(s.personId, s);
		}
		return [...found.values()];
	};
	return { of, nameOf };
}

export interface ScheduledRun {
	campaigns: number;
	reminded: number;
	emailed: number;
	supervisorCopies: number;
}

/**
 * The automatic reminders due today across every organisation's running campaigns with a
 * schedule. Safe to run as often as wanted: a slot already served sends nothing again.
 */
export async function runScheduledReminders(db: Db, ctx: ReminderContext): Promise<ScheduledRun> {
	const run: ScheduledRun = { campaigns: 0, reminded: 0, emailed: 0, supervisorCopies: 0 };
	const due = await db
		.select({
			id: campaigns.id,
			orgId: campaigns.orgId,
			title: campaigns.title,
			startsOn: campaigns.startsOn,
			dueOn: campaigns.dueOn,
			checklistId: campaigns.checklistId,
			schedule: campaigns.reminderSchedule
		})
		.from(campaigns)
		.where(and(eq(campaigns.archived, false), isNotNull(campaigns.reminderSchedule), lte(campaigns.startsOn, ctx.today)));
	for (const campaign of due) {
		const schedule = campaign.schedule!;
		const candidates = await db
			.select({
				assignmentId: assignments.id,
				personId: people.id,
				name: people.name,
				email: people.email,
				departmentId: assignments.departmentId,
				status: assignments.status,
				lastAutomaticOn: sql<
					string | null
				>`(select max(${reminders.remindedOn}) from ${reminders} where ${reminders.assignmentId} = ${assignments.id} and ${reminders.kind} <> 'manual')`
			})
			.from(assignments)
			.innerJoin(people, and(eq(people.id, assignments.personId), eq(people.active, true)))
			.where(and(eq(assignments.campaignId, campaign.id), ne(assignments.status, 'completed')));
		const byKind = { before_due: [] as Recipient[], overdue: [] as Recipient[] };
		for (const c of candidates) {
			const kind = automaticReminderDue(schedule, campaign, ctx.today, c.lastAutomaticOn);
			if (kind) byKind[kind].push(c);
		}
		if (byKind.before_due.length + byKind.overdue.length === 0) continue;
		run.campaigns++;
		await db.transaction(async (tx) => {
			const reminded: Recipient[] = [];
			for (const kind of ['before_due', 'overdue'] as const) {
				const result = await remind(tx, campaign, byKind[kind], kind, null, ctx);
				reminded.push(...result.reminded);
				run.emailed += result.emailed;
			}
			run.reminded += reminded.length;
			if (schedule.copySupervisors && ctx.mailOn && reminded.length > 0) {
				const copies = await supervisorCopies(tx, campaign, reminded, ctx);
				run.supervisorCopies += await enqueueMail(tx, copies);
			}
			if (reminded.length > 0) {
				await recordAudit(
					tx,
					{ orgId: campaign.orgId, personId: null },
					{
						action: 'reminder.scheduled',
						targetType: 'campaign',
						targetId: campaign.id,
						detail: { reminded: reminded.length }
					}
				);
			}
		});
	}
	return run;
}

/** One mail per supervisor listing the people of their departments who were just reminded. */
async function supervisorCopies(tx: DbOrTx, campaign: CampaignForMail, reminded: Recipient[], ctx: ReminderContext): Promise<OutgoingMail[]> {
	const { of, nameOf } = await supervisorsByDepartment(tx, campaign.orgId);
	const lists = new Map<string, { supervisor: { name: string; email: string }; people: Recipient[] }>();
	for (const person of reminded) {
		for (const s of of(person.departmentId)) {
			const entry = lists.get(s.personId) ?? { supervisor: s, people: [] };
			entry.people.push(person);
			lists.set(s.personId, entry);
		}
	}
	const left = daysLeft(campaign.dueOn, ctx.today);
	return [...lists.values()].map(({ supervisor, people: list }) => ({
		orgId: campaign.orgId,
		to: supervisor.email,
		subject: `【写し】研修「${campaign.title}」の督促を${list.length}人に送りました`,
		body: [
			`${supervisor.name} 様`,
			'',
			`研修「${campaign.title}」（期限 ${formatWareki(campaign.dueOn)}${left < 0 ? `、${-left}日超過` : ''}）について、`,
			'次の職員に自動の督促を送りました。',
			'',
			...list.map((p) => `・${p.name}（${(p.departmentId && nameOf.get(p.departmentId)) || '所属なし'}、${p.status === 'in_progress' ? '受講中' : '未着手'}）`),
			'',
			ctx.appUrl ? `受講状況：${ctx.appUrl.replace(/\/$/, '')}/team?campaign=${campaign.id}` : 'Mamori の「所属の受講状況」で確認できます。',
			'',
			'--',
			'Mamori 守り（情報セキュリティポリシー研修）'
		].join('\n')
	}));
}

export interface LearnerReminder {
	assignmentId: string;
	campaignTitle: string;
	dueOn: string;
	remindedOn: string;
	kind: ReminderKind;
	sentByName: string | null;
}

/**
 * Reminders for the learner's unfinished training in the last 30 days, the latest per
 * assignment, for the notice on their home page.
 */
export async function remindersForLearner(db: DbOrTx, orgId: string, personId: string, today: string): Promise<LearnerReminder[]> {
	const since = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
	const rows = await db
		.select({
			assignmentId: reminders.assignmentId,
			campaignTitle: campaigns.title,
			dueOn: campaigns.dueOn,
			remindedOn: reminders.remindedOn,
			kind: reminders.kind,
			sentByName: people.name
		})
		.from(reminders)
		.innerJoin(assignments, eq(assignments.id, reminders.assignmentId))
		.innerJoin(campaigns, and(eq(campaigns.id, reminders.campaignId), eq(campaigns.archived, false)))
		.leftJoin(people, eq(people.id, reminders.sentBy))
		.where(and(eq(reminders.orgId, orgId), eq(reminders.personId, personId), gte(reminders.remindedOn, since), ne(assignments.status, 'completed')))
		.orderBy(desc(reminders.createdAt));
	const latest = new Map<string, LearnerReminder>();
	for (const r of rows) if (!latest.has(r.assignmentId)) latest.set(r.assignmentId, r);
	return [...latest.values()];
}

/** Sets or clears (null) a campaign's automatic reminders. False when the campaign is not the org's. */
export async function setReminderSchedule(
	db: Db,
	actor: AuditActor & { orgId: string; personId: string },
	campaignId: string,
	schedule: ReminderSchedule | null
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(campaigns)
			.set({ reminderSchedule: schedule })
			.where(and(eq(campaigns.orgId, actor.orgId), eq(campaigns.id, campaignId)))
			.returning({ id: campaigns.id });
		if (!row) return false;
		await recordAudit(tx, actor, { action: 'campaign.reminder_schedule', targetType: 'campaign', targetId: row.id, detail: { schedule } });
		return true;
	});
}
