// The embedded database admits one process at a time: a second one opening the same directory
// would corrupt it. Whoever opens it leaves its process id in a file beside the directory (not in
// it, so backups do not carry it), and the others refuse while that process lives.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OperatorError } from './operator-error';

function holderFileOf(dataDir: string): string {
	return `${dataDir.replace(/[\\/]+$/, '')}.pid`;
}

/** The id of another live process holding the embedded database in `dataDir`, or null. */
export function embeddedDatabaseHolder(dataDir: string): number | null {
	const file = holderFileOf(dataDir);
	if (!existsSync(file)) return null;
	const pid = Number(readFileSync(file, 'utf8').trim());
	if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
	try {
		process.kill(pid, 0);
		return pid;
	} catch (error) {
		// EPERM: the process exists but belongs to another user, so it is alive.
		return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
	}
}

export class EmbeddedDatabaseInUse extends OperatorError {
	constructor(dataDir: string, pid: number) {
		super(
			`組み込みデータベース ${dataDir} はプロセス ${pid} が使用中です。そのプロセス（Mamori）を停止してから実行してください。`,
			`The embedded database ${dataDir} is in use by process ${pid}; stop that process (Mamori) first.`
		);
	}
}

/**
 * Marks the embedded database in `dataDir` as held by this process, or throws when another live
 * process holds it. Returns the release, for when the database is closed.
 */
export function holdEmbeddedDatabase(dataDir: string): () => void {
	const file = holderFileOf(dataDir);
	try {
		writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		const holder = embeddedDatabaseHolder(dataDir);
		if (holder !== null) throw new EmbeddedDatabaseInUse(dataDir, holder);
		// Left by a process that ended without closing the database.
		writeFileSync(file, `${process.pid}\n`);
	}
	heldHere.add(file);
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// The app is stopped with the database open; its mark goes with it.
		process.once('exit', () => heldHere.forEach(releaseFile));
	}
	return () => releaseFile(file);
}

const heldHere = new Set<string>();
let exitHookInstalled = false;

function releaseFile(file: string): void {
	if (!heldHere.delete(file)) return;
	// Only our own mark: a process that took over after a crash keeps its own.
	if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
}
