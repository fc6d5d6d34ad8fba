import { and, count, desc, eq, exists, gte, ilike, inArray, lt, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client';
import {
	assignments,
	attempts,
	auditEvents,
	campaigns,
	courses,
	departments,
	lessons,
	people,
	policies,
	policyVersions,
	questions,
	rosterImports
} from '../db/schema';
import { addDays, isCalendarDate, japanMidnight } from '../../format/calendar';
import { escapeLike, searchTerms } from '../db/search';
import { termCondition } from '../org/people';

/** What an event is about, as the filter names it; each kind covers one or more target types. */
export const auditObjectKinds = ['person', 'department', 'campaign', 'course', 'lesson', 'question', 'policy', 'roster', 'learning'] as const;
export type AuditObjectKind = (typeof auditObjectKinds)[number];

export const targetTypesOf: Record<AuditObjectKind, readonly string[]> = {
	person: ['person'],
	department: ['department'],
	campaign: ['campaign'],
	course: ['course'],
	lesson: ['lesson'],
	question: ['question'],
	policy: ['policy_version'],
	roster: ['roster_import'],
	learning: ['attempt', 'assignment']
};

/** Whose part in an event a person search looks at: either, when absent. */
export const auditPersonRoles = ['actor', 'object'] as const;
export type AuditPersonRole = (typeof auditPersonRoles)[number];

export interface AuditQuery {
	/** Only these actions (one, or a group's). */
	actions?: readonly string[];
	/** Days in Japan time (YYYY-MM-DD), both included. */
	from?: string;
	to?: string;
	/** A person by name, kana or 職員番号, as the actor or the person the event is about. */
	person?: string;
	personRole?: AuditPersonRole;
	objectKind?: AuditObjectKind;
	/** The object's title (a department's name, a campaign's title, 基本方針 第5.1版, …). */
	object?: string;
	page?: number;
	pageSize?: number;
}

/** A text column containing every term (typed wildcards match themselves). */
function containsAll(column: Parameters<typeof ilike>[0], terms: readonly string[]): SQL {
	return and(...terms.map((term) => ilike(column, `%${escapeLike(term)}%`)))!;
}

const idText = (column: AnyPgColumn) => sql<string>`${column}::text`;
/**
 * `column = any(array(subquery))`: the subquery runs once, before the log is read, and its ids
 * go to the index as keys; an `in (subquery)` may instead be run again for every event when the
 * planner misjudges a small table.
 */
const anyOf = (column: AnyPgColumn, ids: SQLWrapper) => sql`${column} = any(array(${ids}))`;
const targetIn = (types: readonly string[], ids: SQLWrapper) => and(inArray(auditEvents.targetType, [...types]), anyOf(auditEvents.targetId, ids))!;

/**
 * Events whose object's title contains every term, per kind; each a subquery on the object's own
 * table within the organisation, so the events are found through the target index. Objects that
 * are gone match by the title the event kept.
 */
function objectTitleConditions(db: DbOrTx, orgId: string, kinds: readonly AuditObjectKind[], terms: readonly string[]): SQL {
	const byKind: Record<AuditObjectKind, () => SQL> = {
		person: () =>
			targetIn(
				['person'],
				db
					.select({ id: idText(people.id) })
					.from(people)
					.where(and(eq(people.orgId, orgId), ...terms.map(termCondition)))
			),
		department: () =>
			or(
				targetIn(
					['department'],
					db
						.select({ id: idText(departments.id) })
						.from(departments)
						.where(and(eq(departments.orgId, orgId), or(containsAll(departments.name, terms), containsAll(departments.code, terms))))
				),
				// By a name it had: before a rename, or before it was deleted.
				and(
					eq(auditEvents.targetType, 'department'),
					or(containsAll(sql`${auditEvents.detail}->'before'->>'name'`, terms), containsAll(sql`${auditEvents.detail}->'after'->>'name'`, terms))
				)
			)!,
		campaign: () =>
			targetIn(
				['campaign'],
				db
					.select({ id: idText(campaigns.id) })
					.from(campaigns)
					.where(and(eq(campaigns.orgId, orgId), containsAll(campaigns.title, terms)))
			),
		course: () =>
			targetIn(
				['course'],
				db
					.select({ id: idText(courses.id) })
					.from(courses)
					.where(and(eq(courses.orgId, orgId), containsAll(courses.title, terms)))
			),
		lesson: () =>
			targetIn(
				['lesson'],
				db
					.select({ id: idText(lessons.id) })
					.from(lessons)
					.where(and(eq(lessons.orgId, orgId), containsAll(lessons.title, terms)))
			),
		question: () =>
			targetIn(
				['question'],
				db
					.select({ id: idText(questions.id) })
					.from(questions)
					.where(and(eq(questions.orgId, orgId), or(containsAll(questions.stem, terms), containsAll(questions.slug, terms))))
			),
		policy: () => {
			const label = sql`${policies.title} || ' 第' || ${policyVersions.version} || '版'`;
			// A discarded draft's row is gone; its events kept the policy and the version.
			const keptLabel = sql`${policies.title} || ' 第' || coalesce(${auditEvents.detail}->>'version', '') || '版'`;
			const kept = db
				.select({ one: sql`1` })
				.from(policies)
				.where(and(eq(policies.orgId, orgId), eq(idText(policies.id), sql`${auditEvents.detail}->>'policyId'`), containsAll(keptLabel, terms)));
			return or(
				targetIn(
					['policy_version'],
					db
						.select({ id: idText(policyVersions.id) })
						.from(policyVersions)
						.innerJoin(policies, eq(policies.id, policyVersions.policyId))
						.where(and(eq(policyVersions.orgId, orgId), containsAll(label, terms)))
				),
				and(eq(auditEvents.targetType, 'policy_version'), sql`${auditEvents.detail} ? 'policyId'`, exists(kept))
			)!;
		},
		roster: () =>
			targetIn(
				['roster_import'],
				db
					.select({ id: idText(rosterImports.id) })
					.from(rosterImports)
					.where(and(eq(rosterImports.orgId, orgId), containsAll(rosterImports.fileName, terms)))
			),
		learning: () => {
			const campaignOf = and(eq(campaigns.id, assignments.campaignId), eq(campaigns.orgId, orgId));
			return or(
				targetIn(
					['assignment'],
					db
						.select({ id: idText(assignments.id) })
						.from(assignments)
						.innerJoin(campaigns, campaignOf)
						.where(and(eq(assignments.orgId, orgId), containsAll(campaigns.title, terms)))
				),
				targetIn(
					['attempt'],
					db
						.select({ id: idText(attempts.id) })
						.from(attempts)
						.innerJoin(assignments, eq(assignments.id, attempts.assignmentId))
						.innerJoin(campaigns, campaignOf)
						.where(and(eq(attempts.orgId, orgId), containsAll(campaigns.title, terms)))
				)
			)!;
		}
	};
	return or(...kinds.map((kind) => byKind[kind]()))!;
}

function auditConditions(db: DbOrTx, orgId: string, query: AuditQuery): SQL | undefined {
	const conditions: SQL[] = [eq(auditEvents.orgId, orgId)];
	if (query.actions) conditions.push(query.actions.length === 1 ? eq(auditEvents.action, query.actions[0]) : inArray(auditEvents.action, [...query.actions]));
	if (query.from && isCalendarDate(query.from)) conditions.push(gte(auditEvents.at, japanMidnight(query.from)));
	if (query.to && isCalendarDate(query.to)) conditions.push(lt(auditEvents.at, japanMidnight(addDays(query.to, 1))));

	const personTerms = searchTerms(query.person);
	if (personTerms.length > 0) {
		const matching = db
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.orgId, orgId), ...personTerms.map(termCondition)));
		const asActor = anyOf(auditEvents.actorId, matching);
		const asObject = targetIn(
			['person'],
			db
				.select({ id: idText(people.id) })
				.from(people)
				.where(and(eq(people.orgId, orgId), ...personTerms.map(termCondition)))
		);
		conditions.push(query.personRole === 'actor' ? asActor : query.personRole === 'object' ? asObject : or(asActor, asObject)!);
	}

	const objectTerms = searchTerms(query.object);
	if (objectTerms.length > 0) {
		conditions.push(objectTitleConditions(db, orgId, query.objectKind ? [query.objectKind] : auditObjectKinds, objectTerms));
	} else if (query.objectKind) {
		conditions.push(inArray(auditEvents.targetType, [...targetTypesOf[query.objectKind]]));
	}
	return and(...conditions);
}

/** What the log shows of an event; names and titles are looked up for a page at a time. */
const auditColumns = {
	id: auditEvents.id,
	at: auditEvents.at,
	action: auditEvents.action,
	actorId: auditEvents.actorId,
	targetType: auditEvents.targetType,
	targetId: auditEvents.targetId,
	ip: auditEvents.ip,
	detail: auditEvents.detail
};

export type AuditEventRow = {
	id: number;
	at: Date;
	action: string;
	actorId: string | null;
	targetType: string | null;
	targetId: string | null;
	ip: string | null;
	detail: Record<string, unknown>;
};

/** The two statements of a page: how many events match, and one page of them, newest first. */
export function auditPageQueries(db: DbOrTx, orgId: string, query: AuditQuery, page: number, pageSize: number) {
	const where = auditConditions(db, orgId, query);
	return {
		total: db.select({ total: count() }).from(auditEvents).where(where),
		rows: db
			.select(auditColumns)
			.from(auditEvents)
			.where(where)
			.orderBy(desc(auditEvents.at), desc(auditEvents.id))
			.limit(pageSize)
			.offset((page - 1) * pageSize)
	};
}

/** The organisation's audit events, newest first, one page of them. */
export async function listAuditEvents(
	db: DbOrTx,
	orgId: string,
	query: AuditQuery = {}
): Promise<{ rows: AuditEventRow[]; total: number; page: number; pages: number }> {
	const pageSize = query.pageSize ?? 50;
	const [{ total }] = await auditPageQueries(db, orgId, query, 1, pageSize).total;
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(Math.max(1, query.page ?? 1), pages);
	const rows = await auditPageQueries(db, orgId, query, page, pageSize).rows;
	return { rows, total, page, pages };
}

/** Every matching event for the export, newest first, up to `limit`. */
export async function exportAuditEvents(db: DbOrTx, orgId: string, query: AuditQuery, limit = 100_000): Promise<AuditEventRow[]> {
	return db
		.select(auditColumns)
		.from(auditEvents)
		.where(auditConditions(db, orgId, query))
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(limit);
}
