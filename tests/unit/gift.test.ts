import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQuestions, type ParsedQuestion } from '../../src/lib/server/learning/content/parse-course';
import { escapeGift, exportGift, importGift } from '../../src/lib/server/learning/gift';
import { runOffThread } from '../../src/lib/server/text/off-thread';

const fixture = (name: string) => readFileSync(`tests/fixtures/gift/${name}`, 'utf8');
/** What a round trip must keep: everything but where the question stood in its file. */
const content = ({ slug, type, stem, choices, explanation, sectionKeys }: ParsedQuestion) => ({ slug, type, stem, choices, explanation, sectionKeys });
const lines = (errors: { line: number; message: string }[]) => errors.map((e) => `${e.line}: ${e.message}`);

describe('GIFT round trip', () => {
	it('keeps text, choices, answers, feedback and section keys of the real pool', () => {
		const pool = parseQuestions(readFileSync('content/courses/basic-policy-training/questions.md', 'utf8'), 'questions.md');
		expect(pool.errors).toEqual([]);
		expect(pool.value.length).toBeGreaterThan(50);
		const gift = exportGift(pool.value, { category: '$course$/top/basic-policy-training' });
		const back = importGift(gift);
		expect(back.errors).toEqual([]);
		expect(back.value.map(content)).toEqual(pool.value.map(content));
		// Every type is there to be carried.
		expect(new Set(pool.value.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'truefalse']));
	});

	it('keeps special characters, backslashes and multi-line stems', () => {
		const q: ParsedQuestion = {
			slug: 'odd-text',
			type: 'multiple',
			stem: '比率 1:2 で {a} = ~b # c\\d\n\n二段落目 ::x::',
			choices: [
				{ id: 'c1', text: '=right', correct: true },
				{ id: 'c2', text: '~%50% also right', correct: true },
				{ id: 'c3', text: 'wrong #1 {x}', correct: false }
			],
			explanation: '一行目\n二行目: 6(3)①',
			sectionKeys: ['6.3.1'],
			line: 1,
			sectionsLine: 1
		};
		const gift = exportGift([q]);
		// A blank line would end the question in GIFT: line breaks travel as \n.
		expect(gift).not.toMatch(/\n\s*\n/);
		expect(gift).toContain('::odd-text::比率 1\\:2 で \\{a\\} \\= \\~b \\# c\\\\d\\n\\n二段落目 \\:\\:x\\:\\:{');
		expect(importGift(gift).value.map(content)).toEqual([content(q)]);
	});
});

describe('exportGift', () => {
	const [single, multiple, ofTwo, tf] = parseQuestions(
		`id: s
type: single
sections: 1
question: Q?
- [ ] no
- [x] yes
explanation: because
---
id: m
type: multiple
sections: 2, 2.1
question: Q?
- [x] a
- [x] b
- [x] c
- [ ] d
explanation: e
---
id: m2
type: multiple
sections: 3
question: Q?
- [x] a
- [ ] b
explanation: e
---
id: t
type: truefalse
sections: 5
question: 正しい。
answer: ×
explanation: 5
`,
		'q.md'
	).value;

	it('writes GIFT with the id as title and the sections and type as comments', () => {
		expect(exportGift([single, tf])).toBe(
			[
				'// type: single',
				'// sections: 1',
				'::s::Q?{',
				'\t~no',
				'\t=yes',
				'\t####because',
				'}',
				'',
				'// type: truefalse',
				'// sections: 5',
				'::t::正しい。{FALSE####5}',
				''
			].join('\n')
		);
	});

	it('weighs right choices to sum to 100 and each wrong one as much, negative, so another system grades as Mamori does', () => {
		expect(exportGift([multiple])).toContain('\t~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-33.33333%d\n');
		// One right choice stays a multiple-choice question: no `=`.
		expect(exportGift([ofTwo])).toContain('{\n\t~%100%a\n\t~%-100%b\n');
		expect(importGift(exportGift([ofTwo])).value[0].type).toBe('multiple');
	});

	it('escapes ~ = # { } : and the backslash', () => {
		expect(escapeGift('a~b=c#d{e}f:g\\h\ni')).toBe('a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni');
	});
});

describe('importGift', () => {
	it('reads a file as a learning system exports it: categories, [html], per-choice feedback, escapes', () => {
		const { value, errors } = importGift(fixture('system-export.gift'), 'system-export.gift');
		expect(errors).toEqual([]);
		expect(value.map((q) => [q.slug, q.type, q.sectionKeys])).toEqual([
			['usb-terminal', 'single', []],
			['all-staff', 'multiple', []],
			['parttime-duty', 'truefalse', []],
			['contractors-excluded', 'truefalse', []]
		]);
		expect(value.map((q) => q.stem)).toEqual([
			'窓口の端末に、来庁者の USB メモリを挿してよいですか？\n（比率 1:2 の {例} を含む）',
			'職員等に当たる人をすべて選んでください。',
			'会計年度任用職員にも遵守義務がある。',
			'委託事業者は適用範囲の対象外である。'
		]);
		// Per-choice feedback is dropped; [html] becomes text, entities decoded.
		expect(value.map((q) => q.choices.map((c) => `${c.id}${c.correct ? '=' : '~'}${c.text}`))).toEqual([
			['c1~検査すれば挿してよい', 'c2=挿さずに手順に従う', 'c3~所属長に後で報告する & 取り込む'],
			['c1=正規職員', 'c2=会計年度任用職員', 'c3~来庁者'],
			['o=○', 'x~×'],
			['o~○', 'x=×']
		]);
		expect(value.map((q) => q.explanation)).toEqual(['6(3)①のとおりです。詳しくは https://example.jp/ を参照。', '', '5 のとおりです。', '']);
		expect(value.map((q) => q.line)).toEqual([6, 14, 21, 25]);
	});

	it('reads a hand-written file: multi-line stems, [markdown], {T}/{F}, names as ids, section comments', () => {
		const { value, errors } = importGift(fixture('hand-written.gift'), 'hand-written.gift');
		expect(errors).toEqual([]);
		expect(value.map((q) => [q.slug, q.type, q.sectionKeys, q.sectionsLine])).toEqual([
			['q1-password', 'single', ['6.3.1', '2.8'], 4],
			['q2', 'multiple', ['6.5'], 13],
			['q3', 'truefalse', ['5'], 23],
			['q4', 'truefalse', [], 26]
		]);
		expect(value[0].stem).toBe('パスワードを付箋に書いて\nモニターに貼ってもよいですか。\n答えは一つです = 一つだけ。');
		expect(value[0].choices.map((c) => [c.text, c.correct])).toEqual([
			['よくない。記憶するか、定められた方法で管理する', true],
			['よい。見やすい場所なら忘れない', false],
			['課内の共有なら ~ よい', false]
		]);
		expect(value[1].stem).toBe('次のうち、正しいものをすべて選んでください {複数}。');
		expect(value[1].choices.filter((c) => c.correct).map((c) => c.text)).toEqual(['研修を受ける', 'パスワードを共有しない', '不審なメールは報告する # すぐに']);
		expect(value[1].explanation).toBe('6(5) 人的セキュリティ');
		expect(value[2].choices.find((c) => c.correct)!.id).toBe('o');
		expect(value[3]).toMatchObject({
			explanation: '4(1)',
			choices: [
				{ id: 'o', correct: false },
				{ id: 'x', correct: true }
			]
		});
	});

	it('reports every malformed question with its line, and what Mamori cannot hold', () => {
		const { value, errors } = importGift(fixture('malformed.gift'), 'malformed.gift');
		expect(value).toEqual([]);
		expect(errors.every((e) => e.file === 'malformed.gift')).toBe(true);
		expect(lines(errors)).toEqual([
			'1: no answer block `{…}`: description questions are not supported (single, multiple or true/false only)',
			'3: `{` is not closed by `}` (write \\} for a literal brace)',
			'7: a question needs a title `::question-id::` (the id: lower-case letters, digits and hyphens)',
			'9: numerical questions are not supported (single, multiple or true/false only)',
			'11: short-answer questions are not supported (single, multiple or true/false only)',
			'13: matching questions are not supported (single, multiple or true/false only)',
			'15: essay questions are not supported (single, multiple or true/false only)',
			'17: the weight %abc% is not a number',
			'19: `// type: single` does not match the answers, which make a multiple question',
			'22: question "two-right": a single-choice question needs exactly one right choice, has 2',
			'24: question "two-right": the id is already used by the question on line 22',
			'26: text before the first `=` or `~` in the answers',
			'28: question "bad-id!": the id must be lower-case letters, digits and hyphens',
			'30: "6(3)" is not a section key (write keys such as 6.3.1, separated by commas)'
		]);
	});

	it('names the line of a choice error inside a multi-line answer block', () => {
		const text = ['::few::Pick one{', '\t~%100%only', '}', '', '::dup::Pick{', '\t=a', '\t~b', '\t~a', '}'].join('\n');
		expect(lines(importGift(text).errors)).toEqual(['1: question "few": needs 2 to 8 choices, has 1', '8: question "dup": the same choice as on line 6']);
	});

	it('turns GIFT missing-word questions into a stem with a blank', () => {
		const { value } = importGift('::mw::パスワードは {=他人に教えない ~付箋に書く} ものです。');
		expect(value[0].stem).toBe('パスワードは _____ ものです。');
	});
});

describe('GIFT character references that name no character', () => {
	it('are errors of their line, not a failure of the import', () => {
		const parsed = importGift('// sections: 1\n::q::[html]問い&#x110000;&#0;&#xDFFF;&#9999999999999999999999;{\n=[html]正&\\#55296;\n~誤\n}\n');
		expect(parsed.value).toEqual([]);
		expect(parsed.errors.map((e) => [e.line, /^文字参照 (\S+) はどの文字も表していません/.exec(e.message)?.[1]])).toEqual([
			[2, '&#x110000;'],
			[2, '&#0;'],
			[2, '&#xDFFF;'],
			[2, '&#9999999999999999999999;'],
			[3, '&#55296;']
		]);
	});

	it('still read the characters they name', () => {
		const parsed = importGift('// sections: 1\n::q::[html]&#x5927;&#20999;&amp;{\n=a\n~b\n}\n');
		expect(parsed.errors).toEqual([]);
		expect(parsed.value[0].stem).toBe('大切&');
	});
});

describe('a GIFT question of a hundred thousand choices', () => {
	it('finds each choice’s line without counting from the top for each', async () => {
		// On the text worker with a budget, as in the app: counting from the top overruns it many times.
		const choices = Array.from({ length: 100_000 }, (_, i) => `~選択肢${i}`).join('\n');
		const parsed = await runOffThread('gift.import', `// sections: 1\n::q::問い{\n=正\n${choices}\n}\n`, { budgetMs: 20_000 });
		// Too many choices: one error, on the question's line.
		expect(parsed.errors.map((e) => e.line)).toEqual([2]);
	}, 60_000);
});
