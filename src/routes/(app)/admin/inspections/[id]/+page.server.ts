import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { formString } from '$lib/server/http';
import { checklistForEditing, itemsTextMax, saveChecklist } from '$lib/server/inspection/editor';
import { checklistActor, notFound } from '../editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = checklistActor(event);
	const found = await checklistForEditing(getDb(), orgId, event.params.id);
	if (!found) notFound();
	return found;
};

export const actions: Actions = {
	/** Everything is checked first: any problem, each item error with its line, and nothing is saved; the typed text comes back. */
	save: async (event) => {
		const actor = checklistActor(event);
		const form = await event.request.formData();
		const values = {
			title: formString(form, 'title'),
			description: formString(form, 'description'),
			tier: formString(form, 'tier'),
			items: formString(form, 'items')
		};
		const result = await saveChecklist(getDb(), actor, event.params.id, values);
		if (!result.ok) {
			if (result.notFound) notFound();
			return fail(result.fields.items === 'itemsTooLong' ? 413 : 400, { values, fields: result.fields, errors: result.errors, max: itemsTextMax });
		}
		return { saved: { ...result.items, removed: result.deactivated.length } };
	}
};
