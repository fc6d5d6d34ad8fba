import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return {
		person: {
			name: user.name,
			employeeNumber: user.employeeNumber,
			employmentType: user.employmentType,
			departmentName: user.departmentName,
			roles: user.roles
		}
	};
};
