// Backing up and restoring the app's database, outside the running app.
//
// PostgreSQL: pg_dump in its custom format, pg_restore into the target (an empty database, or
// one that is cleaned first with --force), in one transaction. The embedded database: PGlite's
// own tarball of its data directory, loaded into a fresh directory that then takes the old one's
// place, so a failed restore leaves the old data as it was.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { appConnectionName } from './client';
import { holdEmbeddedDatabase } from './embedded-lock';
import { OperatorError } from './operator-error';

export type BackupTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** The database the app itself would open: DATABASE_URL, else the embedded one in PGLITE_DIR. */
export function backupTargetFromEnv(env: Record<string, string | undefined> = process.env): BackupTarget {
	return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: path.resolve(env.PGLITE_DIR || 'data/pglite') };
}

const pgDumpMagic = Buffer.from('PGDMP');
const gzipMagic = Buffer.from([0x1f, 0x8b]);

export async function backupDatabase(target: BackupTarget, file: string, options: { force?: boolean } = {}): Promise<{ bytes: number }> {
	file = path.resolve(file);
	if (existsSync(file) && !options.force) {
		throw new OperatorError(`${file} は既にあります。上書きするには --force を付けてください。`, `${file} already exists; add --force to overwrite it.`);
	}
	await mkdir(path.dirname(file), { recursive: true });
	// Written beside the target and renamed at the end: an interrupted backup leaves no file that looks whole.
	const partial = `${file}.partial`;
	try {
		if (target.kind === 'postgres') {
			const { dbname, env } = libpqConnection(target.url);
			await runClientTool('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
		} else {
			await writeFile(partial, await dumpEmbedded(target.dataDir));
		}
		await rename(partial, file);
	} finally {
		await rm(partial, { force: true });
	}
	return { bytes: (await stat(file)).size };
}

export async function restoreDatabase(target: BackupTarget, file: string, options: { force?: boolean } = {}): Promise<void> {
	file = path.resolve(file);
	if (!existsSync(file)) throw new OperatorError(`${file} が見つかりません。`, `${file} does not exist.`);
	const head = await fileHead(file, pgDumpMagic.length);
	if (target.kind === 'postgres') {
		if (!head.subarray(0, pgDumpMagic.length).equals(pgDumpMagic)) {
			throw new OperatorError(
				`${file} は PostgreSQL のバックアップ（npm run db:backup、pg_dump の custom 形式）ではありません。`,
				`${file} is not a PostgreSQL backup (npm run db:backup, pg_dump's custom format).`
			);
		}
		await restorePostgres(target.url, file, !!options.force);
	} else {
		if (!head.subarray(0, gzipMagic.length).equals(gzipMagic)) {
			throw new OperatorError(
				`${file} は組み込みデータベースのバックアップ（DATABASE_URL なしの npm run db:backup）ではありません。`,
				`${file} is not a backup of the embedded database (npm run db:backup without DATABASE_URL).`
			);
		}
		await restoreEmbedded(target.dataDir, file, !!options.force);
	}
}

async function restorePostgres(url: string, file: string, force: boolean): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	let tables: number;
	try {
		const inUse = await client.query<{ n: number }>(
			`select count(*)::int as n from pg_stat_activity
			 where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
			[appConnectionName]
		);
		if (inUse.rows[0].n > 0) {
			throw new OperatorError(
				'Mamori がこのデータベースに接続しています。アプリを停止してから復元してください。',
				'Mamori is connected to this database; stop the app before restoring.'
			);
		}
		const existing = await client.query<{ n: number }>(`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`);
		tables = existing.rows[0].n;
	} finally {
		await client.end();
	}
	if (tables > 0 && !force) {
		throw new OperatorError(
			'復元先のデータベースは空ではありません。中身を消して復元するには --force を付けてください（空のデータベースへの復元をお勧めします）。',
			'The target database is not empty; add --force to drop its contents and restore (restoring into an empty database is safer).'
		);
	}
	const { dbname, env } = libpqConnection(url);
	// One transaction: a restore that fails half-way leaves the target as it was.
	const clean = tables > 0 ? ['--clean', '--if-exists'] : [];
	await runClientTool('pg_restore', ['--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', ...clean, `--dbname=${dbname}`, file], env);
}

/** The URL without its password, which goes to the tool in PGPASSWORD instead of its command line. */
function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const parsed = new URL(url);
	const env = { ...process.env };
	if (parsed.password) {
		env.PGPASSWORD = decodeURIComponent(parsed.password);
		parsed.password = '';
	}
	return { dbname: parsed.toString(), env };
}

function runClientTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', (error: NodeJS.ErrnoException) =>
			reject(
				error.code === 'ENOENT'
					? new OperatorError(
							`${tool} が見つかりません。PostgreSQL のクライアント（サーバーと同じか新しい版）を入れてください。`,
							`${tool} was not found; install the PostgreSQL client tools (the server's version or newer).`
						)
					: error
			)
		);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new OperatorError(`${tool} が失敗しました（終了コード ${code}）。`, `${tool} failed (exit code ${code}).`, stderr.trim()))
		);
	});
}

async function fileHead(file: string, length: number): Promise<Buffer> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(length);
		const { bytesRead } = await handle.read(buffer, 0, length, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

function hasDatabase(dataDir: string): boolean {
	return existsSync(path.join(dataDir, 'PG_VERSION'));
}

async function dumpEmbedded(dataDir: string): Promise<Buffer> {
	if (!hasDatabase(dataDir)) {
		throw new OperatorError(
			`${dataDir} に組み込みデータベースがありません（PGLITE_DIR を確認してください）。`,
			`There is no embedded database in ${dataDir} (check PGLITE_DIR).`
		);
	}
	// Held for the whole copy, so the app cannot start on it meanwhile.
	const release = holdEmbeddedDatabase(dataDir);
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const db = await PGlite.create(dataDir);
		try {
			// Everything on the data pages, so the copy needs no recovery when it is loaded.
			await db.exec('checkpoint');
			return Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
		} finally {
			await db.close();
		}
	} finally {
		release();
	}
}

async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<void> {
	await mkdir(path.dirname(dataDir), { recursive: true });
	const release = holdEmbeddedDatabase(dataDir);
	try {
		if (existsSync(dataDir) && readdirSync(dataDir).length > 0 && !force) {
			throw new OperatorError(
				`${dataDir} は空ではありません。今のデータを置き換えるには --force を付けてください。`,
				`${dataDir} is not empty; add --force to replace the data in it.`
			);
		}
		const staging = `${dataDir}.restoring`;
		const replaced = `${dataDir}.replaced`;
		await rm(staging, { recursive: true, force: true });
		const { PGlite } = await import('@electric-sql/pglite');
		try {
			const db = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([await readFile(file)]) });
			await db.query('select 1');
			await db.close();
		} catch (error) {
			await rm(staging, { recursive: true, force: true });
			throw new OperatorError(
				`${file} を読み込めませんでした（${(error as Error).message}）。${dataDir} は変更していません。`,
				`Could not load ${file} (${(error as Error).message}); ${dataDir} is unchanged.`
			);
		}
		// The old directory steps aside only once the new one is whole.
		if (existsSync(dataDir)) {
			await rm(replaced, { recursive: true, force: true });
			await rename(dataDir, replaced);
		}
		await rename(staging, dataDir);
		await rm(replaced, { recursive: true, force: true });
	} finally {
		release();
	}
}
