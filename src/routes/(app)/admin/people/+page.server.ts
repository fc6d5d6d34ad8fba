import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { employmentTypes, type EmploymentType } from '$lib/server/db/schema';
import { listDepartmentTree } from '$lib/server/org/departments';
import { readQuery, type QueryReader } from '$lib/server/input/query';
import { searchPeople, type ActiveFilter } from '$lib/server/org/people';

const statuses: readonly ActiveFilter[] = ['active', 'inactive', 'all'];

interface Filters {
	q: string;
	department: string;
	type: EmploymentType | '';
	status: ActiveFilter;
	page: number;
}

/** The search as the form sent it; a value the form cannot send is a 400. */
function parseFilters(query: QueryReader): Filters {
	return {
		q: query.text('q', 200),
		department: query.id('department') ?? '',
		type: query.choice('type', employmentTypes) ?? '',
		status: query.choice('status', statuses) ?? 'active',
		page: query.page()
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const db = getDb();
	const filters = parseFilters(readQuery(url));
	const [departments, result] = await Promise.all([
		listDepartmentTree(db, user.orgId),
		searchPeople(db, user.orgId, {
			q: filters.q,
			departmentId: filters.department || undefined,
			employmentType: filters.type || undefined,
			active: filters.status,
			page: filters.page
		})
	]);
	return {
		filters,
		employmentTypes,
		departments: departments.map(({ id, code, name, depth }) => ({ id, code, name, depth })),
		result
	};
};
