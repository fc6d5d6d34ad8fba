import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getLearnerAssignment } from '$lib/server/learning/assignments';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const a = await getLearnerAssignment(getDb(), user.orgId, user.id, params.assignmentId);
	if (!a) error(404, { message: 'Not found', key: 'error.notFound' });
	return {
		completed: a.status === 'completed' && !!a.completedAt,
		certificate: {
			number: `${a.fiscalYear}-${a.id.slice(0, 8).toUpperCase()}`,
			orgName: user.orgName,
			name: user.name,
			departmentName: user.departmentName,
			courseTitle: a.course.title,
			campaignTitle: a.campaignTitle,
			fiscalYear: a.fiscalYear,
			completedAt: a.completedAt?.toISOString() ?? null,
			score: a.bestScore
		},
		assignmentId: a.id
	};
};
