import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, rowsOf, type DbHandle } from '../../src/lib/server/db/client';
import { databaseUrl } from '../helpers/db';
import { migrate } from '../../src/lib/server/db/migrate';
import { auditEvents, loginFailures, sessions } from '../../src/lib/server/db/schema';
import { login } from '../../src/lib/server/auth/login';
import { defaultLoginLimits } from '../../src/lib/server/auth/rate-limit';
import { createSession, generateSessionToken, sessionIdFromToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { requestUser } from '../../src/lib/server/auth/request-user';
import { changeOwnPassword } from '../../src/lib/server/auth/change-password';
import { and, count, inArray, sql } from 'drizzle-orm';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';

let handle: DbHandle;
let orgId: string;
const policy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 };

beforeAll(async () => {
	handle = await createTestDatabase();
	const org = await makeOrg(handle.db);
	orgId = org.id;
	await makePerson(handle.db, orgId, { employeeNumber: 'A001', password: 'test-password' });
	await makePerson(handle.db, orgId, { employeeNumber: 'A002', password: 'test-password', active: false });
	await makePerson(handle.db, orgId, { employeeNumber: 'A003', password: 'test-password' });
});
afterAll(() => handle?.close());

describe('login', () => {
	it('creates a session whose cookie token is stored only as its SHA-256', async () => {
		const result = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.1' }, defaultLoginLimits, policy);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.token.length).toBeGreaterThanOrEqual(32);
		const rows = await handle.db.select().from(sessions).where(eq(sessions.personId, result.session.personId));
		expect(rows.map((r) => r.id)).toContain(sessionIdFromToken(result.token));
		expect(rows.map((r) => r.id)).not.toContain(result.token);
		const again = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.1' }, defaultLoginLimits, policy);
		expect(again.ok && again.token).not.toBe(result.token);
	});

	it('accepts a full-width 職員番号 typed by an IME', async () => {
		const result = await login(handle.db, { orgId, loginId: 'Ａ００１', password: 'test-password', ip: '10.0.0.1' }, defaultLoginLimits, policy);
		expect(result.ok).toBe(true);
	});

	it('answers the same for a wrong password, an unknown account and a deactivated one', async () => {
		const wrong = await login(handle.db, { orgId, loginId: 'A001', password: 'nope-nope', ip: '10.0.0.2' }, defaultLoginLimits, policy);
		const unknown = await login(handle.db, { orgId, loginId: 'Z999', password: 'test-password', ip: '10.0.0.2' }, defaultLoginLimits, policy);
		const inactive = await login(handle.db, { orgId, loginId: 'A002', password: 'test-password', ip: '10.0.0.2' }, defaultLoginLimits, policy);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(inactive).toEqual({ ok: false, reason: 'invalid' });
		const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'login.failure'));
		expect(events.length).toBeGreaterThanOrEqual(3);
		expect(events.every((e) => e.ip === '10.0.0.2')).toBe(true);
	});

	it('locks an account after repeated failures, even for the right password, then opens again', async () => {
		const limits = { ...defaultLoginLimits, perAccount: 3 };
		const t0 = new Date('2026-04-01T09:00:00Z');
		for (let i = 0; i < 2; i++) {
			const r = await login(handle.db, { orgId, loginId: 'A003', password: 'bad', ip: '10.0.0.3' }, limits, policy, t0);
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const third = await login(handle.db, { orgId, loginId: 'A003', password: 'bad', ip: '10.0.0.3' }, limits, policy, t0);
		expect(third.ok).toBe(false);
		expect(!third.ok && third.reason).toBe('locked');
		const right = await login(
			handle.db,
			{ orgId, loginId: 'A003', password: 'test-password', ip: '10.0.0.4' },
			limits,
			policy,
			new Date(t0.getTime() + 60_000)
		);
		expect(!right.ok && right.reason).toBe('locked');
		const later = new Date(t0.getTime() + limits.windowMs + 1000);
		const after = await login(handle.db, { orgId, loginId: 'A003', password: 'test-password', ip: '10.0.0.4' }, limits, policy, later);
		expect(after.ok).toBe(true);
	});

	it('locks an unknown account id exactly like a known one', async () => {
		const limits = { ...defaultLoginLimits, perAccount: 2 };
		const t0 = new Date('2026-05-01T09:00:00Z');
		await login(handle.db, { orgId, loginId: 'ghost', password: 'x', ip: '10.0.0.5' }, limits, policy, t0);
		const second = await login(handle.db, { orgId, loginId: 'ghost', password: 'x', ip: '10.0.0.5' }, limits, policy, t0);
		expect(!second.ok && second.reason).toBe('locked');
	});

	it('ends the session whose cookie came with a successful login, and no other', async () => {
		const attempt = { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.8' };
		const first = await login(handle.db, attempt, defaultLoginLimits, policy);
		const other = await login(handle.db, attempt, defaultLoginLimits, policy);
		if (!first.ok || !other.ok) throw new Error('login failed');
		// A mistyped password logs nobody out.
		const mistyped = await login(handle.db, { ...attempt, password: 'not-the-password', previousToken: first.token }, defaultLoginLimits, policy);
		expect(mistyped.ok).toBe(false);
		expect(await validateSessionToken(handle.db, first.token, policy)).not.toBeNull();

		const second = await login(handle.db, { ...attempt, previousToken: first.token }, defaultLoginLimits, policy);
		if (!second.ok) throw new Error('login failed');
		expect(second.token).not.toBe(first.token);
		expect(await validateSessionToken(handle.db, first.token, policy)).toBeNull();
		expect(await validateSessionToken(handle.db, second.token, policy)).not.toBeNull();
		expect(await validateSessionToken(handle.db, other.token, policy)).not.toBeNull();
	});
});

describe('throttling that a stranger cannot turn against the owner', () => {
	const limits = { ...defaultLoginLimits, perAccount: 5, perAddress: 20 };

	async function ownerDevice(loginId: string, at: Date): Promise<string> {
		const r = await login(handle.db, { orgId, loginId, password: 'test-password', ip: '192.0.2.10' }, limits, policy, at);
		if (!r.ok) throw new Error(`login of ${loginId} failed: ${r.reason}`);
		return r.deviceToken;
	}

	it("locks only clients the account has not seen succeed: the owner's browser still logs in", async () => {
		await makePerson(handle.db, orgId, { employeeNumber: 'D001', password: 'test-password' });
		const t0 = new Date('2026-07-01T09:00:00Z');
		const device = await ownerDevice('D001', t0);
		// A stranger guesses from elsewhere until the account is locked for everyone without the cookie.
		for (let i = 0; i < limits.perAccount; i++)
			await login(handle.db, { orgId, loginId: 'D001', password: `guess-${i}`, ip: '203.0.113.9' }, limits, policy, t0);
		const stranger = await login(handle.db, { orgId, loginId: 'D001', password: 'test-password', ip: '203.0.113.9' }, limits, policy, t0);
		expect(!stranger.ok && stranger.reason).toBe('locked');
		// The owner, with their browser's device cookie, on the same shared address as the stranger even.
		const owner = await login(handle.db, { orgId, loginId: 'D001', password: 'test-password', ip: '203.0.113.9', deviceTokens: [device] }, limits, policy, t0);
		expect(owner.ok).toBe(true);
		// A cookie for another account is no help here.
		const otherDevice = await ownerDevice('A001', t0);
		const borrowed = await login(
			handle.db,
			{ orgId, loginId: 'D001', password: 'test-password', ip: '203.0.113.9', deviceTokens: [otherDevice] },
			limits,
			policy,
			t0
		);
		expect(!borrowed.ok && borrowed.reason).toBe('locked');
	});

	it('gives a trusted browser its own allowance, so guessing from it stays slow too', async () => {
		await makePerson(handle.db, orgId, { employeeNumber: 'D002', password: 'test-password' });
		const t0 = new Date('2026-07-02T09:00:00Z');
		const device = await ownerDevice('D002', t0);
		for (let i = 0; i < limits.perAccount; i++) {
			const r = await login(handle.db, { orgId, loginId: 'D002', password: `wrong-${i}`, ip: '192.0.2.10', deviceTokens: [device] }, limits, policy, t0);
			expect(r.ok).toBe(false);
		}
		const locked = await login(handle.db, { orgId, loginId: 'D002', password: 'test-password', ip: '192.0.2.10', deviceTokens: [device] }, limits, policy, t0);
		expect(!locked.ok && locked.reason).toBe('locked');
		// Clients without the cookie were never counted against.
		const elsewhere = await login(handle.db, { orgId, loginId: 'D002', password: 'test-password', ip: '192.0.2.11' }, limits, policy, t0);
		expect(elsewhere.ok).toBe(true);
	});

	it('locks one address that sprays many accounts, but not the trusted browsers behind it', async () => {
		await makePerson(handle.db, orgId, { employeeNumber: 'D003', password: 'test-password' });
		const t0 = new Date('2026-07-03T09:00:00Z');
		const device = await ownerDevice('D003', t0);
		for (let i = 0; i < limits.perAddress; i++)
			await login(handle.db, { orgId, loginId: `spray-${i}`, password: 'Password1', ip: '198.51.100.7' }, limits, policy, t0);
		const next = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '198.51.100.7' }, limits, policy, t0);
		expect(!next.ok && next.reason).toBe('locked');
		const owner = await login(handle.db, { orgId, loginId: 'D003', password: 'test-password', ip: '198.51.100.7', deviceTokens: [device] }, limits, policy, t0);
		expect(owner.ok).toBe(true);
	});

	it('checks no more passwords than the limit when 100 wrong ones arrive at once through two app processes', async () => {
		await makePerson(handle.db, orgId, { employeeNumber: 'D004', password: 'test-password' });
		// A second pool on the same database: what a second app process is to PostgreSQL.
		const second = await createDb({ url: await currentDatabaseUrl(), poolSize: 10 });
		try {
			const t0 = new Date('2026-07-04T09:00:00Z');
			const burst = Array.from({ length: 100 }, (_, i) =>
				login(i % 2 ? handle.db : second.db, { orgId, loginId: 'D004', password: `burst-${i}`, ip: `10.9.${i}.1` }, defaultLoginLimits, policy, t0)
			);
			const results = await Promise.all(burst);
			const checked = await handle.db
				.select({ n: count() })
				.from(auditEvents)
				.where(and(eq(auditEvents.action, 'login.failure'), eq(auditEvents.targetId, (await personId('D004'))!)));
			expect(checked[0].n).toBe(defaultLoginLimits.perAccount);
			expect(results.every((r) => !r.ok)).toBe(true);
			// The other 90 were turned away before any check.
			const refused = await handle.db
				.select({ n: count() })
				.from(auditEvents)
				.where(and(eq(auditEvents.action, 'login.locked'), sql`${auditEvents.detail}->>'loginId' = 'D004'`));
			expect(refused[0].n).toBe(100 - defaultLoginLimits.perAccount);
			const counted = await handle.db
				.select({ n: count() })
				.from(loginFailures)
				.where(and(eq(loginFailures.scope, 'account'), inArray(loginFailures.key, [`${orgId}:d004`])));
			expect(counted[0].n).toBe(defaultLoginLimits.perAccount);
		} finally {
			await second.close();
		}
	});
});

async function currentDatabaseUrl(): Promise<string> {
	const [row] = await rowsOf<{ name: string }>(handle.db, sql`select current_database() as name`);
	return databaseUrl(row.name);
}

async function personId(employeeNumber: string): Promise<string | undefined> {
	const { people } = await import('../../src/lib/server/db/schema');
	const [row] = await handle.db
		.select({ id: people.id })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, employeeNumber)));
	return row?.id;
}

describe('sessions', () => {
	it('slides with use, ends when idle too long and at the absolute lifetime', async () => {
		const t0 = new Date('2026-06-01T00:00:00Z');
		const r = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.6' }, defaultLoginLimits, policy, t0);
		if (!r.ok) throw new Error('login failed');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		expect(await validateSessionToken(handle.db, r.token, policy, at(20))).not.toBeNull();
		expect(await validateSessionToken(handle.db, r.token, policy, at(45))).not.toBeNull(); // slid at 20
		// Keep it busy every 20 minutes up to the 8-hour cap.
		for (let m = 65; m < 480; m += 20) expect(await validateSessionToken(handle.db, r.token, policy, at(m))).not.toBeNull();
		expect(await validateSessionToken(handle.db, r.token, policy, at(481))).toBeNull();

		const r2 = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.6' }, defaultLoginLimits, policy, t0);
		if (!r2.ok) throw new Error('login failed');
		expect(await validateSessionToken(handle.db, r2.token, policy, at(31))).toBeNull();
	});

	it('deletes an ended session, so a longer setting cannot bring it back', async () => {
		const t0 = new Date('2026-06-02T00:00:00Z');
		const r = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.6' }, defaultLoginLimits, policy, t0);
		if (!r.ok) throw new Error('login failed');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		expect(await validateSessionToken(handle.db, r.token, policy, at(29))).not.toBeNull();
		expect(await validateSessionToken(handle.db, r.token, policy, at(60))).toBeNull();
		expect(
			await handle.db
				.select()
				.from(sessions)
				.where(eq(sessions.id, sessionIdFromToken(r.token)))
		).toEqual([]);
		expect(await validateSessionToken(handle.db, r.token, { idleMs: 10 * 3_600_000, maxMs: 24 * 3_600_000 }, at(61))).toBeNull();
	});

	it('applies a shortened idle timeout and lifetime to sessions already open', async () => {
		const t0 = new Date('2026-06-03T00:00:00Z');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		const open = async () => {
			const r = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.6' }, defaultLoginLimits, policy, t0);
			if (!r.ok) throw new Error('login failed');
			return r.token;
		};
		// Opened under a 30-minute idle timeout, checked after 20 idle minutes under a 15-minute one.
		const idle = await open();
		expect(await validateSessionToken(handle.db, idle, { ...policy, idleMs: 15 * 60_000 }, at(20))).toBeNull();
		// Kept busy for two hours, then the lifetime is cut to one.
		const busy = await open();
		for (let m = 20; m <= 120; m += 20) expect(await validateSessionToken(handle.db, busy, policy, at(m))).not.toBeNull();
		expect(await validateSessionToken(handle.db, busy, { ...policy, maxMs: 3_600_000 }, at(121))).toBeNull();
	});

	it('a deactivated person no longer resolves to a user', async () => {
		const p = await makePerson(handle.db, orgId, { employeeNumber: 'A010', password: 'test-password' });
		expect(await loadCurrentUser(handle.db, p.id, orgId)).not.toBeNull();
		const { people } = await import('../../src/lib/server/db/schema');
		await handle.db.update(people).set({ active: false }).where(eq(people.id, p.id));
		expect(await loadCurrentUser(handle.db, p.id, orgId)).toBeNull();
		expect(await loadCurrentUser(handle.db, p.id, '00000000-0000-0000-0000-000000000000')).toBeNull();
	});
});

describe('requestUser', () => {
	it('finds the session and its person in one read, and nothing for an ended session, a deactivated person or another organisation', async () => {
		const { people, personRoles } = await import('../../src/lib/server/db/schema');
		const p = await makePerson(handle.db, orgId, { employeeNumber: 'A011', password: 'test-password' });
		await handle.db.insert(personRoles).values({ orgId, personId: p.id, role: 'supervisor' });
		const t0 = new Date('2026-11-26T09:00:00Z');
		const token = generateSessionToken();
		await createSession(handle.db, token, { id: p.id, orgId }, policy, t0);
		const found = await requestUser(handle.db, token, policy, new Date(t0.getTime() + 5 * 60_000));
		expect(found?.user).toEqual(await loadCurrentUser(handle.db, p.id, orgId));
		expect(found?.user.roles).toEqual(['supervisor']);
		expect(found?.session.lastSeenAt.toISOString()).toBe('2026-11-26T09:05:00.000Z');
		expect(await requestUser(handle.db, generateSessionToken(), policy)).toBeNull();

		// A session naming the person under another organisation finds nobody.
		const other = await makeOrg(handle.db, 'request-user-other');
		const forged = generateSessionToken();
		await createSession(handle.db, forged, { id: p.id, orgId: other.id }, policy, t0);
		expect(await requestUser(handle.db, forged, policy, t0)).toBeNull();

		// Idle past the timeout: gone, and deleted.
		expect(await requestUser(handle.db, token, policy, new Date(t0.getTime() + 5 * 60_000 + policy.idleMs))).toBeNull();
		expect(
			await handle.db
				.select()
				.from(sessions)
				.where(eq(sessions.id, sessionIdFromToken(token)))
		).toEqual([]);

		const fresh = generateSessionToken();
		await createSession(handle.db, fresh, { id: p.id, orgId }, policy, t0);
		await handle.db.update(people).set({ active: false }).where(eq(people.id, p.id));
		expect(await requestUser(handle.db, fresh, policy, t0)).toBeNull();
	});
});

describe('requestUser on the embedded database (PGlite)', () => {
	it('finds the session and its person the same way', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-auth-'));
		const embedded = await createDb({ dataDir: path.join(dir, 'db') });
		try {
			await migrate(embedded);
			const org = await makeOrg(embedded.db, 'request-user-pglite');
			const p = await makePerson(embedded.db, org.id, { employeeNumber: 'E001', password: 'test-password' });
			const token = generateSessionToken();
			await createSession(embedded.db, token, { id: p.id, orgId: org.id }, policy);
			for (let i = 0; i < 2; i++) {
				expect((await requestUser(embedded.db, token, policy))?.user).toEqual(await loadCurrentUser(embedded.db, p.id, org.id));
			}
			expect(await requestUser(embedded.db, generateSessionToken(), policy)).toBeNull();
			// Counting attempts under an advisory lock works on the embedded database too.
			const limits = { ...defaultLoginLimits, perAccount: 2 };
			const wrong = () => login(embedded.db, { orgId: org.id, loginId: 'E001', password: 'wrong', ip: '10.0.0.1' }, limits, policy);
			expect(await wrong()).toEqual({ ok: false, reason: 'invalid' });
			expect((await wrong()).ok).toBe(false);
			const locked = await login(embedded.db, { orgId: org.id, loginId: 'E001', password: 'test-password', ip: '10.0.0.1' }, limits, policy);
			expect(!locked.ok && locked.reason).toBe('locked');
		} finally {
			await embedded.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('changeOwnPassword', () => {
	it('checks the current password, length and common passwords; ends other sessions', async () => {
		const p = await makePerson(handle.db, orgId, { employeeNumber: 'A020', password: 'test-password', mustChangePassword: true });
		const actor = { orgId, personId: p.id, ip: '10.0.0.7' };
		const a = await login(handle.db, { orgId, loginId: 'A020', password: 'test-password', ip: '10.0.0.7' }, defaultLoginLimits, policy);
		const b = await login(handle.db, { orgId, loginId: 'A020', password: 'test-password', ip: '10.0.0.7' }, defaultLoginLimits, policy);
		if (!a.ok || !b.ok) throw new Error('login failed');
		expect(a.mustChangePassword).toBe(true);
		const change = (current: string, next: string, confirm = next) => changeOwnPassword(handle.db, actor, a.session.id, { current, next, confirm });

		expect(await change('wrong', 'a long new phrase')).toEqual({ ok: false, problem: 'wrong_current' });
		expect(await change('test-password', 'short')).toEqual({ ok: false, problem: 'too_short' });
		expect(await change('test-password', 'x'.repeat(65))).toEqual({ ok: false, problem: 'too_long' });
		expect(await change('test-password', 'password123')).toEqual({ ok: false, problem: 'too_common' });
		expect(await change('test-password', 'a long new phrase', 'another phrase')).toEqual({ ok: false, problem: 'mismatch' });
		expect(await change('test-password', 'a long new phrase')).toEqual({ ok: true });

		expect(await validateSessionToken(handle.db, a.token, policy)).not.toBeNull();
		expect(await validateSessionToken(handle.db, b.token, policy)).toBeNull();
		const user = await loadCurrentUser(handle.db, p.id, orgId);
		expect(user?.mustChangePassword).toBe(false);
		const relog = await login(handle.db, { orgId, loginId: 'A020', password: 'a long new phrase', ip: '10.0.0.7' }, defaultLoginLimits, policy);
		expect(relog.ok).toBe(true);
	});
});

describe('guessing the current password on an open session', () => {
	it('is counted like a login: audited, locked after the limit, and opens again after the window', async () => {
		const limits = { ...defaultLoginLimits, perAccount: 4 };
		const p = await makePerson(handle.db, orgId, { employeeNumber: 'A021', password: 'test-password' });
		const actor = { orgId, personId: p.id, ip: '10.0.0.21' };
		const s = await login(handle.db, { orgId, loginId: 'A021', password: 'test-password', ip: '10.0.0.21' }, defaultLoginLimits, policy);
		if (!s.ok) throw new Error('login failed');
		const t0 = new Date('2026-08-01T09:00:00Z');
		const change = (current: string, at = t0) =>
			changeOwnPassword(handle.db, actor, s.session.id, { current, next: 'kumo no ue no hokuto', confirm: 'kumo no ue no hokuto' }, limits, at);
		for (let i = 0; i < limits.perAccount - 1; i++) expect(await change(`guess-${i}`)).toEqual({ ok: false, problem: 'wrong_current' });
		const last = await change('guess-last');
		expect(last.ok === false && last.problem).toBe('locked');
		// Even the right one waits now, and nothing is checked.
		const right = await change('test-password');
		expect(right.ok === false && right.problem).toBe('locked');
		const failures = await handle.db
			.select({ n: count() })
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'password.change_failure'), eq(auditEvents.targetId, p.id)));
		expect(failures[0].n).toBe(limits.perAccount);
		const refusals = await handle.db
			.select({ n: count() })
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'password.change_locked'), eq(auditEvents.targetId, p.id)));
		expect(refusals[0].n).toBe(1);
		expect(await change('test-password', new Date(t0.getTime() + limits.windowMs + 1000))).toEqual({ ok: true });
	});

	it("refuses blank passwords and ones made of the organisation's name and a year", async () => {
		const p = await makePerson(handle.db, orgId, { employeeNumber: 'A022', password: 'test-password' });
		const { organizations } = await import('../../src/lib/server/db/schema');
		const [org] = await handle.db.select().from(organizations).where(eq(organizations.id, orgId));
		const s = await login(handle.db, { orgId, loginId: 'A022', password: 'test-password', ip: '10.0.0.22' }, defaultLoginLimits, policy);
		if (!s.ok) throw new Error('login failed');
		const change = (next: string) =>
			changeOwnPassword(handle.db, { orgId, personId: p.id, ip: '10.0.0.22' }, s.session.id, { current: 'test-password', next, confirm: next });
		expect(await change('        ')).toEqual({ ok: false, problem: 'blank' });
		expect(await change(`${org.name}2026`.padEnd(8, '!'))).toEqual({ ok: false, problem: 'too_predictable' });
		expect(await change(`${org.slug}2026!`)).toEqual({ ok: false, problem: 'too_predictable' });
	});
});

describe('the idle timeout', () => {
	it('counts from the last request, to the second, not from the last minute mark', async () => {
		const t0 = new Date('2026-09-01T09:00:00Z');
		const r = await login(handle.db, { orgId, loginId: 'A001', password: 'test-password', ip: '10.0.0.30' }, defaultLoginLimits, policy, t0);
		if (!r.ok) throw new Error('login failed');
		const at = (ms: number) => new Date(t0.getTime() + ms);
		// Busy 50 seconds after login, then idle: the session lives until 50 s + the idle timeout.
		expect(await validateSessionToken(handle.db, r.token, policy, at(50_000))).not.toBeNull();
		expect(await validateSessionToken(handle.db, r.token, policy, at(50_000 + policy.idleMs - 1000))).not.toBeNull();
		expect(await validateSessionToken(handle.db, r.token, policy, at(50_000 + policy.idleMs - 1000 + policy.idleMs + 1000))).toBeNull();
	});
});
