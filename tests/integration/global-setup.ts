import { createDb } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { adminQuery, databaseUrl } from '../helpers/db';

/**
 * Migrates a template database once per run; every test file clones it. The name is per run, so
 * two runs on one machine (two developers, or CI beside a developer) never drop each other's.
 */
export default async function setup(): Promise<() => Promise<void>> {
	const templateName = `mamori_tpl_${process.pid}_${Date.now().toString(36)}`;
	process.env.MAMORI_TEST_TEMPLATE = templateName;
	await adminQuery(`CREATE DATABASE ${templateName}`);
	const handle = await createDb({ url: databaseUrl(templateName), poolSize: 1 });
	try {
		await migrate(handle);
	} finally {
		await handle.close();
	}
	return () => adminQuery(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
}
