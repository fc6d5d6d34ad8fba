#!/usr/bin/env node
// `npm test`: unit and integration tests (vitest, real PostgreSQL), then e2e (Playwright in
// Chromium against the built server). Ends with one line "N passed, N failed" for the whole run.
// On a fresh machine it first sets up what it can: Chromium and Japanese fonts when it may install
// packages (root with apt-get), a private PostgreSQL for the run when none answers at
// TEST_DATABASE_URL; what it cannot do, it names in one line with the command to run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pg from 'pg';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const out = path.join(root, 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : ['unit', 'integration', 'e2e'];

// Test files named on the command line (`npm test -- --only=integration tests/integration/roster.test.ts`) narrow each step.
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const steps = [
	{
		name: 'unit',
		cmd: [bin('vitest', 'vitest.mjs'), 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/unit.json`],
		report: 'unit.json',
		kind: 'vitest'
	},
	{
		name: 'integration',
		cmd: [bin('vitest', 'vitest.mjs'), 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/integration.json`],
		report: 'integration.json',
		kind: 'vitest'
	},
	{
		name: 'e2e',
		cmd: [bin('@playwright/test', 'cli.js'), 'test', '--reporter=list,json'],
		report: 'e2e.json',
		kind: 'playwright',
		env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(out, 'e2e.json') }
	}
].filter((s) => only.includes(s.name));

/** Stops the run with one line that says what to run. */
function stop(line) {
	console.error(`[test] ${line}`);
	process.exit(1);
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

// Chromium and Japanese fonts, for e2e: pages are laid out and checked (axe) as a Japanese desktop shows them.
if (only.includes('e2e')) {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	const missing = [];
	if (!existsSync(chromium)) {
		if (process.env.CHROMIUM_PATH)
			stop(`CHROMIUM_PATH names ${chromium}, which does not exist: point it at a Chromium, or unset it and run: apt-get install -y chromium`);
		missing.push('chromium');
	}
	const fonts = hasCommand('dpkg')
		? spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status === 0
		: hasCommand('fc-list') && spawnSync('fc-list', [':lang=ja'], { encoding: 'utf8' }).stdout.trim() !== '';
	if (!fonts) missing.push('fonts-noto-cjk');
	if (missing.length > 0) {
		const install = `apt-get install -y ${missing.join(' ')}`;
		if (process.getuid?.() !== 0 || !hasCommand('apt-get')) stop(`missing ${missing.join(' and ')}: run  sudo apt-get update && sudo ${install}`);
		console.log(`[test] installing ${missing.join(', ')}`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const ok =
			spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0 &&
			spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env }).status === 0;
		if (!ok) stop(`could not install ${missing.join(' and ')}: run  apt-get update && ${install}`);
	}
}

// OpenLDAP, for integration: the directory tests start their own slapd (tests/helpers/slapd.ts).
if (only.includes('integration')) {
	const slapd = process.env.SLAPD_PATH ?? '/usr/sbin/slapd';
	if (!existsSync(slapd)) {
		if (process.env.SLAPD_PATH)
			stop(`SLAPD_PATH names ${slapd}, which does not exist: point it at slapd, or unset it and run: apt-get install -y slapd ldap-utils`);
		if (process.getuid?.() !== 0 || !hasCommand('apt-get')) stop('missing slapd: run  sudo apt-get update && sudo apt-get install -y slapd ldap-utils');
		console.log('[test] installing slapd, ldap-utils');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// The package's own server stays unconfigured: nothing is left listening on 389.
		spawnSync('debconf-set-selections', { input: 'slapd slapd/no_configuration boolean true\n', env });
		const ok =
			spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0 &&
			spawnSync('apt-get', ['install', '-y', '-qq', 'slapd', 'ldap-utils'], { stdio: 'inherit', env }).status === 0;
		if (!ok) stop('could not install slapd: run  apt-get update && apt-get install -y slapd ldap-utils');
	}
}

/** How the PostgreSQL at `url` answers: 'ok', 'no_database' (the server is there, the database is not), or 'away'. */
async function probe(url) {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
		await client.query('select 1');
		return 'ok';
	} catch (err) {
		if (err?.code === '3D000') return 'no_database';
		if (typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code))
			stop(`PostgreSQL at ${url} refused the connection (${err.message}): fix TEST_DATABASE_URL`);
		return 'away';
	} finally {
		await client.end().catch(() => {});
	}
}

/** The directory of initdb and pg_ctl: PG_BIN_DIR, or the newest installed server. */
function postgresBinDir() {
	if (process.env.PG_BIN_DIR) return existsSync(path.join(process.env.PG_BIN_DIR, 'initdb')) ? process.env.PG_BIN_DIR : null;
	const base = '/usr/lib/postgresql';
	const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(base, versions[0], 'bin') : null;
}

// PostgreSQL, for integration and e2e: the one at TEST_DATABASE_URL, or a private one for this run.
let privatePostgres = null;
if (only.includes('integration') || only.includes('e2e')) {
	const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
	const state = await probe(url);
	if (state === 'no_database') {
		const name = new URL(url).pathname.slice(1);
		const admin = new URL(url);
		admin.pathname = '/postgres';
		const client = new pg.Client({ connectionString: admin.toString() });
		try {
			await client.connect();
			await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
			console.log(`[test] created the database ${name}`);
		} catch (err) {
			stop(`the database ${name} does not exist at ${url} and could not be created (${err.message}): run  createdb ${name}`);
		} finally {
			await client.end().catch(() => {});
		}
	} else if (state === 'away') {
		const binDir = postgresBinDir();
		if (!binDir)
			stop(`no PostgreSQL answers at ${url} and none is installed: run  apt-get install -y postgresql  (or set TEST_DATABASE_URL to a server that answers)`);
		console.log(`[test] no PostgreSQL answers at ${url}: starting a private one from ${binDir} for this run`);
		privatePostgres = spawn(process.execPath, [bin('tsx', 'dist/cli.mjs'), 'tests/helpers/private-postgres-cli.ts'], {
			stdio: ['pipe', 'pipe', 'inherit'],
			env: { ...process.env, PG_BIN_DIR: binDir }
		});
		const lines = createInterface({ input: privatePostgres.stdout });
		const [first] = await Promise.race([once(lines, 'line'), once(privatePostgres, 'exit').then(() => [null])]);
		if (!first) stop(`a private PostgreSQL could not be started from ${binDir}: start one (pg_ctlcluster <version> main start) or set TEST_DATABASE_URL`);
		process.env.TEST_DATABASE_URL = JSON.parse(first).url;
	}
}

/** Ends the private PostgreSQL, if this run started one. */
async function endPrivatePostgres() {
	if (!privatePostgres || privatePostgres.exitCode !== null) return;
	const exited = once(privatePostgres, 'exit');
	privatePostgres.stdin.end();
	await exited;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

for (const step of steps) {
	console.log(`\n=== ${step.name} ===`);
	const result = spawnSync(process.execPath, [...step.cmd, ...files], { stdio: 'inherit', env: { ...process.env, ...step.env } });
	const reportPath = path.join(out, step.report);
	if (!existsSync(reportPath)) {
		console.error(`[test] ${step.name}: no report written (exit ${result.status})`);
		broken = true;
		continue;
	}
	const report = JSON.parse(readFileSync(reportPath, 'utf8'));
	if (step.kind === 'vitest') {
		passed += report.numPassedTests;
		failed += report.numFailedTests;
		skipped += report.numPendingTests + report.numTodoTests;
		if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) broken = true;
	} else {
		passed += report.stats.expected;
		failed += report.stats.unexpected;
		skipped += report.stats.skipped;
		if (report.errors?.length) broken = true;
	}
	if (result.status !== 0 && failed === 0) broken = true;
}

await endPrivatePostgres();
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
