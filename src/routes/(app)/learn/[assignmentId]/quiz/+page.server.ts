import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import { loadAttemptForm, saveAnswers, startOrResumeAttempt, submitAttempt } from '$lib/server/learning/quiz/attempts';
import { answersFromForm, resultPath } from './form-answers';

function notFound(): never {
	error(404, { message: 'Not found', key: 'quiz.notFound' });
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const learner = { orgId: user.orgId, personId: user.id };
	const started = await startOrResumeAttempt(db, learner, params.assignmentId);
	if (!started.ok) {
		if (started.problem === 'not_found') notFound();
		const attemptId = 'attemptId' in started ? started.attemptId : null;
		// Completed or passed: the result says what (if anything) remains.
		if ((started.problem === 'completed' || started.problem === 'passed') && attemptId) redirect(303, resultPath(params.assignmentId, attemptId));
		const blocked = started.problem === 'max_attempts' ? 'max_attempts' : started.problem === 'no_questions' ? 'no_questions' : 'completed';
		return { assignmentId: params.assignmentId, blocked, lastResult: attemptId ? resultPath(params.assignmentId, attemptId) : null, quiz: null };
	}
	const quiz = await loadAttemptForm(db, learner, started.attemptId);
	if (!quiz) notFound();
	return { assignmentId: params.assignmentId, blocked: null, lastResult: null, quiz };
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event.locals, event.url);
		const form = await event.request.formData();
		const attemptId = formString(form, 'attemptId');
		const result = await saveAnswers(getDb(), { orgId: user.orgId, personId: user.id }, attemptId, answersFromForm(form));
		if (!result.ok) {
			// Submitted meanwhile (another tab): its result is what there is to see.
			if (result.problem === 'submitted') redirect(303, resultPath(event.params.assignmentId, attemptId));
			if (result.problem === 'not_found') return fail(404, { error: 'quiz.notFound' as const });
			return fail(400, { error: 'quiz.invalidAnswer' as const });
		}
		return { saved: true, savedAt: result.savedAt.toISOString() };
	},

	submit: async (event) => {
		const user = requireUser(event.locals, event.url);
		const form = await event.request.formData();
		const result = await submitAttempt(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, formString(form, 'attemptId'), {
			answers: answersFromForm(form),
			confirmUnanswered: formString(form, 'confirm') === '1'
		});
		if (!result.ok) {
			if (result.problem === 'unanswered') return fail(400, { unanswered: result.unanswered });
			if (result.problem === 'not_found') return fail(404, { error: 'quiz.notFound' as const });
			return fail(400, { error: 'quiz.invalidAnswer' as const });
		}
		redirect(303, resultPath(event.params.assignmentId, result.attemptId));
	}
};
