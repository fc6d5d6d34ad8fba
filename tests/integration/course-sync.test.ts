import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, courses, lessons, policies, questions } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { ContentErrors } from '../../src/lib/server/text/labelled';
import { contentCoverage, courseCoverage } from '../../src/lib/server/learning/content/coverage';
import { runContentSync } from '../../scripts/content-sync';

let handle: DbHandle;
let orgId: string;
let orgSlug: string;
let dir: string;

const questionsFile = () => path.join(dir, 'courses/basic-policy-training/questions.md');
const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));

async function courseRow(slug = 'basic-policy-training', org = orgId) {
	const [row] = await handle.db
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, org), eq(courses.slug, slug)));
	return row;
}

async function questionRow(slug: string) {
	const course = await courseRow();
	const [row] = await handle.db
		.select()
		.from(questions)
		.where(and(eq(questions.courseId, course.id), eq(questions.slug, slug)));
	return row;
}

async function auditCount() {
	const [{ n }] = await handle.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, 'course.content_sync'));
	return n;
}

beforeAll(async () => {
	handle = await createTestDatabase();
	const org = await makeOrg(handle.db);
	orgId = org.id;
	orgSlug = org.slug;
	// A copy of the real content, to edit.
	dir = mkdtempSync(path.join(tmpdir(), 'mamori-courses-'));
	cpSync('content', dir, { recursive: true });
	await syncPolicyContent(handle.db, orgId, dir);
});
afterAll(async () => {
	await handle?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('syncCourseContent', () => {
	it('loads both courses, linked to the policy, with lessons and questions in file order', async () => {
		const summaries = await syncCourseContent(handle.db, orgId, dir);
		const added = (course: string, lessonCount: number, questionCount: number) => ({
			course,
			changed: true,
			policy: 'basic-policy',
			lessons: { added: lessonCount, updated: 0, unchanged: 0 },
			questions: { added: questionCount, updated: 0, unchanged: 0 },
			deactivated: { lessons: [], questions: [] },
			warnings: []
		});
		expect(summaries).toEqual([added('basic-policy-training', 8, 74), added('contractor-basics', 3, 19)]);
		const [policy] = await handle.db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const course = await courseRow();
		expect(course).toMatchObject({
			title: '情報セキュリティ基本方針 研修',
			policyId: policy.id,
			passMark: 80,
			drawCount: 20,
			maxAttempts: null,
			requireAllLessons: true
		});
		const lessonRows = await handle.db.select().from(lessons).where(eq(lessons.courseId, course.id)).orderBy(asc(lessons.position));
		expect(lessonRows.map((l) => [l.position, l.slug])).toEqual([
			[1, '01-purpose-and-cia'],
			[2, '02-definitions-and-three-systems'],
			[3, '03-threats'],
			[4, '04-scope-and-duty'],
			[5, '05-three-tier-measures'],
			[6, '06-physical-human-technical'],
			[7, '07-operation-outsourcing-cloud-sns'],
			[8, '08-audit-review-standards']
		]);
		expect(lessonRows[0]).toMatchObject({ title: '目的と三つの性質', sectionKeys: ['1', '2.3', '2.5', '2.6', '2.7'], active: true });
		expect(lessonRows[0].body).toMatch(/^基本方針は、/);
		const q = await questionRow('usb-mynumber-terminal');
		expect(q).toMatchObject({ position: 1, type: 'single', sectionKeys: ['6.3.1', '2.8'], active: true });
		expect(q.choices.map((c) => [c.id, c.correct])).toEqual([
			['c1', false],
			['c2', true],
			['c3', false]
		]);
		expect((await questionRow('split-route-not-total-block')).choices).toEqual([
			{ id: 'o', text: '○', correct: false },
			{ id: 'x', text: '×', correct: true }
		]);
		expect(await auditCount()).toBe(2);
	});

	it('leaves an edit made in the app alone while the files are unchanged', async () => {
		const before = await questionRow('mugaika-example');
		await handle.db.update(questions).set({ explanation: 'アプリで編集した解説' }).where(eq(questions.id, before.id));
		await syncCourseContent(handle.db, orgId, dir);
		expect((await questionRow('mugaika-example')).explanation).toBe('アプリで編集した解説');
		await handle.db.update(questions).set({ explanation: before.explanation }).where(eq(questions.id, before.id));
	});

	it('writes nothing when the content has not changed', async () => {
		const course = await courseRow();
		const before = await handle.db.select({ id: questions.id, updatedAt: questions.updatedAt }).from(questions).where(eq(questions.courseId, course.id));
		const summaries = await syncCourseContent(handle.db, orgId, dir);
		expect(summaries.map((s) => [s.course, s.changed, s.lessons, s.questions])).toEqual([
			['basic-policy-training', false, { added: 0, updated: 0, unchanged: 8 }, { added: 0, updated: 0, unchanged: 74 }],
			['contractor-basics', false, { added: 0, updated: 0, unchanged: 3 }, { added: 0, updated: 0, unchanged: 19 }]
		]);
		expect((await courseRow()).updatedAt).toEqual(course.updatedAt);
		const after = await handle.db.select({ id: questions.id, updatedAt: questions.updatedAt }).from(questions).where(eq(questions.courseId, course.id));
		expect(after).toEqual(before);
		expect(await auditCount()).toBe(2);
	});

	it("keeps a question's id when its text is edited, and moves only what changed", async () => {
		const before = await questionRow('usb-mynumber-terminal');
		const untouched = await questionRow('mugaika-example');
		const course = await courseRow();
		edit(questionsFile(), (t) =>
			t.replace('来庁者から受け取ったUSBメモリを', '来庁者から預かったUSBメモリを').replace('- [ ] 急ぎなので、', '- [ ] 急いでいるので、')
		);
		const [summary] = await syncCourseContent(handle.db, orgId, dir);
		expect(summary).toMatchObject({ changed: true, questions: { added: 0, updated: 1, unchanged: 73 }, lessons: { updated: 0 } });
		const after = await questionRow('usb-mynumber-terminal');
		expect(after.id).toBe(before.id);
		expect(after.stem).toContain('来庁者から預かったUSBメモリを');
		expect(after.choices[2]).toEqual({ id: 'c3', text: '急いでいるので、取り込んだ後で所属長に報告する', correct: false });
		expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
		expect((await questionRow('mugaika-example')).updatedAt).toEqual(untouched.updatedAt);
		expect((await courseRow()).updatedAt.getTime()).toBeGreaterThan(course.updatedAt.getTime());
		expect(await auditCount()).toBe(3);
	});

	it('deactivates a question removed from the content, keeps its row, and renumbers the rest', async () => {
		const removed = await questionRow('internet-file-to-lgwan');
		const text = readFileSync(questionsFile(), 'utf8');
		const block = /id: internet-file-to-lgwan\n[^]*?\n---\n/.exec(text)![0];
		writeFileSync(questionsFile(), text.replace(block, ''));
		const [summary] = await syncCourseContent(handle.db, orgId, dir);
		expect(summary.deactivated).toEqual({ lessons: [], questions: ['internet-file-to-lgwan'] });
		// The questions after it move up one place.
		expect(summary.questions).toEqual({ added: 0, updated: 72, unchanged: 1 });
		const row = await questionRow('internet-file-to-lgwan');
		expect(row).toMatchObject({ id: removed.id, active: false, stem: removed.stem });
		expect((await questionRow('mugaika-example')).position).toBe(2);

		// Coverage reads active questions only, and agrees with the files.
		const fromDb = await courseCoverage(handle.db, orgId);
		expect(fromDb!.sections.flatMap((s) => s.questions.map((q) => q.slug))).not.toContain('internet-file-to-lgwan');
		expect(fromDb).toEqual(contentCoverage(dir).report);

		// Put back, it is the same row again.
		writeFileSync(questionsFile(), text);
		const [back] = await syncCourseContent(handle.db, orgId, dir);
		expect(back.questions.added).toBe(0);
		expect(await questionRow('internet-file-to-lgwan')).toMatchObject({ id: removed.id, active: true, position: 2 });
	});

	it('writes nothing, in any course, when any file has an error, and lists every error', async () => {
		const lesson = path.join(dir, 'courses/basic-policy-training/lessons/01-purpose-and-cia.md');
		const contractor = path.join(dir, 'courses/contractor-basics/questions.md');
		const original = { lesson: readFileSync(lesson, 'utf8'), questions: readFileSync(questionsFile(), 'utf8'), contractor: readFileSync(contractor, 'utf8') };
		// A good change next to two bad ones.
		edit(lesson, (t) => t.replace('title: 目的と三つの性質', 'title: 目的と三つの性質（改）'));
		edit(questionsFile(), (t) => t.replace('sections: 6.3.1, 2.8', 'sections: 6.3.1, 2.8, 11.1'));
		edit(contractor, (t) => t.replace('type: single', 'type: singel'));
		const before = await auditCount();
		const error = await syncCourseContent(handle.db, orgId, dir).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ContentErrors);
		const messages = (error as ContentErrors).errors.map((e) => `${path.basename(path.dirname(e.file))}/${path.basename(e.file)}:${e.line}: ${e.message}`);
		expect(messages).toEqual([
			'contractor-basics/questions.md:2: unknown type "singel" (single, multiple or truefalse)',
			'basic-policy-training/questions.md:3: question "usb-mynumber-terminal" cites 11.1, not a section of basic-policy 第5.0版'
		]);
		expect((error as Error).message).toContain('questions.md:3: question "usb-mynumber-terminal" cites 11.1');
		const [first] = await handle.db.select().from(lessons).where(eq(lessons.slug, '01-purpose-and-cia'));
		expect(first.title).toBe('目的と三つの性質');
		expect(await auditCount()).toBe(before);
		writeFileSync(lesson, original.lesson);
		writeFileSync(questionsFile(), original.questions);
		writeFileSync(contractor, original.contractor);
	});

	it('leaves the course unlinked, with a warning, in an organisation without the policy', async () => {
		const other = await makeOrg(handle.db);
		const summaries = await syncCourseContent(handle.db, other.id, dir);
		expect(summaries[0]).toMatchObject({ policy: null, warnings: [expect.stringContaining('policy "basic-policy" is not in this organisation')] });
		expect((await courseRow('basic-policy-training', other.id)).policyId).toBeNull();
		expect(await courseCoverage(handle.db, other.id)).toBeNull();
		// The first organisation's course is its own row.
		expect((await courseRow('basic-policy-training', other.id)).id).not.toBe((await courseRow()).id);
	});
});

describe('courseCoverage', () => {
	it('from the database equals the coverage from the real content files', async () => {
		const org = await makeOrg(handle.db);
		await syncPolicyContent(handle.db, org.id, 'content');
		await syncCourseContent(handle.db, org.id, 'content');
		const fromFiles = contentCoverage('content');
		expect(fromFiles.errors).toEqual([]);
		const fromDb = await courseCoverage(handle.db, org.id, 'basic-policy');
		expect(fromDb).toEqual(fromFiles.report);
		expect(fromDb!.sections).toHaveLength(44);
		expect(fromDb!.sections.every((s) => s.questions.length >= 2)).toBe(true);
	});
});

describe('npm run content:sync', () => {
	it('syncs into the organisation named by --org and prints the summary', async () => {
		let stdout = '';
		let stderr = '';
		// The command closes its database; the test's stays open.
		const code = await runContentSync(['--org', orgSlug, '--content', dir], {
			stdout: (t) => (stdout += t),
			stderr: (t) => (stderr += t),
			openDb: async () => ({ ...handle, close: async () => {} })
		});
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const printed = JSON.parse(stdout);
		expect(printed.organisation).toBe(orgSlug);
		expect(printed.courses.map((c: { course: string; changed: boolean }) => [c.course, c.changed])).toEqual([
			['basic-policy-training', false],
			['contractor-basics', false]
		]);
		// The self-inspection checklists load with the same command, checked against the policy in force.
		expect(printed.checklists.map((c: { checklist: string; changed: boolean }) => [c.checklist, c.changed])).toEqual([
			['contractor-self-inspection', true],
			['staff-self-inspection', true],
			['supervisor-self-inspection', true],
			['system-self-inspection', true]
		]);
		expect(printed.checklists.every((c: { items: { added: number } }) => c.items.added >= 8)).toBe(true);
	});

	it('exits 1 naming the problem for an unknown organisation', async () => {
		let stderr = '';
		const code = await runContentSync(['--org', 'no-such-org'], {
			stdout: () => {},
			stderr: (t) => (stderr += t),
			openDb: async () => ({ ...handle, close: async () => {} })
		});
		expect(code).toBe(1);
		expect(stderr).toBe('--org: there is no organisation "no-such-org"\n');
	});
});
