// What `npm run db:backup` and `npm run db:restore` share: their options and what they print.
import { parseArgs } from 'node:util';
import { backupDatabase, backupTargetFromEnv, restoreDatabase, type BackupTarget } from './backup';
import { OperatorError } from './operator-error';

export interface CommandIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
}

const usage = {
	backup: 'usage: npm run --silent db:backup -- FILE [--force]\n',
	restore: 'usage: npm run --silent db:restore -- FILE [--force]\n'
} as const;

/** Where the data is, for the terminal: a PostgreSQL URL never shows its password. */
function describe(target: BackupTarget): { ja: string; en: string } {
	if (target.kind === 'pglite') return { ja: `組み込みデータベース ${target.dataDir}`, en: `the embedded database ${target.dataDir}` };
	const url = new URL(target.url);
	url.password = '';
	return { ja: `PostgreSQL ${url}`, en: `PostgreSQL ${url}` };
}

/** Runs one of the two commands; returns the exit code (0 done, 1 refused or failed). */
export async function runBackupCommand(
	command: 'backup' | 'restore',
	args: readonly string[],
	io: CommandIo,
	env: Record<string, string | undefined> = process.env
): Promise<number> {
	let file: string;
	let force: boolean;
	try {
		const { values, positionals } = parseArgs({
			args: [...args],
			options: { force: { type: 'boolean' }, help: { type: 'boolean' } },
			allowPositionals: true,
			strict: true
		});
		if (values.help) {
			io.stdout(usage[command]);
			return 0;
		}
		if (positionals.length !== 1) throw new Error('バックアップファイルを1つ指定してください。\nName one backup file.');
		[file] = positionals;
		force = !!values.force;
	} catch (error) {
		io.stderr(`${(error as Error).message}\n${usage[command]}`);
		return 1;
	}
	const target = backupTargetFromEnv(env);
	const where = describe(target);
	try {
		if (command === 'backup') {
			const { bytes } = await backupDatabase(target, file, { force });
			io.stdout(`${where.ja} を ${file} にバックアップしました（${bytes} バイト）。\nBacked up ${where.en} to ${file} (${bytes} bytes).\n`);
		} else {
			await restoreDatabase(target, file, { force });
			io.stdout(`${file} を ${where.ja} に復元しました。\nRestored ${file} into ${where.en}.\n`);
		}
		return 0;
	} catch (error) {
		io.stderr(error instanceof OperatorError ? `${error.message}\n` : `error: ${(error as Error).stack ?? error}\n`);
		return 1;
	}
}
