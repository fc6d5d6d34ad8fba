import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { policyOverview } from '$lib/server/policy/overview';
import { learnerAssignments } from '$lib/server/learning/assignments';
import { learnerCards } from '$lib/server/learning/summary';
import { learnerRounds } from '$lib/server/inspection/rounds';
import { getDb } from '$lib/server/runtime';
import { remindersForLearner } from '$lib/server/notify/reminders';
import { daysLeft, japanToday } from '$lib/format/calendar';
import { waitingFor } from '$lib/server/home/waiting';
import { contractOf } from '$lib/server/org/people';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const today = japanToday();
	const [policies, assignments, rounds, reminders, waiting, contract] = await Promise.all([
		policyOverview(db, { orgId: user.orgId, roles: user.roles, personId: user.id }),
		learnerAssignments(db, user.orgId, user.id, today),
		learnerRounds(db, user.orgId, user.id, today),
		remindersForLearner(db, user.orgId, user.id, today),
		waitingFor(db, user, today),
		user.employmentType === 'contractor' ? contractOf(db, user.orgId, user.id) : null
	]);
	return {
		person: {
			name: user.name,
			employeeNumber: user.employeeNumber,
			employmentType: user.employmentType,
			departmentName: user.departmentName,
			roles: user.roles
		},
		contract,
		waiting: {
			...waiting,
			admin: waiting.admin && {
				...waiting.admin,
				recentFailed: waiting.admin.recentFailed.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
				imports: waiting.admin.imports.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() }))
			}
		},
		assignments: learnerCards(assignments, rounds),
		reminders: reminders.map((r) => ({ ...r, daysLeft: daysLeft(r.dueOn, today) })),
		policies: policies
			.filter((p) => p.inForce)
			.map((p) => ({ slug: p.slug, title: p.title, version: p.inForce!.version, acknowledgedAt: p.acknowledgedAt?.toISOString() ?? null }))
	};
};
