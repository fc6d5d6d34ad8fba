import type { DbOrTx } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AuditAction } from './actions';

export interface AuditActor {
	orgId: string | null;
	personId: string | null;
	ip?: string | null;
}

export interface AuditEntry {
	/** One of `auditActions`: each has a label and a summary for the admin's log. */
	action: AuditAction;
	targetType?: string;
	targetId?: string | null;
	detail?: Record<string, unknown>;
}

/**
 * The client address comes from the connection or a proxy's header: kept to the length of the
 * longest address, so no header fills the log. (Details are the callers' typed values; what a
 * request types in, such as a login id, is capped where the form is read.)
 */
const addressMax = 64;

/** Appends one audit event. Call it inside the transaction of the write it records. */
export async function recordAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
	await db.insert(auditEvents).values({
		orgId: actor.orgId,
		actorId: actor.personId,
		ip: actor.ip == null ? null : actor.ip.slice(0, addressMax),
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId ?? null,
		detail: entry.detail ?? {}
	});
}
