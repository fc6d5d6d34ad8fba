import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { campaignSubjectOptions, createCampaign } from '$lib/server/learning/campaigns';
import { japanToday } from '$lib/format/calendar';
import { campaignActor, campaignFormChoices, previewAction, readCampaignForm } from '../form.server';
import type { CampaignFormValues } from '../fields';

export const load: PageServerLoad = async (event) => {
	const { orgId } = campaignActor(event);
	const today = japanToday();
	const defaults: CampaignFormValues = {
		subjectId: '',
		title: '',
		fiscalYear: '',
		startsOn: today,
		dueOn: '',
		audienceMode: 'everyone',
		employmentTypes: [],
		departmentIds: [],
		createdSince: '',
		roles: []
	};
	return {
		defaults,
		subjects: await campaignSubjectOptions(getDb(), orgId),
		choices: await campaignFormChoices(orgId, today)
	};
};

export const actions: Actions = {
	preview: previewAction,
	create: async (event) => {
		const actor = campaignActor(event);
		const { values, input } = readCampaignForm(await event.request.formData());
		const result = await createCampaign(getDb(), actor, input);
		if (!result.ok) {
			return fail(400, { action: 'create' as const, problems: result.problems, values });
		}
		redirect(303, `/admin/campaigns/${result.id}?created=${result.added}`);
	}
};
