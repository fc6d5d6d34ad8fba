import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseInUse, embeddedDatabaseHolder, holdEmbeddedDatabase } from '../../src/lib/server/db/embedded-lock';

const work = mkdtempSync(path.join(tmpdir(), 'mamori-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('holdEmbeddedDatabase', () => {
	it('marks the directory with this process and removes the mark on release', () => {
		const dataDir = path.join(work, 'a');
		const release = holdEmbeddedDatabase(dataDir);
		expect(readFileSync(`${dataDir}.pid`, 'utf8').trim()).toBe(String(process.pid));
		release();
		expect(existsSync(`${dataDir}.pid`)).toBe(false);
	});

	it('refuses while another live process holds it, and takes over once that process has ended', async () => {
		const dataDir = path.join(work, 'b');
		const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
		writeFileSync(`${dataDir}.pid`, `${other.pid}\n`);
		expect(embeddedDatabaseHolder(dataDir)).toBe(other.pid);
		expect(() => holdEmbeddedDatabase(dataDir)).toThrow(EmbeddedDatabaseInUse);
		expect(() => holdEmbeddedDatabase(dataDir)).toThrow(`in use by process ${other.pid}`);

		const ended = new Promise((resolve) => other.once('exit', resolve));
		other.kill();
		await ended;
		expect(embeddedDatabaseHolder(dataDir)).toBeNull();
		const release = holdEmbeddedDatabase(dataDir);
		expect(readFileSync(`${dataDir}.pid`, 'utf8').trim()).toBe(String(process.pid));
		release();
	});

	it('ignores a mark left by a process that is gone', () => {
		const dataDir = path.join(work, 'c');
		const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
		writeFileSync(`${dataDir}.pid`, `${gone.stdout}\n`);
		expect(embeddedDatabaseHolder(dataDir)).toBeNull();
		holdEmbeddedDatabase(dataDir)();
	});
});
