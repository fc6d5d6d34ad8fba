import type { DbOrTx } from '../db/client';
import { auditEvents } from '../db/schema';

export interface AuditActor {
	orgId: string | null;
	personId: string | null;
	ip?: string | null;
}

export interface AuditEntry {
	action: string;
	targetType?: string;
	targetId?: string | null;
	detail?: Record<string, unknown>;
}

/** Appends one audit event. Call it inside the transaction of the write it records. */
export async function recordAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
	await db.insert(auditEvents).values({
		orgId: actor.orgId,
		actorId: actor.personId,
		ip: actor.ip ?? null,
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId ?? null,
		detail: entry.detail ?? {}
	});
}
