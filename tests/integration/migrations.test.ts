import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { auditEvents, organizations, people } from '../../src/lib/server/db/schema';
import { adminQuery, databaseUrl } from '../helpers/db';

async function tableNames(handle: DbHandle): Promise<string[]> {
	const result = (await handle.db.execute(
		sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
	)) as unknown as { rows: { table_name: string }[] };
	return result.rows.map((r) => r.table_name);
}

async function checkMigrateTwiceAndSeedOnce(handle: DbHandle) {
	await migrate(handle);
	await migrate(handle); // idempotent: a second start changes nothing
	const tables = await tableNames(handle);
	for (const t of ['organizations', 'departments', 'people', 'person_roles', 'sessions', 'audit_events', 'roster_imports']) {
		expect(tables).toContain(t);
	}
	const first = await seedDemo(handle.db);
	const second = await seedDemo(handle.db);
	expect(first.created).toBe(true);
	expect(second.created).toBe(false);
	const rows = await handle.db.select({ type: people.employmentType }).from(people);
	expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['regular', 'fiscal_year', 'reappointed', 'dispatched', 'contractor']));
	// The audit log is append-only on both databases.
	await handle.db.insert(auditEvents).values({ orgId: first.orgId, action: 'test.append' });
	for (const statement of [sql`update audit_events set action = 'tampered'`, sql`delete from audit_events`, sql`truncate audit_events`]) {
		await expect(handle.db.execute(statement)).rejects.toThrow();
	}
	const [{ n }] = await handle.db
		.select({ n: sql<number>`count(*)::int` })
		.from(auditEvents)
		.where(eq(auditEvents.action, 'test.append'));
	expect(n).toBe(1);
	// A host name selects one organisation at login, so two cannot share it.
	await handle.db.insert(organizations).values({ slug: 'host-a', name: '甲市', host: 'mamori.a.example' });
	await expect(handle.db.insert(organizations).values({ slug: 'host-b', name: '乙町', host: 'mamori.a.example' })).rejects.toThrow();
}

describe('migrations', () => {
	const cleanups: (() => Promise<void>)[] = [];
	afterAll(async () => {
		for (const c of cleanups) await c();
	});

	it('apply twice on the embedded database (PGlite) and the demo seeds once', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-pglite-'));
		const handle = await createDb({ dataDir: path.join(dir, 'db') });
		cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
		try {
			expect(handle.kind).toBe('pglite');
			await checkMigrateTwiceAndSeedOnce(handle);
		} finally {
			await handle.close();
		}
	});

	it('apply twice on PostgreSQL and the demo seeds once', async () => {
		const name = `mamori_migrate_${process.pid}`;
		await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await adminQuery(`CREATE DATABASE ${name}`);
		cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
		const handle = await createDb({ url: databaseUrl(name) });
		try {
			expect(handle.kind).toBe('postgres');
			await checkMigrateTwiceAndSeedOnce(handle);
		} finally {
			await handle.close();
		}
	});

	it('two processes starting at once on an empty PostgreSQL both come up', async () => {
		const name = `mamori_migrate_race_${process.pid}`;
		await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await adminQuery(`CREATE DATABASE ${name}`);
		cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
		const a = await createDb({ url: databaseUrl(name) });
		const b = await createDb({ url: databaseUrl(name) });
		try {
			await Promise.all([migrate(a), migrate(b)]);
			expect(await tableNames(a)).toContain('people');
		} finally {
			await a.close();
			await b.close();
		}
	});
});
