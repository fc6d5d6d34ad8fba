// Each integration test file gets its own PostgreSQL database, cloned from a migrated template
// (made once per run by tests/integration/global-setup.ts), and dropped afterwards.
import pg from 'pg';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';

export const testServerUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(name: string): string {
	const url = new URL(testServerUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: testServerUrl });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/** A fresh, migrated database for one test file. Call `close()` in afterAll. */
export async function createTestDatabase(): Promise<DbHandle> {
	const template = process.env.MAMORI_TEST_TEMPLATE;
	if (!template) throw new Error('MAMORI_TEST_TEMPLATE is not set: run integration tests through vitest --project integration');
	const name = `mamori_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
	const handle = await createDb({ url: databaseUrl(name), poolSize: 4 });
	return {
		...handle,
		async close() {
			await handle.close();
			await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		}
	};
}
