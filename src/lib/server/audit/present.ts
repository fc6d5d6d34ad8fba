// Audit events as an auditor reads them: the action's label, the actor's name and 職員番号, the
// object's title and a one-line summary, in the reader's language. Never an id or raw details:
// what cannot be found is said in words (削除された所属), from what the event kept where it can.
import type { DbOrTx } from '../db/client';
import { translate, type Locale, type MessageKey } from '../../i18n/core';
import { formatDate } from '../../format/wareki';
import { actionLabelKey, auditActionGroups, isAuditAction } from './actions';
import type { AuditEventRow } from './query';
import { resolveReferences, textAt, type AuditReferences } from './references';
import { summaries, type SummaryContext } from './summaries';

export interface AuditLine {
	id: number;
	/** ISO 8601; the page formats it for the reader. */
	at: string;
	action: string;
	actorName: string;
	/** '' when the actor is not a person (the system, or someone not logged in). */
	actorNumber: string;
	/** What kind of thing the event is about (職員, 所属, …), '' when none. */
	objectKind: string;
	objectTitle: string;
	summary: string;
	ip: string;
}

const quoteMax = 60;
const accessActions = new Set<string>(auditActionGroups.access);

/** A typed text on one line, cut to a readable length. */
function quote(text: string): string {
	const line = text.replace(/\s+/gu, ' ').trim();
	return line.length > quoteMax ? `${line.slice(0, quoteMax)}…` : line;
}

function lower(id: unknown): string {
	return typeof id === 'string' ? id.toLowerCase() : '';
}

interface ObjectLabel {
	kind: MessageKey;
	title: string;
}

/** The object of an event by its title; an object that is gone by what the event kept, or in words. */
function objectOf(row: AuditEventRow, refs: AuditReferences, t: SummaryContext['t']): ObjectLabel | null {
	const id = lower(row.targetId);
	const d = row.detail;
	const gone = (kept: string | null | undefined, deleted: MessageKey) => (kept ? t('audit.object.gone', { title: kept }) : t(deleted));
	const person = (p: { name: string; number: string } | undefined) => (p ? t('audit.personLabel', { name: p.name, number: p.number }) : null);
	switch (row.targetType) {
		case 'person':
			return { kind: 'audit.object.person', title: person(refs.people.get(id)) ?? t('audit.object.deleted.person') };
		case 'department': {
			const found = refs.departments.get(id);
			// The latest name the event knew: after a rename, or before a deletion.
			const kept = textAt(d, 'after', 'name') ?? textAt(d, 'before', 'name');
			return { kind: 'audit.object.department', title: found ? found.name : gone(kept, 'audit.object.deleted.department') };
		}
		case 'campaign':
			return { kind: 'audit.object.campaign', title: refs.campaigns.get(id)?.title ?? gone(textAt(d, 'after', 'title'), 'audit.object.deleted.campaign') };
		case 'course':
			return { kind: 'audit.object.course', title: refs.courses.get(id)?.title ?? t('audit.object.deleted.course') };
		case 'lesson':
			return { kind: 'audit.object.lesson', title: refs.lessons.get(id)?.title ?? gone(textAt(d, 'after', 'title'), 'audit.object.deleted.lesson') };
		case 'question': {
			const stem = refs.questions.get(id)?.stem;
			return {
				kind: 'audit.object.question',
				title: stem ? quote(stem) : gone(textAt(d, 'after', 'stem') && quote(textAt(d, 'after', 'stem')!), 'audit.object.deleted.question')
			};
		}
		case 'policy_version': {
			const found = refs.versions.get(id);
			if (found) return { kind: 'audit.object.policy', title: t('audit.policyVersion', { policy: found.policyTitle, version: found.version }) };
			const policy = refs.policies.get(lower(d.policyId));
			const version = textAt(d, 'version');
			return {
				kind: 'audit.object.policy',
				title:
					policy && version
						? gone(t('audit.policyVersion', { policy: policy.title, version }), 'audit.object.deleted.version')
						: t('audit.object.deleted.version')
			};
		}
		case 'roster_import':
			return { kind: 'audit.object.roster', title: refs.rosterImports.get(id)?.fileName ?? gone(textAt(d, 'fileName'), 'audit.object.deleted.roster') };
		case 'attempt': {
			const found = refs.attempts.get(id);
			return {
				kind: 'audit.object.learning',
				title: found ? t('audit.attemptTitle', { campaign: found.campaignTitle, number: found.number }) : t('audit.object.deleted.learning')
			};
		}
		case 'assignment':
			return { kind: 'audit.object.learning', title: refs.assignments.get(id)?.campaignTitle ?? t('audit.object.deleted.learning') };
		// Named by what the event kept: a checklist's title, a plan's department and item.
		case 'checklist':
			return { kind: 'audit.object.checklist', title: textAt(d, 'title') ?? t('audit.object.deleted.checklist') };
		case 'improvement': {
			const item = textAt(d, 'item');
			const department = textAt(d, 'department');
			return {
				kind: 'audit.object.improvement',
				title: item && department ? t('audit.improvementTitle', { department, item: quote(item) }) : t('audit.object.deleted.improvement')
			};
		}
		case null:
			break;
		default:
			// A target of a kind this log does not know: named by kind only, never by its id.
			return { kind: 'audit.object.other', title: '' };
	}
	// Logins before the target was recorded name the typed 職員番号.
	const loginId = row.action.startsWith('login.') ? textAt(d, 'loginId') : null;
	if (loginId) {
		return { kind: 'audit.object.person', title: person(refs.peopleByNumber.get(loginId)) ?? t('audit.object.unknownLogin', { loginId: quote(loginId) }) };
	}
	return null;
}

function actorOf(row: AuditEventRow, refs: AuditReferences, t: SummaryContext['t']): { name: string; number: string } {
	if (row.actorId) return refs.people.get(lower(row.actorId)) ?? { name: t('audit.actor.unknown'), number: '' };
	return { name: t(accessActions.has(row.action) ? 'audit.actor.beforeLogin' : 'audit.actor.system'), number: '' };
}

/** The lines for events already resolved; pure, so one lookup serves a page or a slice of the export. */
export function auditLines(rows: readonly AuditEventRow[], refs: AuditReferences, locale: Locale): AuditLine[] {
	const t: SummaryContext['t'] = (key, params) => translate(locale, key, params);
	return rows.map((row) => {
		const object = objectOf(row, refs, t);
		const context: SummaryContext = {
			t,
			date: (day) => formatDate(day, locale),
			list: (parts) => parts.join(t('audit.listSeparator')),
			department: (id, kept) =>
				refs.departments.get(lower(id))?.name ?? (kept ? t('audit.object.gone', { title: kept }) : t('audit.object.deleted.department')),
			course: (id) => refs.courses.get(lower(id))?.title ?? t('audit.object.deleted.course'),
			quote,
			personKnown: refs.people.has(lower(row.targetId)) || refs.peopleByNumber.has(textAt(row.detail, 'loginId') ?? '')
		};
		const actor = actorOf(row, refs, t);
		const known = isAuditAction(row.action) ? row.action : null;
		return {
			id: row.id,
			at: row.at.toISOString(),
			// An action no longer recorded keeps its code: words of ours, never an id.
			action: known ? t(actionLabelKey(known)) : row.action,
			actorName: actor.name,
			actorNumber: actor.number,
			objectKind: object ? t(object.kind) : '',
			objectTitle: object?.title ?? '',
			summary: known ? summaries[known](row.detail, context) : '',
			ip: row.ip ?? ''
		};
	});
}

/** Resolves what the events name and writes their lines. */
export async function describeAuditEvents(db: DbOrTx, orgId: string, rows: readonly AuditEventRow[], locale: Locale): Promise<AuditLine[]> {
	return auditLines(rows, await resolveReferences(db, orgId, rows), locale);
}
