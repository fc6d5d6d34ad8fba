// Grading. Pure, so the same rules serve the submit, the tests and any re-grade.
import type { QuestionType } from '../../db/schema';
import type { AttemptLayout } from './draw';

export interface GradableQuestion {
	type: QuestionType;
	choices: readonly { id: string; correct: boolean }[];
}

export interface ResponseGrade {
	/** 0..1 */
	score: number;
	correct: boolean;
}

/**
 * Single choice and ○×: all or nothing. Multiple choice: each right pick earns, each wrong pick
 * cancels one, never below zero; correct only for exactly the right set.
 */
export function gradeResponse(question: GradableQuestion, selected: readonly string[]): ResponseGrade {
	const right = new Set(question.choices.filter((c) => c.correct).map((c) => c.id));
	const picked = new Set(selected);
	const rightPicked = [...picked].filter((id) => right.has(id)).length;
	const wrongPicked = picked.size - rightPicked;
	const correct = wrongPicked === 0 && rightPicked === right.size;
	if (question.type !== 'multiple' || right.size === 0) return { score: correct ? 1 : 0, correct };
	return { score: Math.max(0, (rightPicked - wrongPicked) / right.size), correct };
}

export interface QuestionOutcome extends ResponseGrade {
	questionId: string;
	selected: string[];
	answered: boolean;
}

export interface AttemptGrade {
	/** 0–100, one decimal. */
	score: number;
	passed: boolean;
	perQuestion: QuestionOutcome[];
}

/** Every question of the layout weighs the same; an unanswered (or vanished) question scores 0. */
export function gradeAttempt(
	layout: AttemptLayout,
	questionsById: ReadonlyMap<string, GradableQuestion>,
	responsesById: ReadonlyMap<string, readonly string[]>,
	passMark: number
): AttemptGrade {
	const perQuestion = layout.map(({ questionId }): QuestionOutcome => {
		const selected = [...(responsesById.get(questionId) ?? [])];
		const question = questionsById.get(questionId);
		const answered = selected.length > 0;
		const grade = question && answered ? gradeResponse(question, selected) : { score: 0, correct: false };
		return { questionId, selected, answered, ...grade };
	});
	const total = perQuestion.reduce((sum, q) => sum + q.score, 0);
	const score = layout.length === 0 ? 0 : Math.round((total * 1000) / layout.length) / 10;
	return { score, passed: layout.length > 0 && score >= passMark, perQuestion };
}
