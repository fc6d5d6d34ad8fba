import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { sessions } from '../db/schema';

export const sessionCookieName = 'mamori_session';

export interface SessionPolicy {
	/** Idle timeout: a session unused this long ends (shared terminals want short ones). */
	idleMs: number;
	/** Absolute lifetime from login, however active the session. */
	maxMs: number;
}

export function sessionPolicyFromEnv(env: Record<string, string | undefined> = process.env): SessionPolicy {
	const idleMinutes = Number(env.SESSION_IDLE_MINUTES ?? 60);
	const maxHours = Number(env.SESSION_MAX_HOURS ?? 12);
	return {
		idleMs: (Number.isFinite(idleMinutes) && idleMinutes > 0 ? idleMinutes : 60) * 60_000,
		maxMs: (Number.isFinite(maxHours) && maxHours > 0 ? maxHours : 12) * 3_600_000
	};
}

/** 20 random bytes (160 bits), base32: what goes in the cookie. */
export function generateSessionToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface Session {
	id: string;
	personId: string;
	orgId: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	/** When this session last proved the second factor (login or step-up). */
	secondFactorAt?: Date | null;
}

function expiryFor(createdAt: Date, seenAt: Date, policy: SessionPolicy): Date {
	return new Date(Math.min(seenAt.getTime() + policy.idleMs, createdAt.getTime() + policy.maxMs));
}

export async function createSession(
	db: DbOrTx,
	token: string,
	person: { id: string; orgId: string },
	policy: SessionPolicy,
	now = new Date()
): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		personId: person.id,
		orgId: person.orgId,
		createdAt: now,
		lastSeenAt: now,
		expiresAt: expiryFor(now, now, policy)
	};
	await db.insert(sessions).values(session);
	return session;
}

/**
 * Past its stored expiry, or past what the settings in force allow now: a shortened idle timeout
 * or lifetime applies to sessions opened under the longer one as well.
 */
function hasEnded(row: Session, policy: SessionPolicy, now: Date): boolean {
	return now >= row.expiresAt || now.getTime() >= row.lastSeenAt.getTime() + policy.idleMs || now.getTime() >= row.createdAt.getTime() + policy.maxMs;
}

// The idle timeout counts from the last request, to the second: last_seen_at is written when it is
// a second or more behind, so requests that arrive together (a page and its data) write it once.
// A coarser step would end a session early by up to the step.
const touchEveryMs = 1_000;

/**
 * Returns the live session for a token and slides its idle expiry, or null when it is
 * unknown, idle too long or past its absolute lifetime (and then deletes it).
 */
export async function validateSessionToken(db: DbOrTx, token: string, policy: SessionPolicy, now = new Date()): Promise<Session | null> {
	const [row] = await db
		.select()
		.from(sessions)
		.where(eq(sessions.id, sessionIdFromToken(token)));
	return row ? keepAlive(db, row, policy, now) : null;
}

/** The session as found, slid forward when due; null (and deleted) when it has ended. */
export async function keepAlive(db: DbOrTx, row: Session, policy: SessionPolicy, now: Date): Promise<Session | null> {
	if (hasEnded(row, policy, now)) {
		await db.delete(sessions).where(eq(sessions.id, row.id));
		return null;
	}
	if (now.getTime() - row.lastSeenAt.getTime() >= touchEveryMs) {
		row.lastSeenAt = now;
		row.expiresAt = expiryFor(row.createdAt, now, policy);
		await db.update(sessions).set({ lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt }).where(eq(sessions.id, row.id));
	}
	return row;
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a person, except `keepSessionId` when given (password change). */
export async function invalidatePersonSessions(db: DbOrTx, personId: string, keepSessionId?: string): Promise<void> {
	await db.delete(sessions).where(keepSessionId ? and(eq(sessions.personId, personId), ne(sessions.id, keepSessionId)) : eq(sessions.personId, personId));
}

export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<void> {
	await db.delete(sessions).where(or(lt(sessions.expiresAt, now)));
}
