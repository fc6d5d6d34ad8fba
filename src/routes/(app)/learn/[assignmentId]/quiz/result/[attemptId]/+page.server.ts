import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { attemptResult } from '$lib/server/learning/quiz/result';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const found = await attemptResult(getDb(), { orgId: user.orgId, personId: user.id }, params.attemptId);
	// An attempt still open sends its learner back to it, from its own assignment's address only.
	if (!found.ok && found.problem === 'not_submitted' && found.assignmentId === params.assignmentId) redirect(303, `/learn/${params.assignmentId}/quiz`);
	if (!found.ok || found.result.assignmentId !== params.assignmentId) error(404, { message: 'Not found', key: 'quiz.notFound' });
	return { result: found.result };
};
