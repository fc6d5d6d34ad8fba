import { and, count, eq, gt, lt, max } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { loginFailures } from '../db/schema';

export interface LoginLimits {
	windowMs: number;
	lockMs: number;
	/** Failures for one typed login id before it is locked. */
	perAccount: number;
	/** Failures from one client address; a town hall often shares one address, so it is higher. */
	perAddress: number;
}

export const defaultLoginLimits: LoginLimits = {
	windowMs: 15 * 60_000,
	lockMs: 15 * 60_000,
	perAccount: 10,
	perAddress: 100
};

export function loginLimitsFromEnv(env: Record<string, string | undefined> = process.env): LoginLimits {
	const n = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
	return {
		windowMs: n(env.LOGIN_WINDOW_MINUTES, 15) * 60_000,
		lockMs: n(env.LOGIN_LOCK_MINUTES, 15) * 60_000,
		perAccount: n(env.LOGIN_MAX_FAILURES, 10),
		perAddress: n(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 100)
	};
}

/** Normalised so that "A001", "a001 " and the full-width form count as one account. */
export function accountKey(orgId: string, loginId: string): string {
	return `${orgId}:${loginId.normalize('NFKC').trim().toLowerCase()}`;
}

async function lockedUntilFor(
	db: DbOrTx,
	scope: 'account' | 'address',
	key: string,
	threshold: number,
	limits: LoginLimits,
	now: Date
): Promise<Date | null> {
	const since = new Date(now.getTime() - Math.max(limits.windowMs, limits.lockMs));
	const [row] = await db
		.select({ n: count(), last: max(loginFailures.at) })
		.from(loginFailures)
		.where(and(eq(loginFailures.scope, scope), eq(loginFailures.key, key), gt(loginFailures.at, since)));
	if (!row || row.n < threshold || !row.last) return null;
	const until = new Date(new Date(row.last).getTime() + limits.lockMs);
	return until > now ? until : null;
}

/** When the account or the address is locked, the time it opens again; otherwise null. */
export async function loginLockedUntil(
	db: DbOrTx,
	account: string,
	address: string,
	limits: LoginLimits,
	now = new Date()
): Promise<Date | null> {
	const [a, b] = await Promise.all([
		lockedUntilFor(db, 'account', account, limits.perAccount, limits, now),
		lockedUntilFor(db, 'address', address, limits.perAddress, limits, now)
	]);
	if (a && b) return a > b ? a : b;
	return a ?? b;
}

export async function recordLoginFailure(
	db: DbOrTx,
	account: string,
	address: string,
	now = new Date()
): Promise<void> {
	await db.insert(loginFailures).values([
		{ scope: 'account', key: account, at: now },
		{ scope: 'address', key: address, at: now }
	]);
}

/** A successful login clears the account's failures (not the address's). */
export async function clearAccountFailures(db: DbOrTx, account: string): Promise<void> {
	await db.delete(loginFailures).where(and(eq(loginFailures.scope, 'account'), eq(loginFailures.key, account)));
}

export async function pruneLoginFailures(db: DbOrTx, limits: LoginLimits, now = new Date()): Promise<void> {
	const before = new Date(now.getTime() - 2 * Math.max(limits.windowMs, limits.lockMs));
	await db.delete(loginFailures).where(lt(loginFailures.at, before));
}
