import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { guideFor, guideTitles } from '$lib/server/guide/guides';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const [guide, guides] = await Promise.all([guideFor(params.role), guideTitles()]);
	if (!guide) error(404, { message: 'Not found', key: 'error.notFound' });
	return { guide, guides, slug: params.role };
};
