import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/runtime';
import { archiveCampaign, getCampaign, updateCampaign } from '$lib/server/learning/campaigns';
import { japanToday } from '$lib/format/calendar';
import { campaignActor, campaignFormChoices, previewAction, readCampaignForm } from '../form.server';
import type { CampaignFormValues } from '../fields';
import { requireRole } from '$lib/server/auth/guard';
import { clientAddress } from '$lib/server/http';
import { isUuid } from '$lib/server/db/ids';
import { setReminderSchedule } from '$lib/server/notify/reminders';
import { defaultReminderSchedule, normaliseSchedule, reminderDayChoices, reminderIntervalChoices, scheduleIsEmpty } from '$lib/server/notify/schedule';
import { mailEnabled } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';

function notFound(): never {
	error(404, { message: 'Not found', key: 'error.notFound' });
}

export const load: PageServerLoad = async (event) => {
	const { orgId } = campaignActor(event);
	const today = japanToday();
	const campaign = await getCampaign(getDb(), orgId, event.params.id, { today });
	if (!campaign) notFound();
	const { audience } = campaign;
	const current: CampaignFormValues = {
		subjectId: campaign.courseId ?? campaign.checklistId ?? '',
		title: campaign.title,
		fiscalYear: String(campaign.fiscalYear),
		startsOn: campaign.startsOn,
		dueOn: campaign.dueOn,
		audienceMode: audience.everyone ? 'everyone' : 'filter',
		employmentTypes: audience.employmentTypes,
		departmentIds: audience.departmentIds,
		createdSince: audience.createdSince ?? '',
		roles: audience.roles ?? []
	};
	// How many people the new campaign was assigned to, shown once after creating it.
	const created = readQuery(event.url).integer('created', 0, 10_000_000);
	return {
		campaign,
		current,
		created,
		choices: await campaignFormChoices(orgId, today, campaign.fiscalYear),
		reminders: {
			// Only admins schedule automatic reminders; owners see the setting.
			canEdit: event.locals.user?.roles.includes('admin') ?? false,
			schedule: campaign.reminderSchedule,
			suggested: defaultReminderSchedule,
			dayChoices: reminderDayChoices,
			intervalChoices: reminderIntervalChoices,
			mailOn: mailEnabled()
		}
	};
};

async function setArchived(event: RequestEvent, archived: boolean) {
	const actor = campaignActor(event);
	const result = await archiveCampaign(getDb(), actor, event.params.id, archived);
	if (!result.ok) notFound();
	return { action: 'archive' as const, done: archived ? ('campaign.archived' as const) : ('campaign.restored' as const) };
}

export const actions: Actions = {
	update: async (event) => {
		const actor = campaignActor(event);
		const { values, input } = readCampaignForm(await event.request.formData());
		const result = await updateCampaign(getDb(), actor, event.params.id, input);
		if (result.ok) return { action: 'update' as const, added: result.added };
		if (result.reason === 'invalid') return fail(400, { action: 'update' as const, problems: result.problems, values });
		if (result.reason === 'archived') return fail(409, { action: 'update' as const, problems: [], archived: true, values });
		notFound();
	},
	preview: previewAction,
	schedule: async (event) => {
		const user = requireRole(event.locals, event.url, 'admin');
		if (!isUuid(event.params.id)) notFound();
		const form = await event.request.formData();
		const schedule = normaliseSchedule({
			daysBefore: form.getAll('daysBefore').map((v) => Number(v)),
			overdueEveryDays: form.get('overdueEveryDays') ? Number(form.get('overdueEveryDays')) : null,
			copySupervisors: form.get('copySupervisors') === 'on'
		});
		const off = form.get('off') === '1' || scheduleIsEmpty(schedule);
		const ok = await setReminderSchedule(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, event.params.id, off ? null : schedule);
		if (!ok) notFound();
		return { action: 'schedule' as const, scheduled: !off };
	},
	archive: (event) => setArchived(event, true),
	restore: (event) => setArchived(event, false)
};
