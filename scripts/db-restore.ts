// Restore the app's database from a file made by `npm run db:backup`. Stop the app first.
//
//   npm run --silent db:restore -- FILE [--force]
//
// With DATABASE_URL: pg_restore into that database in one transaction, without owners or
// privileges. Best into an empty database (createdb); one that holds tables is cleaned first,
// only with --force. Without DATABASE_URL: the embedded database in PGLITE_DIR (default
// data/pglite); a directory that holds data is replaced, only with --force, and only once the
// backup has loaded.
//
// Exit codes: 0 done; 1 bad arguments, refused, or failed (the reason in Japanese and English).
import { runBackupCommand } from '../src/lib/server/db/backup-command';

process.exitCode = await runBackupCommand('restore', process.argv.slice(2), {
	stdout: (text) => process.stdout.write(text),
	stderr: (text) => process.stderr.write(text)
});
