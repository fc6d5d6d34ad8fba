import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/runtime';
import { formDataWithinLimit, formString } from '$lib/server/http';
import { translate } from '$lib/i18n/core';
import { checkQuestion, courseForEditing, questionForEditing, updateQuestion, type QuestionCheck } from '$lib/server/learning/editor';
import { courseActor, courseEditMaxBytes, notFound } from '../../../editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = courseActor(event);
	const db = getDb();
	const question = await questionForEditing(db, orgId, event.params.id, event.params.questionId);
	const found = question && (await courseForEditing(db, orgId, event.params.id));
	if (!question || !found) notFound();
	return { course: found.course, question };
};

/** The text, or null when the body is over the page's limit (the text is then refused as too long). */
async function readText(event: RequestEvent): Promise<string | null> {
	const form = await formDataWithinLimit(event.request);
	return form && formString(form, 'text');
}

/** A text over the limit is refused whole rather than cut short and parsed. */
function tooLong(event: RequestEvent, text: string) {
	return fail(413, { text, errors: [{ line: 0, message: translate(event.locals.locale, 'courseEdit.tooLong') }] });
}

/** The question as it will look, or its errors with their lines. */
function shown(checked: QuestionCheck, text: string) {
	if (checked.ok) {
		const { stem, type, choices, explanation, sectionKeys } = checked.question;
		return { text, preview: { stem, type, choices, explanation, sectionKeys } };
	}
	if (checked.notFound) notFound();
	return fail(400, { text, errors: checked.errors });
}

export const actions: Actions = {
	preview: async (event) => {
		const { orgId } = courseActor(event);
		const text = await readText(event);
		if (text === null || text.length > courseEditMaxBytes) return tooLong(event, text ?? '');
		return shown(await checkQuestion(getDb(), orgId, event.params.id, event.params.questionId, text), text);
	},

	save: async (event) => {
		const actor = courseActor(event);
		const text = await readText(event);
		if (text === null || text.length > courseEditMaxBytes) return tooLong(event, text ?? '');
		const db = getDb();
		// The question must belong to this course: the address names both.
		if (!(await questionForEditing(db, actor.orgId, event.params.id, event.params.questionId))) notFound();
		const result = shown(await updateQuestion(db, actor, event.params.questionId, text), text);
		return 'preview' in result ? { ...result, saved: true } : result;
	}
};
