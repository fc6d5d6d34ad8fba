import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { guideImage } from '$lib/server/guide/guides';

// A screenshot of the guides: only a file the images folder lists, by its plain name.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const bytes = await guideImage(params.file);
	if (!bytes) error(404, { message: 'Not found', key: 'error.notFound' });
	return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'image/png', 'Content-Length': String(bytes.byteLength) } });
};
