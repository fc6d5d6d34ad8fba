// Message keys for values the roster pages show; shared by the upload and preview pages.
import type { MessageKey } from '$lib/i18n';

export const statusKey = {
	previewed: 'roster.status.previewed',
	applied: 'roster.status.applied',
	discarded: 'roster.status.discarded'
} as const satisfies Record<string, MessageKey>;

export const fieldKey = {
	name: 'people.name',
	nameKana: 'people.kana',
	employmentType: 'people.employmentType',
	title: 'people.title_',
	email: 'people.email',
	retirementDate: 'people.retirementDate',
	contractorCompany: 'people.contractorCompany',
	contractName: 'people.contractName',
	contractStart: 'people.contractStart',
	contractEnd: 'people.contractEnd'
} as const satisfies Record<string, MessageKey>;

export const employmentKey = (type: string): MessageKey => `employment.${type}` as MessageKey;
