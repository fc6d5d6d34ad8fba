import { and, count, desc, eq, like, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client';
import { auditEvents, people } from '../db/schema';

export interface AuditQuery {
	/** An action or an action prefix such as `login.` */
	action?: string;
	page?: number;
	pageSize?: number;
}

const actor = alias(people, 'actor');

/** The organisation's audit events, newest first, with the actor's name. */
export async function listAuditEvents(db: DbOrTx, orgId: string, query: AuditQuery = {}) {
	const pageSize = query.pageSize ?? 50;
	const conditions: SQL[] = [eq(auditEvents.orgId, orgId)];
	if (query.action) {
		conditions.push(query.action.endsWith('.') ? like(auditEvents.action, `${query.action}%`) : eq(auditEvents.action, query.action));
	}
	const where = and(...conditions);
	const [{ total }] = await db.select({ total: count() }).from(auditEvents).where(where);
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(Math.max(1, query.page ?? 1), pages);
	const rows = await db
		.select({
			id: auditEvents.id,
			at: auditEvents.at,
			action: auditEvents.action,
			targetType: auditEvents.targetType,
			targetId: auditEvents.targetId,
			ip: auditEvents.ip,
			detail: auditEvents.detail,
			actorNumber: actor.employeeNumber,
			actorName: actor.name
		})
		.from(auditEvents)
		.leftJoin(actor, eq(actor.id, auditEvents.actorId))
		.where(where)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	return { rows, total, page, pages };
}

export async function auditActions(db: DbOrTx, orgId: string): Promise<string[]> {
	const rows = await db
		.selectDistinct({ action: auditEvents.action })
		.from(auditEvents)
		.where(eq(auditEvents.orgId, orgId))
		.orderBy(auditEvents.action);
	return rows.map((r) => r.action);
}
