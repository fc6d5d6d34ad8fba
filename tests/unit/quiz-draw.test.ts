import { describe, expect, it } from 'vitest';
import { drawLayout, drawQuestions, seededRng, shuffle, shuffleChoices, type LayoutQuestion } from '../../src/lib/server/learning/quiz/draw';
import { checkAnswers, unansweredNumbers } from '../../src/lib/server/learning/quiz/answers';

// 12 questions over 6 keys: most cite one key, two cite a rare key each.
const keys = ['1', '2.1', '2.2', '3', '4.1', '6.3.2'];
const pool = Array.from({ length: 12 }, (_, i) => ({
	id: `q${i + 1}`,
	sectionKeys: i === 10 ? ['6.3.2', '1'] : i === 11 ? ['4.1'] : [keys[i % 4]]
}));

describe('drawQuestions', () => {
	it('covers every key whenever the count allows it, for many seeds', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const drawn = drawQuestions(pool, keys.length, keys, seededRng(seed));
			expect(drawn).toHaveLength(keys.length);
			expect(new Set(drawn.flatMap((q) => q.sectionKeys))).toEqual(new Set(keys));
			expect(new Set(drawn.map((q) => q.id)).size).toBe(drawn.length);
		}
	});

	it('covers as many keys as it can with fewer questions than keys', () => {
		const drawn = drawQuestions(pool, 2, keys, seededRng(3));
		// The question citing two keys comes first, then one more new key.
		expect(new Set(drawn.flatMap((q) => q.sectionKeys)).size).toBe(3);
	});

	it('takes the whole pool when it is smaller than the count, and nothing for 0', () => {
		expect(drawQuestions(pool, 50, keys, seededRng(1))).toHaveLength(12);
		expect(drawQuestions(pool, 0, keys, seededRng(1))).toEqual([]);
	});

	it('is deterministic for a seed and varies between seeds', () => {
		const a = drawQuestions(pool, 8, keys, seededRng(42)).map((q) => q.id);
		const b = drawQuestions(pool, 8, keys, seededRng(42)).map((q) => q.id);
		expect(a).toEqual(b);
		const orders = new Set(
			Array.from({ length: 20 }, (_, s) =>
				drawQuestions(pool, 8, keys, seededRng(s))
					.map((q) => q.id)
					.join()
			)
		);
		expect(orders.size).toBeGreaterThan(10);
	});

	it('fills beyond coverage with other questions', () => {
		const drawn = drawQuestions(pool, 10, keys, seededRng(9));
		expect(drawn).toHaveLength(10);
		expect(new Set(drawn.map((q) => q.id)).size).toBe(10);
	});
});

describe('shuffleChoices', () => {
	it('is a permutation, deterministic for a seed', () => {
		const ids = ['a', 'b', 'c', 'd', 'e'];
		const once = shuffleChoices(ids, seededRng(5));
		expect([...once].sort()).toEqual(ids);
		expect(shuffleChoices(ids, seededRng(5))).toEqual(once);
		expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('moves every choice to every place over many seeds (no fixed first choice)', () => {
		const firsts = new Set(Array.from({ length: 100 }, (_, s) => shuffleChoices(['a', 'b', 'c', 'd'], seededRng(s))[0]));
		expect(firsts).toEqual(new Set(['a', 'b', 'c', 'd']));
	});

	it('keeps ○ before × for ○× questions', () => {
		for (let seed = 0; seed < 20; seed++) {
			expect(shuffleChoices(['x', 'o'], seededRng(seed), 'truefalse')).toEqual(['o', 'x']);
		}
	});

	it('shuffle leaves its input alone', () => {
		const items = [1, 2, 3];
		shuffle(items, seededRng(1));
		expect(items).toEqual([1, 2, 3]);
	});
});

describe('drawLayout', () => {
	const questions: LayoutQuestion[] = [
		{ id: 'q1', type: 'single', sectionKeys: ['1'], choices: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
		{ id: 'q2', type: 'truefalse', sectionKeys: ['2'], choices: [{ id: 'o' }, { id: 'x' }] },
		{ id: 'q3', type: 'multiple', sectionKeys: ['3'], choices: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] }
	];

	it('fixes each drawn question with a permutation of its own choices', () => {
		const layout = drawLayout(questions, 3, seededRng(11));
		expect(layout.map((q) => q.questionId).sort()).toEqual(['q1', 'q2', 'q3']);
		for (const entry of layout) {
			const q = questions.find((x) => x.id === entry.questionId)!;
			expect([...entry.choiceIds].sort()).toEqual(q.choices.map((c) => c.id).sort());
		}
		expect(layout.find((q) => q.questionId === 'q2')!.choiceIds).toEqual(['o', 'x']);
		expect(drawLayout(questions, 3, seededRng(11))).toEqual(layout);
	});

	it('answers are checked against the layout: its questions, their choices, one pick for single', () => {
		const layout = drawLayout(questions, 3, seededRng(11));
		const types = new Map(questions.map((q) => [q.id, q.type]));
		expect(checkAnswers(layout, types, new Map([['q1', ['a', 'a']]]))).toEqual({ ok: true, answers: new Map([['q1', ['a']]]) });
		expect(checkAnswers(layout, types, new Map([['q3', ['a', 'b']]])).ok).toBe(true);
		expect(checkAnswers(layout, types, new Map([['q9', ['a']]]))).toMatchObject({ ok: false, problem: 'not_in_layout' });
		expect(checkAnswers(layout, types, new Map([['q1', ['z']]]))).toMatchObject({ ok: false, problem: 'invalid_choice' });
		expect(checkAnswers(layout, types, new Map([['q1', ['a', 'b']]]))).toMatchObject({ ok: false, problem: 'invalid_choice' });
		expect(checkAnswers(layout, types, new Map([['q2', ['o', 'x']]]))).toMatchObject({ ok: false, problem: 'invalid_choice' });
		expect(
			unansweredNumbers(
				layout,
				new Map([
					[layout[1].questionId, ['a']],
					[layout[2].questionId, []]
				])
			)
		).toEqual([1, 3]);
	});
});
