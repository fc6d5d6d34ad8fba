// The people and things a page of audit events names, looked up at read time: one query per kind
// for the whole page, each scoped to the organisation. Ids come from the events' actor, target and
// details; an id that is not a uuid, or no longer there, is simply not found.
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { assignments, attempts, campaigns, courses, departments, lessons, people, policies, policyVersions, questions, rosterImports } from '../db/schema';
import { isUuid } from '../db/ids';
import type { AuditEventRow } from './query';

export type Detail = Record<string, unknown>;

/** The value at a path of an event's detail, whatever shape an old event has. */
export function field(detail: unknown, ...path: string[]): unknown {
	let value = detail;
	for (const key of path) {
		if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
		value = (value as Detail)[key];
	}
	return value;
}
export const textAt = (detail: unknown, ...path: string[]): string | null => {
	const value = field(detail, ...path);
	return typeof value === 'string' ? value : null;
};
export const numberAt = (detail: unknown, ...path: string[]): number | null => {
	const value = field(detail, ...path);
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
};
export const listAt = (detail: unknown, ...path: string[]): string[] => {
	const value = field(detail, ...path);
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

export interface AuditReferences {
	people: Map<string, { name: string; number: string }>;
	/** People named by the 職員番号 typed at a login that recorded no target (older events). */
	peopleByNumber: Map<string, { name: string; number: string }>;
	departments: Map<string, { name: string; code: string }>;
	campaigns: Map<string, { title: string }>;
	courses: Map<string, { title: string }>;
	lessons: Map<string, { title: string }>;
	questions: Map<string, { stem: string }>;
	versions: Map<string, { policyTitle: string; version: string }>;
	policies: Map<string, { title: string }>;
	attempts: Map<string, { campaignTitle: string; number: number }>;
	assignments: Map<string, { campaignTitle: string }>;
	rosterImports: Map<string, { fileName: string }>;
}

type Wanted = { [K in keyof AuditReferences]: Set<string> };

const targetKind: Record<string, keyof AuditReferences> = {
	person: 'people',
	department: 'departments',
	campaign: 'campaigns',
	course: 'courses',
	lesson: 'lessons',
	question: 'questions',
	policy_version: 'versions',
	attempt: 'attempts',
	assignment: 'assignments',
	roster_import: 'rosterImports'
};

/** The ids an event names, by kind. */
function collect(row: AuditEventRow, wanted: Wanted): void {
	const add = (kind: keyof AuditReferences, id: unknown) => {
		if (kind === 'peopleByNumber') {
			if (typeof id === 'string' && id !== '') wanted[kind].add(id);
		} else if (isUuid(id)) wanted[kind].add(id.toLowerCase());
	};
	const d = row.detail;
	add('people', row.actorId);
	const kind = row.targetType ? targetKind[row.targetType] : undefined;
	if (kind) add(kind, row.targetId);
	if (row.action.startsWith('login.') && !row.targetId) add('peopleByNumber', textAt(d, 'loginId'));
	for (const side of ['before', 'after']) {
		add('departments', field(d, side, 'departmentId'));
		add('departments', field(d, side, 'parentId'));
		for (const id of listAt(d, side, 'supervisedDepartmentIds')) add('departments', id);
		for (const id of listAt(d, side, 'audience', 'departmentIds')) add('departments', id);
		add('courses', field(d, side, 'courseId'));
	}
	add('departments', d.departmentId);
	add('policies', d.policyId);
	add('courses', d.courseId);
	add('versions', d.versionId);
}

/** Looks up everything a page (or a slice of the export) of events names. */
export async function resolveReferences(db: DbOrTx, orgId: string, rows: readonly AuditEventRow[]): Promise<AuditReferences> {
	const wanted = Object.fromEntries(
		[
			'people',
			'peopleByNumber',
			'departments',
			'campaigns',
			'courses',
			'lessons',
			'questions',
			'versions',
			'policies',
			'attempts',
			'assignments',
			'rosterImports'
		].map((k) => [k, new Set<string>()])
	) as Wanted;
	for (const row of rows) collect(row, wanted);
	const ids = (kind: keyof AuditReferences) => [...wanted[kind]];
	/** Skips the query when the page names nothing of the kind. */
	const lookup = async <T extends { id: string }, V>(kind: keyof AuditReferences, query: (ids: string[]) => Promise<T[]>, value: (row: T) => V) => {
		const wantedIds = ids(kind);
		const found = wantedIds.length ? await query(wantedIds) : [];
		return new Map(found.map((row) => [row.id, value(row)]));
	};
	const campaignOfAssignment = and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId));

	// One after another, each a lookup by primary key: a page costs a dozen small queries at most,
	// and the export's slices do not take a connection each.
	const refs: AuditReferences = {
		people: await lookup(
			'people',
			(list) =>
				db
					.select({ id: people.id, name: people.name, number: people.employeeNumber })
					.from(people)
					.where(and(eq(people.orgId, orgId), inArray(people.id, list))),
			(p) => ({ name: p.name, number: p.number })
		),
		peopleByNumber: await lookup(
			'peopleByNumber',
			(list) =>
				db
					.select({ id: people.employeeNumber, name: people.name })
					.from(people)
					.where(and(eq(people.orgId, orgId), inArray(people.employeeNumber, list))),
			(p) => ({ name: p.name, number: p.id })
		),
		departments: await lookup(
			'departments',
			(list) =>
				db
					.select({ id: departments.id, name: departments.name, code: departments.code })
					.from(departments)
					.where(and(eq(departments.orgId, orgId), inArray(departments.id, list))),
			(d) => ({ name: d.name, code: d.code })
		),
		campaigns: await lookup(
			'campaigns',
			(list) =>
				db
					.select({ id: campaigns.id, title: campaigns.title })
					.from(campaigns)
					.where(and(eq(campaigns.orgId, orgId), inArray(campaigns.id, list))),
			(c) => ({ title: c.title })
		),
		courses: await lookup(
			'courses',
			(list) =>
				db
					.select({ id: courses.id, title: courses.title })
					.from(courses)
					.where(and(eq(courses.orgId, orgId), inArray(courses.id, list))),
			(c) => ({ title: c.title })
		),
		lessons: await lookup(
			'lessons',
			(list) =>
				db
					.select({ id: lessons.id, title: lessons.title })
					.from(lessons)
					.where(and(eq(lessons.orgId, orgId), inArray(lessons.id, list))),
			(l) => ({ title: l.title })
		),
		questions: await lookup(
			'questions',
			(list) =>
				db
					.select({ id: questions.id, stem: questions.stem })
					.from(questions)
					.where(and(eq(questions.orgId, orgId), inArray(questions.id, list))),
			(q) => ({ stem: q.stem })
		),
		versions: await lookup(
			'versions',
			(list) =>
				db
					.select({ id: policyVersions.id, version: policyVersions.version, policyTitle: policies.title })
					.from(policyVersions)
					.innerJoin(policies, eq(policies.id, policyVersions.policyId))
					.where(and(eq(policyVersions.orgId, orgId), inArray(policyVersions.id, list))),
			(v) => ({ policyTitle: v.policyTitle, version: v.version })
		),
		policies: await lookup(
			'policies',
			(list) =>
				db
					.select({ id: policies.id, title: policies.title })
					.from(policies)
					.where(and(eq(policies.orgId, orgId), inArray(policies.id, list))),
			(p) => ({ title: p.title })
		),
		attempts: await lookup(
			'attempts',
			(list) =>
				db
					.select({ id: attempts.id, number: attempts.number, campaignTitle: campaigns.title })
					.from(attempts)
					.innerJoin(assignments, eq(assignments.id, attempts.assignmentId))
					.innerJoin(campaigns, campaignOfAssignment)
					.where(and(eq(attempts.orgId, orgId), inArray(attempts.id, list))),
			(a) => ({ campaignTitle: a.campaignTitle, number: a.number })
		),
		assignments: await lookup(
			'assignments',
			(list) =>
				db
					.select({ id: assignments.id, campaignTitle: campaigns.title })
					.from(assignments)
					.innerJoin(campaigns, campaignOfAssignment)
					.where(and(eq(assignments.orgId, orgId), inArray(assignments.id, list))),
			(a) => ({ campaignTitle: a.campaignTitle })
		),
		rosterImports: await lookup(
			'rosterImports',
			(list) =>
				db
					.select({ id: rosterImports.id, fileName: rosterImports.fileName })
					.from(rosterImports)
					.where(and(eq(rosterImports.orgId, orgId), inArray(rosterImports.id, list))),
			(r) => ({ fileName: r.fileName })
		)
	};
	return refs;
}
