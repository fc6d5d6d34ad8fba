import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatContentError } from '../../src/lib/server/text/labelled';
import { parseCourseJson, parseLesson, parseQuestions } from '../../src/lib/server/learning/content/parse-course';
import { formatQuestions } from '../../src/lib/server/learning/content/format-questions';
import { readCourses } from '../../src/lib/server/learning/content/read-course';

/** Errors as `line: message` for compact expectations. */
const lines = (errors: { line: number; message: string }[]) => errors.map((e) => `${e.line}: ${e.message}`);

describe('parseCourseJson', () => {
	it('reads course.json and fills in the defaults', () => {
		const { value, errors } = parseCourseJson('{ "slug": "intro", "title": "入門" }', 'course.json');
		expect(errors).toEqual([]);
		expect(value).toEqual({
			slug: 'intro',
			title: '入門',
			description: '',
			policy: null,
			passMark: 80,
			drawCount: 20,
			maxAttempts: null,
			requireAllLessons: true
		});
	});

	it('names the line of every bad field', () => {
		const text = [
			'{',
			'\t"slug": "Intro",',
			'\t"title": "",',
			'\t"passMark": 120,',
			'\t"drawCount": 0,',
			'\t"maxAttempts": 0,',
			'\t"requireAllLessons": "yes",',
			'\t"policy": 3,',
			'\t"colour": "red"',
			'}'
		].join('\n');
		const { value, errors } = parseCourseJson(text, 'x/course.json');
		expect(value).toBeNull();
		expect(errors.every((e) => e.file === 'x/course.json')).toBe(true);
		expect(lines(errors)).toEqual([
			'2: "slug" must be lower-case letters, digits and hyphens',
			'3: "title" must be a non-empty text',
			'4: "passMark" must be a whole number from 0 to 100 (percent)',
			'5: "drawCount" must be a whole number of questions, at least 1',
			'6: "maxAttempts" must be a whole number, at least 1, or null for unlimited',
			'7: "requireAllLessons" must be true or false',
			'8: "policy" must be a policy slug or null',
			'9: unknown field "colour" (known: slug, title, description, policy, passMark, drawCount, maxAttempts, requireAllLessons)'
		]);
	});

	it('names the line of a JSON syntax error', () => {
		const { errors } = parseCourseJson('{\n  "slug": "a",\n  "title": "b"\n  "policy": null\n}', 'course.json');
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(4);
		expect(errors[0].message).toMatch(/^not valid JSON/);
	});
});

describe('parseLesson', () => {
	it('reads the front matter and the Markdown body; the slug is the file name', () => {
		const { value, errors } = parseLesson('---\ntitle: 目的\nsections: 1, 2.3、2.5\n---\n\n本文です。\n\n## 見出し\n', 'lessons/01-purpose.md');
		expect(errors).toEqual([]);
		expect(value).toEqual({ slug: '01-purpose', title: '目的', sectionKeys: ['1', '2.3', '2.5'], body: '本文です。\n\n## 見出し', sectionsLine: 3 });
	});

	it('reports every problem with its line', () => {
		const text = ['---', 'title:', 'sections: 1, 1, 6(3)', 'tags: x', '---', '# 大見出し', '```', '# in code is fine', '```', '本文'].join('\n');
		const { value, errors } = parseLesson(text, 'lessons/02_Bad.md');
		expect(value).toBeNull();
		expect(lines(errors)).toEqual([
			'0: the file name "02_Bad" must be lower-case letters, digits and hyphens, such as 01-purpose.md',
			'1: front matter: `title:` is missing or empty',
			'3: section key 1 is listed twice',
			'3: "6(3)" is not a section key (write keys such as 6.3.1, separated by commas)',
			'4: unexpected line in the front matter; expected `title:` or `sections:`',
			"6: headings in a lesson start at `##` (the title is the lesson's `#`)"
		]);
		expect(formatContentError(errors[4])).toBe('lessons/02_Bad.md:4: unexpected line in the front matter; expected `title:` or `sections:`');
	});

	it('needs front matter, closed, and a body', () => {
		expect(lines(parseLesson('本文', 'a.md').errors)).toEqual([
			'1: a lesson starts with front matter: a line `---`, then `title:` and `sections:`, then `---`'
		]);
		expect(lines(parseLesson('---\ntitle: a\n', 'a.md').errors)).toEqual(['1: the front matter is not closed by a line `---`']);
		expect(lines(parseLesson('---\ntitle: a\nsections: 1\n---\n\n', 'a.md').errors)).toEqual(['4: the lesson has no text after the front matter']);
	});
});

describe('parseQuestions', () => {
	const sample = `id: usb-terminal
type: single
sections: 6.3.1, 2.8
question: 窓口の端末に
USBメモリを挿そうとしています。

正しい対応はどれですか。
- [ ] 検査すれば挿してよい
- [x] 挿さずに手順に従う
explanation: 6(3)①のとおりです。
続きの行。
---
id: who-all
type: multiple
sections: 4.1
question: 職員等に当たる人をすべて選んでください。
- [x] 正規職員
- [X] 会計年度任用職員
- [ ] 来庁者
explanation: 4(1)
---
id: parttime
type: truefalse
sections: 4.1, 5
question: 会計年度任用職員にも遵守義務がある。
answer: 〇
explanation: 5
---
id: not-true
type: truefalse
sections: 5
question: 委託事業者は対象外である。
answer: ×
explanation: 4(1)
---
`;

	it('reads each question with stable choice ids, multi-line stems and explanations', () => {
		const { value, errors } = parseQuestions(sample, 'questions.md');
		expect(errors).toEqual([]);
		expect(value).toHaveLength(4);
		expect(value[0]).toEqual({
			slug: 'usb-terminal',
			type: 'single',
			stem: '窓口の端末に\nUSBメモリを挿そうとしています。\n\n正しい対応はどれですか。',
			choices: [
				{ id: 'c1', text: '検査すれば挿してよい', correct: false },
				{ id: 'c2', text: '挿さずに手順に従う', correct: true }
			],
			explanation: '6(3)①のとおりです。\n続きの行。',
			sectionKeys: ['6.3.1', '2.8'],
			line: 1,
			sectionsLine: 3
		});
		expect(value[1].choices.map((c) => [c.id, c.correct])).toEqual([
			['c1', true],
			['c2', true],
			['c3', false]
		]);
		expect(value[1].line).toBe(13);
		expect(value[2].choices).toEqual([
			{ id: 'o', text: '○', correct: true },
			{ id: 'x', text: '×', correct: false }
		]);
		expect(value[3].choices.find((c) => c.correct)?.id).toBe('x');
	});

	it('reports every error of every question with its line, and keeps the good ones', () => {
		const text = [
			/* 1 */ 'id: Bad_Id',
			/* 2 */ 'type: single',
			/* 3 */ 'sections: 1',
			/* 4 */ 'question: どれですか。',
			/* 5 */ '- [x] a',
			/* 6 */ '- [x] b',
			/* 7 */ '- [] c',
			/* 8 */ 'explanation: e',
			/* 9 */ '- [ ] late',
			/* 10 */ '---',
			/* 11 */ 'id: dup',
			/* 12 */ 'type: multiple',
			/* 13 */ 'sections: 1',
			/* 14 */ 'question: q',
			/* 15 */ '- [ ] a',
			/* 16 */ '- [ ] a',
			/* 17 */ 'explanation: e',
			/* 18 */ 'answer: ○',
			/* 19 */ '---',
			/* 20 */ 'id: dup',
			/* 21 */ 'type: truefalse',
			/* 22 */ 'sections:',
			/* 23 */ 'question: q',
			/* 24 */ '- [x] a',
			/* 25 */ 'answer: はい',
			/* 26 */ 'explanation: e',
			/* 27 */ '---',
			/* 28 */ 'id: no-answer',
			/* 29 */ 'type: truefalse',
			/* 30 */ 'sections: 1',
			/* 31 */ 'question: q',
			/* 32 */ 'explanation: e',
			/* 33 */ '---',
			/* 34 */ 'id: odd',
			/* 35 */ 'type: essay',
			/* 36 */ 'type: single',
			/* 37 */ 'sections: 1',
			/* 38 */ 'qestion: typo',
			/* 39 */ 'stray text',
			/* 40 */ '---',
			/* 41 */ 'id: too-few',
			/* 42 */ 'type: single',
			/* 43 */ 'sections: 1',
			/* 44 */ 'question: q',
			/* 45 */ '- [x] only',
			/* 46 */ 'explanation: e',
			/* 47 */ '---',
			/* 48 */ 'id: fine',
			/* 49 */ 'type: single',
			/* 50 */ 'sections: 2',
			/* 51 */ 'question: q',
			/* 52 */ '- [x] a',
			/* 53 */ '- [ ] b',
			/* 54 */ 'explanation: e'
		].join('\n');
		const { value, errors } = parseQuestions(text, 'questions.md');
		expect(value.map((q) => q.slug)).toEqual(['fine']);
		expect(lines(errors)).toEqual([
			'1: question "Bad_Id": the id must be lower-case letters, digits and hyphens',
			'1: question "Bad_Id": a single-choice question needs exactly one right choice, has 2',
			'7: a choice line is `- [x] text` (right) or `- [ ] text` (wrong)',
			'9: choice lines come before `explanation:`',
			'11: question "dup": a multiple-choice question needs at least one right choice',
			'16: question "dup": the same choice as on line 15',
			'18: `answer:` is for truefalse questions; mark right choices with `- [x]`',
			'20: question "dup": `sections:` is missing or empty',
			'20: question "dup": the id is already used by the question on line 11',
			'24: a truefalse question has no choice lines; write `answer: ○` or `answer: ×`',
			'25: `answer:` must be ○ or ×, not "はい"',
			'28: a truefalse question needs `answer: ○` or `answer: ×`',
			'34: question "odd": `question:` is missing or empty',
			'34: question "odd": `explanation:` is missing or empty',
			'35: unknown type "essay" (single, multiple or truefalse)',
			'36: `type:` appears twice (first on line 35)',
			'38: unknown label `qestion:` (known: id, type, sections, question, answer, explanation)',
			'39: unexpected line: expected a label such as `explanation:` or a choice line `- [ ] …`',
			'41: question "too-few": needs 2 to 8 choices, has 1'
		]);
	});

	it('allows at most eight choices', () => {
		const choices = Array.from({ length: 9 }, (_, i) => `- [${i ? ' ' : 'x'}] 選択肢${i}`);
		const text = ['id: many', 'type: single', 'sections: 1', 'question: q', ...choices, 'explanation: e'].join('\n');
		expect(lines(parseQuestions(text, 'q.md').errors)).toEqual(['1: question "many": needs 2 to 8 choices, has 9']);
	});

	it('writes questions back in the same format, byte for byte for the real pool', () => {
		const real = readFileSync('content/courses/basic-policy-training/questions.md', 'utf8');
		expect(formatQuestions(parseQuestions(real, 'questions.md').value)).toBe(real);
		const again = parseQuestions(formatQuestions(parseQuestions(sample, 'q.md').value), 'q.md');
		expect(again.errors).toEqual([]);
		expect(again.value.map((q) => q.stem)).toEqual(parseQuestions(sample, 'q.md').value.map((q) => q.stem));
	});
});

describe('the real content', () => {
	it('parses without errors: two courses, their lessons and questions', () => {
		const { courses, errors } = readCourses('content');
		expect(errors.map(formatContentError)).toEqual([]);
		expect(courses.map((c) => [c.course.slug, c.lessons.length, c.questions.length])).toEqual([
			['basic-policy-training', 8, 74],
			['contractor-basics', 3, 19]
		]);
		expect(courses[0].course.policy).toBe('basic-policy');
	});
});
