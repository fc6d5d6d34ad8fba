// What the campaign forms (new and edit) send, read the same way by both pages.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import { employmentTypes, roles } from '$lib/server/db/schema';
import { listDepartmentTree } from '$lib/server/org/departments';
import { previewAudience, type CampaignAudience, type CampaignInput } from '$lib/server/learning/campaigns';
import { fiscalYearOf, parseJapaneseDate } from '$lib/format/wareki';
import type { CampaignFormChoices, CampaignFormValues } from './fields';

/** Every load and action of the wing: the role first (actions skip layout loads), then the actor. */
export function campaignActor(event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>) {
	const user = requireRole(event.locals, event.url, 'admin', 'policy_owner');
	return { orgId: user.orgId, personId: user.id, ip: clientAddress(event) };
}

/** A date picker sends 2026-04-01; a browser without one may send 令和8年4月1日, read the same. */
function readDate(raw: string): string {
	const value = raw.trim();
	return value ? (parseJapaneseDate(value) ?? value) : '';
}

const strings = (form: FormData, name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');

export function readCampaignForm(form: FormData): { values: CampaignFormValues; input: CampaignInput } {
	const values: CampaignFormValues = {
		subjectId: formString(form, 'subjectId'),
		title: formString(form, 'title').slice(0, 1000),
		fiscalYear: formString(form, 'fiscalYear').normalize('NFKC').trim(),
		startsOn: readDate(formString(form, 'startsOn')),
		dueOn: readDate(formString(form, 'dueOn')),
		// Anything but an explicit 全職員 is a filter: a lost radio value must not reach everyone.
		audienceMode: formString(form, 'audience') === 'everyone' ? 'everyone' : 'filter',
		employmentTypes: strings(form, 'employmentTypes').slice(0, 20),
		departmentIds: strings(form, 'departmentIds').slice(0, 2000),
		createdSince: readDate(formString(form, 'createdSince')),
		roles: strings(form, 'roles').slice(0, 10)
	};
	const audience: CampaignAudience = {
		everyone: values.audienceMode === 'everyone',
		employmentTypes: values.employmentTypes,
		departmentIds: values.departmentIds,
		createdSince: values.createdSince || null,
		roles: values.roles
	};
	const fiscalYear = values.fiscalYear === '' ? null : /^\d{4}$/.test(values.fiscalYear) ? Number(values.fiscalYear) : Number.NaN;
	return { values, input: { subjectId: values.subjectId, title: values.title, fiscalYear, startsOn: values.startsOn, dueOn: values.dueOn, audience } };
}

/** 「対象者数を確認する」: how many people the audience on the form reaches now; writes nothing. */
export async function previewAction(event: RequestEvent) {
	const actor = campaignActor(event);
	const { values, input } = readCampaignForm(await event.request.formData());
	const result = await previewAudience(getDb(), actor.orgId, input.audience);
	if (!result.ok) return fail(400, { action: 'preview' as const, problems: result.problems, values });
	return { action: 'preview' as const, count: result.count, values };
}

/**
 * What both forms offer besides the values: 年度 from last year to two years ahead (and the
 * campaign's own when it is older), the department tree and the employment types.
 */
export async function campaignFormChoices(orgId: string, today: string, currentYear?: number): Promise<CampaignFormChoices> {
	const year = fiscalYearOf(today);
	const fiscalYears = [year - 1, year, year + 1, year + 2];
	if (currentYear !== undefined && !fiscalYears.includes(currentYear)) fiscalYears.push(currentYear);
	const departments = await listDepartmentTree(getDb(), orgId);
	return {
		fiscalYears: fiscalYears.sort((a, b) => a - b),
		departments: departments.map(({ id, code, name, depth }) => ({ id, code, name, depth })),
		employmentTypes,
		roles: [...roles]
	};
}
