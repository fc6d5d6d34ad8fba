import { and, asc, count, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { outbox, type OutboxStatus } from '../db/schema';
import { RecipientRejectedError, type MailTransport } from './transport';

export interface DeliveryOptions {
	/** The time to treat as now; tests move it forward to reach a retry. */
	now?: Date;
	/** How many mails one run claims. */
	batch?: number;
	/** Attempts after which a mail is given up as failed. */
	maxAttempts?: number;
	/** How long a claim keeps other workers off a mail. */
	leaseMs?: number;
}

export interface DeliveryResult {
	sent: number;
	retried: number;
	failed: number;
}

const retrySchedule = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000];
const lastErrorLength = 1000;

/**
 * How long to wait after the given number of failed attempts (1 or more): 1 min, 5 min, 15 min,
 * 1 h, 3 h, 6 h, then 12 h for every later one. With 8 attempts a mail server may be away for
 * most of a day before anything is lost.
 */
export function retryDelay(attempts: number): number {
	const i = Math.min(Math.max(Math.floor(attempts), 1), retrySchedule.length) - 1;
	return retrySchedule[i];
}

/**
 * Sends the mail that is due. Each mail is claimed by one short statement that moves its
 * next_attempt_at a lease ahead (FOR UPDATE SKIP LOCKED, so concurrent workers take different
 * rows), then sent with no transaction open, then marked sent — or scheduled again with backoff,
 * or failed after `maxAttempts`. A worker that dies mid-batch leaves its mails to be picked up
 * again when the lease runs out.
 */
export async function deliverDueMail(db: Db, transport: MailTransport, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
	const clock = () => opts.now ?? new Date();
	const now = clock();
	const batch = opts.batch ?? 50;
	const maxAttempts = opts.maxAttempts ?? 8;
	const leaseMs = opts.leaseMs ?? 5 * 60_000;
	const leaseUntil = new Date(now.getTime() + leaseMs);
	const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };

	const due = db
		.select({ id: outbox.id })
		.from(outbox)
		// The literal matches the partial index's predicate.
		.where(and(sql`${outbox.status} = 'pending'`, lte(outbox.nextAttemptAt, now)))
		.orderBy(asc(outbox.nextAttemptAt))
		.limit(batch)
		.for('update', { skipLocked: true });
	const claimed = await db
		.update(outbox)
		.set({ nextAttemptAt: leaseUntil })
		.where(inArray(outbox.id, due))
		.returning({ id: outbox.id, to: outbox.toAddress, subject: outbox.subject, body: outbox.body, attempts: outbox.attempts, createdAt: outbox.createdAt });
	claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

	// Stop well before the lease runs out, so no other worker picks up a mail this one still sends.
	const started = Date.now();
	for (let i = 0; i < claimed.length; i++) {
		if (Date.now() - started > leaseMs / 2) {
			await release(
				db,
				claimed.slice(i).map((m) => m.id),
				leaseUntil,
				now
			);
			break;
		}
		const mail = claimed[i];
		// Only the holder of the lease may record the outcome.
		const held = and(eq(outbox.id, mail.id), eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, leaseUntil));
		const attempts = mail.attempts + 1;
		try {
			await transport.send({ to: mail.to, subject: mail.subject, body: mail.body });
			await db.update(outbox).set({ status: 'sent', sentAt: clock(), attempts }).where(held);
			result.sent++;
		} catch (err) {
			const lastError = describeError(err);
			if (attempts >= maxAttempts || err instanceof RecipientRejectedError) {
				await db.update(outbox).set({ status: 'failed', attempts, lastError }).where(held);
				result.failed++;
			} else {
				const nextAttemptAt = new Date(clock().getTime() + retryDelay(attempts));
				await db.update(outbox).set({ attempts, lastError, nextAttemptAt }).where(held);
				result.retried++;
			}
		}
	}
	return result;
}

/** Hands claimed but unsent mail back, due at once, without counting an attempt. */
async function release(db: Db, ids: string[], leaseUntil: Date, now: Date): Promise<void> {
	if (ids.length === 0) return;
	await db
		.update(outbox)
		.set({ nextAttemptAt: now })
		.where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, leaseUntil)));
}

function describeError(err: unknown): string {
	const message = err instanceof Error ? err.message : String(err);
	return message.length > lastErrorLength ? `${message.slice(0, lastErrorLength - 1)}…` : message;
}

export interface OutboxSummary {
	pending: number;
	sent: number;
	failed: number;
	/** When the oldest mail still waiting was queued; null when nothing waits. */
	oldestPendingAt: Date | null;
}

/** The organisation's outbox in numbers, for a status line. */
export async function outboxSummary(db: DbOrTx, orgId: string): Promise<OutboxSummary> {
	const rows = await db
		.select({ status: outbox.status, n: count(), oldest: min(outbox.createdAt) })
		.from(outbox)
		.where(eq(outbox.orgId, orgId))
		.groupBy(outbox.status);
	const summary: OutboxSummary = { pending: 0, sent: 0, failed: 0, oldestPendingAt: null };
	for (const row of rows) {
		summary[row.status as OutboxStatus] = Number(row.n);
		if (row.status === 'pending' && row.oldest) summary.oldestPendingAt = new Date(row.oldest);
	}
	return summary;
}
