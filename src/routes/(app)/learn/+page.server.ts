import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { learnerAssignments } from '$lib/server/learning/assignments';
import { getDb } from '$lib/server/runtime';
import { learnerCards } from '$lib/server/learning/summary';
import { learnerRounds } from '$lib/server/inspection/rounds';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const assignments = await learnerAssignments(db, user.orgId, user.id);
	const rounds = await learnerRounds(db, user.orgId, user.id);
	return { assignments: learnerCards(assignments, rounds) };
};
