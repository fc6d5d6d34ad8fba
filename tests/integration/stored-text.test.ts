// Point 5 and 7 of the second security round, against a real database: text that cannot render
// is refused at every save with its line, text stored before the bounds is shown as plain text
// with the problem for its owner, and bytes that are neither UTF-8 nor Shift_JIS are reported by
// line with nothing written.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { courses, lessons, people, policies, policySections, questions, rosterImports } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { importGiftQuestions, updateLesson, type EditorActor } from '../../src/lib/server/learning/editor';
import { readLesson } from '../../src/lib/server/learning/lessons';
import { readPolicy } from '../../src/lib/server/policy/reader';
import { versionInForce } from '../../src/lib/server/policy/policies';
import { saveSection, startRevision } from '../../src/lib/server/revision/drafts';
import { previewRosterFile } from '../../src/lib/server/org/roster';
import { markdownBounds } from '../../src/lib/server/text/bounds';

let handle: DbHandle;
let orgId: string;
let owner: EditorActor & { roles: ['policy_owner'] };
let courseId: string;
let lessonId: string;
let lessonSlug: string;

const deepQuotes = `${'>'.repeat(5000)} 引用`;
const deepLists = Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(Math.min(i, 60))}- 項目`).join('\n');

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	await syncPolicyContent(handle.db, orgId);
	await syncCourseContent(handle.db, orgId);
	const person = await makePerson(handle.db, orgId, { employeeNumber: 'OWNER1', roles: ['policy_owner', 'admin'] });
	owner = { orgId, personId: person.id, ip: '127.0.0.1', roles: ['policy_owner'] };
	const [course] = await handle.db
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.slug, 'basic-policy-training')));
	courseId = course.id;
	const [lesson] = await handle.db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(lessons.position).limit(1);
	lessonId = lesson.id;
	lessonSlug = lesson.slug;
}, 120_000);
afterAll(() => handle?.close());

describe('a save of text nested too deeply or with too long a line is refused, naming the line', () => {
	it('a policy section in the revision editor', async () => {
		const [policy] = await handle.db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const started = await startRevision(handle.db, owner, { policyId: policy.id });
		if (!started.ok) throw new Error(JSON.stringify(started));
		const edit = { rev: 0, label: '1', heading: '目的', body: `一行目\n\n${deepQuotes}` };
		expect(await saveSection(handle.db, owner, started.versionId, '1', edit)).toMatchObject({
			ok: false,
			problem: 'body_too_deep',
			params: { line: '3', max: String(markdownBounds.maxDepth) }
		});
		expect(await saveSection(handle.db, owner, started.versionId, '1', { ...edit, body: deepLists.split('\n').slice(0, 40).join('\n') })).toMatchObject({
			ok: false,
			problem: 'body_too_deep',
			params: { line: '33' }
		});
		const long = `${'あ'.repeat(markdownBounds.maxLineLength + 1)}`;
		expect(await saveSection(handle.db, owner, started.versionId, '1', { ...edit, body: long })).toMatchObject({
			ok: false,
			problem: 'body_line_too_long',
			params: { line: '1' }
		});
	});

	it('a lesson, leaving the stored lesson as it was', async () => {
		const [before] = await handle.db.select().from(lessons).where(eq(lessons.id, lessonId));
		const result = await updateLesson(handle.db, owner, lessonId, { title: '題', body: `本文\n${deepQuotes}`, sectionKeys: before.sectionKeys });
		expect(result).toEqual({ ok: false, problem: 'too_deep', line: 2, max: markdownBounds.maxDepth });
		const [after] = await handle.db.select().from(lessons).where(eq(lessons.id, lessonId));
		expect(after.body).toBe(before.body);
	});

	it('a GIFT import whose explanation nests too deeply, or that names a character that does not exist', async () => {
		const questionsBefore = await handle.db.select({ n: count() }).from(questions).where(eq(questions.courseId, courseId));
		const deep = await importGiftQuestions(handle.db, owner, courseId, `// sections: 1\n::q-deep::問い{\n=正\n~誤\n####${'> '.repeat(40)}解説\n}\n`);
		expect(deep).toMatchObject({ ok: false, errors: [{ line: 2 }] });
		const references = await importGiftQuestions(
			handle.db,
			owner,
			courseId,
			'// sections: 1\n::q-ref::[html]問い&#x110000;{\n=[html]正&\\#99999999999;\n~[html]誤&\\#xD800;\n}\n'
		);
		expect(references).toMatchObject({ ok: false });
		if (references.ok || references.notFound) return;
		expect(references.errors.map((e) => e.line)).toEqual([2, 3, 4]);
		expect(references.errors.every((e) => e.message.includes('文字参照'))).toBe(true);
		expect(await handle.db.select({ n: count() }).from(questions).where(eq(questions.courseId, courseId))).toEqual(questionsBefore);
	});
});

describe('text stored before the bounds is shown as plain text, never as a failed page', () => {
	it('a lesson of 5,000 nested quotes', async () => {
		await handle.db
			.update(lessons)
			.set({ body: `<b>前</b>\n${deepQuotes}` })
			.where(eq(lessons.id, lessonId));
		const lesson = await readLesson(handle.db, orgId, courseId, lessonSlug);
		expect(lesson?.problem).toEqual({ kind: 'too_deep', line: 2, depth: markdownBounds.maxDepth + 1, max: markdownBounds.maxDepth });
		// Escaped, as written: the tag is text.
		expect(lesson?.html).toContain('&lt;b&gt;前&lt;/b&gt;<br>');
		expect(lesson?.html).toContain('&gt;&gt;&gt;');
	});

	it('a published policy section of 5,000 nested list markers, for its owner and for staff', async () => {
		const [policy] = await handle.db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const inForce = await versionInForce(handle.db, policy.id);
		await handle.db
			.update(policySections)
			.set({ body: deepLists })
			.where(and(eq(policySections.versionId, inForce!.id), eq(policySections.key, '2')));
		for (const roles of [['policy_owner'], []] as const) {
			const doc = await readPolicy(handle.db, { orgId, roles: [...roles] }, 'basic-policy');
			const section = doc?.sections.find((s) => s.key === '2');
			expect(section?.problem).toMatchObject({ kind: 'too_deep', line: 33 });
			expect(section?.html.startsWith('<p class="plain-text">- 項目<br>')).toBe(true);
			// The other sections render as before.
			expect(doc?.sections.find((s) => s.key === '1')?.problem).toBeNull();
		}
	});
});

describe('bytes that are neither UTF-8 nor Shift_JIS', () => {
	const header = '職員番号,氏名,所属コード,雇用区分\n';
	const sjis = (text: string) => [...iconv.encode(text, 'Shift_JIS')];

	it('in a Shift_JIS roster: every such line is named and nothing is written', async () => {
		const importsBefore = await handle.db.select({ n: count() }).from(rosterImports);
		const peopleBefore = await handle.db.select({ n: count() }).from(people);
		// 0x85 0x40 and a lone 0xFD are no characters of Shift_JIS (CP932).
		const bytes = new Uint8Array([
			...sjis(`${header}101,山田,100,正規職員\n102,`),
			0x85,
			0x40,
			...sjis(',100,正規職員\n103,'),
			0xfd,
			...sjis(',100,正規職員\n')
		]);
		const result = await previewRosterFile(handle.db, owner, { name: 'bad.csv', bytes });
		expect(result.ok).toBe(false);
		if (result.ok || result.reason !== 'invalid') return;
		expect(result.problems.filter((p) => p.key === 'roster.error.encoding').map((p) => p.line)).toEqual([3, 4]);
		expect(await handle.db.select({ n: count() }).from(rosterImports)).toEqual(importsBefore);
		expect(await handle.db.select({ n: count() }).from(people)).toEqual(peopleBefore);
	});

	it('in a UTF-8 roster with one broken character: that line is named', async () => {
		const utf8 = (text: string) => [...new TextEncoder().encode(text)];
		const bytes = new Uint8Array([...utf8(`${header}101,山田,100,正規職員\n102,`), 0xe5, 0xb1, ...utf8(',100,正規職員\n')]);
		const result = await previewRosterFile(handle.db, owner, { name: 'bad.csv', bytes });
		expect(result).toMatchObject({ ok: false, reason: 'invalid' });
		if (result.ok || result.reason !== 'invalid') return;
		expect(result.problems.filter((p) => p.key === 'roster.error.encoding').map((p) => p.line)).toEqual([3]);
	});
});
