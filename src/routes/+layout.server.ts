import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		locale: locals.locale,
		viewer: user
			? {
					name: user.name,
					orgName: locals.locale === 'en' && user.orgNameEn ? user.orgNameEn : user.orgName,
					roles: user.roles,
					mustChangePassword: user.mustChangePassword
				}
			: null
	};
};
