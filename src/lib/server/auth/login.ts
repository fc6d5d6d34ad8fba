import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { people } from '../db/schema';
import { recordAudit } from '../audit/log';
import { verifyAgainstNothing, verifyPasswordHash } from './password';
import {
	accountKey,
	clearAccountFailures,
	loginLockedUntil,
	recordLoginFailure,
	type LoginLimits
} from './rate-limit';
import { createSession, generateSessionToken, invalidateSession, sessionIdFromToken, type Session, type SessionPolicy } from './session';

export interface LoginAttempt {
	orgId: string;
	loginId: string;
	password: string;
	ip: string;
	/** The session cookie the browser sent with the login, if any: it ends when the login succeeds. */
	previousToken?: string;
}

export type LoginResult =
	| { ok: true; token: string; session: Session; mustChangePassword: boolean }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; until: Date };

/**
 * Checks 職員番号 and password. The answer for an unknown account, a deactivated one and a
 * wrong password is the same, in the same time; a lock covers known and unknown ids alike.
 */
export async function login(
	db: DbOrTx,
	attempt: LoginAttempt,
	limits: LoginLimits,
	policy: SessionPolicy,
	now = new Date()
): Promise<LoginResult> {
	const loginId = attempt.loginId.normalize('NFKC').trim();
	const account = accountKey(attempt.orgId, loginId);
	const actor = { orgId: attempt.orgId, personId: null, ip: attempt.ip };

	const lockedUntil = await loginLockedUntil(db, account, attempt.ip, limits, now);
	if (lockedUntil) {
		await recordAudit(db, actor, { action: 'login.locked', detail: { loginId } });
		return { ok: false, reason: 'locked', until: lockedUntil };
	}

	const [person] = await db
		.select({
			id: people.id,
			orgId: people.orgId,
			active: people.active,
			passwordHash: people.passwordHash,
			mustChangePassword: people.mustChangePassword
		})
		.from(people)
		.where(and(eq(people.orgId, attempt.orgId), eq(people.employeeNumber, loginId)));

	const valid =
		person && person.active && person.passwordHash
			? await verifyPasswordHash(person.passwordHash, attempt.password)
			: await verifyAgainstNothing(attempt.password);

	if (!valid || !person) {
		await recordLoginFailure(db, account, attempt.ip, now);
		await recordAudit(db, actor, {
			action: 'login.failure',
			targetType: person ? 'person' : undefined,
			targetId: person?.id,
			detail: { loginId }
		});
		const until = await loginLockedUntil(db, account, attempt.ip, limits, now);
		return until ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
	}

	// Always a fresh token: a cookie planted before the login, or left by the previous person
	// on a shared terminal, must not become (or stay) a live session.
	if (attempt.previousToken) await invalidateSession(db, sessionIdFromToken(attempt.previousToken));
	const token = generateSessionToken();
	const session = await createSession(db, token, person, policy, now);
	await clearAccountFailures(db, account);
	await db.update(people).set({ lastLoginAt: now }).where(eq(people.id, person.id));
	await recordAudit(db, { ...actor, personId: person.id }, {
		action: 'login.success',
		targetType: 'person',
		targetId: person.id
	});
	return { ok: true, token, session, mustChangePassword: person.mustChangePassword };
}
