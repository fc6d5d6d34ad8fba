import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { guideIndex, guideTitles } from '$lib/server/guide/guides';
import { guideSlugFor } from '$lib/guide';

// Every role may read every guide: a 課長 who is also a learner reads both.
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const [guide, guides] = await Promise.all([guideIndex(), guideTitles()]);
	if (!guide) error(404, { message: 'Not found', key: 'error.notFound' });
	return { guide, guides, own: guideSlugFor(user.roles) };
};
