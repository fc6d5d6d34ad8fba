import { describe, expect, it } from 'vitest';
import { gradeAttempt, gradeResponse, type GradableQuestion } from '../../src/lib/server/learning/quiz/grade';
import { seededRng, shuffleChoices } from '../../src/lib/server/learning/quiz/draw';

const single: GradableQuestion = {
	type: 'single',
	choices: [
		{ id: 'a', correct: false },
		{ id: 'b', correct: true },
		{ id: 'c', correct: false }
	]
};
const multiple: GradableQuestion = {
	type: 'multiple',
	choices: [
		{ id: 'a', correct: true },
		{ id: 'b', correct: true },
		{ id: 'c', correct: false },
		{ id: 'd', correct: true }
	]
};
const trueFalse: GradableQuestion = {
	type: 'truefalse',
	choices: [
		{ id: 'o', correct: false },
		{ id: 'x', correct: true }
	]
};

describe('gradeResponse', () => {
	it('single choice: all or nothing', () => {
		expect(gradeResponse(single, ['b'])).toEqual({ score: 1, correct: true });
		expect(gradeResponse(single, ['a'])).toEqual({ score: 0, correct: false });
		expect(gradeResponse(single, [])).toEqual({ score: 0, correct: false });
		// Two picks for a single-choice question are never right, even if one of them is.
		expect(gradeResponse(single, ['a', 'b'])).toEqual({ score: 0, correct: false });
	});

	it('○×: all or nothing', () => {
		expect(gradeResponse(trueFalse, ['x'])).toEqual({ score: 1, correct: true });
		expect(gradeResponse(trueFalse, ['o'])).toEqual({ score: 0, correct: false });
	});

	it('multiple choice: partial credit, wrong picks cancel right ones, never below zero', () => {
		expect(gradeResponse(multiple, ['a', 'b', 'd'])).toEqual({ score: 1, correct: true });
		expect(gradeResponse(multiple, ['d', 'b', 'a'])).toEqual({ score: 1, correct: true });
		expect(gradeResponse(multiple, ['a', 'b'])).toEqual({ score: 2 / 3, correct: false });
		expect(gradeResponse(multiple, ['a'])).toEqual({ score: 1 / 3, correct: false });
		expect(gradeResponse(multiple, ['a', 'b', 'c'])).toEqual({ score: 1 / 3, correct: false });
		expect(gradeResponse(multiple, ['a', 'b', 'c', 'd'])).toEqual({ score: 2 / 3, correct: false });
		expect(gradeResponse(multiple, ['a', 'c'])).toEqual({ score: 0, correct: false });
		expect(gradeResponse(multiple, ['c'])).toEqual({ score: 0, correct: false });
		expect(gradeResponse(multiple, [])).toEqual({ score: 0, correct: false });
	});

	it('counts a repeated choice id once', () => {
		expect(gradeResponse(multiple, ['a', 'a', 'a'])).toEqual({ score: 1 / 3, correct: false });
	});
});

describe('gradeAttempt', () => {
	const questions = new Map<string, GradableQuestion>([
		['q1', single],
		['q2', multiple],
		['q3', trueFalse],
		['q4', single],
		['q5', single]
	]);
	const layout = ['q1', 'q2', 'q3', 'q4', 'q5'].map((questionId) => ({ questionId, choiceIds: [] }));

	it('averages the questions to 0–100 with one decimal; unanswered scores 0', () => {
		const responses = new Map<string, string[]>([
			['q1', ['b']],
			['q2', ['a', 'b']],
			['q3', ['x']],
			['q4', ['b']]
		]);
		const result = gradeAttempt(layout, questions, responses, 80);
		// (1 + 2/3 + 1 + 1 + 0) / 5 = 73.33…
		expect(result.score).toBe(73.3);
		expect(result.passed).toBe(false);
		expect(result.perQuestion.map((q) => q.correct)).toEqual([true, false, true, true, false]);
		expect(result.perQuestion[4]).toMatchObject({ questionId: 'q5', answered: false, score: 0 });
	});

	it('passes at exactly the pass mark', () => {
		const responses = new Map<string, string[]>([
			['q1', ['b']],
			['q2', ['a', 'b', 'd']],
			['q3', ['x']],
			['q4', ['b']],
			['q5', ['a']]
		]);
		expect(gradeAttempt(layout, questions, responses, 80)).toMatchObject({ score: 80, passed: true });
		expect(gradeAttempt(layout, questions, responses, 81)).toMatchObject({ score: 80, passed: false });
	});

	it('an empty quiz never passes', () => {
		expect(gradeAttempt([], questions, new Map(), 0)).toMatchObject({ score: 0, passed: false });
	});

	it('grades by choice id, so a shuffled display order changes nothing', () => {
		const rng = seededRng(7);
		const shown = shuffleChoices(['a', 'b', 'c', 'd'], rng);
		const rightAsShown = shown.filter((id) => multiple.choices.find((c) => c.id === id)!.correct);
		expect(gradeResponse(multiple, rightAsShown)).toEqual({ score: 1, correct: true });
	});
});
