// The built app in a process of its own, on a database of its own on the test PostgreSQL server:
// for tests that change what they like (the malformed-input property test) or read the process's
// memory (the request-body burst), without touching the shared e2e server's data.
import pg from 'pg';
import { freePort } from '../helpers/private-postgres';
import { startMamori, type Server } from '../../bench/servers';

export interface PrivateApp {
	/** http://localhost:port — the demo organisation's host. */
	origin: string;
	port: number;
	databaseUrl: string;
	server: Server;
	stop(): Promise<void>;
}

const serverUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const e2eName = () => process.env.E2E_DATABASE ?? 'mamori_e2e';

/**
 * The seeded demo organisation as a database to clone, made by the first private app of the run
 * that asks for the demo (server.js drops it at the start of each run, so it never outlives the
 * code that seeded it). Seeding the demo is most of an app's start; a clone is a file copy.
 */
export const demoTemplateName = () => `${e2eName()}_demo_template`;

function urlOf(name: string): string {
	const url = new URL(serverUrl());
	url.pathname = `/${name}`;
	return url.toString();
}

// No ORIGIN (a child's environment leaves out what is undefined): each organisation is chosen by
// the host it is reached at, as on the shared server.
const noOrigin = { ORIGIN: undefined } as unknown as Record<string, string>;

/** Creates the demo template unless it is there; the two workers take turns (an advisory lock). */
async function ensureDemoTemplate(admin: pg.Client): Promise<string> {
	const template = demoTemplateName();
	await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
	try {
		const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
		if (rowCount) return template;
		const building = `${template}_building`;
		await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${building}`);
		// The app's own start migrates and seeds, exactly as on a fresh database.
		const server = await startMamori(urlOf(building), await freePort(), { MAMORI_DEMO: '1', HOST: '127.0.0.1', ...noOrigin });
		await server.stop();
		await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
		return template;
	} finally {
		await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
	}
}

/** A fresh database named after the e2e one (`E2E_DATABASE`) and `suffix`, and the app on it, with `env` added to its environment. */
export async function startPrivateApp(suffix: string, options: { demo: boolean; env?: Record<string, string> }): Promise<PrivateApp> {
	const name = `${e2eName()}_${suffix}`;
	const admin = new pg.Client({ connectionString: serverUrl() });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		// With the demo: a copy of the seeded template (the app's start then finds it migrated and seeded).
		const template = options.demo ? await ensureDemoTemplate(admin) : null;
		await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
	} finally {
		await admin.end();
	}
	const databaseUrl = urlOf(name);
	const port = await freePort();
	const server = await startMamori(databaseUrl, port, { MAMORI_DEMO: options.demo ? '1' : '0', HOST: '0.0.0.0', ...noOrigin, ...options.env });
	return { origin: `http://localhost:${port}`, port, databaseUrl, server, stop: () => server.stop() };
}
