import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { attemptResult } from '$lib/server/learning/quiz/result';
import { policyOverview } from '$lib/server/policy/overview';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const found = await attemptResult(getDb(), { orgId: user.orgId, personId: user.id }, params.attemptId);
	// An attempt still open sends its learner back to it, from its own assignment's address only.
	if (!found.ok && found.problem === 'not_submitted' && found.assignmentId === params.assignmentId) redirect(303, `/learn/${params.assignmentId}/quiz`);
	if (!found.ok || found.result.assignmentId !== params.assignmentId) error(404, { message: 'Not found', key: 'quiz.notFound' });
	// Once the course is done, what is left is the policies still to acknowledge.
	const pending = found.result.completed
		? (await policyOverview(getDb(), { orgId: user.orgId, roles: user.roles, personId: user.id }))
				.filter((p) => p.inForce && !p.acknowledgedAt)
				.map((p) => ({ slug: p.slug, title: p.title, version: p.inForce!.version }))
		: [];
	return { result: found.result, pending };
};
