import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { listChecklists } from '$lib/server/inspection/editor';
import { checklistActor } from './editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = checklistActor(event);
	return { checklists: await listChecklists(getDb(), orgId) };
};
