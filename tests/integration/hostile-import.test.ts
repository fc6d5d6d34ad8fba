// Property-based fuzzing of what people upload or post: the roster importer, the policy importer,
// GIFT import and quiz submission. Whatever comes in, each gives a result or the app's own
// refusal — never a thrown error, which the page would show as a 500 — and a refusal writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { assignments, campaigns, courses, policies, policyVersions, questions, type QuestionChoice } from '../../src/lib/server/db/schema';
import { isMessageKey } from '../../src/lib/i18n/core';
import { applyRosterImport, previewRosterFile, type RosterActor } from '../../src/lib/server/org/roster';
import { parsePolicyText } from '../../src/lib/server/policy/import';
import { savePolicyImport, type ImportActor, type ImportTarget } from '../../src/lib/server/policy/save-import';
import { importGiftQuestions, type EditorActor } from '../../src/lib/server/learning/editor';
import { startOrResumeAttempt, submitAttempt, saveAnswers } from '../../src/lib/server/learning/quiz/attempts';
import { answersFromForm } from '../../src/routes/(app)/learn/[assignmentId]/quiz/form-answers';
import { hostileNames, xssPayloads } from '../fixtures/hostile/xss';

// Fixed seeds: a failure names its counterexample and comes back the same way next run. The
// examples are counterexamples found by longer runs, kept so they are tried every time.
const settings = <T>(seed: number, numRuns: number, examples: T[] = []) => ({ seed, numRuns, endOnFailure: true, examples });

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

/** Rows in every table of the schema: a refusal must leave all of them as they were. */
async function tableCounts(): Promise<Record<string, number>> {
	// The handle is pg or the embedded database; both answer with rows.
	const rowsOf = async <T>(query: ReturnType<typeof sql.raw>) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
	const tables = await rowsOf<{ name: string }>(
		sql.raw(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)
	);
	const union = tables.map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM "${t.name}"`).join(' UNION ALL ');
	const rows = await rowsOf<{ name: string; n: number }>(sql.raw(union));
	return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** A policy owner in an organisation of their own, as the importers take them. */
async function ownerOfNewOrg() {
	const org = await makeOrg(db);
	const owner = await makePerson(db, org.id, { employeeNumber: 'owner', roles: ['policy_owner'] });
	return { orgId: org.id, personId: owner.id, ip: '127.0.0.1' };
}

/** Text with what breaks naive code: control characters, lone surrogates, huge runs, payloads. */
const nastyText = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({
		unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u200b', '\ufeff', '\ud800', '\udfff', '\u2028', '\r', '\n', '\t', '"', ',', '　'),
		maxLength: 20
	}),
	fc.constantFrom(...xssPayloads, ...hostileNames),
	fc.nat({ max: 4 }).map((n) => 'あ'.repeat(10 ** n))
);

describe('the roster importer', () => {
	let actor: RosterActor;
	const header = ['職員番号', '氏名', '氏名カナ', '所属コード', '所属名', '雇用区分', '役職', 'メール', '退職日'];

	beforeAll(async () => {
		const org = await makeOrg(db);
		await makeDepartment(db, org.id, '110', '総務課');
		const admin = await makePerson(db, org.id, { employeeNumber: 'admin', roles: ['admin'] });
		actor = { orgId: org.id, personId: admin.id, ip: '127.0.0.1' };
	});

	const cell = fc.oneof(
		nastyText,
		fc.constantFrom(
			'1001',
			'1001',
			'１００２',
			'C-2002',
			'110',
			'999',
			'正規職員',
			'会計年度任用職員',
			'アルバイト',
			'令和8年2月30日',
			'R12.3.31',
			'2030/3/31',
			'a@b.jp',
			'not-an-address',
			''
		)
	);
	const columns = fc.oneof(fc.constant(header), fc.shuffledSubarray([...header, '生年月日', '氏名', ''], { minLength: 0, maxLength: 11 }));
	const rosterText = fc
		.tuple(columns, fc.array(fc.array(cell, { maxLength: 11 }), { maxLength: 8 }), fc.constantFrom('\r\n', '\n', '\r'))
		.map(([head, rows, eol]) =>
			[head, ...rows].map((r) => r.map((c) => (/[",\r\n]/.test(c) && c.length % 3 ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(eol)
		);
	// Rows that are right but for what the generator breaks: a wrong cell, a repeated number.
	const nearlyRightText = fc
		.tuple(
			fc.uniqueArray(fc.integer({ min: 5000, max: 5999 }), { minLength: 1, maxLength: 6 }),
			fc.array(fc.tuple(fc.nat({ max: 8 }), nastyText), { maxLength: 2 }),
			fc.boolean()
		)
		.map(([numbers, breaks, repeat]) => {
			const rows = numbers.map((n, i) => [String(n), hostileNames[i % hostileNames.length], 'カナ', '110', '総務課', '正規職員', '', '', '']);
			if (repeat && rows.length > 1) rows[1][0] = rows[0][0];
			for (const [column, value] of breaks) rows[0][column] = `"${value.replace(/"/g, '""')}"`;
			return [header, ...rows].map((r) => r.join(',')).join('\r\n');
		});
	const rosterBytes = fc.oneof(
		nearlyRightText.map((t) => new TextEncoder().encode(t)),
		nearlyRightText.map((t) => new Uint8Array(iconv.encode(t, 'cp932'))),
		fc.uint8Array({ maxLength: 600 }),
		rosterText.map((t) => new TextEncoder().encode(t)),
		rosterText.map((t) => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(t)])),
		rosterText.map((t) => new Uint8Array(iconv.encode(t, 'cp932'))),
		rosterText.map((t) => new Uint8Array(iconv.encode(t, 'utf-16le'))),
		rosterText.map((t) => new Uint8Array(iconv.encode(t, 'latin1')))
	);

	it('previews any file, or lists its problems in the reader’s language and writes nothing', async () => {
		let accepted = 0;
		await fc.assert(
			fc.asyncProperty(rosterBytes, fc.string({ maxLength: 300 }), async (bytes, name) => {
				const before = await tableCounts();
				const result = await previewRosterFile(db, actor, { name, bytes }, { today: '2026-04-01' });
				const after = await tableCounts();
				if (result.ok) {
					accepted++;
					// A preview keeps the import record and nothing else.
					expect(after).toEqual({ ...before, roster_imports: before.roster_imports + 1 });
					const applied = await applyRosterImport(db, actor, result.importId, { deactivateMissing: false, today: '2026-04-01' });
					if (!applied.ok) expect(['invalid', 'not_previewed', 'unconfirmed_departments']).toContain(applied.reason);
				} else {
					expect(result.reason).toBe('invalid');
					if (result.reason === 'invalid') {
						expect(result.problems.length).toBeGreaterThan(0);
						for (const p of result.problems) expect(isMessageKey(p.key), p.key).toBe(true);
					}
					expect(after).toEqual(before);
				}
			}),
			// A NUL in a cell made the stored rows unwritable (a database error).
			settings<[Uint8Array, string]>(20260401, 120, [
				[new TextEncoder().encode('職員番号,氏名,所属コード,雇用区分\r\n5001,"\u0007\u0000 ,",110,正規職員'), 'nul.csv']
			])
		);
		// The generator must reach the writing path too, or the property says little.
		expect(accepted).toBeGreaterThan(0);
	});
});

describe('the policy importer', () => {
	let actor: ImportActor;
	let policyId: string;

	beforeAll(async () => {
		actor = await ownerOfNewOrg();
		const [policy] = await db.insert(policies).values({ orgId: actor.orgId, slug: 'basic', title: '基本方針' }).returning();
		await db
			.insert(policyVersions)
			.values({ orgId: actor.orgId, policyId: policy.id, version: '5.0', status: 'published', changeKind: 'enacted', textHeld: true });
		policyId = policy.id;
	});

	// Lines a policy document is made of, mixed with anything at all.
	const line = fc.oneof(
		nastyText,
		fc.constantFrom(
			'# 情報セキュリティ基本方針',
			'北杜市情報セキュリティ基本方針',
			'第1章 総則',
			'第1条 目的',
			'1 目的',
			'１．定義',
			'(1) 機密性',
			'（２）完全性',
			'① 可用性',
			'ア 情報資産',
			'## 2. 対象',
			'改訂履歴',
			'| 版 | 日付 | 区分 | 理由及び内容 |',
			'| --- | --- | --- | --- |',
			'| 5.0 | 令和7年11月25日 | 全部改訂 | 全面的に見直した。 |',
			'| 99999999999999999999 | 平成元年2月30日 | ？ | |',
			'附則',
			'別表1',
			'- 1 -',
			'目次',
			''
		)
	);
	const documentText = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));
	const target = fc.oneof(
		fc.record({
			mode: fc.constant('new' as const),
			slug: fc.oneof(fc.constantFrom('basic', 'new-policy', 'x', '', 'UPPER', '../etc', 'a'.repeat(65)), fc.string({ maxLength: 70 })),
			title: fc.oneof(fc.constant(''), nastyText, fc.constant('題'.repeat(201))),
			version: fc.oneof(fc.constantFrom('', '1.0', '5.0', '6', 'v1', '1.0.0.0.0', '99999999999999999999'), fc.string({ maxLength: 20 })),
			publish: fc.boolean()
		}),
		fc.record({
			mode: fc.constant('draft' as const),
			policyId: fc.oneof(fc.constant('existing'), fc.uuid(), fc.string({ maxLength: 40 })),
			version: fc.oneof(fc.constantFrom('', '4.0', '5.0', '5.1', '6.0', 'abc'), fc.string({ maxLength: 20 })),
			changeKind: fc.constantFrom('enacted' as const, 'partial' as const, 'full' as const),
			reason: nastyText
		})
	);

	type TargetDraft = typeof target extends fc.Arbitrary<infer T> ? T : never;

	it('parses any text into sections or a reason, and saves it or refuses with its own problem, writing nothing then', async () => {
		let saved = 0;
		await fc.assert(
			fc.asyncProperty(documentText, target, async (text, rawTarget) => {
				const parsed = parsePolicyText(text);
				if (!parsed.ok) {
					expect(['empty', 'no_structure']).toContain(parsed.reason);
					return;
				}
				for (const s of parsed.sections) expect(typeof s.key).toBe('string');
				const t: ImportTarget = rawTarget.mode === 'draft' && rawTarget.policyId === 'existing' ? { ...rawTarget, policyId } : rawTarget;
				const before = await tableCounts();
				const result = await savePolicyImport(db, actor, parsed, t);
				if (result.ok) saved++;
				else {
					expect(isMessageKey(`policyImport.error.${result.problem}`), result.problem).toBe(true);
					expect(await tableCounts()).toEqual(before);
				}
			}),
			// A NUL in the title made the new policy unwritable.
			settings<[string, TargetDraft]>(20251125, 120, [
				['第1章 総則\n1 目的\n本文\u0000です。', { mode: 'new' as const, slug: 'nul-title', title: '\u0000題名', version: '1.0', publish: false }]
			])
		);
		expect(saved).toBeGreaterThan(0);
	});
});

describe('GIFT import', () => {
	let actor: EditorActor;
	let courseId: string;

	beforeAll(async () => {
		actor = await ownerOfNewOrg();
		const [course] = await db.insert(courses).values({ orgId: actor.orgId, slug: 'gift', title: 'GIFT' }).returning();
		courseId = course.id;
	});

	const token = fc.oneof(
		nastyText,
		fc.constantFrom(
			'::q1::',
			'::q1::',
			'::題 名::',
			'::::',
			'{',
			'}',
			'{T}',
			'{FALSE}',
			'=正しい',
			'~誤り',
			'~%50%半分',
			'~%-100%',
			'#解説',
			'####全体の解説',
			'// sections: 6.3.1, 2.8',
			'// sections: ',
			'// sections: x..y',
			'$CATEGORY: $course$/top',
			'[markdown]',
			'[html]',
			'\\{',
			'\\=',
			'\\',
			'\n',
			'\n\n',
			' '
		)
	);
	const giftText = fc.array(token, { maxLength: 40 }).map((tokens) => tokens.join(''));

	it('imports any text or lists its errors by line, writing nothing then', async () => {
		let imported = 0;
		await fc.assert(
			fc.asyncProperty(giftText, async (text) => {
				const before = await tableCounts();
				const result = await importGiftQuestions(db, actor, courseId, text);
				if (result.ok) imported++;
				else {
					expect('errors' in result && result.errors.length > 0).toBe(true);
					if ('errors' in result) {
						for (const e of result.errors) {
							expect(Number.isInteger(e.line)).toBe(true);
							expect(e.message.length).toBeGreaterThan(0);
						}
					}
					expect(await tableCounts()).toEqual(before);
				}
			}),
			// A NUL in a stem made the question unwritable.
			settings<[string]>(1224, 150, [['::q1:: 問\u0000題 {T}']])
		);
		expect(imported).toBeGreaterThan(0);
	});
});

describe('quiz submission', () => {
	const choices = (right: string): QuestionChoice[] => ['a', 'b', 'c'].map((id) => ({ id, text: `選択肢${id}`, correct: id === right }));
	let orgId: string;
	let campaignId: string;
	let departmentId: string;
	let questionIds: string[];
	let otherAttemptId: string;
	let counter = 0;

	async function newAttempt() {
		const person = await makePerson(db, orgId, { employeeNumber: `L${++counter}`, departmentId });
		const [a] = await db.insert(assignments).values({ orgId, campaignId, personId: person.id, departmentId, employmentType: 'regular' }).returning();
		const learner = { orgId, personId: person.id };
		const started = await startOrResumeAttempt(db, learner, a.id);
		if (!started.ok) throw new Error(`start refused: ${started.problem}`);
		return { learner, attemptId: started.attemptId };
	}

	beforeAll(async () => {
		const org = await makeOrg(db);
		orgId = org.id;
		departmentId = (await makeDepartment(db, orgId, '110', '総務課')).id;
		const [course] = await db
			.insert(courses)
			.values({ orgId, slug: 'quiz', title: '確認テスト', passMark: 80, drawCount: 3, maxAttempts: null, requireAllLessons: false })
			.returning();
		const rows = await db
			.insert(questions)
			.values([
				{
					orgId,
					courseId: course.id,
					slug: 'single',
					position: 1,
					type: 'single' as const,
					stem: '一つ',
					choices: choices('a'),
					explanation: '',
					sectionKeys: []
				},
				{
					orgId,
					courseId: course.id,
					slug: 'multiple',
					position: 2,
					type: 'multiple' as const,
					stem: '複数',
					choices: choices('b'),
					explanation: '',
					sectionKeys: []
				},
				{
					orgId,
					courseId: course.id,
					slug: 'tf',
					position: 3,
					type: 'truefalse' as const,
					stem: '○×',
					choices: [
						{ id: 'o', text: '○', correct: true },
						{ id: 'x', text: '×', correct: false }
					],
					explanation: '',
					sectionKeys: []
				}
			])
			.returning();
		questionIds = rows.map((r) => r.id);
		const [campaign] = await db
			.insert(campaigns)
			.values({
				orgId,
				courseId: course.id,
				title: '研修',
				fiscalYear: 2026,
				startsOn: '2026-04-01',
				dueOn: '2027-03-31',
				audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
			})
			.returning();
		campaignId = campaign.id;
		otherAttemptId = (await newAttempt()).attemptId;
	});

	const own = '(own attempt)';

	/** A posted quiz form: real and unknown question ids, real and foreign choices, repeated keys, huge values, files. */
	function postedForm() {
		const questionId = fc.oneof(
			fc.constantFrom(...questionIds),
			fc.uuid(),
			fc.constantFrom('', 'q', "1' OR '1'='1", '00000000-0000-0000-0000-000000000000'),
			nastyText
		);
		const value = fc.oneof(fc.constantFrom('a', 'b', 'c', 'o', 'x', 'a', ''), nastyText, fc.constant('b'.repeat(100_000)));
		const entry = fc.oneof(
			fc.tuple(fc.constant('shown'), questionId),
			fc.tuple(
				questionId.map((id) => `q-${id}`),
				value
			),
			fc.tuple(fc.constantFrom('attemptId', 'confirm', 'q-', 'shown[]', '__proto__'), fc.oneof(fc.constantFrom(own, otherAttemptId, '1'), fc.uuid(), nastyText))
		);
		const attempt = fc.constantFrom(own, own, otherAttemptId, 'not-a-uuid', '00000000-0000-4000-8000-000000000000');
		return fc.record({ entries: fc.array(entry, { maxLength: 12 }), attempt, confirm: fc.boolean(), withFile: fc.boolean() });
	}

	it('grades any form or refuses it, and a refusal grades nothing', async () => {
		let graded = 0;
		await fc.assert(
			fc.asyncProperty(postedForm(), async ({ entries, attempt, confirm, withFile }) => {
				const { learner, attemptId } = await newAttempt();
				const mine = (v: string) => (v === own ? attemptId : v);
				const postedAttempt = mine(attempt);
				const form = new FormData();
				for (const [k, v] of entries) form.append(k, mine(v));
				if (withFile) form.append('shown', new File(['x'], 'x.txt'));
				const answers = answersFromForm(form);
				const before = await tableCounts();
				const saved = await saveAnswers(db, learner, postedAttempt, answers);
				if (!saved.ok) {
					expect(['not_found', 'submitted', 'not_in_layout', 'invalid_choice']).toContain(saved.problem);
					expect(await tableCounts()).toEqual(before);
				}
				const beforeSubmit = await tableCounts();
				const result = await submitAttempt(db, learner, postedAttempt, { answers, confirmUnanswered: confirm });
				if (result.ok) {
					graded++;
					expect(postedAttempt).toBe(attemptId);
				} else if (result.problem === 'unanswered') {
					// The answers sent are kept for the next try; nothing is graded.
					expect(result.unanswered.length).toBeGreaterThan(0);
					const after = await tableCounts();
					for (const table of ['section_answer_stats', 'question_answer_stats', 'section_daily_stats']) expect(after[table]).toBe(beforeSubmit[table]);
				} else {
					expect(['not_found', 'not_in_layout', 'invalid_choice']).toContain(result.problem);
					expect(await tableCounts()).toEqual(beforeSubmit);
				}
			}),
			settings(365, 60)
		);
		expect(graded).toBeGreaterThan(0);
	});
});
