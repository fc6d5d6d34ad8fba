import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray, ne, sql, type SQLWrapper } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	assignments,
	auditEvents,
	campaigns,
	courses,
	departments,
	lessons,
	people,
	policies,
	policyVersions,
	questions,
	improvementActions,
	inspectionChecklists,
	inspectionItems
} from '../../src/lib/server/db/schema';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';
import { seedDemoOrganisation } from '../../src/lib/server/demo/organisation';
import { demoPassword } from '../../src/lib/server/demo/seed';
import { recordAudit, type AuditActor } from '../../src/lib/server/audit/log';
import { auditActions } from '../../src/lib/server/audit/actions';
import { auditPageQueries, listAuditEvents, type AuditQuery } from '../../src/lib/server/audit/query';
import { rowsOf } from '../../src/lib/server/db/client';
import { describeAuditEvents, type AuditLine } from '../../src/lib/server/audit/present';
import { auditCsvRows, exportAuditLines } from '../../src/lib/server/audit/csv';
import { encodeCsv } from '../../src/lib/server/insight/csv';
import { login } from '../../src/lib/server/auth/login';
import { defaultLoginLimits } from '../../src/lib/server/auth/rate-limit';
import { changeOwnPassword } from '../../src/lib/server/auth/change-password';
import { resetPassword, updatePersonAccess } from '../../src/lib/server/org/people';
import { confirmEnrolment, enrolmentSecret, resetSecondFactor, verifySecondFactor } from '../../src/lib/server/auth/mfa/factors';
import { timeStep, totpAt } from '../../src/lib/server/auth/mfa/totp';
import { createDepartment, deleteDepartment, updateDepartment } from '../../src/lib/server/org/departments';
import { applyRosterImport, discardRosterImport, previewRosterFile } from '../../src/lib/server/org/roster';
import { previewDirectorySync } from '../../src/lib/server/org/directory-sync';
import { directoryConfigFromEnv } from '../../src/lib/server/auth/directory/config';
import { freePort } from '../helpers/private-postgres';
import { saveDocumentSettings } from '../../src/lib/server/org/document-settings';
import { archiveCampaign, updateCampaign } from '../../src/lib/server/learning/campaigns';
import { runScheduledReminders, sendReminders, setReminderSchedule } from '../../src/lib/server/notify/reminders';
import { clearNeedsReview, importGiftQuestions, questionForEditing, updateLesson, updateQuestion } from '../../src/lib/server/learning/editor';
import { checklistForEditing, saveChecklist } from '../../src/lib/server/inspection/editor';
import { saveInspectionAnswers } from '../../src/lib/server/inspection/rounds';
import { improvementScopeFor, updateImprovement } from '../../src/lib/server/inspection/improvements';
import { parsePolicyText } from '../../src/lib/server/policy/import';
import { savePolicyImport } from '../../src/lib/server/policy/save-import';
import { acknowledgeVersion } from '../../src/lib/server/policy/acknowledge';
import {
	addSection,
	discardRevision,
	moveSection,
	removeSection,
	saveMetadata,
	saveSection,
	startRevision,
	loadRevision
} from '../../src/lib/server/revision/drafts';
import { addComment, publishRevision, transition } from '../../src/lib/server/revision/workflow';
import { assignRevisionPoints } from '../../src/lib/server/revision/retraining';
import type { RevisionActor } from '../../src/lib/server/revision/common';
import { formatIsoDate } from '../../src/lib/format/wareki';

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	Plans?: PlanNode[];
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

/** Everything a reader of the log sees of the lines, and the CSV in both encodings, read back. */
function everythingShown(lines: AuditLine[]): string {
	const rows = auditCsvRows(lines, 'ja');
	const utf8 = new TextDecoder().decode(encodeCsv(rows, 'utf-8'));
	const sjis = iconv.decode(Buffer.from(encodeCsv(rows, 'shift_jis')), 'cp932');
	return [JSON.stringify(lines.map(({ id: _id, ...shown }) => shown)), utf8, sjis].join('\n');
}

/** The lines as data, without JSON's own braces and quotes: what the page and the CSV hold. */
function shownValues(lines: AuditLine[]): string[] {
	return lines.flatMap((l) => [l.at, l.action, l.actorName, l.actorNumber, l.objectKind, l.objectTitle, l.summary, l.ip]);
}

describe('audit events', () => {
	let orgId: string;
	let otherOrgId: string;

	beforeAll(async () => {
		orgId = (await makeOrg(db)).id;
		otherOrgId = (await makeOrg(db)).id;
		const alice = await makePerson(db, orgId, { employeeNumber: 'a-1', name: '監査 太郎', nameKana: 'カンサ タロウ' });
		const bob = await makePerson(db, orgId, { employeeNumber: 'b-2', name: '監査 花子', nameKana: 'カンサ ハナコ' });
		// Japan midnight of 2026-11-02 is 15:00 UTC on 11-01.
		await db.insert(auditEvents).values([
			{ orgId, actorId: alice.id, action: 'login.success', targetType: 'person', targetId: alice.id, at: new Date('2026-11-01T14:59:59Z') },
			{ orgId, actorId: null, action: 'login.failure', targetType: 'person', targetId: alice.id, at: new Date('2026-11-01T15:00:00Z') },
			{ orgId, actorId: bob.id, action: 'campaign.archive', at: new Date('2026-11-02T14:59:59Z'), detail: { title: '=HYPERLINK("x")' } },
			{ orgId, actorId: bob.id, action: 'login.success', targetType: 'person', targetId: bob.id, at: new Date('2026-11-02T15:00:00Z') },
			{ orgId: otherOrgId, actorId: null, action: 'login.success', at: new Date('2026-11-02T00:00:00Z') }
		]);
	});

	/** The database's own refusal, whether or not the driver wrapped it. */
	const refused = async (write: Promise<unknown>) => {
		const error = await write.then(
			() => null,
			(e: { message?: string; cause?: { message?: string } }) => e
		);
		expect(error, 'the write was refused').not.toBeNull();
		expect(`${error?.message} ${error?.cause?.message ?? ''}`).toMatch(/append-only/);
	};

	it('cannot be changed, deleted or truncated, even by the application account', async () => {
		await refused(db.update(auditEvents).set({ action: 'tampered' }).where(eq(auditEvents.orgId, orgId)));
		await refused(db.delete(auditEvents).where(eq(auditEvents.orgId, orgId)));
		await refused(db.execute(sql`truncate audit_events`));
		const [{ n }] = await db
			.select({ n: sql<number>`count(*)::int` })
			.from(auditEvents)
			.where(eq(auditEvents.orgId, orgId));
		expect(n).toBe(4);
		// Appending still works.
		await db.insert(auditEvents).values({ orgId: otherOrgId, action: 'test.append' });
	});

	it('filter by Japan-time days, person and action, never across organisations', async () => {
		const actions = async (query: AuditQuery) => (await listAuditEvents(db, orgId, query)).rows.map((r) => `${r.action}@${r.at.toISOString()}`);
		expect(await actions({ from: '2026-11-02', to: '2026-11-02' })).toEqual([
			'campaign.archive@2026-11-02T14:59:59.000Z',
			'login.failure@2026-11-01T15:00:00.000Z'
		]);
		expect(await actions({ to: '2026-11-01' })).toEqual(['login.success@2026-11-01T14:59:59.000Z']);
		expect(await actions({ person: 'b-2', actions: ['login.success', 'login.failure'] })).toEqual(['login.success@2026-11-02T15:00:00.000Z']);
		expect((await listAuditEvents(db, orgId, { from: 'not-a-date' })).total).toBe(4);
		// 監査 太郎 logged in and failed to (as the object, with no actor).
		expect(await actions({ person: '監査太郎' })).toEqual(['login.failure@2026-11-01T15:00:00.000Z', 'login.success@2026-11-01T14:59:59.000Z']);
		expect(await actions({ person: 'a-1', personRole: 'actor' })).toEqual(['login.success@2026-11-01T14:59:59.000Z']);
		expect(await actions({ person: 'かんさ', personRole: 'object' })).toEqual([
			'login.success@2026-11-02T15:00:00.000Z',
			'login.failure@2026-11-01T15:00:00.000Z',
			'login.success@2026-11-01T14:59:59.000Z'
		]);
		expect((await listAuditEvents(db, otherOrgId, { person: '監査' })).total).toBe(0);
	});
});

/**
 * The demo organisation, then every action the app records done once through its own code: the
 * log of a year in miniature. Events of each kind must read as names, titles and sentences.
 */
describe('every recorded action, as an auditor reads it', () => {
	let orgId: string;
	const ip = '192.0.2.10';
	const ids: Record<string, string> = {};
	let lines: AuditLine[];
	let english: AuditLine[];

	async function personId(number: string) {
		const [p] = await db
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, number)));
		return p.id;
	}
	async function departmentId(code: string) {
		const [d] = await db
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.orgId, orgId), eq(departments.code, code)));
		return d.id;
	}
	/** The first event of each action, by its code. */
	const eventIds = new Map<string, number>();

	beforeAll(async () => {
		const today = formatIsoDate(new Date());
		orgId = (await seedDemoOrganisation(db)).orgId;
		for (const n of ['demo-admin', 'demo-owner', 'demo-approver', 'demo-staff', 'demo-parttime', 'demo-chief', '1002']) ids[n] = await personId(n);
		const admin = { orgId, personId: ids['demo-admin'], ip };
		const owner: RevisionActor = { orgId, personId: ids['demo-owner'], roles: ['policy_owner'], ip };
		const approver: RevisionActor = { orgId, personId: ids['demo-approver'], roles: ['approver'], ip };
		const policy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 };

		// Logins: success, a wrong password, an unknown number, and a locked account.
		const staffLogin = await login(db, { orgId, loginId: 'demo-staff', password: demoPassword, ip }, defaultLoginLimits, policy);
		if (!staffLogin.ok) throw new Error('demo-staff could not log in');
		await login(db, { orgId, loginId: 'demo-staff', password: 'wrong-password', ip: '192.0.2.11' }, defaultLoginLimits, policy);
		await login(db, { orgId, loginId: 'nobody-9', password: 'x', ip: '192.0.2.12' }, defaultLoginLimits, policy);
		const strict = { ...defaultLoginLimits, perAccount: 2 };
		for (let i = 0; i < 3; i++) await login(db, { orgId, loginId: 'demo-parttime', password: 'wrong', ip: '192.0.2.13' }, strict, policy);
		// The logout page records this as it ends the session.
		await recordAudit(db, { orgId, personId: ids['demo-staff'], ip }, { action: 'logout', targetType: 'person', targetId: ids['demo-staff'] });

		// Passwords: the person's own change, a wrong current one until refused, an admin's reset.
		const staff = { orgId, personId: ids['demo-staff'], ip };
		const oneTry = { ...defaultLoginLimits, perAccount: 1 };
		await changeOwnPassword(db, staff, staffLogin.session.id, {
			current: demoPassword,
			next: '八ヶ岳の朝は空気が澄んでいる',
			confirm: '八ヶ岳の朝は空気が澄んでいる'
		});
		await changeOwnPassword(db, staff, staffLogin.session.id, { current: 'wrong', next: 'x', confirm: 'x' }, oneTry);
		await changeOwnPassword(db, staff, staffLogin.session.id, { current: 'wrong', next: 'x', confirm: 'x' }, oneTry);
		await resetPassword(db, admin, orgId, ids['1002']);

		// Second factor: the approver enrols (a wrong code first), logs in with a code, fails one, and the admin resets it.
		const factors = { key: null, limits: defaultLoginLimits };
		const approverActor = { orgId, personId: ids['demo-approver'], ip };
		const secret = (await enrolmentSecret(db, null, { id: ids['demo-approver'], orgId }))!;
		const enrolledAt = new Date();
		const rightCode = (step: number) => totpAt(secret, step);
		const wrongCode = (step: number) => (rightCode(step) === '000000' ? '111111' : '000000');
		await confirmEnrolment(db, factors, approverActor, wrongCode(timeStep(enrolledAt)), enrolledAt);
		await confirmEnrolment(db, factors, approverActor, rightCode(timeStep(enrolledAt)), enrolledAt);
		await verifySecondFactor(db, factors, approverActor, rightCode(timeStep(enrolledAt) + 1), enrolledAt);
		await verifySecondFactor(db, factors, approverActor, wrongCode(timeStep(enrolledAt)), enrolledAt);
		await resetSecondFactor(db, admin, ids['demo-approver']);

		// People: 須玉 次郎 moves from 総務課 to 税務課; 清里 課長 also supervises 窓口係.
		await updatePersonAccess(db, admin, orgId, ids['1002'], { departmentId: await departmentId('220'), active: true, roles: [], supervisedDepartmentIds: [] });
		await updatePersonAccess(db, admin, orgId, ids['demo-chief'], {
			departmentId: await departmentId('210'),
			active: true,
			roles: ['supervisor', 'approver'],
			supervisedDepartmentIds: [await departmentId('210'), await departmentId('211')]
		});

		// Departments: made, renamed and moved, then deleted (the log keeps its name).
		const made = await createDepartment(db, admin, orgId, { code: '901', name: '監査準備室', parentId: await departmentId('100') });
		if (!made.ok) throw new Error('department');
		await updateDepartment(db, admin, orgId, made.id, { code: '902', name: '監査対応室', parentId: null });
		await deleteDepartment(db, admin, orgId, made.id);

		// The roster: one applied with a new department ticked, one discarded.
		const header = '職員番号,氏名,氏名カナ,所属コード,所属名,雇用区分,役職,メール,退職日';
		const roster = new TextEncoder().encode(`${header}\r\n9001,監査 新人,カンサ シンジン,950,危機管理室,正規職員,,,\r\n`);
		const applied = await previewRosterFile(db, admin, { name: '令和8年度名簿.csv', bytes: roster });
		if (!applied.ok) throw new Error('roster');
		await applyRosterImport(db, admin, applied.importId, { deactivateMissing: false, createDepartments: ['950'] });
		const dropped = await previewRosterFile(db, admin, { name: '誤った名簿.csv', bytes: roster });
		if (!dropped.ok) throw new Error('roster');
		await discardRosterImport(db, admin, dropped.importId);
		await saveDocumentSettings(db, admin, { comparisonOrder: 'old_first', approvalBoxes: ['課長', 'CISO'] });

		// Training: the demo campaign changed, archived and restored, its reminders set and sent.
		const [campaign] = await db.select().from(campaigns).where(eq(campaigns.orgId, orgId)).orderBy(asc(campaigns.createdAt)).limit(1);
		ids.campaign = campaign.id;
		const dueOn = `${Number(campaign.dueOn.slice(0, 4)) + 1}-03-31`;
		await updateCampaign(
			db,
			admin,
			campaign.id,
			{ title: campaign.title, fiscalYear: campaign.fiscalYear, startsOn: campaign.startsOn, dueOn, audience: campaign.audience },
			{ today }
		);
		await archiveCampaign(db, admin, campaign.id, true);
		await archiveCampaign(db, admin, campaign.id, false);
		await setReminderSchedule(db, admin, campaign.id, { daysBefore: [7, 0], overdueEveryDays: 7, copySupervisors: true });
		const shimin = await db
			.select({ id: assignments.id })
			.from(assignments)
			.where(
				and(
					eq(assignments.campaignId, campaign.id),
					inArray(assignments.departmentId, [await departmentId('210'), await departmentId('211')]),
					ne(assignments.status, 'completed')
				)
			);
		ids.shiminCount = String(shimin.length);
		await sendReminders(
			db,
			admin,
			campaign.id,
			shimin.map((a) => a.id),
			{ today, mailOn: false, appUrl: null },
			{ departmentId: await departmentId('210'), pick: 'all' }
		);
		await runScheduledReminders(db, { today: dueOn, mailOn: false, appUrl: null });

		// Course editing: a lesson and a question edited, GIFT questions imported.
		const [course] = await db
			.select()
			.from(courses)
			.where(and(eq(courses.orgId, orgId), eq(courses.slug, 'basic-policy-training')));
		const [lesson] = await db.select().from(lessons).where(eq(lessons.courseId, course.id)).orderBy(asc(lessons.position)).limit(1);
		await updateLesson(db, owner, lesson.id, { title: `${lesson.title}（改）`, body: lesson.body, sectionKeys: lesson.sectionKeys });
		const [question] = await db.select().from(questions).where(eq(questions.courseId, course.id)).orderBy(asc(questions.position)).limit(1);
		const editing = (await questionForEditing(db, orgId, course.id, question.id))!;
		await updateQuestion(db, owner, question.id, editing.text.replace(question.stem, `${question.stem}（改）`));
		await importGiftQuestions(db, owner, course.id, '// sections: 6.3.1\n::audit-gift::監査で確かめる問い{\n\t=正しい\n\t~誤り\n}\n');

		// Self-inspection: a checklist edited in the app, and the 所属長's いいえ turned into a 改善計画 worked on.
		const [checklist] = await db
			.select()
			.from(inspectionChecklists)
			.where(and(eq(inspectionChecklists.orgId, orgId), eq(inspectionChecklists.slug, 'supervisor-self-inspection')));
		const checklistText = await checklistForEditing(db, orgId, checklist.id);
		const saved = await saveChecklist(db, { ...owner }, checklist.id, {
			title: checklist.title,
			description: checklist.description,
			tier: checklist.tier,
			items: checklistText!.items.replace('sections: 6.2, 4.2', 'sections: 6.2, 4.2\naudit: 3.1.2')
		});
		if (!saved.ok) throw new Error(`checklist: ${JSON.stringify(saved)}`);
		const [chiefRound] = await db
			.select({ id: assignments.id })
			.from(assignments)
			.innerJoin(campaigns, eq(campaigns.id, assignments.campaignId))
			.where(and(eq(assignments.personId, ids['demo-chief']), eq(campaigns.checklistId, checklist.id)));
		const [firstItem] = await db
			.select({ id: inspectionItems.id })
			.from(inspectionItems)
			.where(and(eq(inspectionItems.checklistId, checklist.id), eq(inspectionItems.active, true)))
			.orderBy(asc(inspectionItems.position))
			.limit(1);
		await saveInspectionAnswers(db, orgId, ids['demo-chief'], chiefRound.id, [{ itemId: firstItem.id, answer: 'no', comment: '' }], today);
		const [plan] = await db.select({ id: improvementActions.id }).from(improvementActions).where(eq(improvementActions.orgId, orgId));
		const chiefScope = await improvementScopeFor(db, (await loadCurrentUser(db, ids['demo-chief'], orgId))!);
		await updateImprovement(db, { orgId, personId: ids['demo-chief'], ip }, chiefScope!, plan.id, {
			plan: '台帳を見直す',
			assignee: '庶務担当',
			dueOn: '2027-03-31',
			status: 'in_progress'
		});

		// Policies: a new one imported, the 基本方針 read, revised, reviewed, published, retrained.
		const ruleText = parsePolicyText('1 目的\n本文。\n2 定義\n本文。');
		if (!ruleText.ok) throw new Error(ruleText.message);
		await savePolicyImport(db, owner, ruleText, { mode: 'new', slug: 'audit-rule', title: '監査規程', version: '', publish: true });
		const [basic] = await db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const [inForce] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.policyId, basic.id), eq(policyVersions.status, 'published')));
		await acknowledgeVersion(db, { orgId, personId: ids['demo-staff'], roles: [], ip }, inForce.id);
		const started = await startRevision(db, owner, { policyId: basic.id, evidence: { kind: 'weak_spots' }, sectionKey: '5' });
		if (!started.ok) throw new Error('revision');
		const draft = started.versionId;
		const loaded = (await loadRevision(db, { orgId, roles: ['policy_owner'] }, draft))!;
		const five = loaded.sections.find((s) => s.key === '5')!;
		await saveSection(db, owner, draft, '5', { rev: five.rev, label: five.label, heading: five.heading, body: `${five.body}\n私物の記録媒体は使用しない。` });
		await addSection(db, owner, draft, { key: '11', level: 1, label: '11', heading: '見直しの周期', body: '毎年見直す。', after: '6' });
		await moveSection(db, owner, draft, '11', 'up');
		await addSection(db, owner, draft, { key: '12', level: 1, label: '12', heading: '仮の項目', body: '消す。', after: null });
		await removeSection(db, owner, draft, '12', 0);
		await saveMetadata(db, owner, draft, { token: loaded.revision.metaToken, version: '5.1', changeKind: 'partial', reason: '記録媒体の取扱いを明確化' });
		await transition(db, owner, draft, 'in_review', '確認をお願いします');
		await addComment(db, approver, draft, { sectionKey: '5', body: '「私物」の範囲を明確にしてください。' });
		await transition(db, approver, draft, 'returned', '定義を追加してください。');
		await transition(db, owner, draft, 'in_review');
		await transition(db, approver, draft, 'approved', '承認します');
		const published = await publishRevision(db, approver, draft, { effectiveDate: '2026-12-08' });
		if (!published.ok) throw new Error(`publish: ${JSON.stringify(published)}`);
		ids.v51 = draft;
		await assignRevisionPoints(db, admin, draft, { dueOn, today });
		const [flaggedLesson] = await db
			.select()
			.from(lessons)
			.where(and(eq(lessons.orgId, orgId), eq(lessons.needsReview, true)))
			.limit(1);
		const [flaggedQuestion] = await db
			.select()
			.from(questions)
			.where(and(eq(questions.orgId, orgId), eq(questions.needsReview, true)))
			.limit(1);
		await clearNeedsReview(db, owner, flaggedLesson.courseId, 'lesson', flaggedLesson.id);
		await clearNeedsReview(db, owner, flaggedQuestion.courseId, 'question', flaggedQuestion.id);
		// A draft of the new 監査規程, discarded: its version row is gone, its event stays.
		const [rule] = await db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'audit-rule')));
		const ruleDraft = await startRevision(db, owner, { policyId: rule.id });
		if (!ruleDraft.ok) throw new Error('rule draft');
		await discardRevision(db, owner, ruleDraft.versionId);
		// The directory: a directory person's login and a sync while it is away (a port nobody answers
		// on), and a nightly preview and a held one as the sync records them.
		const away = directoryConfigFromEnv({
			LDAP_URL: `ldap://127.0.0.1:${await freePort()}`,
			LDAP_BASE_DN: 'dc=town,dc=test',
			LDAP_BIND_DN: 'cn=reader,dc=town,dc=test',
			LDAP_TIMEOUT_MS: '2000'
		});
		const directoryPerson = await makePerson(db, orgId, { employeeNumber: 'dir-1001' });
		await db.update(people).set({ fromDirectory: true }).where(eq(people.id, directoryPerson.id));
		await login(db, { orgId, loginId: 'dir-1001', password: 'whatever-it-is', ip: '192.0.2.14' }, defaultLoginLimits, policy, new Date(), away);
		await previewDirectorySync(db, admin, away!);
		const nightly = { orgId, personId: null, ip: null };
		await recordAudit(db, nightly, { action: 'directory.sync_preview', detail: { scheduled: true, added: 2, transfers: 1, missing: 3 } });
		await recordAudit(db, nightly, { action: 'directory.sync_held', detail: { leavers: 40, directoryPeople: 100, leaversPercent: 40, limitPercent: 5 } });

		// An event of this organisation naming a person of another: never resolved across.
		const outsider = await makePerson(db, (await makeOrg(db)).id, { employeeNumber: 'X-1', name: '他市 職員' });
		await recordAudit(db, { orgId, personId: outsider.id, ip }, { action: 'password.reset', targetType: 'person', targetId: outsider.id });

		const rows = await db.select().from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(asc(auditEvents.id));
		for (const row of rows) if (!eventIds.has(row.action)) eventIds.set(row.action, row.id);
		lines = await exportAuditLines(db, orgId, {}, 'ja');
		english = await exportAuditLines(db, orgId, {}, 'en');
	}, 300_000);

	it('covers every action the app records', () => {
		expect(
			auditActions.filter((a) => !eventIds.has(a)),
			'actions the scenario did not produce'
		).toEqual([]);
	});

	it('shows no id and no raw details, in the page data or either CSV, in either language', () => {
		expect(lines.length).toBeGreaterThan(auditActions.length);
		for (const shown of [lines, english]) {
			const text = everythingShown(shown);
			expect(text).not.toMatch(uuidPattern);
			for (const value of shownValues(shown)) {
				expect(value, 'a value of the log').not.toMatch(uuidPattern);
				expect(value, 'a value of the log').not.toMatch(/[{}]/);
			}
		}
	});

	it('names every action, and says what happened in a sentence', () => {
		for (const shown of [lines, english]) {
			for (const line of shown) {
				expect(auditActions, 'the action is shown by its label').not.toContain(line.action);
				// A missing message shows as its key: never on this page.
				for (const value of [line.action, line.summary, line.objectKind, line.objectTitle, line.actorName])
					expect(value).not.toMatch(/audit\.|role\.|employment\./);
				expect(line.summary, `${line.action}: a summary`).not.toBe('');
				expect(line.actorName, `${line.action}: an actor`).not.toBe('');
			}
		}
	});

	/** The first line of an action, by its code. */
	const first = (action: string, shown = () => lines) => {
		const id = eventIds.get(action);
		const line = shown().find((l) => l.id === id);
		if (!line) throw new Error(`no ${action}`);
		return line;
	};

	it('writes the person as name and 職員番号, for the actor and the object', () => {
		expect(first('login.success')).toMatchObject({
			action: 'ログイン',
			actorName: '小淵沢 花子',
			actorNumber: 'demo-staff',
			objectKind: '職員',
			objectTitle: '小淵沢 花子（demo-staff）',
			ip
		});
		expect(first('password.reset')).toMatchObject({ actorName: '北杜 管理', actorNumber: 'demo-admin', objectTitle: '須玉 次郎（1002）' });
		expect(first('person.update')).toMatchObject({ objectTitle: '須玉 次郎（1002）', summary: '所属を総務課から税務課へ変更' });
		expect(first('person.roles').summary).toBe('承認者の役割を付与、所属長として窓口係を担当');
		// Automatic work is the system's; a failed login has no actor yet.
		expect(first('course.content_sync')).toMatchObject({ actorName: 'システム（自動処理）', actorNumber: '' });
		expect(first('login.failure')).toMatchObject({ actorName: '（ログイン前）', objectTitle: '小淵沢 花子（demo-staff）' });
	});

	it('writes the object as its title, and what is gone in words', () => {
		const titles = lines.map((l) => `${l.action}|${l.objectKind}|${l.objectTitle}`);
		expect(titles).toContain('所属の削除|所属|監査対応室（削除済み）');
		expect(titles).toContain('所属の作成|所属|監査準備室（削除済み）');
		expect(titles).toContain('所属の作成|所属|危機管理室');
		expect(titles).toContain('名簿の取込（適用）|名簿の取込|令和8年度名簿.csv');
		expect(titles).toContain('改訂版の公開|ポリシー|北杜市情報セキュリティ基本方針 第5.1版');
		expect(titles).toContain('改訂案の破棄|ポリシー|監査規程 第1.1版（削除済み）');
		expect(titles.some((t) => t.startsWith('研修の割り当ての作成|研修の割り当て|令和'))).toBe(true);
		expect(titles.some((t) => t.startsWith('確認テストの提出|受講|令和') && t.includes('確認テスト第1回'))).toBe(true);
		expect(titles.some((t) => t.startsWith('教材の編集|教材|') && t.endsWith('（改）'))).toBe(true);
		// The other organisation's person is not looked up, whatever the event says.
		const outsider = lines.find((l) => l.action === '仮パスワードの発行')!;
		expect(outsider).toMatchObject({ actorName: '不明な職員', objectTitle: '不明な職員' });
		expect(JSON.stringify(lines)).not.toContain('他市');
	});

	it('summarises what changed, dates in 和暦', () => {
		const summaries = lines.map((l) => l.summary);
		expect(summaries).toContain(`市民課の未修了者${ids.shiminCount}人に督促`);
		expect(summaries).toContain('第5.1版を公開（施行日 令和8年12月8日）');
		expect(summaries).toContain('文書の設定を変更（新旧対照表：改正前を左、改正後を右、決裁欄：課長・CISO）');
		expect(summaries).toContain('名簿を取り込み（新規1人・所属の作成1件）');
		expect(summaries).toContain('ログイン失敗（試行回数の上限に達しました）');
		expect(summaries).toContain('ログインを拒否（試行回数の上限に達しているため）');
		expect(summaries).toContain('ログイン失敗（登録のない職員番号「nobody-9」）');
		expect(summaries).toContain('ディレクトリが応答しないため、ログインを確認できませんでした');
		expect(summaries).toContain('ディレクトリに接続できず、同期できませんでした');
		expect(summaries).toContain('夜間の同期でディレクトリを読み込み（新規2人・異動1人・ディレクトリにない3人）');
		expect(summaries).toContain('退職・削除となる40人（40%）が上限の5%を超えたため適用せず、管理者の確認待ち');
		expect(summaries).toContain('所属「危機管理室」（コード 950）を最上位に作成（名簿の取込で作成）');
		expect(summaries).toContain('名称を「監査準備室」から「監査対応室」に変更、所属コードを901から902に変更、上位の所属を総務部から最上位に変更');
		expect(summaries).toContain('差し戻し（コメント：「定義を追加してください。」）');
		expect(summaries).toContain('自動督促を設定（期限前：7日前、期限当日、期限後：7日ごと、所属長に写し）');
		expect(summaries).toContain('第5.0版をもとに改訂案 第5.1版を作成、弱点分析の根拠つき');
		expect(summaries.some((s) => /^期限を令和\d+年\d+月\d+日から令和\d+年3月31日に変更$/.test(s))).toBe(true);
		expect(summaries.some((s) => /^確認テストを提出（第1回、[\d.]+点で(合格|不合格)）$/.test(s))).toBe(true);
		expect(summaries.some((s) => /^研修コース「.+」を全職員\d+人に割り当て$/.test(s))).toBe(true);
		expect(first('reminder.sent', () => english).summary).toBe(`Reminded ${ids.shiminCount} people in 市民課 who have not completed`);
		expect(first('revision.publish', () => english).summary).toBe('Published version 5.1 (in force from 8 Dec 2026 (Reiwa 8))');
	});

	it('reads old events, written before their details said as much, sensibly', async () => {
		const actor = { orgId, personId: ids['demo-admin'], ip } satisfies AuditActor;
		const before = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.orgId, orgId));
		const old = [
			// Before the reminder named its department, and the login its person.
			{ action: 'reminder.sent', targetType: 'campaign', targetId: ids.campaign, detail: { reminded: 4, alreadyToday: 0, emailed: 0, withoutAddress: 4 } },
			{ action: 'login.locked', detail: { loginId: 'demo-staff', trustedDevice: false } },
			{
				action: 'person.update',
				targetType: 'person',
				targetId: ids['1002'],
				detail: { before: { departmentId: crypto.randomUUID(), active: true }, after: { departmentId: null, active: false } }
			},
			{ action: 'revision.discard', targetType: 'policy_version', targetId: crypto.randomUUID(), detail: {} },
			{ action: 'department.update', targetType: 'department', targetId: crypto.randomUUID(), detail: {} }
		] as const;
		for (const entry of old) await recordAudit(db, actor, entry);
		const rows = (await listAuditEvents(db, orgId, { pageSize: old.length })).rows;
		expect(rows.every((r) => !before.some((b) => b.id === r.id))).toBe(true);
		const shown = await describeAuditEvents(db, orgId, rows, 'ja');
		expect(shown.map((l) => [l.objectTitle, l.summary])).toEqual([
			['削除された所属', '所属を保存（変更なし）'],
			['削除された版', '改訂案を破棄'],
			['須玉 次郎（1002）', '所属を削除された所属から所属なしへ変更、利用を停止'],
			['小淵沢 花子（demo-staff）', 'ログインを拒否（試行回数の上限に達しているため）'],
			[lines.find((l) => l.id === eventIds.get('campaign.create'))!.objectTitle, '未修了者4人に督促']
		]);
		expect(everythingShown(shown)).not.toMatch(uuidPattern);
	});

	it('filters by person, as actor or object, and by the object’s kind and title', async () => {
		const actionsOf = async (query: AuditQuery) =>
			new Set((await describeAuditEvents(db, orgId, (await listAuditEvents(db, orgId, { ...query, pageSize: 500 })).rows, 'ja')).map((l) => l.action));
		const staff = await listAuditEvents(db, orgId, { person: '小淵沢', pageSize: 500 });
		const staffLines = await describeAuditEvents(db, orgId, staff.rows, 'ja');
		expect(staffLines.length).toBeGreaterThan(0);
		expect(staffLines.every((l) => l.actorNumber === 'demo-staff' || l.objectTitle === '小淵沢 花子（demo-staff）')).toBe(true);
		expect(await actionsOf({ person: 'demo-staff', personRole: 'object' })).toEqual(
			new Set(['ログイン', 'ログイン失敗', 'ログアウト', 'パスワード変更', 'パスワード変更の失敗', 'パスワード変更の拒否（試行回数の上限）'])
		);
		expect(await actionsOf({ person: 'demo-staff', personRole: 'actor' })).toEqual(
			new Set(['ログイン', 'ログアウト', 'パスワード変更', 'パスワード変更の失敗', 'パスワード変更の拒否（試行回数の上限）', 'ポリシーの確認（既読）'])
		);
		expect(await actionsOf({ person: 'すたま' })).toEqual(new Set(['仮パスワードの発行', '職員の所属・利用状態の変更']));

		// A department by a name it had, though it is gone.
		expect(await actionsOf({ objectKind: 'department', object: '監査準備室' })).toEqual(new Set(['所属の作成', '所属の変更']));
		expect(await actionsOf({ objectKind: 'department', object: '監査対応' })).toEqual(new Set(['所属の変更', '所属の削除']));
		// A policy by title and version, in any order of words.
		const policyLines = await describeAuditEvents(
			db,
			orgId,
			(await listAuditEvents(db, orgId, { objectKind: 'policy', object: '第5.1版 基本方針', pageSize: 500 })).rows,
			'ja'
		);
		expect(new Set(policyLines.map((l) => l.objectTitle))).toEqual(new Set(['北杜市情報セキュリティ基本方針 第5.1版']));
		expect(policyLines.map((l) => l.action)).toContain('改訂版の公開');
		expect(await actionsOf({ object: '監査規程' })).toEqual(new Set(['ポリシー本文の取込', '改訂案の作成', '改訂案の破棄']));
		// A kind alone, and a title of any kind.
		expect(await actionsOf({ objectKind: 'roster' })).toEqual(new Set(['名簿の取込（適用）', '名簿の取込の取消し']));
		expect(await actionsOf({ object: '誤った名簿' })).toEqual(new Set(['名簿の取込の取消し']));
		expect((await listAuditEvents(db, orgId, { objectKind: 'campaign', object: '存在しない研修' })).total).toBe(0);
		// A group of actions, and one.
		const access = await listAuditEvents(db, orgId, { actions: ['login.success', 'login.failure', 'login.locked'], pageSize: 500 });
		expect(new Set(access.rows.map((r) => r.action))).toEqual(new Set(['login.success', 'login.failure', 'login.locked']));
	});
});

/**
 * A year of a large town hall: 100,000 events. The page's queries, filtered every way, must use
 * indexes and stay fast.
 */
describe('a log of 100,000 events', () => {
	let orgId: string;
	let someone: { id: string; name: string };

	beforeAll(async () => {
		orgId = (await makeOrg(db)).id;
		const noise = (await makeOrg(db)).id;
		const department = await makeDepartment(db, orgId, '100', '総務課');
		const staff = [];
		for (let i = 0; i < 200; i++) staff.push(await makePerson(db, orgId, { employeeNumber: `P${1000 + i}`, name: `職員 ${i}`, departmentId: department.id }));
		someone = { id: staff[7].id, name: staff[7].name };
		// Each of the 200 people acts in turn; a third of the events are about a person, the rest about attempts and policies.
		await db.execute(sql`
			with staff as (select array_agg(id order by employee_number) as ids from people where org_id = ${orgId}::uuid)
			insert into audit_events (org_id, at, actor_id, action, target_type, target_id, ip, detail)
			select ${orgId}::uuid, now() - (g || ' minutes')::interval, staff.ids[1 + g % 200],
				(array['login.success', 'login.failure', 'quiz.start', 'quiz.submit', 'policy.acknowledge', 'person.update'])[1 + g % 6],
				case when g % 6 in (0, 1, 5) then 'person' when g % 6 = 4 then 'policy_version' else 'attempt' end,
				case when g % 6 in (0, 1, 5) then staff.ids[1 + (g * 7) % 200]::text else gen_random_uuid()::text end,
				'10.0.0.' || (g % 250), '{}'::jsonb
			from generate_series(1, 100000) g, staff`);
		// Another organisation's events around it.
		await db.execute(
			sql`insert into audit_events (org_id, at, action) select ${noise}::uuid, now() - (g || ' minutes')::interval, 'login.success' from generate_series(1, 20000) g`
		);
		await db.execute(sql`analyze audit_events`);
	}, 300_000);

	const cases: [string, AuditQuery][] = [
		['everything, first page', {}],
		['everything, page 1,000', { page: 1000 }],
		['one action', { actions: ['person.update'] }],
		['a group of actions', { actions: ['login.success', 'login.failure', 'login.locked'] }],
		['a person as actor or object', { person: '職員 7' }],
		['a person as actor', { person: 'P1007', personRole: 'actor' }],
		['a kind of object', { objectKind: 'learning' }],
		['a person as object, by title', { objectKind: 'person', object: 'P1007' }],
		['a title of any kind', { object: 'P1007' }],
		['a week', { from: formatIsoDate(new Date(Date.now() - 7 * 86_400_000)), to: formatIsoDate(new Date()) }]
	];

	it.each(cases)('%s: under half a second', async (_, query) => {
		await listAuditEvents(db, orgId, query);
		const started = performance.now();
		const page = await listAuditEvents(db, orgId, query);
		const lines = await describeAuditEvents(db, orgId, page.rows, 'ja');
		const ms = performance.now() - started;
		expect(page.total).toBeGreaterThan(0);
		expect(lines).toHaveLength(page.rows.length);
		expect(ms, `${JSON.stringify(query)} took ${ms.toFixed(0)} ms`).toBeLessThan(500);
	});

	/** Every node of a plan, flattened. */
	function nodesOf(plan: PlanNode): PlanNode[] {
		return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
	}
	async function planOf(statement: SQLWrapper): Promise<PlanNode[]> {
		const [row] = await rowsOf<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(db, sql`explain (format json) ${statement}`);
		return nodesOf(row['QUERY PLAN'][0].Plan);
	}

	it.each([
		['a person as actor or object', { person: 'P1007' }, /^audit_events_org_(actor|target)_at_idx$/],
		['a person as actor', { person: 'P1007', personRole: 'actor' }, /^audit_events_org_actor_at_idx$/],
		['a person as object', { objectKind: 'person', object: 'P1007' }, /^audit_events_org_target_at_idx$/],
		['one action', { actions: ['person.update'] }, /^audit_events_org_action_at_idx$/]
	] as [string, AuditQuery, RegExp][])('finds %s through an index, not by reading the whole log', async (_, query, index) => {
		const { total, rows } = auditPageQueries(db, orgId, query, 1, 50);
		const onLog = (nodes: PlanNode[]) => nodes.filter((n) => n['Relation Name'] === 'audit_events' || n['Index Name']?.startsWith('audit_events_'));
		// Counting needs every match: through the filter's own index.
		const counting = onLog(await planOf(total));
		expect(
			counting.map((n) => n['Node Type']),
			JSON.stringify(query)
		).not.toContain('Seq Scan');
		expect(
			counting.some((n) => index.test(n['Index Name'] ?? '')),
			`${JSON.stringify(query)} counts with ${counting.map((n) => n['Index Name'])}`
		).toBe(true);
		// A page may walk the log newest first instead, stopping at 50: still an index.
		const paging = onLog(await planOf(rows));
		expect(
			paging.map((n) => n['Node Type']),
			JSON.stringify(query)
		).not.toContain('Seq Scan');
		expect(
			paging.some((n) => n['Index Name']),
			`${JSON.stringify(query)} pages with ${paging.map((n) => n['Node Type'])}`
		).toBe(true);
	});

	it('counts a person’s own events exactly', async () => {
		expect((await listAuditEvents(db, orgId, { person: 'P1007', personRole: 'actor' })).total).toBe(500);
		expect((await listAuditEvents(db, orgId, { person: someone.name, personRole: 'object' })).total).toBeGreaterThan(0);
	});
});
