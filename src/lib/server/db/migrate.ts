import path from 'node:path';
import type { DbHandle } from './client';

export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'migrations');

// Any fixed number: app processes starting together take turns at migrating.
const migrationLockKey = 727_001;

/**
 * Applies the SQL migrations in migrations/; already-applied ones are skipped. `thenWhileLocked`
 * runs after them under the same lock (the demo seed at start), so app processes starting together
 * on one PostgreSQL take turns at both and the second finds everything done.
 */
export async function migrate(handle: DbHandle, folder = migrationsFolder, thenWhileLocked?: () => Promise<void>): Promise<void> {
	if (handle.kind === 'postgres' && handle.url) {
		const { default: pg } = await import('pg');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
		// One connection holds the advisory lock and runs the migrations.
		const client = new pg.Client({ connectionString: handle.url });
		await client.connect();
		try {
			await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
			await run(drizzle(client), { migrationsFolder: folder });
			await thenWhileLocked?.();
		} finally {
			await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
			await client.end();
		}
		return;
	}
	const { migrate: run } = await import('drizzle-orm/pglite/migrator');
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	await run(handle.db as any, { migrationsFolder: folder });
	// The embedded database admits one process at a time (embedded-lock.ts): nothing to take turns at.
	await thenWhileLocked?.();
}
