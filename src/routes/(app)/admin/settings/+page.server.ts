import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formString } from '$lib/server/http';
import {
	approvalBoxesMax,
	approvalBoxTitleMax,
	certificateIssuerMax,
	getDocumentSettings,
	parseApprovalBoxes,
	parseIssuerLine,
	saveDocumentSettings
} from '$lib/server/org/document-settings';
import type { MessageKey } from '$lib/i18n/core';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	return { settings: await getDocumentSettings(getDb(), user.orgId), approvalBoxesMax, approvalBoxTitleMax, certificateIssuerMax };
};

const problemKeys = {
	order_unknown: 'settings.error.orderUnknown',
	too_many_boxes: 'settings.error.tooManyBoxes',
	box_too_long: 'settings.error.boxTooLong',
	issuer_too_long: 'settings.error.issuerTooLong'
} as const satisfies Record<string, MessageKey>;

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event.locals, event.url, 'admin');
		const form = await event.request.formData();
		const values = {
			comparisonOrder: formString(form, 'comparisonOrder'),
			approvalBoxes: parseApprovalBoxes(formString(form, 'approvalBoxes')),
			certificateIssuerTitle: parseIssuerLine(formString(form, 'certificateIssuerTitle')),
			certificateIssuerName: parseIssuerLine(formString(form, 'certificateIssuerName'))
		};
		const result = await saveDocumentSettings(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, values);
		if (!result.ok) {
			return fail(400, {
				problem: problemKeys[result.problem] as MessageKey,
				field: result.problem === 'order_unknown' ? 'comparisonOrder' : result.problem === 'issuer_too_long' ? 'certificateIssuer' : 'approvalBoxes',
				values: {
					comparisonOrder: values.comparisonOrder,
					approvalBoxes: formString(form, 'approvalBoxes'),
					certificateIssuerTitle: formString(form, 'certificateIssuerTitle'),
					certificateIssuerName: formString(form, 'certificateIssuerName')
				}
			});
		}
		return { saved: true };
	}
};
