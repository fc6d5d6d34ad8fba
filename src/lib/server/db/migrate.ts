import path from 'node:path';
import type { DbHandle } from './client';

export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'migrations');

/** Applies the SQL migrations in migrations/; already-applied ones are skipped. */
export async function migrate(handle: DbHandle, folder = migrationsFolder): Promise<void> {
	if (handle.kind === 'postgres') {
		const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await run(handle.db as any, { migrationsFolder: folder });
	} else {
		const { migrate: run } = await import('drizzle-orm/pglite/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await run(handle.db as any, { migrationsFolder: folder });
	}
}
