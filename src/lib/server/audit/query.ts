import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client';
import { auditEvents, people } from '../db/schema';
import { isCalendarDate } from '../input/query';

export interface AuditQuery {
	/** An action or an action prefix such as `login.` */
	action?: string;
	/** Days in Japan time (YYYY-MM-DD), both included. */
	from?: string;
	to?: string;
	/** The actor's 職員番号. */
	actorNumber?: string;
	page?: number;
	pageSize?: number;
}

const actor = alias(people, 'actor');

/** Midnight in Japan (UTC+9, no summer time) of a YYYY-MM-DD day, `days` later. */
function japanMidnight(day: string, days = 0): Date {
	return new Date(Date.parse(`${day}T00:00:00+09:00`) + days * 86_400_000);
}

function auditConditions(orgId: string, query: AuditQuery): SQL | undefined {
	const conditions: SQL[] = [eq(auditEvents.orgId, orgId)];
	if (query.action) {
		conditions.push(query.action.endsWith('.') ? like(auditEvents.action, `${query.action}%`) : eq(auditEvents.action, query.action));
	}
	if (query.from && isCalendarDate(query.from)) conditions.push(gte(auditEvents.at, japanMidnight(query.from)));
	if (query.to && isCalendarDate(query.to)) conditions.push(lt(auditEvents.at, japanMidnight(query.to, 1)));
	if (query.actorNumber) conditions.push(eq(actor.employeeNumber, query.actorNumber));
	return and(...conditions);
}

const auditColumns = {
	id: auditEvents.id,
	at: auditEvents.at,
	action: auditEvents.action,
	targetType: auditEvents.targetType,
	targetId: auditEvents.targetId,
	ip: auditEvents.ip,
	detail: auditEvents.detail,
	actorNumber: actor.employeeNumber,
	actorName: actor.name
};

/** The organisation's audit events, newest first, with the actor's name. */
export async function listAuditEvents(db: DbOrTx, orgId: string, query: AuditQuery = {}) {
	const pageSize = query.pageSize ?? 50;
	const where = auditConditions(orgId, query);
	const [{ total }] = await db.select({ total: count() }).from(auditEvents).leftJoin(actor, eq(actor.id, auditEvents.actorId)).where(where);
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(Math.max(1, query.page ?? 1), pages);
	const rows = await db
		.select(auditColumns)
		.from(auditEvents)
		.leftJoin(actor, eq(actor.id, auditEvents.actorId))
		.where(where)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	return { rows, total, page, pages };
}

/** Every matching event for the export, newest first, up to `limit` (the export says when it stops). */
export async function exportAuditEvents(db: DbOrTx, orgId: string, query: AuditQuery, limit = 100_000) {
	return db
		.select(auditColumns)
		.from(auditEvents)
		.leftJoin(actor, eq(actor.id, auditEvents.actorId))
		.where(auditConditions(orgId, query))
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(limit);
}

export async function auditActions(db: DbOrTx, orgId: string): Promise<string[]> {
	const rows = await db
		.selectDistinct({ action: auditEvents.action })
		.from(auditEvents)
		.where(eq(auditEvents.orgId, orgId))
		.orderBy(auditEvents.action);
	return rows.map((r) => r.action);
}
