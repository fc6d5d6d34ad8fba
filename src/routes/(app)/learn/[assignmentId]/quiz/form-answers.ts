// The quiz form → answers. Each question's fieldset carries a hidden `shown` with its id, so a
// question shown with nothing chosen clears its answer, and one not in the post stays as saved.
import type { Answers } from '$lib/server/learning/quiz/answers';

/** More than any quiz has; a post naming more is not ours. */
const maxQuestions = 200;

export function answersFromForm(form: FormData): Answers {
	const answers = new Map<string, string[]>();
	for (const id of form.getAll('shown').slice(0, maxQuestions)) {
		if (typeof id !== 'string') continue;
		answers.set(
			id,
			form.getAll(`q-${id}`).filter((v): v is string => typeof v === 'string')
		);
	}
	return answers;
}

export const resultPath = (assignmentId: string, attemptId: string) => `/learn/${assignmentId}/quiz/result/${attemptId}`;
