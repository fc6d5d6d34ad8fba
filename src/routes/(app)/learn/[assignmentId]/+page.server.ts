import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getLearnerAssignment } from '$lib/server/learning/assignments';
import { getDb } from '$lib/server/runtime';
import { getRound } from '$lib/server/inspection/rounds';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const a = await getLearnerAssignment(getDb(), user.orgId, user.id, params.assignmentId);
	if (!a) {
		// Reminders link every assignment here; an inspection round is answered on its own page.
		if (await getRound(getDb(), user.orgId, user.id, params.assignmentId)) redirect(303, `/inspection/${params.assignmentId.toLowerCase()}`);
		error(404, { message: 'Not found', key: 'error.notFound' });
	}
	return {
		assignment: {
			id: a.id,
			campaignTitle: a.campaignTitle,
			fiscalYear: a.fiscalYear,
			dueOn: a.dueOn,
			status: a.status,
			daysLeft: a.daysLeft,
			completedAt: a.completedAt?.toISOString() ?? null,
			attemptCount: a.attemptCount,
			bestScore: a.bestScore,
			quizPassed: a.quizPassed,
			course: a.course,
			lessons: a.lessons.map((l) => ({ slug: l.slug, title: l.title, viewed: l.viewed }))
		}
	};
};
