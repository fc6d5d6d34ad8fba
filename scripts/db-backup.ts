// Back up the app's database to one file.
//
//   npm run --silent db:backup -- FILE [--force]
//
// With DATABASE_URL: pg_dump in its custom format (pg_dump must be the server's version or
// newer). Without it: the embedded database in PGLITE_DIR (default data/pglite) as a gzipped tar
// of its data directory; stop the app first, as the embedded database admits one process at a
// time. An existing FILE is kept unless --force is given.
//
// Exit codes: 0 done; 1 bad arguments, refused, or failed (the reason in Japanese and English).
import { runBackupCommand } from '../src/lib/server/db/backup-command';

process.exitCode = await runBackupCommand('backup', process.argv.slice(2), {
	stdout: (text) => process.stdout.write(text),
	stderr: (text) => process.stderr.write(text)
});
