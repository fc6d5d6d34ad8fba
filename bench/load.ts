// The load generator, on undici: a closed loop of C connections for throughput, and an open-loop
// scheduler for the deadline simulation, where latency counts from when a request was due.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import { cpuSecondsOf, machineCpu } from './servers';

export interface RequestSpec {
	method: 'GET' | 'POST';
	path: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Whether the answer is the one wanted; a string names the error. */
	check?: (status: number, body: string) => true | string;
}

export interface Stats {
	requests: number;
	ok: number;
	errors: number;
	errorKinds: Record<string, number>;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** CPU used during the run, in cores (1 = one core busy the whole time). */
	cpu?: { server: number; postgres: number; generator: number; machine: number };
	/** The generator's own event-loop delay p99 (ms): high means the generator, not the server, was slow. */
	generatorLagP99?: number;
	/** The server's highest RSS during the run (MB). */
	serverRssMb?: number;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export class Recorder {
	latencies: number[] = [];
	errors = 0;
	errorKinds: Record<string, number> = {};
	error(kind: string) {
		this.errors++;
		this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
	}
	stats(seconds: number): Stats {
		const sorted = Float64Array.from(this.latencies).sort();
		const list = Array.from(sorted);
		const ok = this.latencies.length - this.errors;
		const r = (x: number) => Math.round(x * 100) / 100;
		return {
			requests: this.latencies.length,
			ok,
			errors: this.errors,
			errorKinds: this.errorKinds,
			seconds: r(seconds),
			rps: r(ok / seconds),
			p50: r(percentile(list, 50)),
			p95: r(percentile(list, 95)),
			p99: r(percentile(list, 99)),
			max: r(list.at(-1) ?? 0)
		};
	}
}

/**
 * Watches CPU of the server, this process and the machine over a run. The rest of the machine's
 * busy time is PostgreSQL's (and anything else running: the figures are only clean on an idle box).
 */
export function cpuWatch(serverPid: number | null) {
	const t0 = performance.now();
	const server0 = serverPid ? cpuSecondsOf(serverPid) : 0;
	const gen0 = process.cpuUsage();
	const m0 = machineCpu();
	return () => {
		const seconds = (performance.now() - t0) / 1000;
		const gen = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(gen0));
		const server = serverPid ? cpuSecondsOf(serverPid) - server0 : 0;
		const machine = machineCpu().busy - m0.busy;
		const r = (x: number) => Math.round((x / seconds) * 100) / 100;
		return { server: r(server), postgres: r(Math.max(0, machine - server - gen)), generator: r(gen), machine: r(machine) };
	};
}

export function newPool(origin: string, connections: number) {
	return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 120_000, bodyTimeout: 120_000 });
}

/** Sends one request and reads the whole answer; the latency in ms, or the error's name. */
export async function send(
	pool: Pool,
	spec: RequestSpec
): Promise<{ ms: number; status: number; body: string; headers: Record<string, string | string[] | undefined>; error: string | null }> {
	const t0 = process.hrtime.bigint();
	try {
		const res = await pool.request({ method: spec.method, path: spec.path, headers: spec.headers, body: spec.body });
		const body = await res.body.text();
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		const verdict = spec.check ? spec.check(res.statusCode, body) : res.statusCode < 400 ? true : `HTTP ${res.statusCode}`;
		return { ms, status: res.statusCode, body, headers: res.headers, error: verdict === true ? null : verdict };
	} catch (err) {
		return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: 0, body: '', headers: {}, error: (err as Error).name || 'network' };
	}
}

export interface ClosedLoopOptions {
	origin: string;
	connections: number;
	durationMs: number;
	/** The next request of a worker; null ends that worker (a finite list ran out). */
	next: (worker: number) => RequestSpec | null;
	serverPid?: number | null;
	/** Called with each answer, for checks after the run (e.g. acknowledged submits). */
	onAnswer?: (spec: RequestSpec, status: number, body: string, error: string | null) => void;
}

/** C workers, each sending its next request as soon as the previous answer is read. */
export async function closedLoop(options: ClosedLoopOptions): Promise<Stats> {
	const pool = newPool(options.origin, options.connections);
	const recorder = new Recorder();
	const lag = monitorEventLoopDelay({ resolution: 10 });
	lag.enable();
	const cpu = cpuWatch(options.serverPid ?? null);
	const started = performance.now();
	const until = started + options.durationMs;
	const worker = async (w: number) => {
		while (performance.now() < until) {
			const spec = options.next(w);
			if (!spec) return;
			const r = await send(pool, spec);
			recorder.latencies.push(r.ms);
			if (r.error) recorder.error(r.error);
			options.onAnswer?.(spec, r.status, r.body, r.error);
		}
	};
	await Promise.all(Array.from({ length: options.connections }, (_, w) => worker(w)));
	const seconds = (performance.now() - started) / 1000;
	lag.disable();
	await pool.close();
	return { ...recorder.stats(seconds), cpu: cpu(), generatorLagP99: Math.round(lag.percentile(99) / 1e4) / 100 };
}

/** Requests sent one after another, for unloaded latency (how long one viewer waits). */
export async function sequential(origin: string, count: number, next: (i: number) => RequestSpec): Promise<Stats> {
	const pool = newPool(origin, 1);
	const recorder = new Recorder();
	const started = performance.now();
	for (let i = 0; i < count; i++) {
		const r = await send(pool, next(i));
		recorder.latencies.push(r.ms);
		if (r.error) recorder.error(r.error);
	}
	const stats = recorder.stats((performance.now() - started) / 1000);
	await pool.close();
	return stats;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
