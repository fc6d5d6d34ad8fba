import { formatDateTime } from '$lib/format/wareki';
import { translate, type Locale, type MessageKey } from '$lib/i18n/core';
import type { DbOrTx } from '../db/client';
import { describeAuditEvents, type AuditLine } from './present';
import { exportAuditEvents, type AuditQuery } from './query';

/** The object as one cell: 所属：市民課. */
export function objectCell(line: Pick<AuditLine, 'objectKind' | 'objectTitle'>, locale: Locale): string {
	if (!line.objectKind) return '';
	return line.objectTitle ? translate(locale, 'audit.objectLine', { kind: line.objectKind, title: line.objectTitle }) : line.objectKind;
}

/** The audit log as CSV rows: a header, then one row per event, in words an auditor reads. */
export function auditCsvRows(lines: readonly AuditLine[], locale: Locale): string[][] {
	const h = (key: MessageKey) => translate(locale, key);
	return [
		[h('audit.at'), h('audit.atIso'), h('audit.action'), h('audit.actorName'), h('people.number'), h('audit.target'), h('audit.summary'), h('audit.ip')],
		...lines.map((l) => [formatDateTime(l.at, locale), l.at, l.action, l.actorName, l.actorNumber, objectCell(l, locale), l.summary, l.ip])
	];
}

/** Events described a slice at a time: each slice's names and titles in one query per kind. */
const sliceSize = 2000;

/** Every matching event (up to the export's limit) as lines. */
export async function exportAuditLines(db: DbOrTx, orgId: string, query: AuditQuery, locale: Locale): Promise<AuditLine[]> {
	const rows = await exportAuditEvents(db, orgId, query);
	const lines: AuditLine[] = [];
	for (let i = 0; i < rows.length; i += sliceSize) lines.push(...(await describeAuditEvents(db, orgId, rows.slice(i, i + sliceSize), locale)));
	return lines;
}
