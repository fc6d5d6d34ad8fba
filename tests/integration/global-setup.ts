import { createDb } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { adminQuery, databaseUrl, templateName } from '../helpers/db';

/** Migrates a template database once; every test file clones it. */
export default async function setup(): Promise<void> {
	await adminQuery(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
	await adminQuery(`CREATE DATABASE ${templateName}`);
	const handle = await createDb({ url: databaseUrl(templateName), poolSize: 1 });
	try {
		await migrate(handle);
	} finally {
		await handle.close();
	}
}
