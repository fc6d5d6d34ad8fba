// The two servers under test: Mamori from its build, and the ceiling. Both run as child processes
// so their memory and CPU can be read from /proc, and both are stopped on exit or Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(p: string): number {
	if (!existsSync(p)) return 0;
	const st = statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

/** Builds Mamori when the build is missing or older than its sources (the rule of `npm start`). */
export function buildIfStale(log: (line: string) => void): { built: boolean; seconds: number } {
	const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	const entry = path.join(root, 'build', 'handler.js');
	const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
	if (builtAt && !sources.some((s) => newestMtime(path.join(root, s)) > builtAt)) return { built: false, seconds: 0 };
	log('building Mamori (vite build)…');
	const started = performance.now();
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (result.status !== 0) throw new Error('build failed');
	return { built: true, seconds: (performance.now() - started) / 1000 };
}

const children = new Set<ChildProcess>();

function stopAll() {
	for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		stopAll();
		process.exit(130);
	});
}

export interface Server {
	name: string;
	pid: number;
	origin: string;
	/** Whether the process is still alive (it did not crash). */
	running(): boolean;
	/** Server output, for the report when something fails. */
	output(): string;
	stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output()}`);
		try {
			const res = await fetch(url);
			await res.arrayBuffer();
			if (res.status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`server did not answer ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

function start(name: string, args: string[], env: Record<string, string>, readyUrl: string, origin: string): Promise<Server> {
	const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	let log = '';
	const keep = (chunk: Buffer) => {
		log = (log + chunk.toString()).slice(-20_000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const server: Server = {
		name,
		pid: child.pid!,
		origin,
		running: () => child.exitCode === null && child.signalCode === null,
		output: () => log,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
				child.once('exit', () => {
					clearTimeout(timer);
					children.delete(child);
					resolve();
				});
				child.kill('SIGTERM');
			})
	};
	return waitReady(readyUrl, child, server.output).then(() => server);
}

/** `env` adds to or overrides the bench's settings (the fault test seeds the demo, for one). */
export function startMamori(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<Server> {
	const origin = `http://127.0.0.1:${port}`;
	// BENCH_CPU_PROF_DIR: the server writes a CPU profile there when it stops (node --cpu-prof).
	// BENCH_SERVER_NODE_FLAGS: more flags for the server's node, to try deployment settings.
	const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}`] : [];
	const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
	return start(
		'mamori',
		[...profile, ...flags, 'scripts/serve.js'],
		{
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://localhost:${port}`,
			REMINDER_POLL_MS: '0',
			MAMORI_DEMO: '0',
			// Every bench login comes from one address.
			LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
			// The bench's policy owner and admin log in with a password: it measures the pages, not the code step.
			MFA_REQUIRED_ROLES: 'none',
			NODE_ENV: 'production',
			...env
		},
		`${origin}/login`,
		origin
	);
}

export function startCeiling(databaseUrl: string, port: number, poolSize: number): Promise<Server> {
	const origin = `http://127.0.0.1:${port}`;
	return start(
		'ceiling',
		['--import', 'tsx', 'bench/ceiling.ts'],
		{ DATABASE_URL: databaseUrl, PORT: String(port), POOL_SIZE: String(poolSize) },
		`${origin}/bare`,
		origin
	);
}

/** Resident memory of a process, from /proc: now and the peak the kernel recorded. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
		return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
	} catch {
		return null;
	}
}

/** Samples a process's RSS every `everyMs`: the highest seen in all, and since the last `window()`. */
export function rssSampler(pid: number, everyMs = 100) {
	let peak = 0;
	let windowPeak = 0;
	const timer = setInterval(() => {
		const m = memoryOf(pid);
		if (!m) return;
		peak = Math.max(peak, m.rssMb);
		windowPeak = Math.max(windowPeak, m.rssMb);
	}, everyMs);
	timer.unref();
	return {
		peakMb: () => peak,
		/** The highest RSS since the previous call. */
		window: () => {
			const w = windowPeak;
			windowPeak = memoryOf(pid)?.rssMb ?? 0;
			return Math.round(w);
		},
		stop: () => clearInterval(timer)
	};
}

const clockTicks = 100;

/** CPU seconds (user + system) a process has used. */
export function cpuSecondsOf(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / clockTicks;
	} catch {
		return 0;
	}
}

/** Busy and total CPU seconds of the whole machine, summed over cores. */
export function machineCpu(): { busy: number; total: number } {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
	const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // guest time is already in user
	const idle = v[3] + (v[4] ?? 0);
	const total = v.reduce((s, x) => s + x, 0);
	return { busy: (total - idle) / clockTicks, total: total / clockTicks };
}
