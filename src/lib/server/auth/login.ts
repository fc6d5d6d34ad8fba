import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { people } from '../db/schema';
import { recordAudit } from '../audit/log';
import { checkLoginPassword } from './directory/login-check';
import { directoryConfig, type DirectoryConfig } from './directory/config';
import { accountKey, clearBucket, lockedUntil, releaseAttempt, reserveAttempt, type Bucket, type LoginLimits } from './rate-limit';
import { createSession, generateSessionToken, invalidateSession, sessionIdFromToken, type Session, type SessionPolicy } from './session';
import { deviceBucketKey, rememberDevice, trustedDeviceToken } from './trusted-device';

/** Longer ids and passwords than any account can have are refused before any work. */
export const loginIdMaxLength = 64;
export const loginPasswordMaxLength = 256;

const noPerson = '00000000-0000-0000-0000-000000000000';

export interface LoginAttempt {
	orgId: string;
	loginId: string;
	password: string;
	ip: string;
	/** The session cookie the browser sent with the login, if any: it ends when the login succeeds. */
	previousToken?: string;
	/** The tokens of the browser's device cookie (see trusted-device.ts). */
	deviceTokens?: string[];
}

export type LoginResult =
	| { ok: true; token: string; session: Session; mustChangePassword: boolean; deviceToken: string }
	| { ok: false; reason: 'invalid' }
	/** The person signs in with the directory password, and the directory does not answer. */
	| { ok: false; reason: 'directory_unavailable' }
	| { ok: false; reason: 'locked'; until: Date };

/**
 * Checks 職員番号 and password. The answer for an unknown account, a deactivated one and a
 * wrong password is the same, in the same time. Every check is counted before it runs: a browser
 * that has logged in to the account before against its own allowance, any other client against
 * the account's and its address's, so a burst gets no more checks than the limit and a stranger
 * cannot lock the owner out of their own terminal.
 */
export async function login(
	db: DbOrTx,
	attempt: LoginAttempt,
	limits: LoginLimits,
	policy: SessionPolicy,
	now = new Date(),
	directory: DirectoryConfig | null = directoryConfig()
): Promise<LoginResult> {
	const loginId = attempt.loginId.normalize('NFKC').trim();
	const actor = { orgId: attempt.orgId, personId: null, ip: attempt.ip };
	if (loginId.length > loginIdMaxLength || attempt.password.length > loginPasswordMaxLength) return { ok: false, reason: 'invalid' };

	const [person] = await db
		.select({
			id: people.id,
			orgId: people.orgId,
			active: people.active,
			passwordHash: people.passwordHash,
			mustChangePassword: people.mustChangePassword,
			fromDirectory: people.fromDirectory
		})
		.from(people)
		.where(and(eq(people.orgId, attempt.orgId), eq(people.employeeNumber, loginId)));

	// Asked for unknown ids too, so that the time taken tells nothing about whether one exists.
	const device = await trustedDeviceToken(db, person?.id ?? noPerson, attempt.deviceTokens ?? [], now);
	const buckets: Bucket[] = device
		? [{ scope: 'device', key: deviceBucketKey(device), limit: limits.perAccount }]
		: [
				{ scope: 'account', key: accountKey(attempt.orgId, loginId), limit: limits.perAccount },
				{ scope: 'address', key: attempt.ip, limit: limits.perAddress }
			];
	const detail = { loginId, trustedDevice: !!device };

	const reserved = await reserveAttempt(db, buckets, limits.windowMs, now);
	// The person a known 職員番号 names is the event's object, so the log can be read by person.
	const target = person ? { targetType: 'person', targetId: person.id } : {};
	if (!reserved.ok) {
		await recordAudit(db, actor, { action: 'login.locked', ...target, detail });
		return { ok: false, reason: 'locked', until: reserved.until };
	}

	const check = await checkLoginPassword(person, loginId, attempt.password, directory);
	if ('unavailable' in check) {
		// No password was checked: the attempt is not counted against the person.
		await releaseAttempt(db, reserved.ids);
		await recordAudit(db, actor, { action: 'login.directory_unavailable', ...target, detail: { ...detail, error: check.unavailable } });
		return { ok: false, reason: 'directory_unavailable' };
	}
	const valid = check.valid;

	if (!valid || !person) {
		// The attempt stays counted: it was a failure, and the log says when it reached the limit.
		const until = await lockedUntil(db, buckets, limits.windowMs, now);
		await recordAudit(db, actor, { action: 'login.failure', ...target, detail: { ...detail, locked: until !== null } });
		return until ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
	}

	await releaseAttempt(db, reserved.ids);
	// The owner's own browser starts afresh; the account's count for other clients stays, so
	// logging in does not hand a guesser a new allowance.
	if (device) await clearBucket(db, { scope: 'device', key: deviceBucketKey(device) });
	const deviceToken = await rememberDevice(db, person, device, now);

	// Always a fresh token: a cookie planted before the login, or left by the previous person
	// on a shared terminal, must not become (or stay) a live session.
	if (attempt.previousToken) await invalidateSession(db, sessionIdFromToken(attempt.previousToken));
	const token = generateSessionToken();
	const session = await createSession(db, token, person, policy, now);
	await db.update(people).set({ lastLoginAt: now }).where(eq(people.id, person.id));
	await recordAudit(
		db,
		{ ...actor, personId: person.id },
		{
			action: 'login.success',
			targetType: 'person',
			targetId: person.id,
			detail: { trustedDevice: !!device, ...(check.viaDirectory ? { directory: true } : {}) }
		}
	);
	return { ok: true, token, session, mustChangePassword: person.mustChangePassword, deviceToken };
}
