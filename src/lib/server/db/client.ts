import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { holdEmbeddedDatabase } from './embedded-lock';

/** The name the app's PostgreSQL connections carry (pg_stat_activity.application_name). */
export const appConnectionName = 'mamori';

/** The one database type the domain code sees; PostgreSQL and PGlite both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle is used exactly like the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
	db: Db;
	kind: 'postgres' | 'pglite';
	/** The connection string, for PostgreSQL. */
	url?: string;
	close(): Promise<void>;
}

export interface DbOptions {
	/** postgres://… — when absent, the embedded database in `dataDir` is used. */
	url?: string;
	dataDir?: string;
	poolSize?: number;
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
	if (options.url) {
		const { default: pg } = await import('pg');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		// Named, so that a restore can see that the app is still connected.
		const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, application_name: appConnectionName });
		// A dropped server connection must not crash the process; the next query reconnects.
		pool.on('error', (err) => console.error('[db] idle client error:', err.message));
		const db = drizzle(pool, { schema }) as unknown as Db;
		return { db, kind: 'postgres', url: options.url, close: () => pool.end() };
	}
	const dataDir = path.resolve(options.dataDir ?? 'data/pglite');
	mkdirSync(path.dirname(dataDir), { recursive: true });
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const release = holdEmbeddedDatabase(dataDir);
	try {
		const client = await PGlite.create(dataDir);
		const db = drizzle(client, { schema }) as unknown as Db;
		return { db, kind: 'pglite', close: () => client.close().finally(release) };
	} catch (error) {
		release();
		throw error;
	}
}

export { schema };
