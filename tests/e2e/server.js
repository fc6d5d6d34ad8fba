// The e2e server: a fresh PostgreSQL database with the demo organisation, then `npm start`'s
// own code path (build when stale, migrate, seed, serve).
import pg from 'pg';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// E2E_DATABASE lets two checkouts run their e2e suites side by side (with different E2E_PORTs).
const name = process.env.E2E_DATABASE ?? 'mamori_e2e';
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
// The private apps' seeded demo (private-app.ts) is made anew by each run, from this run's code.
await admin.query(`DROP DATABASE IF EXISTS ${name}_demo_template WITH (FORCE)`);
await admin.end();

const url = new URL(serverUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.MAMORI_DEMO = '1';
process.env.SESSION_IDLE_MINUTES ??= '60';
await import('../../scripts/start.js');
