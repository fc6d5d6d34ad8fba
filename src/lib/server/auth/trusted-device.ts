import { and, desc, eq, gt, inArray, lt, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { trustedDevices } from '../db/schema';
import { generateSessionToken, sessionIdFromToken } from './session';

// A browser that has logged in to an account before is told apart from everyone else by a device
// cookie: its wrong passwords count against an allowance of its own, while clients without one
// share the account's. Guessing stays slow, and a stranger's guesses cannot lock the owner out on
// their own terminal.

export const deviceCookieName = 'mamori_device';
export const deviceLifetimeMs = 180 * 24 * 3_600_000;
/** A shared terminal remembers the last few people who logged in on it. */
const tokensPerCookie = 5;
/** The browsers a person is remembered on; older ones are forgotten. */
const devicesPerPerson = 10;

const tokenShape = /^[a-z2-7]{32}$/;

/** The well-formed tokens of a device cookie, newest first. */
export function deviceTokensFromCookie(value: string | undefined): string[] {
	if (!value || value.length > tokensPerCookie * 40) return [];
	return value
		.split('.')
		.filter((t) => tokenShape.test(t))
		.slice(0, tokensPerCookie);
}

/** The cookie after a login: the token used (or made) first, the others after it. */
export function deviceCookieValue(tokens: string[], current: string): string {
	return [current, ...tokens.filter((t) => t !== current)].slice(0, tokensPerCookie).join('.');
}

/** The presented token that this browser logged in to the person with, if any and still valid. */
export async function trustedDeviceToken(db: DbOrTx, personId: string, tokens: string[], now = new Date()): Promise<string | null> {
	if (!tokens.length) return null;
	const byHash = new Map(tokens.map((t) => [sessionIdFromToken(t), t]));
	const [row] = await db
		.select({ tokenHash: trustedDevices.tokenHash })
		.from(trustedDevices)
		.where(
			and(
				eq(trustedDevices.personId, personId),
				inArray(trustedDevices.tokenHash, [...byHash.keys()]),
				gt(trustedDevices.lastUsedAt, new Date(now.getTime() - deviceLifetimeMs))
			)
		)
		.limit(1);
	return row ? byHash.get(row.tokenHash)! : null;
}

/** The key a trusted device's attempts are counted under. */
export const deviceBucketKey = (token: string) => sessionIdFromToken(token);

/**
 * After a successful login: the device token to keep in the cookie — the one presented, refreshed,
 * or a new one. A person's oldest devices beyond the limit are forgotten.
 */
export async function rememberDevice(db: DbOrTx, person: { id: string; orgId: string }, presented: string | null, now = new Date()): Promise<string> {
	if (presented) {
		await db
			.update(trustedDevices)
			.set({ lastUsedAt: now })
			.where(eq(trustedDevices.tokenHash, sessionIdFromToken(presented)));
		return presented;
	}
	const token = generateSessionToken();
	await db.insert(trustedDevices).values({ tokenHash: sessionIdFromToken(token), orgId: person.orgId, personId: person.id, createdAt: now, lastUsedAt: now });
	const keep = db
		.select({ tokenHash: trustedDevices.tokenHash })
		.from(trustedDevices)
		.where(eq(trustedDevices.personId, person.id))
		.orderBy(desc(trustedDevices.lastUsedAt))
		.limit(devicesPerPerson);
	await db.delete(trustedDevices).where(and(eq(trustedDevices.personId, person.id), notInArray(trustedDevices.tokenHash, keep)));
	return token;
}

/** Devices not used for longer than a device is remembered. */
export async function pruneTrustedDevices(db: DbOrTx, now = new Date()): Promise<void> {
	await db.delete(trustedDevices).where(lt(trustedDevices.lastUsedAt, new Date(now.getTime() - deviceLifetimeMs)));
}
