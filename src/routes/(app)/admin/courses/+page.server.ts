import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { listCourses } from '$lib/server/learning/editor';
import { courseActor } from './editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = courseActor(event);
	return { courses: await listCourses(getDb(), orgId) };
};
