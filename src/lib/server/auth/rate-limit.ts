import { and, asc, count, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { loginFailures } from '../db/schema';

export interface LoginLimits {
	/** How long an attempt counts: at most the limit of password checks in any window this long. */
	windowMs: number;
	/** Checks for one typed login id from clients it has not seen succeed, or from one trusted device. */
	perAccount: number;
	/** Checks from one client address by clients without a device cookie for the account. */
	perAddress: number;
}

export const defaultLoginLimits: LoginLimits = {
	windowMs: 15 * 60_000,
	perAccount: 10,
	perAddress: 100
};

export function loginLimitsFromEnv(env: Record<string, string | undefined> = process.env): LoginLimits {
	const n = (v: string | undefined, d: number) => (v && Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : d);
	return {
		windowMs: n(env.LOGIN_LOCK_MINUTES, 15) * 60_000,
		perAccount: n(env.LOGIN_MAX_FAILURES, 10),
		perAddress: n(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 100)
	};
}

/** Normalised so that "A001", "a001 " and the full-width form count as one account. */
export function accountKey(orgId: string, loginId: string): string {
	return `${orgId}:${loginId.normalize('NFKC').trim().toLowerCase()}`;
}

/**
 * What an attempt is counted against: untrusted clients of one account, one client address, one
 * trusted device, one person's password changes, or one person's second-factor codes.
 */
export interface Bucket {
	scope: 'account' | 'address' | 'device' | 'password' | 'second_factor';
	key: string;
	limit: number;
}

export type Reservation = { ok: true; ids: string[] } | { ok: false; until: Date };

/**
 * Counts an attempt in every bucket before the password is checked, or in none when one of them is
 * full. Each bucket is counted and written under a transaction-scoped advisory lock on its key, so
 * however many requests and app processes race, no bucket ever holds more than its limit of attempts
 * in one window — a burst of wrong passwords gets at most `limit` checks, not one per request. A
 * right password gives its attempt back (`releaseAttempt`).
 */
export async function reserveAttempt(db: DbOrTx, buckets: Bucket[], windowMs: number, now = new Date()): Promise<Reservation> {
	const since = new Date(now.getTime() - windowMs);
	// Locks are taken in one order everywhere, so two requests needing the same two cannot deadlock.
	const ordered = [...buckets].sort((a, b) => lockName(a).localeCompare(lockName(b)));
	return db.transaction(async (tx) => {
		let until: Date | null = null;
		for (const bucket of ordered) {
			await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockName(bucket)}, 727002))`);
			const full = await fullUntil(tx, bucket, since, windowMs);
			if (full && (!until || full > until)) until = full;
		}
		if (until) return { ok: false, until };
		const rows = await tx
			.insert(loginFailures)
			.values(ordered.map((b) => ({ scope: b.scope, key: b.key, at: now })))
			.returning({ id: loginFailures.id });
		return { ok: true, ids: rows.map((r) => r.id) };
	});
}

const lockName = (b: Pick<Bucket, 'scope' | 'key'>) => `${b.scope}:${b.key}`;

/** When the bucket is full, the moment its oldest counted attempt leaves the window. */
async function fullUntil(db: DbOrTx, bucket: Bucket, since: Date, windowMs: number): Promise<Date | null> {
	const inWindow = and(eq(loginFailures.scope, bucket.scope), eq(loginFailures.key, bucket.key), sql`${loginFailures.at} > ${since}`);
	const [{ n }] = await db.select({ n: count() }).from(loginFailures).where(inWindow);
	if (n < bucket.limit) return null;
	// With a lowered limit more than `limit` can be in the window: it opens when enough have left.
	const [oldest] = await db
		.select({ at: loginFailures.at })
		.from(loginFailures)
		.where(inWindow)
		.orderBy(asc(loginFailures.at))
		.offset(n - bucket.limit)
		.limit(1);
	return new Date(new Date(oldest.at).getTime() + windowMs);
}

/** When any of the buckets is now full (after a failure was counted), the time it opens again. */
export async function lockedUntil(db: DbOrTx, buckets: Bucket[], windowMs: number, now = new Date()): Promise<Date | null> {
	const since = new Date(now.getTime() - windowMs);
	let until: Date | null = null;
	for (const bucket of buckets) {
		const full = await fullUntil(db, bucket, since, windowMs);
		if (full && (!until || full > until)) until = full;
	}
	return until;
}

/** A right password: its attempt no longer counts. */
export async function releaseAttempt(db: DbOrTx, ids: string[]): Promise<void> {
	if (ids.length) await db.delete(loginFailures).where(inArray(loginFailures.id, ids));
}

/** Forgets a bucket's attempts: a trusted device that logged in, or a password that was changed. */
export async function clearBucket(db: DbOrTx, bucket: Pick<Bucket, 'scope' | 'key'>): Promise<void> {
	await db.delete(loginFailures).where(and(eq(loginFailures.scope, bucket.scope), eq(loginFailures.key, bucket.key)));
}

/** Attempts that no window can count any more. */
export async function pruneLoginAttempts(db: DbOrTx, windowMs: number, now = new Date()): Promise<number> {
	const before = new Date(now.getTime() - windowMs);
	const gone = await db.delete(loginFailures).where(lt(loginFailures.at, before)).returning({ id: loginFailures.id });
	return gone.length;
}
