import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { employmentTypes, type EmploymentType } from '$lib/server/db/schema';
import { listDepartmentTree, isUuid } from '$lib/server/org/departments';
import { searchPeople, type ActiveFilter } from '$lib/server/org/people';

const statuses: readonly ActiveFilter[] = ['active', 'inactive', 'all'];

interface Filters {
	q: string;
	department: string;
	type: EmploymentType | '';
	status: ActiveFilter;
	page: number;
}

/** The search as the form sent it; anything unknown falls back to "no filter". */
function parseFilters(params: URLSearchParams): Filters {
	const type = params.get('type') ?? '';
	const status = params.get('status') ?? '';
	const department = params.get('department') ?? '';
	return {
		q: (params.get('q') ?? '').slice(0, 200),
		department: isUuid(department) ? department.toLowerCase() : '',
		type: (employmentTypes as readonly string[]).includes(type) ? (type as EmploymentType) : '',
		status: (statuses as readonly string[]).includes(status) ? (status as ActiveFilter) : 'active',
		page: Number.parseInt(params.get('page') ?? '1', 10) || 1
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const db = getDb();
	const filters = parseFilters(url.searchParams);
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
