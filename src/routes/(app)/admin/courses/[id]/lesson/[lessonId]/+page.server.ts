import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/runtime';
import { formDataWithinLimit, formString } from '$lib/server/http';
import { renderPreview } from '$lib/server/policy/render';
import { checkLesson, courseForEditing, lessonForEditing, readSectionKeys, updateLesson, type LessonCheck } from '$lib/server/learning/editor';
import { courseActor, courseEditMaxBytes, notFound } from '../../../editor.server';

export const load: PageServerLoad = async (event) => {
	const { orgId } = courseActor(event);
	const db = getDb();
	const lesson = await lessonForEditing(db, orgId, event.params.id, event.params.lessonId);
	const found = lesson && (await courseForEditing(db, orgId, event.params.id));
	if (!lesson || !found) notFound();
	return { course: found.course, lesson };
};

/** The form, or null when its body is over the page's limit (the text is then refused as too long). */
async function readLessonForm(event: RequestEvent) {
	const form = await formDataWithinLimit(event.request);
	if (!form) return null;
	const values = { title: formString(form, 'title'), sections: formString(form, 'sections'), body: formString(form, 'body') };
	return { values, input: { title: values.title, body: values.body, sectionKeys: readSectionKeys(values.sections) } };
}

const unread = { title: '', sections: '', body: '' };

/** A body over the limit is refused whole rather than cut short and saved. */
const tooLong = (values: { title: string; sections: string; body: string }) =>
	fail(413, { values, preview: undefined, error: 'courseEdit.tooLong' as const, field: 'body', keys: '', line: '', max: '' });

/** The refusal as the page shows it: a message key, the field it concerns, the form as typed. */
function refused(checked: Extract<LessonCheck, { ok: false }>, values: { title: string; sections: string; body: string }, preview?: string) {
	if (checked.problem === 'not_found') notFound();
	const field =
		checked.problem === 'unknown_sections' ? 'sections' : checked.problem === 'line_too_long' || checked.problem === 'too_deep' ? 'body' : checked.problem;
	const params = { keys: (checked.keys ?? []).join(', '), line: checked.line ?? '', max: checked.max ?? '' };
	return fail(400, { values, preview, error: `courseEdit.lesson.error.${checked.problem}` as const, field, ...params });
}

export const actions: Actions = {
	preview: async (event) => {
		const { orgId } = courseActor(event);
		const read = await readLessonForm(event);
		if (!read) return tooLong(unread);
		const { values, input } = read;
		if (input.body.length > courseEditMaxBytes) return tooLong(values);
		const checked = await checkLesson(getDb(), orgId, event.params.id, event.params.lessonId, input);
		const rendered = await renderPreview(input.body);
		// Shown as plain text, the preview would only repeat the text box: the notice says why instead.
		const preview = rendered.plain ? '' : rendered.html;
		if (!checked.ok) return refused(checked, values, preview);
		return { values, preview, previewSlow: rendered.problem?.kind === 'too_slow' };
	},

	save: async (event) => {
		const actor = courseActor(event);
		const read = await readLessonForm(event);
		if (!read) return tooLong(unread);
		const { values, input } = read;
		if (input.body.length > courseEditMaxBytes) return tooLong(values);
		const db = getDb();
		// The lesson must belong to this course: the address names both.
		if (!(await lessonForEditing(db, actor.orgId, event.params.id, event.params.lessonId))) notFound();
		const result = await updateLesson(db, actor, event.params.lessonId, input);
		if (!result.ok) return refused(result, values);
		return { values, saved: true };
	}
};
