import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { learnerAssignments } from '$lib/server/learning/assignments';
import { getDb } from '$lib/server/runtime';
import { assignmentSummary } from '$lib/server/learning/summary';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const assignments = await learnerAssignments(getDb(), user.orgId, user.id);
	return { assignments: assignments.map(assignmentSummary) };
};
