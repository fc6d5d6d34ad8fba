#!/usr/bin/env node
// `npm test`: unit and integration tests (vitest, real PostgreSQL), then e2e (Playwright in
// Chromium against the built server). Ends with one line "N passed, N failed" for the whole run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const out = path.join(root, 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : ['unit', 'integration', 'e2e'];

const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const steps = [
	{ name: 'unit', cmd: [bin('vitest', 'vitest.mjs'), 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/unit.json`], report: 'unit.json', kind: 'vitest' },
	{ name: 'integration', cmd: [bin('vitest', 'vitest.mjs'), 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/integration.json`], report: 'integration.json', kind: 'vitest' },
	{ name: 'e2e', cmd: [bin('@playwright/test', 'cli.js'), 'test', '--reporter=list,json'], report: 'e2e.json', kind: 'playwright', env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(out, 'e2e.json') } }
].filter((s) => only.includes(s.name));

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

for (const step of steps) {
	console.log(`\n=== ${step.name} ===`);
	const result = spawnSync(process.execPath, step.cmd, { stdio: 'inherit', env: { ...process.env, ...step.env } });
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

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
