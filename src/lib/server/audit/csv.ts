import { formatDateTime } from '$lib/format/wareki';
import { translate, type Locale, type MessageKey } from '$lib/i18n/core';
import type { exportAuditEvents } from './query';

type ExportedEvent = Awaited<ReturnType<typeof exportAuditEvents>>[number];

/** The audit log as CSV rows: a header, then one row per event, its detail as JSON. */
export function auditCsvRows(events: readonly ExportedEvent[], locale: Locale): string[][] {
	const h = (key: MessageKey) => translate(locale, key);
	return [
		[h('audit.at'), h('audit.atIso'), h('audit.action'), h('people.number'), h('people.name'), h('audit.target'), h('audit.targetId'), h('audit.ip'), h('audit.detail')],
		...events.map((r) => [
			formatDateTime(r.at, locale),
			r.at.toISOString(),
			r.action,
			r.actorNumber ?? '',
			r.actorName ?? '',
			r.targetType ?? '',
			r.targetId ?? '',
			r.ip ?? '',
			JSON.stringify(r.detail)
		])
	];
}
