// Shared by the campaign pages and their server code; nothing server-only here.
import type { MessageKey } from '$lib/i18n';
import { formatDate, type DateInput } from '$lib/format/wareki';
import type { TreeDepartment } from '$lib/components/department-tree';

export type { TreeDepartment };

/** The form's fields as typed, sent back with a problem or a preview so nothing is lost. */
export interface CampaignFormValues {
	subjectId: string;
	title: string;
	fiscalYear: string;
	startsOn: string;
	dueOn: string;
	audienceMode: 'everyone' | 'filter';
	employmentTypes: string[];
	departmentIds: string[];
	createdSince: string;
	roles: string[];
}

type KeySuffix<K, Prefix extends string> = K extends `${Prefix}${infer Rest}` ? Rest : never;
/** Employment types as the message catalogue names them (`employment.regular` …). */
export type EmploymentTypeKey = KeySuffix<MessageKey, 'employment.'>;
/** Roles as the message catalogue names them (`role.supervisor` …). */
export type RoleKey = KeySuffix<MessageKey, 'role.'>;

export interface FormProblem {
	field: string;
	key: MessageKey;
}

/** The control a problem's link in the error summary leads to. */
export function fieldIdOf(field: string, employmentTypes: readonly string[], departments: readonly TreeDepartment[]): string {
	if (field === 'audience') return 'audience-everyone';
	if (field === 'employmentTypes') return `type-${employmentTypes[0]}`;
	if (field === 'roles') return 'role-supervisor';
	if (field === 'departmentIds') return departments.length ? `dept-${departments[0].id}` : 'audience-filter';
	return `field-${field}`;
}

/** 令和8年4月1日（2026-04-01）in Japanese; the English form already carries the Western date. */
export function dateLabel(date: DateInput, locale: 'ja' | 'en'): string {
	const iso = typeof date === 'string' ? date : '';
	return locale === 'ja' && iso ? `${formatDate(date, locale)}（${iso}）` : formatDate(date, locale);
}

export const percentOf = (part: number, whole: number) => (whole > 0 ? Math.floor((part / whole) * 100) : 0);

export interface StatusCounts {
	assigned: number;
	completed: number;
	inProgress: number;
	notStarted: number;
	overdue: number;
}

/** The statuses a count table shows, in this order (keys of `assignment.status.*`). */
export const statusColumns = ['completed', 'in_progress', 'not_started', 'overdue'] as const;

export function statusCount(counts: StatusCounts, status: (typeof statusColumns)[number]): number {
	return { completed: counts.completed, in_progress: counts.inProgress, not_started: counts.notStarted, overdue: counts.overdue }[status];
}

/** What a campaign form offers besides its values. */
export interface CampaignFormChoices {
	fiscalYears: number[];
	departments: TreeDepartment[];
	employmentTypes: readonly EmploymentTypeKey[];
	roles: readonly RoleKey[];
}
