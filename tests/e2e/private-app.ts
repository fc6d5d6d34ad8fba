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

/** A fresh database named after the e2e one (`E2E_DATABASE`) and `suffix`, and the app on it. */
export async function startPrivateApp(suffix: string, options: { demo: boolean; env?: Record<string, string> }): Promise<PrivateApp> {
	const name = `${process.env.E2E_DATABASE ?? 'mamori_e2e'}_${suffix}`;
	const admin = new pg.Client({ connectionString: serverUrl() });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(serverUrl());
	url.pathname = `/${name}`;
	const databaseUrl = url.toString();
	const port = await freePort();
	// No ORIGIN (a child's environment leaves out what is undefined): each organisation is chosen by
	// the host it is reached at, as on the shared server.
	const noOrigin = { ORIGIN: undefined } as unknown as Record<string, string>;
	const server = await startMamori(databaseUrl, port, { MAMORI_DEMO: options.demo ? '1' : '0', HOST: '0.0.0.0', ...noOrigin, ...options.env });
	return { origin: `http://localhost:${port}`, port, databaseUrl, server, stop: () => server.stop() };
}
