// A PostgreSQL 15 instance of the test's own, in a temporary directory on a free port, that the
// test may stop and start at will (the machine's shared server on 5432 is never touched).
// initdb and pg_ctl refuse to run as root: then they run as the `postgres` user in a directory
// it owns. The instance is stopped and its directory removed by `destroy()`, and also when the
// test process exits without getting there.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const binDir = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
	port: number;
	/** postgres://… of the instance's `postgres` database. */
	url: string;
	/** Stops the server as an administrator would (`pg_ctl stop -m fast`): sessions are ended. */
	stop(): Promise<void>;
	/** Starts it again on the same port and data; resolves once it accepts connections. */
	start(): Promise<void>;
	/** The server's own log, for a failure report. */
	log(): string;
	/** Stops the server (if running) and removes its directory. */
	destroy(): Promise<void>;
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
	const dir = mkdtempSync(path.join(tmpdir(), 'mamori-pg-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(dir, uid, gid);
	}
	const command = (bin: string, args: string[]): [string, string[]] =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(binDir, bin), ...args]] : [path.join(binDir, bin), args];
	const run = (bin: string, args: string[]) =>
		new Promise<void>((resolve, reject) => {
			const [file, argv] = command(bin, args);
			execFile(file, argv, { cwd: dir }, (err, stdout, stderr) =>
				err ? reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`)) : resolve()
			);
		});

	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'server.log');
	const port = await freePort();
	// Immediate: a test that is being torn down must not wait for sessions to end.
	const emergencyStop = () => {
		const [file, argv] = command('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
		spawnSync(file, argv, { stdio: 'ignore' });
		rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', emergencyStop);

	const start = () =>
		// The socket goes in our own directory; TCP only on the loopback address.
		run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
	try {
		await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
		await start();
	} catch (err) {
		process.removeListener('exit', emergencyStop);
		emergencyStop();
		throw err;
	}
	return {
		port,
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		stop: () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']),
		start,
		log: () => {
			try {
				return readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		},
		destroy: async () => {
			process.removeListener('exit', emergencyStop);
			await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => {});
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
