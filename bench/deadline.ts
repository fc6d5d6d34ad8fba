// The deadline simulation: N learners, each opening the quiz, autosaving an answer every interval
// and then submitting, their starts spread evenly over the first interval. Open loop: every request
// is due at a fixed time and its latency counts from then, so a slow server cannot slow the
// arrivals down (and hide its own slowness).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuWatch, newPool, Recorder, send, sleep, type RequestSpec, type Stats } from './load';
import { answerFor, pageRequest, parseQuizPage, quizAnswers, saveRequest, submitRequest, type BenchWorld, type Learner } from './scenarios';

export interface DeadlineOptions {
	intervalMs: number;
	/** Autosaves per learner before the submit. */
	saves: number;
	/** p99 a step must stay under, with no errors, to pass. */
	p99LimitMs: number;
	serverPid: number | null;
}

export interface DeadlineStep {
	learners: number;
	passed: boolean;
	all: Stats;
	open: Stats;
	save: Stats;
	submit: Stats;
	/** Submits answered with the result: each must be one submitted attempt in the database. */
	acknowledgedSubmits: number;
	/** Peak request rate the schedule asks for, per second. */
	peakRps: number;
}

export async function deadlineStep(origin: string, world: BenchWorld, learners: (Learner & { token: string })[], options: DeadlineOptions): Promise<DeadlineStep> {
	const n = learners.length;
	const pool = newPool(origin, Math.min(n, 512));
	const all = new Recorder();
	const kinds = { open: new Recorder(), save: new Recorder(), submit: new Recorder() };
	let acknowledged = 0;
	const lag = monitorEventLoopDelay({ resolution: 10 });
	lag.enable();
	const cpu = cpuWatch(options.serverPid);
	const start = performance.now() + 500;

	const at = async (kind: keyof typeof kinds, due: number, spec: RequestSpec) => {
		await sleep(due - performance.now());
		const r = await send(pool, spec);
		// From when it was due: a request sent late because the previous one was slow counts that wait.
		const ms = performance.now() - due;
		for (const rec of [all, kinds[kind]]) {
			rec.latencies.push(ms);
			if (r.error) rec.error(r.error);
		}
		return r;
	};

	const learner = async (l: Learner & { token: string }, i: number) => {
		const t0 = start + (options.intervalMs * i) / n;
		const opened = await at('open', t0, pageRequest(`/learn/${l.assignmentId}/quiz`, l.token));
		const form = opened.error ? null : parseQuizPage(opened.body);
		if (!form) {
			if (!opened.error) {
				all.error('open: no quiz form');
				kinds.open.error('open: no quiz form');
			}
			return;
		}
		const pass = i % 2 === 0;
		for (let j = 1; j <= options.saves; j++) {
			const q = form.questions[(j - 1) % form.questions.length];
			await at('save', t0 + j * options.intervalMs, saveRequest(l.assignmentId, l.token, form.attemptId, q.id, answerFor(world, q.id, pass)));
		}
		const answers = quizAnswers(
			world,
			form.questions.map((q) => q.id),
			pass
		);
		const submitted = await at('submit', t0 + (options.saves + 1) * options.intervalMs, submitRequest(l.assignmentId, l.token, form.attemptId, answers));
		if (!submitted.error) acknowledged++;
	};

	const started = performance.now();
	await Promise.all(learners.map((l, i) => learner(l, i)));
	const seconds = (performance.now() - started) / 1000;
	lag.disable();
	await pool.close();
	const stats = all.stats(seconds);
	stats.cpu = cpu();
	stats.generatorLagP99 = Math.round(lag.percentile(99) / 1e4) / 100;
	return {
		learners: n,
		passed: stats.errors === 0 && stats.p99 < options.p99LimitMs,
		all: stats,
		open: kinds.open.stats(seconds),
		save: kinds.save.stats(seconds),
		submit: kinds.submit.stats(seconds),
		acknowledgedSubmits: acknowledged,
		peakRps: Math.round((n / options.intervalMs) * 1000)
	};
}
