import { formatIsoDate, formatWareki } from '$lib/format/wareki';
import { translate, type Locale, type MessageKey } from '$lib/i18n/core';
import type { CompletionPerson } from './completion';

/**
 * The people list as CSV rows: a header, then one row per person. Dates appear twice, in 和暦
 * for reading and ISO for sorting and formulas.
 */
export function completionCsvRows(campaign: { title: string; dueOn: string }, people: CompletionPerson[], locale: Locale): (string | number | null)[][] {
	const h = (key: MessageKey) => translate(locale, key);
	const wareki = (d: Date | string | null) => (d ? formatWareki(d) : '');
	const iso = (d: Date | string | null) => (d ? formatIsoDate(d) : '');
	const header = [
		h('csv.campaign'),
		h('people.number'),
		h('people.name'),
		h('csv.kana'),
		h('people.department'),
		h('people.employmentType'),
		h('csv.status'),
		h('csv.dueWareki'),
		h('csv.dueIso'),
		h('csv.completedWareki'),
		h('csv.completedIso'),
		h('csv.lastActivityWareki'),
		h('csv.lastActivityIso'),
		h('csv.attempts'),
		h('csv.lastReminded')
	];
	const rows = people.map((p) => [
		campaign.title,
		p.employeeNumber,
		p.name,
		p.nameKana,
		p.departmentName ?? '',
		h(`employment.${p.employmentType}`),
		h(p.overdue ? 'learn.status.overdue' : `learn.status.${p.status}`),
		wareki(campaign.dueOn),
		campaign.dueOn,
		wareki(p.completedAt),
		iso(p.completedAt),
		wareki(p.lastActivityAt),
		iso(p.lastActivityAt),
		p.attemptCount,
		p.lastRemindedOn ?? ''
	]);
	return [header, ...rows];
}
