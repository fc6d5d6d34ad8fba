#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves Mamori.
// Flags: --demo seeds the demo organisation (always done on the embedded database).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

if (process.argv.includes('--demo')) process.env.MAMORI_DEMO = '1';
if (process.argv.includes('--rebuild')) process.env.MAMORI_REBUILD = '1';

const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const builtEntry = path.join(root, 'build', 'handler.js');

/** @param {string} p @returns {number} */
function newestMtime(p) {
	if (!existsSync(p)) return 0;
	const st = statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

const builtAt = existsSync(builtEntry) ? statSync(builtEntry).mtimeMs : 0;
const stale = !builtAt || process.env.MAMORI_REBUILD === '1' || sources.some((s) => newestMtime(path.join(root, s)) > builtAt);
if (stale) {
	console.log('[mamori] building…');
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: process.env });
	if (result.status !== 0) {
		console.error('[mamori] build failed');
		process.exit(result.status ?? 1);
	}
}

await import('./serve.js');
