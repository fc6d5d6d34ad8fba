// Writes questions back in the questions.md format, so a pool imported from GIFT can be saved
// as content and read again by parseQuestions.
import type { QuestionChoice, QuestionType } from '../../db/schema/learning';

export interface QuestionText {
	slug: string;
	type: QuestionType;
	stem: string;
	choices: readonly QuestionChoice[];
	explanation: string;
	sectionKeys: readonly string[];
}

function formatQuestion(q: QuestionText): string {
	const lines = [`id: ${q.slug}`, `type: ${q.type}`, `sections: ${q.sectionKeys.join(', ')}`, `question: ${q.stem}`];
	if (q.type === 'truefalse') lines.push(`answer: ${q.choices.find((c) => c.correct)?.id === 'o' ? '○' : '×'}`);
	else for (const c of q.choices) lines.push(`- [${c.correct ? 'x' : ' '}] ${c.text}`);
	lines.push(`explanation: ${q.explanation}`);
	return lines.join('\n');
}

export function formatQuestions(questions: readonly QuestionText[]): string {
	return `${questions.map(formatQuestion).join('\n---\n')}\n`;
}
