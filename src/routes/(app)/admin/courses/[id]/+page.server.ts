import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { clearNeedsReview, courseForEditing, importGiftQuestions } from '$lib/server/learning/editor';
import { formDataWithinLimit, formString } from '$lib/server/http';
import { decodeText, undecodable } from '$lib/server/text/decode';
import { courseActor, courseEditMaxBytes, notFound } from '../editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = courseActor(event);
	const found = await courseForEditing(getDb(), orgId, event.params.id);
	if (!found) notFound();
	return {
		course: found.course,
		citations: found.citations,
		lessons: found.lessons.map(({ id, slug, title, sectionKeys, needsReview }) => ({ id, slug, title, sectionKeys, needsReview })),
		questions: found.questions.map(({ id, slug, type, stem, sectionKeys, needsReview }) => ({ id, slug, type, stem, sectionKeys, needsReview }))
	};
};

export const actions: Actions = {
	/** 「見直し済みにする」: the owner checked a 要見直し lesson or question and it still holds. */
	clearReview: async (event) => {
		const actor = courseActor(event);
		const form = await event.request.formData();
		const kind = formString(form, 'kind');
		if (kind !== 'lesson' && kind !== 'question') notFound();
		const result = await clearNeedsReview(getDb(), actor, event.params.id, kind, formString(form, 'id'));
		if (!result.ok) notFound();
		return { reviewCleared: true };
	},

	importGift: async (event) => {
		const actor = courseActor(event);
		const form = await formDataWithinLimit(event.request);
		if (!form) return fail(413, { error: 'courseEdit.gift.tooLarge' as const });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: 'courseEdit.gift.noFile' as const });
		if (!/\.(gift|txt)$/i.test(file.name)) return fail(400, { error: 'courseEdit.gift.fileType' as const });
		if (file.size > courseEditMaxBytes) return fail(413, { error: 'courseEdit.gift.tooLarge' as const });
		const { text, badLines } = decodeText(new Uint8Array(await file.arrayBuffer()));
		if (badLines.length > 0) return fail(400, { error: 'courseEdit.gift.errors' as const, errors: badLines.map((line) => ({ line, message: undecodable })) });
		const result = await importGiftQuestions(getDb(), actor, event.params.id, text);
		if (!result.ok) {
			if (result.notFound) notFound();
			return fail(400, { error: 'courseEdit.gift.errors' as const, errors: result.errors });
		}
		return { imported: result.counts };
	}
};
