import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { isDatabaseUnavailable, reportDatabaseConnected, reportDatabaseUnavailable } from './availability';
import { holdEmbeddedDatabase } from './embedded-lock';

/** The name the app's PostgreSQL connections carry (pg_stat_activity.application_name). */
export const appConnectionName = 'mamori';

/** The one database type the domain code sees; PostgreSQL and PGlite both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle is used exactly like the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * A query built and prepared once per database handle: for the statements every request runs,
 * so that PostgreSQL parses and plans each once per connection instead of every time. Its
 * `name` must be unique among prepared queries.
 */
export function preparedPerDb<Q>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
	const built = new WeakMap<DbOrTx, Q>();
	return (db) => {
		let query = built.get(db);
		if (!query) {
			query = build(db);
			built.set(db, query);
		}
		return query;
	};
}

/** The rows of a raw SQL statement: both drivers answer `execute` with `{ rows }`. */
export async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
	return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

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
	/** How long a query waits for a connection (a new one, or a free one of the pool) before it fails. */
	connectTimeoutMs?: number;
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
	if (options.url) {
		const { default: pg } = await import('pg');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		// Without a connect timeout, a request waits as long as the operating system keeps trying
		// an unreachable host; with it, the request fails soon and the page says to try again.
		// Named, so that a restore can see that the app is still connected.
		const pool = new pg.Pool({
			connectionString: options.url,
			max: options.poolSize ?? 10,
			connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
			application_name: appConnectionName
		});
		// A dropped server connection must not crash the process; the next query reconnects.
		pool.on('error', (err) => {
			if (isDatabaseUnavailable(err)) reportDatabaseUnavailable(err);
			else console.error('[db] idle client error:', err.message);
		});
		pool.on('connect', (client) => {
			// The pool listens for errors only on idle clients. A checked-out one whose server goes
			// away between two queries of a transaction would otherwise emit an unhandled 'error'
			// and end the process; with this listener the next query on it fails instead.
			client.on('error', () => {});
			reportDatabaseConnected();
		});
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
