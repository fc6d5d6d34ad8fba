import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, courses, lessons, questions } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import {
	courseForEditing,
	exportCourseGift,
	importGiftQuestions,
	listCourses,
	questionForEditing,
	updateLesson,
	updateQuestion,
	type EditorActor
} from '../../src/lib/server/learning/editor';

let handle: DbHandle;
let actor: EditorActor;
let otherOrgId: string;
let courseId: string;

async function latestAudit(action: string) {
	const [row] = await handle.db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.orgId, actor.orgId), eq(auditEvents.action, action)))
		.orderBy(desc(auditEvents.at));
	return row;
}

async function questionRows() {
	return handle.db.select().from(questions).where(eq(questions.courseId, courseId)).orderBy(questions.position);
}

beforeAll(async () => {
	handle = await createTestDatabase();
	const org = await makeOrg(handle.db);
	await syncPolicyContent(handle.db, org.id);
	await syncCourseContent(handle.db, org.id);
	const owner = await makePerson(handle.db, org.id, { employeeNumber: 'E1', roles: ['policy_owner'] });
	actor = { orgId: org.id, personId: owner.id, ip: '127.0.0.1' };
	otherOrgId = (await makeOrg(handle.db)).id;
	const [course] = await handle.db
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, org.id), eq(courses.slug, 'basic-policy-training')));
	courseId = course.id;
});
afterAll(async () => {
	await handle?.close();
});

describe('course editor', () => {
	it('lists the organisation’s courses and a course with its lessons and questions in order', async () => {
		const list = await listCourses(handle.db, actor.orgId);
		expect(list.map((c) => c.slug)).toContain('basic-policy-training');
		const found = await courseForEditing(handle.db, actor.orgId, courseId);
		expect(found?.lessons[0].slug).toBe('01-purpose-and-cia');
		expect(found?.questions[0].slug).toBe('usb-mynumber-terminal');
		expect(found?.questions[0].choices).toHaveLength(3);
	});

	it('updates a lesson, audits before and after, and clears 要見直し', async () => {
		const found = (await courseForEditing(handle.db, actor.orgId, courseId))!;
		const lesson = found.lessons[0];
		await handle.db.update(lessons).set({ needsReview: true }).where(eq(lessons.id, lesson.id));
		const result = await updateLesson(handle.db, actor, lesson.id, { title: '新しい題名', body: '## 見出し\n\n本文です。', sectionKeys: lesson.sectionKeys });
		expect(result).toEqual({ ok: true });
		const [row] = await handle.db.select().from(lessons).where(eq(lessons.id, lesson.id));
		expect(row).toMatchObject({ title: '新しい題名', body: '## 見出し\n\n本文です。', needsReview: false });
		const audit = await latestAudit('lesson.update');
		expect(audit.targetId).toBe(lesson.id);
		expect(audit.actorId).toBe(actor.personId);
		expect(audit.detail).toMatchObject({ before: { title: lesson.title }, after: { title: '新しい題名' } });
	});

	it('refuses an unknown section key, an empty title or body, and writes nothing', async () => {
		const lesson = (await courseForEditing(handle.db, actor.orgId, courseId))!.lessons[1];
		expect(await updateLesson(handle.db, actor, lesson.id, { title: 'x', body: 'y', sectionKeys: ['99.9'] })).toEqual({
			ok: false,
			problem: 'unknown_sections',
			keys: ['99.9']
		});
		expect((await updateLesson(handle.db, actor, lesson.id, { title: ' ', body: 'y', sectionKeys: lesson.sectionKeys })).ok).toBe(false);
		expect((await updateLesson(handle.db, actor, lesson.id, { title: 'x', body: '', sectionKeys: lesson.sectionKeys })).ok).toBe(false);
		const [row] = await handle.db.select().from(lessons).where(eq(lessons.id, lesson.id));
		expect(row.title).toBe(lesson.title);
	});

	it('edits a question block, keeping its uuid and slug', async () => {
		const [first] = await questionRows();
		const edit = (await questionForEditing(handle.db, actor.orgId, courseId, first.id))!;
		expect(edit.text).toContain('id: usb-mynumber-terminal');
		const text = edit.text.replace('question: 窓口で', 'question: 変更後の問い。窓口で').replace('- [ ] 急ぎなので', '- [ ] 新しい選択肢\n- [ ] 急ぎなので');
		const result = await updateQuestion(handle.db, actor, first.id, text);
		expect(result.ok).toBe(true);
		const [row] = await handle.db.select().from(questions).where(eq(questions.id, first.id));
		expect(row.slug).toBe('usb-mynumber-terminal');
		expect(row.stem.startsWith('変更後の問い。')).toBe(true);
		expect(row.choices.map((c) => c.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
		expect(row.choices[2].text).toBe('新しい選択肢');
		expect((await latestAudit('question.update')).targetId).toBe(first.id);
	});

	it('refuses a changed id or a malformed block with line numbers, writing nothing', async () => {
		const [first] = await questionRows();
		const { text } = (await questionForEditing(handle.db, actor.orgId, courseId, first.id))!;
		const renamed = await updateQuestion(handle.db, actor, first.id, text.replace('id: usb-mynumber-terminal', 'id: another-id'));
		expect(renamed).toMatchObject({ ok: false, errors: [{ line: 1 }] });
		const malformed = await updateQuestion(handle.db, actor, first.id, text.replace('type: single', 'type: essay').replace('- [x]', '- [?]'));
		expect(malformed.ok).toBe(false);
		const lines = malformed.ok || malformed.notFound ? [] : malformed.errors.map((e) => e.line);
		expect(lines).toEqual(expect.arrayContaining([2]));
		const unknownKey = await updateQuestion(handle.db, actor, first.id, text.replace(/^sections: .*$/m, 'sections: 99.9'));
		expect(unknownKey).toMatchObject({ ok: false, errors: [{ line: 3 }] });
		const [row] = await handle.db.select().from(questions).where(eq(questions.id, first.id));
		expect(row).toEqual(first);
	});

	it('exports the course as GIFT and imports it back without changing anything', async () => {
		const before = await questionRows();
		const gift = (await exportCourseGift(handle.db, actor.orgId, courseId))!;
		expect(gift.fileName).toBe('basic-policy-training.gift');
		expect(gift.text).toContain('::usb-mynumber-terminal::');
		const result = await importGiftQuestions(handle.db, actor, courseId, gift.text);
		expect(result).toEqual({ ok: true, counts: { added: 0, updated: 0, unchanged: before.filter((q) => q.active).length } });
		expect(await questionRows()).toEqual(before);
		expect((await latestAudit('course.gift_import')).targetId).toBe(courseId);
	});

	it('adds a new GIFT question at the end and refuses a broken file whole', async () => {
		const before = await questionRows();
		const added = await importGiftQuestions(
			handle.db,
			actor,
			courseId,
			'// sections: 6.3.1\n::new-gift-question::新しい問い{\n\t=正しい\n\t~誤り\n\t####解説\n}\n'
		);
		expect(added).toEqual({ ok: true, counts: { added: 1, updated: 0, unchanged: 0 } });
		const after = await questionRows();
		expect(after).toHaveLength(before.length + 1);
		expect(after.at(-1)).toMatchObject({ slug: 'new-gift-question', type: 'single', stem: '新しい問い', explanation: '解説', sectionKeys: ['6.3.1'] });
		expect(after.at(-1)!.position).toBeGreaterThan(Math.max(...before.map((q) => q.position)));

		const broken = await importGiftQuestions(handle.db, actor, courseId, '::ok-one::問い{\n=a\n~b\n}\n\n::bad::問い{\n~a\n~b\n}\n\n::essay::説明{}\n');
		expect(broken.ok).toBe(false);
		expect(broken.ok || broken.notFound ? [] : broken.errors.map((e) => e.line)).toEqual([6, 11]);
		expect(await questionRows()).toHaveLength(after.length);
	});

	it('finds nothing in another organisation’s course', async () => {
		const [first] = await questionRows();
		const other: EditorActor = { ...actor, orgId: otherOrgId };
		expect(await courseForEditing(handle.db, otherOrgId, courseId)).toBeNull();
		expect(await exportCourseGift(handle.db, otherOrgId, courseId)).toBeNull();
		expect(await questionForEditing(handle.db, otherOrgId, courseId, first.id)).toBeNull();
		expect(await importGiftQuestions(handle.db, other, courseId, '::x::y{TRUE}')).toEqual({ ok: false, notFound: true });
		expect(await updateQuestion(handle.db, other, first.id, 'id: x')).toEqual({ ok: false, notFound: true });
		const lesson = (await courseForEditing(handle.db, actor.orgId, courseId))!.lessons[0];
		expect(await updateLesson(handle.db, other, lesson.id, { title: 'x', body: 'y', sectionKeys: [] })).toEqual({ ok: false, problem: 'not_found' });
		expect(await listCourses(handle.db, otherOrgId)).toEqual([]);
		expect(await courseForEditing(handle.db, actor.orgId, 'not-a-uuid')).toBeNull();
	});
});
