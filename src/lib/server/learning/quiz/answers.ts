// Checking answers against an attempt's layout before they are stored. Pure.
import type { QuestionType } from '../../db/schema';
import type { AttemptLayout } from './draw';

/** Question id → chosen choice ids; an empty list clears the answer. */
export type Answers = ReadonlyMap<string, readonly string[]>;

export type AnswerProblem = 'not_in_layout' | 'invalid_choice';

/**
 * An answer may only name a question of this attempt and that question's choices, and a single
 * choice or ○× question takes at most one. Duplicates are dropped.
 */
export function checkAnswers(
	layout: AttemptLayout,
	typeOf: ReadonlyMap<string, QuestionType>,
	answers: Answers
): { ok: true; answers: Map<string, string[]> } | { ok: false; problem: AnswerProblem; questionId: string } {
	const choicesOf = new Map(layout.map((q) => [q.questionId, new Set(q.choiceIds)]));
	const clean = new Map<string, string[]>();
	for (const [questionId, selected] of answers) {
		const choices = choicesOf.get(questionId);
		if (!choices) return { ok: false, problem: 'not_in_layout', questionId };
		const unique = [...new Set(selected)];
		const tooMany = unique.length > 1 && typeOf.get(questionId) !== 'multiple';
		if (tooMany || unique.some((id) => !choices.has(id))) return { ok: false, problem: 'invalid_choice', questionId };
		clean.set(questionId, unique);
	}
	return { ok: true, answers: clean };
}

/** 1-based numbers of the layout's questions without an answer, for 「問3、問7が未回答です」. */
export function unansweredNumbers(layout: AttemptLayout, answers: ReadonlyMap<string, readonly string[]>): number[] {
	return layout.flatMap((q, i) => ((answers.get(q.questionId)?.length ?? 0) === 0 ? [i + 1] : []));
}
