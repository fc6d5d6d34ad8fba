import type { DbOrTx } from '../db/client';
import { outbox } from '../db/schema';

export interface OutgoingMail {
	orgId: string;
	to: string;
	subject: string;
	body: string;
}

/**
 * Queues mail for the delivery worker and returns how many were queued. Call it inside the
 * transaction of the change that causes the mail, so the mail exists exactly when the change does.
 * People without an address are skipped: they see the same notice in the app.
 */
export async function enqueueMail(db: DbOrTx, mails: OutgoingMail[]): Promise<number> {
	const rows = mails
		.map((m) => ({ ...m, to: m.to.trim() }))
		.filter((m) => m.to !== '')
		.map((m) => ({ orgId: m.orgId, toAddress: m.to, subject: m.subject, body: m.body }));
	if (rows.length === 0) return 0;
	// One statement per chunk keeps a campaign-wide reminder to a few round-trips.
	for (let i = 0; i < rows.length; i += 500) await db.insert(outbox).values(rows.slice(i, i + 500));
	return rows.length;
}
