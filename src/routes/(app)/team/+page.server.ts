import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { hasRole } from '$lib/server/auth/current-user';
import { namedDepartments, teamMembers, teamTrainingStatus, topLevelDepartmentIds } from '$lib/server/org/team';
import { formatIsoDate } from '$lib/format/wareki';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'supervisor', 'admin');
	const db = getDb();
	// An admin sees the whole organisation; a supervisor only their own departments.
	const roots = hasRole(user, 'admin') && user.supervisedDepartmentIds.length === 0
		? await topLevelDepartmentIds(db, user.orgId)
		: user.supervisedDepartmentIds;
	const [departments, members] = await Promise.all([namedDepartments(db, user.orgId, roots), teamMembers(db, user.orgId, roots)]);
	const status = await teamTrainingStatus(db, user.orgId, members.map((m) => m.id), formatIsoDate(new Date()));
	return { departments, members: members.map((m) => ({ ...m, training: status.get(m.id) ?? { assigned: 0, completed: 0, overdue: 0 } })) };
};
