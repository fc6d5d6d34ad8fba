import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getLearnerAssignment, recordLessonView } from '$lib/server/learning/assignments';
import { readLesson } from '$lib/server/learning/lessons';
import { completeIfReady } from '$lib/server/learning/quiz/attempts';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const a = await getLearnerAssignment(db, user.orgId, user.id, params.assignmentId);
	if (!a) error(404, { message: 'Not found', key: 'error.notFound' });
	const lesson = await readLesson(db, user.orgId, a.course.id, params.slug);
	if (!lesson) error(404, { message: 'Not found', key: 'error.notFound' });
	// Opening the lesson is what counts; the last one opened after a pass completes the course.
	const view = await recordLessonView(db, user.orgId, user.id, a.id, lesson.id);
	if (view.ok && view.firstView && a.status !== 'completed') await completeIfReady(db, a.id);
	const index = a.lessons.findIndex((l) => l.slug === lesson.slug);
	const neighbour = (i: number) => (a.lessons[i] ? { slug: a.lessons[i].slug, title: a.lessons[i].title } : null);
	return {
		assignmentId: a.id,
		courseTitle: a.course.title,
		// Text shown as plain text is explained to those who edit courses; learners just read it.
		lesson: { ...lesson, problem: user.roles.some((r) => r === 'policy_owner' || r === 'admin') ? lesson.problem : null },
		number: index + 1,
		count: a.lessons.length,
		previous: neighbour(index - 1),
		next: neighbour(index + 1)
	};
};
