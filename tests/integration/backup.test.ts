import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { adminQuery, createTestDatabase, databaseUrl } from '../helpers/db';
import { runScript, type CommandResult } from '../helpers/cli';
import { createDb, type Db, type DbHandle } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { compareDigests, tableDigests, type TableDigest } from '../../src/lib/server/db/digest';
import { runBackupCommand } from '../../src/lib/server/db/backup-command';
import { seedDemoOrganisation } from '../../src/lib/server/demo/organisation';

// The demo as the app seeds it: people, policies, courses, campaigns, 48 people's answers.
const seededAt = new Date('2026-11-20T03:00:00Z');
const work = mkdtempSync(path.join(tmpdir(), 'mamori-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The seed reached every part of the schema that a backup must carry. */
function expectSeeded(digests: TableDigest[]): void {
	const rows = new Map(digests.map((d) => [d.table, d.rows]));
	for (const table of [
		'public.people',
		'public.policy_sections',
		'public.assignments',
		'public.attempts',
		'public.responses',
		'public.question_answer_stats',
		'public.completion_counts',
		'public.audit_events',
		'drizzle.__drizzle_migrations'
	]) {
		expect(rows.get(table), table).toBeGreaterThan(0);
	}
}

/** The same command in this process: for the refusals, which need no process of their own. */
async function inProcess(command: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<CommandResult> {
	let stdout = '';
	let stderr = '';
	const code = await runBackupCommand(command, args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, env);
	return { code, stdout, stderr };
}

/** One person's name changed, as a restore that lost or altered a row would leave it. */
async function alterOnePerson(db: Db): Promise<void> {
	await db.execute(sql`update people set name = name || '（改）' where employee_number = 'demo-staff'`);
}

function expectOnlyPeopleChanged(before: TableDigest[], after: TableDigest[]): void {
	const differences = compareDigests(before, after);
	expect(differences.map((d) => d.table)).toEqual(['public.people']);
	// Same number of rows, different contents.
	expect(differences[0].actual?.rows).toBe(differences[0].expected?.rows);
	expect(differences[0].actual?.checksum).not.toBe(differences[0].expected?.checksum);
}

describe('backup and restore on PostgreSQL', () => {
	let source: DbHandle;
	let before: TableDigest[];
	const targetName = `mamori_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const targetUrl = databaseUrl(targetName);
	const file = path.join(work, 'mamori.dump');
	const onTarget = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
		const target = await createDb({ url: targetUrl, poolSize: 1 });
		try {
			return await work(target.db);
		} finally {
			await target.close();
		}
	};

	beforeAll(async () => {
		source = await createTestDatabase();
		await seedDemoOrganisation(source.db, seededAt);
		before = await tableDigests(source.db);
		await adminQuery(`CREATE DATABASE ${targetName}`);
	}, 240_000);
	afterAll(async () => {
		await source?.close();
		await adminQuery(`DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`);
	});

	it('restores into an empty database exactly what was backed up, table by table', async () => {
		expectSeeded(before);
		const backup = await runScript('db-backup.ts', [file], { DATABASE_URL: source.url! });
		expect(backup.stderr).toBe('');
		expect(backup.code).toBe(0);
		expect(backup.stdout).toContain(`Backed up PostgreSQL ${source.url}`);

		const restore = await runScript('db-restore.ts', [file], { DATABASE_URL: targetUrl });
		expect(restore.stderr).toBe('');
		expect(restore.code).toBe(0);
		expect(restore.stdout).toContain('に復元しました');

		const after = await onTarget(tableDigests);
		expect(after.map((d) => d.table)).toEqual(before.map((d) => d.table));
		expect(compareDigests(before, after)).toEqual([]);

		// The comparison can tell: one altered row is found, in its table only.
		await onTarget(alterOnePerson);
		expectOnlyPeopleChanged(before, await onTarget(tableDigests));
	});

	it('keeps an existing backup file unless told to overwrite it', async () => {
		const again = await inProcess('backup', [file], { DATABASE_URL: source.url! });
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('既にあります');
		expect(again.stderr).toContain('already exists');
	});

	it('refuses a database that holds data unless --force, then replaces its contents, audit log included', async () => {
		const refused = await inProcess('restore', [file], { DATABASE_URL: targetUrl });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('空ではありません');
		expect(refused.stderr).toContain('not empty');
		// Untouched: the altered row is still there.
		expectOnlyPeopleChanged(before, await onTarget(tableDigests));

		// The append-only audit log refuses DELETE and TRUNCATE, but a forced restore drops and recreates it.
		const forced = await runScript('db-restore.ts', [file, '--force'], { DATABASE_URL: targetUrl });
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		expect(compareDigests(before, await onTarget(tableDigests))).toEqual([]);
	});

	it('refuses while the app is connected to the target, and a file that is no PostgreSQL backup', async () => {
		const app = await createDb({ url: targetUrl, poolSize: 1 });
		try {
			await app.db.execute(sql`select 1`);
			const refused = await inProcess('restore', [file, '--force'], { DATABASE_URL: targetUrl });
			expect(refused.code).toBe(1);
			expect(refused.stderr).toContain('アプリを停止してから');
			expect(refused.stderr).toContain('stop the app');
		} finally {
			await app.close();
		}
		const gzipped = path.join(work, 'not-a-dump.tar.gz');
		writeFileSync(gzipped, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
		const wrongKind = await inProcess('restore', [gzipped, '--force'], { DATABASE_URL: targetUrl });
		expect(wrongKind.code).toBe(1);
		expect(wrongKind.stderr).toContain('PostgreSQL のバックアップ');
		expect(wrongKind.stderr).toContain('not a PostgreSQL backup');
	});
});

describe('backup and restore of the embedded database', () => {
	const sourceDir = path.join(work, 'source');
	const restoredDir = path.join(work, 'restored');
	const file = path.join(work, 'mamori-embedded.tar.gz');
	const embedded = (dataDir: string) => ({ DATABASE_URL: '', PGLITE_DIR: dataDir });
	let app: DbHandle | undefined;
	let before: TableDigest[];
	const digestsOf = async (dataDir: string, change?: (db: Db) => Promise<void>) => {
		const handle = await createDb({ dataDir });
		try {
			if (change) await change(handle.db);
			return await tableDigests(handle.db);
		} finally {
			await handle.close();
		}
	};

	beforeAll(async () => {
		// Opened by this test process, as the app would hold it; the commands run in processes of their own.
		app = await createDb({ dataDir: sourceDir });
		await migrate(app);
		await seedDemoOrganisation(app.db, seededAt);
		before = await tableDigests(app.db);
	}, 300_000);
	afterAll(() => app?.close());

	it('refuses to copy the database while another process holds it', async () => {
		const refused = await runScript('db-backup.ts', [file], embedded(sourceDir));
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain(`プロセス ${process.pid} が使用中`);
		expect(refused.stderr).toContain(`in use by process ${process.pid}`);
	});

	it('restores into a new directory exactly what was backed up, table by table', async () => {
		await app!.close();
		app = undefined;
		expectSeeded(before);
		const backup = await runScript('db-backup.ts', [file], embedded(sourceDir));
		expect(backup.stderr).toBe('');
		expect(backup.code).toBe(0);
		expect(backup.stdout).toContain(`Backed up the embedded database ${sourceDir}`);

		const restore = await runScript('db-restore.ts', [file], embedded(restoredDir));
		expect(restore.stderr).toBe('');
		expect(restore.code).toBe(0);
		expect(compareDigests(before, await digestsOf(restoredDir))).toEqual([]);

		// The comparison can tell: one altered row is found, in its table only.
		expectOnlyPeopleChanged(before, await digestsOf(restoredDir, alterOnePerson));
	});

	it('replaces a directory that holds data only with --force, and only with a backup of its kind', async () => {
		const refused = await inProcess('restore', [file], embedded(restoredDir));
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('空ではありません');
		expect(refused.stderr).toContain('not empty');
		const pgDump = path.join(work, 'wrong-kind.dump');
		writeFileSync(pgDump, 'PGDMP');
		const wrongKind = await inProcess('restore', [pgDump, '--force'], embedded(restoredDir));
		expect(wrongKind.code).toBe(1);
		expect(wrongKind.stderr).toContain('not a backup of the embedded database');

		const forced = await runScript('db-restore.ts', [file, '--force'], embedded(restoredDir));
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		// The altered row is gone with the directory it was in.
		expect(compareDigests(before, await digestsOf(restoredDir))).toEqual([]);
	});
});
