// Every action the audit log records, in the groups the log's filter offers. `recordAudit` takes
// only these, so a new action is added here first; its label (`audit.action.<code>` in ja.ts and
// en.ts) and its summary (`summaries.ts`) are then required by the type checker and by
// tests/unit/audit-actions.test.ts, which reads every `recordAudit` call in the source.
import type { MessageKey } from '../../i18n/ja';

export const auditActionGroups = {
	access: [
		'login.success',
		'login.failure',
		'login.locked',
		'login.directory_unavailable',
		'logout',
		'password.change',
		'password.change_failure',
		'password.change_locked',
		'password.reset',
		'second_factor.enrol',
		'second_factor.enrol_failure',
		'second_factor.success',
		'second_factor.failure',
		'second_factor.reset'
	],
	organisation: [
		'person.update',
		'person.roles',
		'department.create',
		'department.update',
		'department.delete',
		'roster.import',
		'roster.discard',
		'directory.sync_preview',
		'directory.sync_held',
		'directory.sync_failed',
		'settings.documents'
	],
	training: [
		'campaign.create',
		'campaign.update',
		'campaign.archive',
		'campaign.restore',
		'campaign.reminder_schedule',
		'reminder.sent',
		'reminder.scheduled',
		'quiz.start',
		'quiz.submit',
		'learning.complete',
		'improvement.update'
	],
	content: [
		'course.content_sync',
		'course.gift_import',
		'lesson.update',
		'question.update',
		'lesson.review_cleared',
		'question.review_cleared',
		'inspection.content_sync',
		'inspection.items_update'
	],
	policy: [
		'policy.import',
		'policy.acknowledge',
		'revision.start',
		'revision.edit.section',
		'revision.edit.add',
		'revision.edit.remove',
		'revision.edit.move',
		'revision.edit.metadata',
		'revision.comment',
		'revision.submit',
		'revision.resubmit',
		'revision.return',
		'revision.approve',
		'revision.publish',
		'revision.discard',
		'revision.retraining',
		'revision.retraining_assign'
	]
} as const;

export type AuditActionGroup = keyof typeof auditActionGroups;
export type AuditAction = (typeof auditActionGroups)[AuditActionGroup][number];

export const auditActionGroupNames = Object.keys(auditActionGroups) as AuditActionGroup[];
export const auditActions: readonly AuditAction[] = auditActionGroupNames.flatMap((g) => auditActionGroups[g]);
const known = new Set<string>(auditActions);

export function isAuditAction(value: string): value is AuditAction {
	return known.has(value);
}

/** The label of an action; an action missing from ja.ts does not type-check. */
export const actionLabelKey = (action: AuditAction): MessageKey => `audit.action.${action}`;
export const actionGroupKey = (group: AuditActionGroup): MessageKey => `audit.group.${group}`;
