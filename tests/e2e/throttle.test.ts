// Login throttling as a town hall deploys it: two app processes on one PostgreSQL behind one reverse
// proxy that appends the client's address to X-Forwarded-For. Both start at once on an empty
// database with the demo (they take turns at migrating and seeding); a burst of 100 wrong passwords
// across both is checked no more than the limit; a stranger's guesses do not keep the owner's
// browser out; the address comes from the proxy's entry, never from what the client forged.
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Pool } from 'undici';
import { startMamori, type Server } from '../../bench/servers';
import { newPool, send } from '../../bench/load';
import { adminQuery, databaseUrl } from '../helpers/db';
import { freePort } from '../helpers/private-postgres';
import { createDb, rowsOf } from '../../src/lib/server/db/client';
import { makePerson } from '../helpers/fixtures';
import { demoPassword, e2eDatabaseUrl, login, logout } from './helpers';

test.setTimeout(300_000);

const database = `mamori_e2e_throttle_${process.pid}`;
const servers: Server[] = [];
const pools: Pool[] = [];
let db: pg.Pool | undefined;

test.afterAll(async () => {
	await Promise.all(pools.map((p) => p.close()));
	await Promise.all(servers.map((s) => s.stop()));
	await db?.end();
	await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

interface Answer {
	status: number;
	cookies: string[];
}

/** A login form post as the proxy passes it on: X-Forwarded-For ends with the address it saw. */
async function postLogin(pool: Pool, origin: string, who: string, password: string, forwardedFor: string, cookie?: string): Promise<Answer> {
	const r = await send(pool, {
		method: 'POST',
		path: '/login',
		headers: {
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			'x-forwarded-for': forwardedFor,
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams({ employeeNumber: who, password }).toString()
	});
	return { status: r.status, cookies: ([] as string[]).concat(r.headers['set-cookie'] ?? []) };
}

test('two processes behind one proxy: a burst gets the limit of checks, the owner gets in, forged addresses are ignored', async () => {
	await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
	await adminQuery(`CREATE DATABASE ${database}`);
	const ports = [await freePort(), await freePort()];
	if (ports[0] === ports[1]) ports[1] = await freePort();
	// The proxy appends one address; the app trusts that one entry (XFF_DEPTH=1) and nothing left of it.
	const env = { MAMORI_DEMO: '1', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', LOGIN_MAX_FAILURES: '10', LOGIN_MAX_FAILURES_PER_ADDRESS: '100' };
	const started = await Promise.allSettled(ports.map((port) => startMamori(databaseUrl(database), port, env)));
	for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
	const failures = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason).slice(0, 2000));
	expect(failures, 'both processes started on the empty database at once').toEqual([]);
	const [a, b] = servers;
	const origins = ports.map((p) => `http://localhost:${p}`);
	pools.push(newPool(a.origin, 60), newPool(b.origin, 60));
	db = new pg.Pool({ connectionString: databaseUrl(database), max: 2 });
	const audited = async (action: string, loginId: string) =>
		Number((await db!.query(`select count(*) as n from audit_events where action = $1 and detail->>'loginId' = $2`, [action, loginId])).rows[0].n);

	// The owner logs in from their own terminal first, and their browser keeps the device cookie.
	const first = await postLogin(pools[0], origins[0], 'demo-staff', demoPassword, '10.20.0.5');
	expect(first.status).toBe(303);
	const device = first.cookies.find((c) => c.startsWith('mamori_device='));
	expect(device, 'a device cookie after a successful login').toBeTruthy();
	expect(device).toMatch(/HttpOnly/i);
	expect(device).toMatch(/Path=\/login/i);
	expect(device).toMatch(/SameSite=Strict/i);
	const deviceCookie = device!.split(';')[0];

	// 100 wrong passwords at once, half through each process, each from an address of its own.
	const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => postLogin(pools[i % 2], origins[i % 2], 'demo-staff', `burst-${i}`, `10.21.${i}.1`)));
	expect(
		burst.every((r) => r.status === 400 || r.status === 429),
		`statuses ${[...new Set(burst.map((r) => r.status))]}`
	).toBe(true);
	expect(await audited('login.failure', 'demo-staff'), 'passwords checked').toBe(10);
	expect(await audited('login.locked', 'demo-staff'), 'refused before any check').toBe(90);

	// A stranger with the right password is refused; the owner's browser, through the other process, is not.
	expect((await postLogin(pools[1], origins[1], 'demo-staff', demoPassword, '10.22.0.1')).status).toBe(429);
	expect((await postLogin(pools[1], origins[1], 'demo-staff', demoPassword, '10.20.0.5', deviceCookie)).status).toBe(303);

	// An address the client forged stands left of the proxy's own entry and is ignored.
	expect((await postLogin(pools[0], origins[0], 'demo-chief', 'wrong-password', '203.0.113.66, 10.30.0.7')).status).toBe(400);
	const ips = (await db.query(`select ip from audit_events where action = 'login.failure' and detail->>'loginId' = 'demo-chief'`)).rows.map((r) => r.ip);
	expect(ips).toEqual(['10.30.0.7']);

	// One real address spraying unknown ids is locked, whatever it writes in front of the proxy's entry;
	// the next address along is not.
	await Promise.all(
		Array.from({ length: 100 }, (_, i) => postLogin(pools[i % 2], origins[i % 2], `spray-${i}`, 'Password1', `198.51.100.${i % 250}, 10.40.0.1`))
	);
	expect((await postLogin(pools[0], origins[0], 'demo-parttime', demoPassword, '10.40.0.1')).status).toBe(429);
	expect((await postLogin(pools[1], origins[1], 'demo-parttime', demoPassword, '6.6.6.6, 10.40.0.2')).status).toBe(303);

	expect(servers.every((s) => s.running())).toBe(true);
});

test('without a proxy setting, X-Forwarded-For is not believed at all', async ({ baseURL }) => {
	const origin = new URL(baseURL!).origin;
	const pool = newPool(origin, 1);
	try {
		expect((await postLogin(pool, origin, 'demo-owner', 'not-the-password', '203.0.113.99')).status).toBe(400);
	} finally {
		await pool.close();
	}
	const e2e = new pg.Client({ connectionString: e2eDatabaseUrl() });
	await e2e.connect();
	try {
		const ips = (await e2e.query(`select ip from audit_events where action = 'login.failure' and detail->>'loginId' = 'demo-owner'`)).rows.map((r) => r.ip);
		expect(ips.length).toBeGreaterThan(0);
		expect(ips).not.toContain('203.0.113.99');
	} finally {
		await e2e.end();
	}
});

test("in a browser: a stranger's guesses lock other browsers out, not the owner's own", async ({ browser, baseURL }) => {
	test.slow();
	const account = `T-${Date.now().toString(36)}`;
	const handle = await createDb({ url: e2eDatabaseUrl(), poolSize: 1 });
	try {
		const [org] = await rowsOf<{ id: string }>(handle.db, sql`select id from organizations order by created_at limit 1`);
		await makePerson(handle.db, org.id, { employeeNumber: account, name: '端末 太郎', password: 'owner-password' });
	} finally {
		await handle.close();
	}
	const owner = await browser.newContext({ baseURL });
	const ownerPage = await owner.newPage();
	await login(ownerPage, account, 'owner-password');
	await expect(ownerPage.getByRole('heading', { level: 1 })).toContainText('さん、こんにちは');
	const device = (await owner.cookies()).find((c) => c.name === 'mamori_device');
	expect(device).toMatchObject({ path: '/login', httpOnly: true, sameSite: 'Strict' });
	await logout(ownerPage);

	const stranger = await browser.newContext({ baseURL });
	const strangerPage = await stranger.newPage();
	for (let i = 0; i < 10; i++) await login(strangerPage, account, `guess-${i}`);
	await expect(strangerPage.getByRole('alert')).toContainText('一時的にログインできません');
	await login(strangerPage, account, 'owner-password');
	await expect(strangerPage.getByRole('alert')).toContainText('一時的にログインできません');

	await login(ownerPage, account, 'owner-password');
	await expect(ownerPage.getByRole('heading', { level: 1 })).toContainText('さん、こんにちは');
	await owner.close();
	await stranger.close();
});
