// Hostile shapes of text: each parser either finishes in time linear in its input or refuses the
// text at a bound, naming the line. The long inputs go through the text worker with its time
// budget, as in the app: sized so that the quadratic code these tests replaced runs for minutes
// and overruns the budget (the job is ended and the test fails), while the linear code takes
// about a second. Speed figures live in `npm run bench` (docs/performance.md).
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/lib/server/policy/import';
import { runOffThread } from '../../src/lib/server/text/off-thread';
import { lineDepth, markdownBounds, textBoundsProblem } from '../../src/lib/server/text/bounds';
import { renderEach, renderStored } from '../../src/lib/server/policy/render';
import { parseLesson, parseQuestions } from '../../src/lib/server/learning/content/parse-course';

const lines = (line: string, count: number) => Array.from({ length: count }, () => line).join('\n');
const long = markdownBounds.maxLineLength;
/** Many times what the linear code needs on a busy machine; a small part of what the quadratic code needed. */
const budget = 20_000;

describe('text bounds', () => {
	it('counts quotes, list markers and indentation as nesting', () => {
		expect(lineDepth('本文')).toBe(0);
		expect(lineDepth('> > - 1. 本文')).toBe(4);
		expect(lineDepth('        - 項目')).toBe(3);
		expect(lineDepth('\t\t本文')).toBe(2);
		expect(lineDepth('-1 は数字')).toBe(0);
		expect(lineDepth('2024. は年')).toBe(1);
	});

	it('names the first line that is too long or too deep', () => {
		expect(textBoundsProblem('a\nb')).toBeNull();
		expect(textBoundsProblem(`a\r\n${'x'.repeat(long + 1)}`)).toEqual({ kind: 'line_too_long', line: 2, length: long + 1, max: long });
		expect(textBoundsProblem(`a\n\n${'>'.repeat(5000)} x`)).toMatchObject({ kind: 'too_deep', line: 3, max: markdownBounds.maxDepth });
		expect(textBoundsProblem(`${'- '.repeat(4000)}x`)).toMatchObject({ kind: 'too_deep', line: 1 });
		expect(textBoundsProblem(Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n'))).toMatchObject({ kind: 'too_deep', line: 33 });
		expect(textBoundsProblem(`${'> '.repeat(markdownBounds.maxDepth)}x`)).toBeNull();
	});
});

describe('policy importer on hostile lines', () => {
	// Lines at the longest the importer takes. Each but the first two ends in a page number, which
	// makes it an entry of the 目次, so that every pattern for entries reads it.
	const entry = (shape: string) => `${shape.repeat(Math.ceil(long / shape.length)).slice(0, long - 2)} 1`;
	const hostile: Record<string, string> = {
		'a heading line ending in spaces': `# a${' '.repeat(long - 4)}b`,
		'a long run of dot leaders': `${'.'.repeat(long - 1)}a`,
		'spaces before a last word': `a${' '.repeat(long - 5)}a 1`,
		'open brackets of links': entry('[a'),
		'links that never reach an anchor': entry('[a](#'),
		'article ranges that never close': entry('（第1条')
	};
	for (const [name, line] of Object.entries(hostile)) {
		it(`${name}, under a 目次 and in the text`, async () => {
			const text = `目次\n${lines(line, 300)}\n1 目的\n${lines(line, 300)}\n`;
			const parsed = await runOffThread('policy.parse', text, { budgetMs: budget });
			// Some of these are all 目次 and nothing else; what counts is that the answer comes.
			expect(parsed.ok || parsed.reason === 'no_structure').toBe(true);
		}, 60_000);
	}

	it('joins thousands of cut lines into one paragraph without reading it again for each', async () => {
		const parsed = await runOffThread('policy.parse', `1 目的\n${lines('これは途中で切れた行', 300_000)}`, { budgetMs: budget });
		const body = parsed.ok ? parsed.sections[0].body : '';
		expect(body.replace(/\n/g, '').length).toBe(3_000_000);
		// Joined paragraphs stop at the line bound of stored text.
		expect(Math.max(...body.split('\n').map((l) => l.length))).toBeLessThanOrEqual(long);
	}, 60_000);

	it('reads a hundred thousand one-line definitions under one article in linear time', async () => {
		const parsed = await runOffThread('policy.parse', `第１条　定義\n${lines('用語　用語の意義を定めるものをいう。', 100_000)}`, { budgetMs: budget });
		expect(parsed.ok && parsed.sections.length).toBe(100_001);
		expect(parsed.ok && parsed.sections.at(-1)).toMatchObject({ key: '1.100000', heading: '用語' });
	}, 60_000);

	it('keeps what the old patterns found: leaders, page numbers, article ranges, anchor links', () => {
		const parsed = parsePolicyText(
			[
				'目次',
				'1 目的 ………… 1',
				'2 定義\t2',
				'3 適用範囲（第3条―第5条）',
				'- [4 組織](#組織)',
				'',
				'1 目的',
				'本文。',
				'2 定義',
				'本文。',
				'3 適用範囲',
				'本文。',
				'## 4 組織 ##',
				'本文。'
			].join('\n')
		);
		expect(parsed.ok && parsed.sections.map((s) => `${s.key} ${s.heading}`)).toEqual(['1 目的', '2 定義', '3 適用範囲', '4 組織']);
	});
});

describe('stored text that cannot render', () => {
	it('is shown as escaped plain text when over the bounds, and rendered otherwise', async () => {
		const [deep, fine] = await renderStored([`<script>x</script>\n${'>'.repeat(5000)} a`, '**太字**']);
		expect(deep).toMatchObject({ plain: true, problem: { kind: 'too_deep', line: 2 } });
		expect(deep.html).toBe(`<p class="plain-text">&lt;script&gt;x&lt;/script&gt;<br>\n${'&gt;'.repeat(5000)} a</p>\n`);
		expect(fine).toEqual({ html: '<p><strong>太字</strong></p>\n', plain: false });
	});

	it('the renderer’s own failure is caught per text, so the others of the page still render', () => {
		// Past the bounds the renderer overflows its stack: this is what a page met before.
		expect(renderEach([`${'>'.repeat(5000)} a`, '*a*'])).toEqual([null, '<p><em>a</em></p>\n']);
	});

	it('a lesson file or a question over the bounds is an error of the line that breaks them', () => {
		const lesson = parseLesson(`---\ntitle: t\nsections: 1\n---\n本文\n${'> '.repeat(20)}引用\n`, '01-a.md');
		expect(lesson.errors).toMatchObject([{ line: 6, message: expect.stringContaining('入れ子') }]);
		const questions = parseQuestions(
			`id: q\ntype: truefalse\nsections: 1\nquestion: 問い\nanswer: ○\nexplanation: 解説\n${'x'.repeat(long + 1)}\n`,
			'questions.md'
		);
		expect(questions.errors).toMatchObject([{ line: 7, message: expect.stringContaining('長すぎ') }]);
	});

	it('a policy document over the bounds is refused with its line', () => {
		expect(parsePolicyText(`1 目的\n本文\n${'- '.repeat(30)}項目`)).toMatchObject({ ok: false, reason: 'too_deep', line: 3 });
		expect(parsePolicyText(`1 目的\n${'あ'.repeat(long + 1)}`)).toMatchObject({ ok: false, reason: 'line_too_long', line: 2, max: long });
	});
});
