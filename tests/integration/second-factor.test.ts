import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, recoveryCodes, secondFactors, sessions } from '../../src/lib/server/db/schema';
import {
	confirmEnrolment,
	enrolmentSecret,
	markSessionVerified,
	resetSecondFactor,
	secondFactorStatus,
	verifySecondFactor,
	type FactorContext
} from '../../src/lib/server/auth/mfa/factors';
import { secretKeyFromEnv } from '../../src/lib/server/auth/mfa/secret-box';
import { timeStep, totpAt } from '../../src/lib/server/auth/mfa/totp';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { requestUser } from '../../src/lib/server/auth/request-user';
import { stepUpFresh } from '../../src/lib/server/auth/mfa/step-up';

let handle: DbHandle;
let orgId: string;
const ctx: FactorContext = {
	key: secretKeyFromEnv({ MFA_SECRET_KEY: 'cd'.repeat(32) }),
	limits: { windowMs: 15 * 60_000, perAccount: 5, perAddress: 100 }
};
const policy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 };
const t0 = new Date('2026-12-07T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
});
afterAll(() => handle?.close());

async function person(number: string, roles: ('admin' | 'approver')[] = ['approver']) {
	const p = await makePerson(handle.db, orgId, { employeeNumber: number, password: 'test-password', roles, mustChangePassword: false });
	return { orgId, personId: p.id, ip: '10.0.0.9' };
}

/** Enrols a person at t0 and returns the secret and the recovery codes. */
async function enrolled(number: string) {
	const actor = await person(number);
	const secret = (await enrolmentSecret(handle.db, ctx.key, { id: actor.personId, orgId }))!;
	const result = await confirmEnrolment(handle.db, ctx, actor, totpAt(secret, timeStep(t0)), t0);
	if (!result.ok) throw new Error(`enrolment failed: ${JSON.stringify(result)}`);
	return { actor, secret, codes: result.recoveryCodes };
}

describe('enrolment', () => {
	it('offers one secret until it is confirmed, stores it sealed, and never offers it again', async () => {
		const actor = await person('M001');
		const first = (await enrolmentSecret(handle.db, ctx.key, { id: actor.personId, orgId }))!;
		const again = (await enrolmentSecret(handle.db, ctx.key, { id: actor.personId, orgId }))!;
		expect(again).toEqual(first);
		const [row] = await handle.db.select().from(secondFactors).where(eq(secondFactors.personId, actor.personId));
		expect(row.secret.startsWith('v1:')).toBe(true);
		expect(row.confirmedAt).toBeNull();
		expect((await secondFactorStatus(handle.db, orgId, actor.personId)).enrolled).toBe(false);

		const wrong = await confirmEnrolment(handle.db, ctx, actor, '000000' === totpAt(first, timeStep(t0)) ? '111111' : '000000', t0);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		const done = await confirmEnrolment(handle.db, ctx, actor, totpAt(first, timeStep(t0)), t0);
		expect(done.ok).toBe(true);
		if (!done.ok) return;
		expect(done.recoveryCodes).toHaveLength(10);
		expect(new Set(done.recoveryCodes).size).toBe(10);
		const stored = await handle.db.select().from(recoveryCodes).where(eq(recoveryCodes.personId, actor.personId));
		expect(stored).toHaveLength(10);
		// Only hashes are kept.
		for (const code of done.recoveryCodes) expect(stored.some((r) => r.codeHash.includes(code.replace(/-/g, '')))).toBe(false);
		expect(await enrolmentSecret(handle.db, ctx.key, { id: actor.personId, orgId })).toBeNull();
		expect(await secondFactorStatus(handle.db, orgId, actor.personId)).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });
		const events = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, actor.personId), eq(auditEvents.action, 'second_factor.enrol')));
		expect(events).toHaveLength(1);
		// The code that confirmed enrolment cannot log in afterwards.
		expect(await verifySecondFactor(handle.db, ctx, actor, totpAt(first, timeStep(t0)), at(5))).toEqual({ ok: false, reason: 'invalid' });
	});
});

describe('verification', () => {
	it('accepts a code once: the same code, or an older step, is refused in its window', async () => {
		const { actor, secret } = await enrolled('M002');
		const later = at(90);
		const code = totpAt(secret, timeStep(later));
		expect(await verifySecondFactor(handle.db, ctx, actor, code, later)).toMatchObject({ ok: true, method: 'totp' });
		expect(await verifySecondFactor(handle.db, ctx, actor, code, at(95))).toEqual({ ok: false, reason: 'invalid' });
		// The step before is still inside the drift window, but older than the one accepted.
		expect(await verifySecondFactor(handle.db, ctx, actor, totpAt(secret, timeStep(later) - 1), at(95))).toEqual({ ok: false, reason: 'invalid' });
		expect(await verifySecondFactor(handle.db, ctx, actor, totpAt(secret, timeStep(later) + 1), at(125))).toMatchObject({ ok: true });
	});

	it('lets two requests racing with one code through once', async () => {
		const { actor, secret } = await enrolled('M003');
		const now = at(200);
		const code = totpAt(secret, timeStep(now));
		const results = await Promise.all([1, 2, 3].map(() => verifySecondFactor(handle.db, ctx, actor, code, now)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('accepts each recovery code once, typed in any case and grouping', async () => {
		const { actor, codes } = await enrolled('M004');
		const typed = codes[3].toUpperCase().replace(/-/g, ' ');
		expect(await verifySecondFactor(handle.db, ctx, actor, typed, at(10))).toMatchObject({ ok: true, method: 'recovery', recoveryCodesLeft: 9 });
		expect(await verifySecondFactor(handle.db, ctx, actor, codes[3], at(20))).toEqual({ ok: false, reason: 'invalid' });
		expect(await verifySecondFactor(handle.db, ctx, actor, codes[4], at(30))).toMatchObject({ ok: true, method: 'recovery', recoveryCodesLeft: 8 });
		// Another person's code is nothing to this one.
		const other = await enrolled('M005');
		expect(await verifySecondFactor(handle.db, ctx, actor, other.codes[0], at(40))).toEqual({ ok: false, reason: 'invalid' });
		const [event] = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, actor.personId), eq(auditEvents.action, 'second_factor.success')));
		expect(event.detail).toMatchObject({ method: 'recovery' });
	});

	it('counts wrong codes like passwords: at the limit even the right code is refused until the window passes', async () => {
		const { actor, secret } = await enrolled('M006');
		const now = at(300);
		const right = totpAt(secret, timeStep(now));
		const wrong = right === '123456' ? '654321' : '123456';
		for (let i = 0; i < ctx.limits.perAccount - 1; i++)
			expect(await verifySecondFactor(handle.db, ctx, actor, wrong, now)).toEqual({ ok: false, reason: 'invalid' });
		const last = await verifySecondFactor(handle.db, ctx, actor, wrong, now);
		expect(last.ok === false && last.reason).toBe('locked');
		const refused = await verifySecondFactor(handle.db, ctx, actor, right, now);
		expect(refused.ok === false && refused.reason).toBe('locked');
		const afterWindow = new Date(now.getTime() + ctx.limits.windowMs + 1000);
		expect(await verifySecondFactor(handle.db, ctx, actor, totpAt(secret, timeStep(afterWindow)), afterWindow)).toMatchObject({ ok: true });
		const failures = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, actor.personId), eq(auditEvents.action, 'second_factor.failure')));
		expect(failures.some((e) => (e.detail as { locked?: boolean }).locked === true)).toBe(true);
	});
});

describe('sessions and step-up', () => {
	it('a session owes the code until it is checked, and the check dates the step-up', async () => {
		const { actor } = await enrolled('M007');
		const token = generateSessionToken();
		const session = await createSession(handle.db, token, { id: actor.personId, orgId }, policy, new Date());
		const before = await requestUser(handle.db, token, policy);
		expect(before?.user.hasSecondFactor).toBe(true);
		expect(before?.session.secondFactorAt).toBeNull();
		const checkedAt = new Date();
		await markSessionVerified(handle.db, session.id, checkedAt);
		const after = await requestUser(handle.db, token, policy);
		expect(after?.session.secondFactorAt?.getTime()).toBe(checkedAt.getTime());
		const stepUpMs = 15 * 60_000;
		expect(stepUpFresh(after!.user, after!.session.secondFactorAt!, stepUpMs, new Date(checkedAt.getTime() + 60_000))).toBe(true);
		expect(stepUpFresh(after!.user, after!.session.secondFactorAt!, stepUpMs, new Date(checkedAt.getTime() + stepUpMs))).toBe(false);
	});
});

describe('reset by an admin', () => {
	it('removes the factor and the codes, ends the sessions, and is audited', async () => {
		const admin = await person('M100', ['admin']);
		const { actor } = await enrolled('M008');
		await createSession(handle.db, generateSessionToken(), { id: actor.personId, orgId }, policy);
		expect(await resetSecondFactor(handle.db, admin, actor.personId)).toEqual({ ok: true, hadFactor: true });
		expect(await secondFactorStatus(handle.db, orgId, actor.personId)).toMatchObject({ enrolled: false });
		expect(await handle.db.select().from(recoveryCodes).where(eq(recoveryCodes.personId, actor.personId))).toHaveLength(0);
		expect(await handle.db.select().from(sessions).where(eq(sessions.personId, actor.personId))).toHaveLength(0);
		const [event] = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, actor.personId), eq(auditEvents.action, 'second_factor.reset')));
		expect(event.actorId).toBe(admin.personId);
		expect(event.detail).toMatchObject({ hadFactor: true });
	});

	it('refuses one’s own factor and a person of another organisation', async () => {
		const admin = await person('M101', ['admin']);
		expect(await resetSecondFactor(handle.db, admin, admin.personId)).toEqual({ ok: false, problem: 'self' });
		const otherOrg = (await makeOrg(handle.db, 'other-mfa')).id;
		const stranger = await makePerson(handle.db, otherOrg, { employeeNumber: 'X001', password: 'test-password' });
		expect(await resetSecondFactor(handle.db, admin, stranger.id)).toEqual({ ok: false, problem: 'not_found' });
		expect(await resetSecondFactor(handle.db, admin, 'not-a-uuid')).toEqual({ ok: false, problem: 'not_found' });
	});
});

describe('a key the server no longer has', () => {
	const otherKey: FactorContext = { ...ctx, key: secretKeyFromEnv({ MFA_SECRET_KEY: 'ef'.repeat(32) }) };

	it('refuses the app code as a wrong one, never an error, and the recovery codes still work', async () => {
		const { actor, secret, codes } = await enrolled('M901');
		const later = at(120);
		expect(await verifySecondFactor(handle.db, otherKey, actor, totpAt(secret, timeStep(later)), later)).toEqual({ ok: false, reason: 'invalid' });
		expect(await verifySecondFactor(handle.db, { ...ctx, key: null }, actor, totpAt(secret, timeStep(later)), later)).toEqual({ ok: false, reason: 'invalid' });
		const recovered = await verifySecondFactor(handle.db, otherKey, actor, codes[0], later);
		expect(recovered).toMatchObject({ ok: true, method: 'recovery' });
	});

	it('replaces a secret offered for enrolment that it cannot read', async () => {
		const actor = await person('M902');
		const offered = (await enrolmentSecret(handle.db, ctx.key, { id: actor.personId, orgId }))!;
		const fresh = (await enrolmentSecret(handle.db, otherKey.key, { id: actor.personId, orgId }))!;
		expect(fresh).not.toEqual(offered);
		const done = await confirmEnrolment(handle.db, otherKey, actor, totpAt(fresh, timeStep(t0)), t0);
		expect(done.ok).toBe(true);
	});
});
