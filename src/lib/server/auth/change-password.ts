import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { organizations, people } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/log';
import { checkNewPassword, hashPassword, passwordMaxLength, verifyPasswordHash, type PasswordProblem } from './password';
import { clearBucket, defaultLoginLimits, lockedUntil, releaseAttempt, reserveAttempt, type Bucket, type LoginLimits } from './rate-limit';
import { invalidatePersonSessions } from './session';

export type ChangePasswordProblem = PasswordProblem | 'wrong_current' | 'mismatch' | 'same_as_current';

export interface ChangePasswordInput {
	current: string;
	next: string;
	confirm: string;
}

/** Longer than any password can be: refused before any check (a password is at most 64 characters). */
export const passwordFieldMaxLength = passwordMaxLength * 4;

export type ChangePasswordResult = { ok: true } | { ok: false; problem: ChangePasswordProblem } | { ok: false; problem: 'locked'; until: Date };

/**
 * Changes the caller's own password. Other sessions of the person end; the one in use stays.
 * Checking the current password is counted like a login, so whoever holds a session (a terminal
 * left open) cannot guess it without limit, and every wrong one is in the audit log.
 */
export async function changeOwnPassword(
	db: Db,
	actor: AuditActor & { personId: string; orgId: string },
	sessionId: string,
	input: ChangePasswordInput,
	limits: LoginLimits = defaultLoginLimits,
	now = new Date()
): Promise<ChangePasswordResult> {
	const bucket: Bucket = { scope: 'password', key: actor.personId, limit: limits.perAccount };
	const reserved = await reserveAttempt(db, [bucket], limits.windowMs, now);
	if (!reserved.ok) {
		await recordAudit(db, actor, { action: 'password.change_locked', targetType: 'person', targetId: actor.personId });
		return { ok: false, problem: 'locked', until: reserved.until };
	}
	const [person] = await db
		.select({ hash: people.passwordHash, number: people.employeeNumber, name: people.name, kana: people.nameKana, org: organizations })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, actor.personId));
	if (!person?.hash || !(await verifyPasswordHash(person.hash, input.current))) {
		await recordAudit(db, actor, { action: 'password.change_failure', targetType: 'person', targetId: actor.personId });
		const until = await lockedUntil(db, [bucket], limits.windowMs, now);
		return until ? { ok: false, problem: 'locked', until } : { ok: false, problem: 'wrong_current' };
	}
	// The current password was right: this check does not count against the person.
	await releaseAttempt(db, reserved.ids);
	if (input.next !== input.confirm) return { ok: false, problem: 'mismatch' };
	const problem = checkNewPassword(input.next, {
		loginId: person.number,
		words: [person.org.name, person.org.nameEn, person.org.slug, person.org.host, person.name, person.kana]
	});
	if (problem) return { ok: false, problem };
	if (input.next === input.current) return { ok: false, problem: 'same_as_current' };

	const hash = await hashPassword(input.next);
	await db.transaction(async (tx) => {
		await tx.update(people).set({ passwordHash: hash, mustChangePassword: false, updatedAt: new Date() }).where(eq(people.id, actor.personId));
		await invalidatePersonSessions(tx, actor.personId, sessionId);
		await clearBucket(tx, bucket);
		await recordAudit(tx, actor, { action: 'password.change', targetType: 'person', targetId: actor.personId });
	});
	return { ok: true };
}
