// One line per event saying what changed, in the reader's language, built from the event's
// details. Every recorded action has one (the Record type makes it so); each reads its details
// defensively, because events written before a detail was added must still read sensibly.
import type { MessageKey } from '../../i18n/ja';
import type { AuditAction } from './actions';
import { field, listAt, numberAt, textAt, type Detail } from './references';

export interface SummaryContext {
	t(key: MessageKey, params?: Record<string, string | number>): string;
	/** A YYYY-MM-DD day as the reader reads dates (和暦 in Japanese). */
	date(day: string): string;
	/** Parts of one summary joined: 、 in Japanese. */
	list(parts: readonly string[]): string;
	/** A department's name now, the name the event kept, or 削除された所属. */
	department(id: unknown, keptName?: string | null): string;
	course(id: unknown): string;
	/** A typed text (a comment) cut to a readable length. */
	quote(text: string): string;
	/** The event names a person who exists (a login for a known 職員番号). */
	personKnown: boolean;
}

type Summariser = (detail: Detail, c: SummaryContext) => string;

const roleKey = (role: string) => `role.${role}` as MessageKey;
const statusKey = (status: string) => `revision.status.${status}` as MessageKey;
const kindKey = (kind: string) => `retraining.changeKind.${kind}` as MessageKey;
const knownRoles = new Set(['supervisor', 'policy_owner', 'approver', 'admin']);
const knownStatuses = new Set(['draft', 'in_review', 'returned', 'approved', 'published', 'superseded']);
const knownKinds = new Set(['enacted', 'partial', 'full']);
const employment = new Set(['regular', 'fiscal_year', 'reappointed', 'dispatched', 'contractor']);

/** Non-zero counts as 新規3人・異動2人, in the order given. */
function counted(c: SummaryContext, parts: [MessageKey, number | null][]): string[] {
	return parts.filter(([, n]) => n !== null && n > 0).map(([key, n]) => c.t(key, { count: n! }));
}

function withComment(c: SummaryContext, key: MessageKey, detail: Detail): string {
	const comment = textAt(detail, 'comment');
	return comment ? c.t('audit.summary.withComment', { what: c.t(key), comment: c.quote(comment) }) : c.t(key);
}

function audience(detail: unknown, c: SummaryContext): string {
	if (field(detail, 'everyone') === true) return c.t('audit.summary.audienceEveryone');
	const parts = [
		...listAt(detail, 'departmentIds').map((id) => c.department(id)),
		...listAt(detail, 'employmentTypes')
			.filter((type) => employment.has(type))
			.map((type) => c.t(`employment.${type}` as MessageKey))
	];
	const since = textAt(detail, 'createdSince');
	if (since) parts.push(c.t('audit.summary.audienceSince', { date: c.date(since) }));
	return parts.length ? c.list(parts) : c.t('audit.summary.audienceNobody');
}

function changedDate(c: SummaryContext, key: MessageKey, before: string | null, after: string | null): string[] {
	return before && after && before !== after ? [c.t(key, { from: c.date(before), to: c.date(after) })] : [];
}

function roleNames(c: SummaryContext, roles: string[]): string {
	return c.list(roles.filter((r) => knownRoles.has(r)).map((r) => c.t(roleKey(r))));
}

const difference = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

const loginFailure: Summariser = (d, c) => {
	if (d.locked === true) return c.t('audit.summary.login.failureLocked');
	const loginId = textAt(d, 'loginId');
	if (!c.personKnown && loginId) return c.t('audit.summary.login.failureUnknown', { loginId: c.quote(loginId) });
	return c.t('audit.summary.login.failure');
};

const sectionKey = (d: Detail) => textAt(d, 'key') ?? textAt(d, 'sectionKey') ?? '';

export const summaries: Record<AuditAction, Summariser> = {
	'login.success': (d, c) => c.t(d.trustedDevice === true ? 'audit.summary.login.successDevice' : 'audit.summary.login.success'),
	'login.failure': loginFailure,
	'login.locked': (d, c) => {
		const loginId = textAt(d, 'loginId');
		if (!c.personKnown && loginId) return c.t('audit.summary.login.lockedUnknown', { loginId: c.quote(loginId) });
		return c.t('audit.summary.login.locked');
	},
	'login.directory_unavailable': (_, c) => c.t('audit.summary.login.directoryUnavailable'),
	logout: (_, c) => c.t('audit.summary.logout'),
	'password.change': (_, c) => c.t('audit.summary.password.change'),
	'password.change_failure': (_, c) => c.t('audit.summary.password.change_failure'),
	'password.change_locked': (_, c) => c.t('audit.summary.password.change_locked'),
	'password.reset': (_, c) => c.t('audit.summary.password.reset'),
	'second_factor.enrol': (_, c) => c.t('audit.summary.second_factor.enrol'),
	'second_factor.enrol_failure': (d, c) =>
		c.t(field(d, 'locked') === true ? 'audit.summary.second_factor.failureLocked' : 'audit.summary.second_factor.enrol_failure'),
	'second_factor.success': (d, c) => {
		if (field(d, 'method') !== 'recovery') return c.t('audit.summary.second_factor.success');
		return c.t('audit.summary.second_factor.successRecovery', { count: numberAt(d, 'recoveryCodesLeft') ?? 0 });
	},
	'second_factor.failure': (d, c) => c.t(field(d, 'locked') === true ? 'audit.summary.second_factor.failureLocked' : 'audit.summary.second_factor.failure'),
	'second_factor.reset': (d, c) => c.t(field(d, 'hadFactor') === false ? 'audit.summary.second_factor.resetNothing' : 'audit.summary.second_factor.reset'),

	'person.update': (d, c) => {
		const parts: string[] = [];
		const before = field(d, 'before', 'departmentId') ?? null;
		const after = field(d, 'after', 'departmentId') ?? null;
		if (field(d, 'after') !== undefined && before !== after) {
			const name = (id: unknown, side: string) => (id ? c.department(id, textAt(d, side, 'departmentName')) : c.t('audit.summary.noDepartment'));
			parts.push(c.t('audit.summary.person.transfer', { from: name(before, 'before'), to: name(after, 'after') }));
		}
		const wasActive = field(d, 'before', 'active');
		const isActive = field(d, 'after', 'active');
		if (wasActive === true && isActive === false) parts.push(c.t('audit.summary.person.deactivated'));
		if (wasActive === false && isActive === true) parts.push(c.t('audit.summary.person.reactivated'));
		return parts.length ? c.list(parts) : c.t('audit.summary.person.update');
	},
	'person.roles': (d, c) => {
		const rolesBefore = listAt(d, 'before', 'roles');
		const rolesAfter = listAt(d, 'after', 'roles');
		const deptsBefore = listAt(d, 'before', 'supervisedDepartmentIds');
		const deptsAfter = listAt(d, 'after', 'supervisedDepartmentIds');
		const parts: string[] = [];
		const granted = difference(rolesAfter, rolesBefore);
		const removed = difference(rolesBefore, rolesAfter);
		if (granted.length) parts.push(c.t('audit.summary.roles.granted', { roles: roleNames(c, granted) }));
		if (removed.length) parts.push(c.t('audit.summary.roles.removed', { roles: roleNames(c, removed) }));
		const added = difference(deptsAfter, deptsBefore);
		const dropped = difference(deptsBefore, deptsAfter);
		if (added.length) parts.push(c.t('audit.summary.roles.supervises', { departments: c.list(added.map((id) => c.department(id))) }));
		if (dropped.length) parts.push(c.t('audit.summary.roles.supervisesNoLonger', { departments: c.list(dropped.map((id) => c.department(id))) }));
		return parts.length ? c.list(parts) : c.t('audit.summary.roles.none');
	},
	'department.create': (d, c) => {
		const name = textAt(d, 'after', 'name');
		const code = textAt(d, 'after', 'code') ?? '';
		const parent = field(d, 'after', 'parentId');
		const where = parent ? c.t('audit.summary.department.under', { parent: c.department(parent) }) : c.t('audit.summary.department.top');
		const made = name ? c.t('audit.summary.department.create', { name, code, where }) : c.t('audit.summary.department.createPlain');
		return field(d, 'rosterImportId') ? c.t('audit.summary.department.viaRoster', { what: made }) : made;
	},
	'department.update': (d, c) => {
		const parts: string[] = [];
		const [nameBefore, nameAfter] = [textAt(d, 'before', 'name'), textAt(d, 'after', 'name')];
		const [codeBefore, codeAfter] = [textAt(d, 'before', 'code'), textAt(d, 'after', 'code')];
		if (nameBefore !== null && nameAfter !== null && nameBefore !== nameAfter)
			parts.push(c.t('audit.summary.department.renamed', { from: nameBefore, to: nameAfter }));
		if (codeBefore !== null && codeAfter !== null && codeBefore !== codeAfter)
			parts.push(c.t('audit.summary.department.recoded', { from: codeBefore, to: codeAfter }));
		const [parentBefore, parentAfter] = [field(d, 'before', 'parentId') ?? null, field(d, 'after', 'parentId') ?? null];
		if (field(d, 'after') !== undefined && parentBefore !== parentAfter) {
			const place = (id: unknown) => (id ? c.department(id) : c.t('audit.summary.department.topLevel'));
			parts.push(c.t('audit.summary.department.moved', { from: place(parentBefore), to: place(parentAfter) }));
		}
		return parts.length ? c.list(parts) : c.t('audit.summary.department.update');
	},
	'department.delete': (d, c) => {
		const name = textAt(d, 'before', 'name');
		return name ? c.t('audit.summary.department.delete', { name, code: textAt(d, 'before', 'code') ?? '' }) : c.t('audit.summary.department.deletePlain');
	},
	'roster.import': (d, c) => {
		const parts = counted(c, [
			['audit.summary.roster.added', numberAt(d, 'added')],
			['audit.summary.roster.transfers', numberAt(d, 'transfers')],
			['audit.summary.roster.changes', numberAt(d, 'changes')],
			['audit.summary.roster.retired', numberAt(d, 'retired')],
			['audit.summary.roster.reactivated', numberAt(d, 'reactivated')],
			['audit.summary.roster.deactivatedMissing', numberAt(d, 'deactivatedMissing')],
			['audit.summary.roster.newDepartments', numberAt(d, 'newDepartments')]
		]);
		return parts.length ? c.t('audit.summary.roster.import', { counts: parts.join(c.t('audit.countSeparator')) }) : c.t('audit.summary.roster.importNothing');
	},
	'roster.discard': (_, c) => c.t('audit.summary.roster.discard'),
	'directory.sync_preview': (d, c) => {
		const parts = counted(c, [
			['audit.summary.roster.added', numberAt(d, 'added')],
			['audit.summary.roster.transfers', numberAt(d, 'transfers')],
			['audit.summary.roster.changes', numberAt(d, 'changes')],
			['audit.summary.roster.retired', numberAt(d, 'retired')],
			['audit.summary.roster.reactivated', numberAt(d, 'reactivated')],
			['audit.summary.directory.missing', numberAt(d, 'missing')]
		]);
		const key = d.scheduled === true ? 'audit.summary.directory.previewScheduled' : 'audit.summary.directory.preview';
		return c.t(key, { counts: parts.length ? parts.join(c.t('audit.countSeparator')) : c.t('audit.summary.directory.noChanges') });
	},
	'directory.sync_held': (d, c) =>
		c.t('audit.summary.directory.held', {
			leavers: numberAt(d, 'leavers') ?? 0,
			percent: numberAt(d, 'leaversPercent') ?? 0,
			limit: numberAt(d, 'limitPercent') ?? 0
		}),
	'directory.sync_failed': (d, c) =>
		c.t(numberAt(d, 'problems') !== null ? 'audit.summary.directory.failedProblems' : 'audit.summary.directory.failedUnavailable', {
			count: numberAt(d, 'problems') ?? 0
		}),
	'settings.documents': (d, c) => {
		const order = textAt(d, 'after', 'comparisonOrder');
		const boxes = listAt(d, 'after', 'approvalBoxes').filter((b): b is string => typeof b === 'string');
		return c.t('audit.summary.settings.documents', {
			order: c.t(order === 'old_first' ? 'settings.order.oldFirst' : 'settings.order.newFirst'),
			boxes: boxes.length ? boxes.join('・') : c.t('audit.summary.settings.noBoxes')
		});
	},

	'campaign.create': (d, c) => {
		const added = numberAt(d, 'added');
		const due = textAt(d, 'after', 'dueOn');
		return c.t('audit.summary.campaign.create', {
			course: textAt(d, 'checklistTitle') ?? c.course(field(d, 'after', 'courseId')),
			audience: audience(field(d, 'after', 'audience'), c),
			due: due ? c.date(due) : '—',
			count: added ?? 0
		});
	},
	'campaign.update': (d, c) => {
		const parts: string[] = [];
		const [titleBefore, titleAfter] = [textAt(d, 'before', 'title'), textAt(d, 'after', 'title')];
		if (titleBefore && titleAfter && titleBefore !== titleAfter) parts.push(c.t('audit.summary.campaign.retitled', { from: titleBefore, to: titleAfter }));
		parts.push(...changedDate(c, 'audit.summary.campaign.starts', textAt(d, 'before', 'startsOn'), textAt(d, 'after', 'startsOn')));
		parts.push(...changedDate(c, 'audit.summary.campaign.due', textAt(d, 'before', 'dueOn'), textAt(d, 'after', 'dueOn')));
		const [yearBefore, yearAfter] = [numberAt(d, 'before', 'fiscalYear'), numberAt(d, 'after', 'fiscalYear')];
		if (yearBefore && yearAfter && yearBefore !== yearAfter) parts.push(c.t('audit.summary.campaign.fiscalYear'));
		const before = field(d, 'before', 'audience');
		const after = field(d, 'after', 'audience');
		if (after !== undefined && audience(before, c) !== audience(after, c)) parts.push(c.t('audit.summary.campaign.audience', { audience: audience(after, c) }));
		const added = numberAt(d, 'added');
		if (added) parts.push(c.t('audit.summary.campaign.added', { count: added }));
		return parts.length ? c.list(parts) : c.t('audit.summary.campaign.unchanged');
	},
	'campaign.archive': (_, c) => c.t('audit.summary.campaign.archive'),
	'campaign.restore': (_, c) => c.t('audit.summary.campaign.restore'),
	'campaign.reminder_schedule': (d, c) => {
		const schedule = field(d, 'schedule');
		if (!schedule || typeof schedule !== 'object') return c.t('audit.summary.schedule.off');
		const days = (Array.isArray(field(schedule, 'daysBefore')) ? (field(schedule, 'daysBefore') as unknown[]) : []).filter(
			(n): n is number => typeof n === 'number'
		);
		const before = days.length
			? c.list(days.map((n) => (n === 0 ? c.t('audit.summary.schedule.dueDay') : c.t('audit.summary.schedule.daysBefore', { days: n }))))
			: c.t('audit.summary.schedule.none');
		const every = numberAt(schedule, 'overdueEveryDays');
		const overdue = every ? c.t('audit.summary.schedule.every', { days: every }) : c.t('audit.summary.schedule.none');
		const copies = field(schedule, 'copySupervisors') === true ? c.t('audit.summary.schedule.copies') : '';
		return c.t('audit.summary.schedule.set', { before, overdue, copies });
	},
	'reminder.sent': (d, c) => {
		const count = numberAt(d, 'reminded') ?? 0;
		const department = field(d, 'departmentId') ? c.department(field(d, 'departmentId'), textAt(d, 'departmentName')) : null;
		const selected = textAt(d, 'pick') === 'selected';
		const key: MessageKey = department
			? selected
				? 'audit.summary.reminder.selectedIn'
				: 'audit.summary.reminder.allIn'
			: selected
				? 'audit.summary.reminder.selected'
				: 'audit.summary.reminder.all';
		const line = c.t(key, { count, department: department ?? '' });
		const emailed = numberAt(d, 'emailed');
		return emailed ? c.t('audit.summary.reminder.emailed', { what: line, count: emailed }) : line;
	},
	'reminder.scheduled': (d, c) => c.t('audit.summary.reminder.scheduled', { count: numberAt(d, 'reminded') ?? 0 }),
	'quiz.start': (d, c) => c.t('audit.summary.quiz.start', { number: numberAt(d, 'number') ?? 1, questions: numberAt(d, 'questions') ?? 0 }),
	'quiz.submit': (d, c) =>
		c.t(d.passed === true ? 'audit.summary.quiz.passed' : 'audit.summary.quiz.failed', {
			number: numberAt(d, 'number') ?? 1,
			score: numberAt(d, 'score') ?? 0
		}),
	'learning.complete': (_, c) => c.t('audit.summary.learning.complete'),
	'improvement.update': (d, c) => {
		const status = textAt(d, 'after', 'status');
		return status === 'open' || status === 'in_progress' || status === 'done'
			? c.t('audit.summary.improvement.update', { status: c.t(`improvement.status.${status}`) })
			: c.t('audit.summary.improvement.updateUnknown');
	},

	'course.content_sync': (d, c) => {
		const parts = [
			...counted(c, [
				['audit.summary.content.lessonsAdded', numberAt(d, 'lessons', 'added')],
				['audit.summary.content.lessonsUpdated', numberAt(d, 'lessons', 'updated')],
				['audit.summary.content.questionsAdded', numberAt(d, 'questions', 'added')],
				['audit.summary.content.questionsUpdated', numberAt(d, 'questions', 'updated')]
			]),
			...counted(c, [
				['audit.summary.content.lessonsRemoved', listAt(d, 'deactivated', 'lessons').length],
				['audit.summary.content.questionsRemoved', listAt(d, 'deactivated', 'questions').length]
			])
		];
		return parts.length ? c.t('audit.summary.content.sync', { counts: parts.join(c.t('audit.countSeparator')) }) : c.t('audit.summary.content.syncCourse');
	},
	'inspection.content_sync': (d, c) =>
		c.t('audit.summary.inspection.sync', {
			added: numberAt(d, 'items', 'added') ?? 0,
			updated: numberAt(d, 'items', 'updated') ?? 0,
			removed: listAt(d, 'deactivated').length
		}),
	'inspection.items_update': (d, c) =>
		c.t('audit.summary.inspection.sync', {
			added: numberAt(d, 'items', 'added') ?? 0,
			updated: numberAt(d, 'items', 'updated') ?? 0,
			removed: listAt(d, 'deactivated').length
		}),
	'course.gift_import': (d, c) =>
		c.t('audit.summary.content.gift', { added: numberAt(d, 'added') ?? 0, updated: numberAt(d, 'updated') ?? 0, unchanged: numberAt(d, 'unchanged') ?? 0 }),
	'lesson.update': (d, c) => {
		const fields: string[] = [];
		if (textAt(d, 'before', 'title') !== textAt(d, 'after', 'title')) fields.push(c.t('audit.summary.content.fieldTitle'));
		if (textAt(d, 'before', 'body') !== textAt(d, 'after', 'body')) fields.push(c.t('audit.summary.content.fieldBody'));
		if (listAt(d, 'before', 'sectionKeys').join() !== listAt(d, 'after', 'sectionKeys').join()) fields.push(c.t('audit.summary.content.fieldSections'));
		const edited = fields.length ? c.t('audit.summary.content.lessonEdited', { fields: c.list(fields) }) : c.t('audit.summary.content.savedUnchanged');
		return d.reviewCleared === true ? c.list([edited, c.t('audit.summary.content.reviewCleared')]) : edited;
	},
	'question.update': (d, c) => {
		const edited = c.t('audit.summary.content.questionEdited');
		return d.reviewCleared === true ? c.list([edited, c.t('audit.summary.content.reviewCleared')]) : edited;
	},
	'lesson.review_cleared': (_, c) => c.t('audit.summary.content.reviewKept'),
	'question.review_cleared': (_, c) => c.t('audit.summary.content.reviewKept'),

	'policy.import': (d, c) => {
		const version = textAt(d, 'version');
		if (!version) return c.t('audit.summary.policy.importPlain');
		const sections = numberAt(d, 'sections') ?? 0;
		const status = textAt(d, 'status');
		const state = status && knownStatuses.has(status) ? c.t(statusKey(status)) : '';
		return c.t(textAt(d, 'mode') === 'new' ? 'audit.summary.policy.importNew' : 'audit.summary.policy.importDraft', { version, sections, status: state });
	},
	'policy.acknowledge': (_, c) => c.t('audit.summary.policy.acknowledge'),
	'revision.start': (d, c) => {
		const [base, version] = [textAt(d, 'basedOn'), textAt(d, 'version')];
		const made = base && version ? c.t('audit.summary.revision.start', { base, version }) : c.t('audit.summary.revision.startPlain');
		return d.evidence === true ? c.list([made, c.t('audit.summary.revision.withEvidence')]) : made;
	},
	'revision.edit.section': (d, c) => c.t('audit.summary.revision.editSection', { key: sectionKey(d) }),
	'revision.edit.add': (d, c) => c.t('audit.summary.revision.add', { key: sectionKey(d) }),
	'revision.edit.remove': (d, c) =>
		c.t('audit.summary.revision.remove', { section: [textAt(d, 'label'), textAt(d, 'heading')].filter(Boolean).join(' ') || sectionKey(d) }),
	'revision.edit.move': (d, c) =>
		c.t(textAt(d, 'direction') === 'up' ? 'audit.summary.revision.moveUp' : 'audit.summary.revision.moveDown', { key: sectionKey(d) }),
	'revision.edit.metadata': (d, c) => {
		const parts: string[] = [];
		const [vBefore, vAfter] = [textAt(d, 'before', 'version'), textAt(d, 'after', 'version')];
		if (vBefore && vAfter && vBefore !== vAfter) parts.push(c.t('audit.summary.revision.renumbered', { from: vBefore, to: vAfter }));
		const [kBefore, kAfter] = [textAt(d, 'before', 'changeKind'), textAt(d, 'after', 'changeKind')];
		if (kBefore && kAfter && kBefore !== kAfter && knownKinds.has(kBefore) && knownKinds.has(kAfter)) {
			parts.push(c.t('audit.summary.revision.kind', { from: c.t(kindKey(kBefore)), to: c.t(kindKey(kAfter)) }));
		}
		if (d.reasonChanged === true) parts.push(c.t('audit.summary.revision.reason'));
		return parts.length ? c.list(parts) : c.t('audit.summary.revision.metadata');
	},
	'revision.comment': (d, c) => (sectionKey(d) ? c.t('audit.summary.revision.commentOn', { key: sectionKey(d) }) : c.t('audit.summary.revision.comment')),
	'revision.submit': (d, c) => withComment(c, 'audit.summary.revision.submit', d),
	'revision.resubmit': (d, c) => withComment(c, 'audit.summary.revision.resubmit', d),
	'revision.return': (d, c) => withComment(c, 'audit.summary.revision.return', d),
	'revision.approve': (d, c) => withComment(c, 'audit.summary.revision.approve', d),
	'revision.publish': (d, c) => {
		const version = textAt(d, 'version');
		const effective = textAt(d, 'effectiveDate');
		if (!version) return c.t('audit.summary.revision.publishPlain');
		return effective ? c.t('audit.summary.revision.publishOn', { version, date: c.date(effective) }) : c.t('audit.summary.revision.publish', { version });
	},
	'revision.discard': (d, c) => {
		const version = textAt(d, 'version');
		const status = textAt(d, 'status');
		if (!version) return c.t('audit.summary.revision.discardPlain');
		if (!status || !knownStatuses.has(status)) return c.t('audit.summary.revision.discardVersion', { version });
		return c.t('audit.summary.revision.discard', { version, status: c.t(statusKey(status)) });
	},
	'revision.retraining': (d, c) => {
		const parts = [c.t('audit.summary.retraining.changed', { count: listAt(d, 'changedSectionKeys').length })];
		const lessons = Array.isArray(d.flaggedLessons) ? d.flaggedLessons.length : (numberAt(d, 'flaggedLessons') ?? 0);
		const questions = Array.isArray(d.flaggedQuestions) ? d.flaggedQuestions.length : (numberAt(d, 'flaggedQuestions') ?? 0);
		if (lessons + questions > 0) parts.push(c.t('audit.summary.retraining.flagged', { lessons, questions }));
		if (d.courseCreated === true) parts.push(c.t('audit.summary.retraining.course', { course: c.course(d.courseId) }));
		return c.list(parts);
	},
	'revision.retraining_assign': (d, c) => c.t('audit.summary.retraining.assigned', { course: c.course(d.courseId), count: numberAt(d, 'added') ?? 0 })
};
