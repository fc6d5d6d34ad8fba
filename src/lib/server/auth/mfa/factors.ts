// Enrolment, checks and reset of a person's second factor. Checks are counted like passwords
// (rate-limit.ts, one bucket per person), a TOTP step is accepted once, a recovery code once.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { isUuid } from '../../db/ids';
import { people, recoveryCodes, secondFactors, sessions } from '../../db/schema';
import { recordAudit, type AuditActor } from '../../audit/log';
import { lockedUntil, releaseAttempt, reserveAttempt, type Bucket, type LoginLimits } from '../rate-limit';
import { invalidatePersonSessions } from '../session';
import { generateTotpSecret, matchTotp } from './totp';
import { readableSecret, sealSecret, type SecretKey } from './secret-box';

export const recoveryCodeCount = 10;
/** Longer input than any code is refused before any work. */
export const secondFactorCodeMaxLength = 64;

export interface FactorContext {
	key: SecretKey;
	limits: LoginLimits;
}

export interface SecondFactorStatus {
	enrolled: boolean;
	confirmedAt: Date | null;
	recoveryCodesLeft: number;
}

export async function secondFactorStatus(db: DbOrTx, orgId: string, personId: string): Promise<SecondFactorStatus> {
	const [factor] = await db
		.select({ confirmedAt: secondFactors.confirmedAt })
		.from(secondFactors)
		.where(and(eq(secondFactors.orgId, orgId), eq(secondFactors.personId, personId), isNotNull(secondFactors.confirmedAt)));
	if (!factor) return { enrolled: false, confirmedAt: null, recoveryCodesLeft: 0 };
	const [{ n }] = await db
		.select({ n: count() })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
	return { enrolled: true, confirmedAt: factor.confirmedAt, recoveryCodesLeft: n };
}

/**
 * The secret to show for enrolment: the one already offered and not yet confirmed, or a new one.
 * Null when the person is enrolled: a confirmed secret is never shown again.
 */
export async function enrolmentSecret(db: DbOrTx, key: SecretKey, person: { id: string; orgId: string }): Promise<Uint8Array | null> {
	const [existing] = await db
		.select({ secret: secondFactors.secret, confirmedAt: secondFactors.confirmedAt })
		.from(secondFactors)
		.where(and(eq(secondFactors.orgId, person.orgId), eq(secondFactors.personId, person.id)));
	if (existing?.confirmedAt) return null;
	const offered = existing && readableSecret(existing.secret, key);
	if (offered) return offered;
	// An offered secret this server cannot read (the key changed) is replaced by a new one.
	if (existing) await db.delete(secondFactors).where(and(eq(secondFactors.personId, person.id), isNull(secondFactors.confirmedAt)));
	const secret = generateTotpSecret();
	// Two tabs opening the page together: the first one's secret wins, and both show it.
	await db
		.insert(secondFactors)
		.values({ personId: person.id, orgId: person.orgId, secret: sealSecret(secret, key) })
		.onConflictDoNothing();
	return enrolmentSecret(db, key, person);
}

/** A recovery code as shown: 16 base32 characters (80 random bits) in groups of four. */
export function generateRecoveryCode(): string {
	const raw = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
	return raw.match(/.{4}/g)!.join('-');
}

/** What a typed code is compared as: NFKC, no spaces or hyphens, lower case. */
export function normaliseCode(text: string): string {
	return text
		.normalize('NFKC')
		.replace(/[\s\-‐－ー]/g, '')
		.toLowerCase();
}

// Recovery codes carry 80 random bits, so a fast hash is enough: no list of likely codes exists to
// try, and 2^80 guesses are out of reach. A slow hash would cost ten argon2 runs per attempt
// (a typed code is compared with each unused one) for no gain; SHA-256 also lets the database
// find the code by its hash and mark it used in one statement, so a code works exactly once.
export const recoveryCodeHash = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(normaliseCode(code))));

const bucketFor = (personId: string, limits: LoginLimits): Bucket => ({ scope: 'second_factor', key: personId, limit: limits.perAccount });

export type CheckResult<T> = ({ ok: true } & T) | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; until: Date };

/**
 * Confirms enrolment with a code from the app, and issues the recovery codes (returned once, for
 * the page to show; only their hashes are kept).
 */
export async function confirmEnrolment(
	db: DbOrTx,
	ctx: FactorContext,
	actor: AuditActor & { orgId: string; personId: string },
	code: string,
	now = new Date()
): Promise<CheckResult<{ recoveryCodes: string[] }> | { ok: false; reason: 'not_started' }> {
	const [pending] = await db
		.select({ secret: secondFactors.secret, confirmedAt: secondFactors.confirmedAt })
		.from(secondFactors)
		.where(and(eq(secondFactors.orgId, actor.orgId), eq(secondFactors.personId, actor.personId)));
	if (!pending || pending.confirmedAt) return { ok: false, reason: 'not_started' };
	const counted = await countAttempt(db, ctx, actor, 'second_factor.enrol_failure', now);
	if (!counted.ok) return counted;
	const typed = normaliseCode(code);
	const secret = readableSecret(pending.secret, ctx.key);
	const step = secret && typed.length <= secondFactorCodeMaxLength ? matchTotp(secret, typed, now) : null;
	if (step === null) return failed(db, ctx, actor, 'second_factor.enrol_failure', now);
	const codes = Array.from({ length: recoveryCodeCount }, generateRecoveryCode);
	const confirmed = await db.transaction(async (tx) => {
		const rows = await tx
			.update(secondFactors)
			.set({ confirmedAt: now, lastStep: step })
			.where(and(eq(secondFactors.personId, actor.personId), isNull(secondFactors.confirmedAt)))
			.returning({ personId: secondFactors.personId });
		if (!rows.length) return false;
		await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, actor.personId));
		await tx.insert(recoveryCodes).values(codes.map((c) => ({ orgId: actor.orgId, personId: actor.personId, codeHash: recoveryCodeHash(c) })));
		await recordAudit(tx, actor, { action: 'second_factor.enrol', targetType: 'person', targetId: actor.personId });
		return true;
	});
	if (!confirmed) return { ok: false, reason: 'not_started' };
	await releaseAttempt(db, counted.ids);
	return { ok: true, recoveryCodes: codes };
}

/**
 * Checks a code from the app (six digits) or a recovery code. A TOTP step is accepted only if it
 * is later than the last one accepted, and a recovery code is marked used, each in one statement,
 * so two requests racing with the same code cannot both pass.
 */
export async function verifySecondFactor(
	db: DbOrTx,
	ctx: FactorContext,
	actor: AuditActor & { orgId: string; personId: string },
	code: string,
	now = new Date()
): Promise<CheckResult<{ method: 'totp' | 'recovery'; recoveryCodesLeft: number }>> {
	const counted = await countAttempt(db, ctx, actor, 'second_factor.failure', now);
	if (!counted.ok) return counted;
	const typed = normaliseCode(code);
	let method: 'totp' | 'recovery' | null = null;
	if (typed.length > secondFactorCodeMaxLength) method = null;
	else if (/^\d{6}$/.test(typed)) {
		const [factor] = await db
			.select({ secret: secondFactors.secret })
			.from(secondFactors)
			.where(and(eq(secondFactors.orgId, actor.orgId), eq(secondFactors.personId, actor.personId), isNotNull(secondFactors.confirmedAt)));
		const secret = factor && readableSecret(factor.secret, ctx.key);
		const step = secret ? matchTotp(secret, typed, now) : null;
		if (step !== null) {
			const taken = await db
				.update(secondFactors)
				.set({ lastStep: step })
				.where(and(eq(secondFactors.personId, actor.personId), lt(secondFactors.lastStep, step)))
				.returning({ personId: secondFactors.personId });
			if (taken.length) method = 'totp';
		}
	} else if (typed.length > 0) {
		const used = await db
			.update(recoveryCodes)
			.set({ usedAt: now })
			.where(
				and(
					eq(recoveryCodes.orgId, actor.orgId),
					eq(recoveryCodes.personId, actor.personId),
					eq(recoveryCodes.codeHash, recoveryCodeHash(typed)),
					isNull(recoveryCodes.usedAt)
				)
			)
			.returning({ id: recoveryCodes.id });
		if (used.length) method = 'recovery';
	}
	if (!method) return failed(db, ctx, actor, 'second_factor.failure', now);
	await releaseAttempt(db, counted.ids);
	const { recoveryCodesLeft } = await secondFactorStatus(db, actor.orgId, actor.personId);
	await recordAudit(db, actor, { action: 'second_factor.success', targetType: 'person', targetId: actor.personId, detail: { method, recoveryCodesLeft } });
	return { ok: true, method, recoveryCodesLeft };
}

async function countAttempt(
	db: DbOrTx,
	ctx: FactorContext,
	actor: AuditActor & { orgId: string; personId: string },
	failureAction: 'second_factor.failure' | 'second_factor.enrol_failure',
	now: Date
): Promise<{ ok: true; ids: string[] } | { ok: false; reason: 'locked'; until: Date }> {
	const reserved = await reserveAttempt(db, [bucketFor(actor.personId, ctx.limits)], ctx.limits.windowMs, now);
	if (reserved.ok) return reserved;
	await recordAudit(db, actor, { action: failureAction, targetType: 'person', targetId: actor.personId, detail: { locked: true } });
	return { ok: false, reason: 'locked', until: reserved.until };
}

/** A wrong code: it stays counted, and the log says whether it reached the limit. */
async function failed(
	db: DbOrTx,
	ctx: FactorContext,
	actor: AuditActor & { orgId: string; personId: string },
	action: 'second_factor.failure' | 'second_factor.enrol_failure',
	now: Date
): Promise<{ ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; until: Date }> {
	const until = await lockedUntil(db, [bucketFor(actor.personId, ctx.limits)], ctx.limits.windowMs, now);
	await recordAudit(db, actor, { action: action, targetType: 'person', targetId: actor.personId, detail: { locked: until !== null } });
	return until ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
}

/** The session has now proved the second factor: the login goes on, a step-up is fresh. */
export async function markSessionVerified(db: DbOrTx, sessionId: string, now = new Date()): Promise<void> {
	await db.update(sessions).set({ secondFactorAt: now }).where(eq(sessions.id, sessionId));
}

/**
 * An admin removes another person's second factor (a lost phone and no recovery codes left). Their
 * sessions end; at the next login they enrol again if their role requires it.
 */
export async function resetSecondFactor(
	db: DbOrTx,
	actor: AuditActor & { orgId: string; personId: string },
	personId: string
): Promise<{ ok: true; hadFactor: boolean } | { ok: false; problem: 'not_found' | 'self' }> {
	if (!isUuid(personId)) return { ok: false, problem: 'not_found' };
	personId = personId.toLowerCase();
	// One's own factor is not reset here: that would let a stolen admin password remove the code it lacks.
	if (personId === actor.personId) return { ok: false, problem: 'self' };
	return db.transaction(async (tx) => {
		const [person] = await tx
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.orgId, actor.orgId), eq(people.id, personId)));
		if (!person) return { ok: false as const, problem: 'not_found' as const };
		const removed = await tx
			.delete(secondFactors)
			.where(and(eq(secondFactors.orgId, actor.orgId), eq(secondFactors.personId, personId)))
			.returning({ confirmedAt: secondFactors.confirmedAt });
		await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.orgId, actor.orgId), eq(recoveryCodes.personId, personId)));
		const hadFactor = removed.some((r) => r.confirmedAt !== null);
		if (hadFactor) await invalidatePersonSessions(tx, personId);
		await recordAudit(tx, actor, { action: 'second_factor.reset', targetType: 'person', targetId: personId, detail: { hadFactor } });
		return { ok: true as const, hadFactor };
	});
}
