import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/runtime';
import { exportCourseGift } from '$lib/server/learning/editor';
import { courseActor, notFound } from '../../editor.server';

export const GET: RequestHandler = async (event) => {
	const { orgId } = courseActor(event);
	const gift = await exportCourseGift(getDb(), orgId, event.params.id);
	if (!gift) notFound();
	return new Response(gift.text, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': `attachment; filename="${gift.fileName}"`,
			'cache-control': 'no-store'
		}
	});
};
