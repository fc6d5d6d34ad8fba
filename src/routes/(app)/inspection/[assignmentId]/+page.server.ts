import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { getRound, saveInspectionAnswers } from '$lib/server/inspection/rounds';
import { readAnswerForm } from '$lib/server/inspection/answer-form';

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const round = await getRound(getDb(), user.orgId, user.id, params.assignmentId);
	if (!round) notFound();
	return {
		round: {
			id: round.id,
			campaignTitle: round.campaignTitle,
			checklistTitle: round.checklistTitle,
			description: round.description,
			tier: round.tier,
			fiscalYear: round.fiscalYear,
			dueOn: round.dueOn,
			status: round.status,
			daysLeft: round.daysLeft,
			answered: round.answered,
			itemsTotal: round.itemsTotal,
			completedAt: round.completedAt?.toISOString() ?? null,
			departmentName: round.tier === 'supervisor' ? user.departmentName : null,
			items: round.items
		}
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event.locals, event.url);
		const read = readAnswerForm(await event.request.formData());
		if (!read.ok) return fail(400, { error: read.error, item: read.itemId, values: read.values });
		const result = await saveInspectionAnswers(getDb(), user.orgId, user.id, event.params.assignmentId, read.answers);
		if (!result.ok) {
			if (result.reason === 'not_found') notFound();
			return fail(400, { error: 'inspection.error.invalid' as const, item: null, values: read.values });
		}
		const { ok: _ok, saved: changed, ...counts } = result;
		return { saved: true as const, changed, ...counts };
	}
};
