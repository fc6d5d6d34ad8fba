// The deadline simulations. Open loop: every request is due at a fixed time and its latency counts
// from then, so a slow server cannot slow the arrivals down (and hide its own slowness).
//
// - Steady: the last days before a due date. N learners are in the middle of the quiz at every
//   moment, each answering one question every interval (an autosave) and submitting after the last;
//   whoever submits is followed by the next learner opening the quiz. The learners are at every
//   point of the quiz when the window starts (their attempts were opened beforehand), so saves
//   arrive at N per interval and opens and submits at N per quiz length.
// - Flash crowd: N learners all start within one interval, autosave a few answers and submit, so
//   each kind of request arrives at N per interval in turn. A harsher shape than a real deadline.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuWatch, newPool, Recorder, send, sleep, type RequestSpec, type Stats } from './load';
import {
	answerFor,
	pageRequest,
	parseQuizPage,
	quizAnswers,
	saveRequest,
	submitRequest,
	type BenchWorld,
	type Learner,
	type PreparedAttempt
} from './scenarios';

export interface DeadlineOptions {
	intervalMs: number;
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
	/** Request rate the schedule asks for at its busiest, per second. */
	peakRps: number;
}

type Kind = 'open' | 'save' | 'submit';
type WithToken<T> = T & { token: string };

/** Sends requests when they are due and records their latency from then, per kind and in all. */
function scheduler(origin: string, connections: number, serverPid: number | null) {
	const pool = newPool(origin, connections);
	const all = new Recorder();
	const kinds: Record<Kind, Recorder> = { open: new Recorder(), save: new Recorder(), submit: new Recorder() };
	const lag = monitorEventLoopDelay({ resolution: 10 });
	lag.enable();
	const cpu = cpuWatch(serverPid);
	let acknowledged = 0;
	const started = performance.now();

	const at = async (kind: Kind, due: number, spec: RequestSpec) => {
		await sleep(due - performance.now());
		const r = await send(pool, spec);
		// From when it was due: a request sent late because the previous one was slow counts that wait.
		const ms = performance.now() - due;
		for (const rec of [all, kinds[kind]]) {
			rec.latencies.push(ms);
			if (r.error) rec.error(r.error);
		}
		if (kind === 'submit' && !r.error) acknowledged++;
		return r;
	};
	const fail = (kind: Kind, message: string) => {
		all.error(message);
		kinds[kind].error(message);
	};
	/** Opens the quiz; the form's attempt and questions, or null (counted as an error). */
	const open = async (due: number, l: WithToken<Learner>) => {
		const opened = await at('open', due, pageRequest(`/learn/${l.assignmentId}/quiz`, l.token));
		if (opened.error) return null;
		const form = parseQuizPage(opened.body);
		if (!form) fail('open', 'open: no quiz form');
		return form;
	};
	const finish = async (learners: number, options: DeadlineOptions, peakRps: number): Promise<DeadlineStep> => {
		const seconds = (performance.now() - started) / 1000;
		lag.disable();
		await pool.close();
		const stats = all.stats(seconds);
		stats.cpu = cpu();
		stats.generatorLagP99 = Math.round(lag.percentile(99) / 1e4) / 100;
		return {
			learners,
			passed: stats.errors === 0 && stats.p99 < options.p99LimitMs,
			all: stats,
			open: kinds.open.stats(seconds),
			save: kinds.save.stats(seconds),
			submit: kinds.submit.stats(seconds),
			acknowledgedSubmits: acknowledged,
			peakRps: Math.round(peakRps)
		};
	};
	return { at, open, fail, finish };
}

export interface SteadyOptions extends DeadlineOptions {
	/** How long the step measures. */
	windowMs: number;
}

/** How many learners beyond the N in progress a steady step can need (those who open after a submit). */
export function steadyReplacements(n: number, questions: number, options: Pick<SteadyOptions, 'intervalMs' | 'windowMs'>): number {
	const quizMs = (questions + 2) * options.intervalMs;
	return Math.ceil((n * options.windowMs) / quizMs) + 10;
}

/**
 * `inProgress`: one open attempt per learner, every answer saved (their earlier autosaves); the
 * learner at slot s is (s + ½)/N of the way through the quiz when the window starts.
 * `next`: learners without an open attempt, who open the quiz after someone submits.
 */
export async function steadyDeadlineStep(
	origin: string,
	world: BenchWorld,
	inProgress: WithToken<PreparedAttempt>[],
	next: WithToken<Learner>[],
	options: SteadyOptions
): Promise<DeadlineStep> {
	const n = inProgress.length;
	const I = options.intervalMs;
	const s = scheduler(origin, Math.min(n, 512), options.serverPid);
	const start = performance.now() + 500;
	const end = start + options.windowMs;
	const waiting = [...next];
	const questionsOf = (p: PreparedAttempt) => p.layout.map((q) => q.questionId);

	const slot = async (first: WithToken<PreparedAttempt>, index: number) => {
		let learner: WithToken<Learner> = first;
		let attemptId = first.attemptId;
		let questionIds = questionsOf(first);
		// The first learner opened the quiz this far before the window.
		let opened = start - ((index + 0.5) / n) * (questionIds.length + 2) * I;
		let pass = index % 2 === 0;
		for (;;) {
			for (let k = 1; k <= questionIds.length; k++) {
				const due = opened + k * I;
				if (due < start) continue;
				if (due >= end) return;
				const q = questionIds[k - 1];
				await s.at('save', due, saveRequest(learner.assignmentId, learner.token, attemptId, q, answerFor(world, q, pass)));
			}
			const submitDue = opened + (questionIds.length + 1) * I;
			if (submitDue >= end) return;
			if (submitDue >= start)
				await s.at('submit', submitDue, submitRequest(learner.assignmentId, learner.token, attemptId, quizAnswers(world, questionIds, pass)));
			const openDue = submitDue + I;
			if (openDue >= end) return;
			const following = waiting.shift();
			if (!following) return s.fail('open', 'open: no learner left to follow');
			const form = await s.open(openDue, following);
			if (!form) return;
			learner = following;
			attemptId = form.attemptId;
			questionIds = form.questions.map((q) => q.id);
			opened = openDue;
			pass = !pass;
		}
	};

	await Promise.all(inProgress.map((l, i) => slot(l, i)));
	const questions = inProgress[0]?.layout.length ?? 0;
	return s.finish(n, options, (n / I) * 1000 + ((2 * n) / ((questions + 2) * I)) * 1000);
}

/** The flash crowd: starts spread over the first interval, `saves` autosaves, then the submit. */
export async function flashCrowdStep(
	origin: string,
	world: BenchWorld,
	learners: WithToken<Learner>[],
	options: DeadlineOptions & { saves: number }
): Promise<DeadlineStep> {
	const n = learners.length;
	const s = scheduler(origin, Math.min(n, 512), options.serverPid);
	const start = performance.now() + 500;

	const learner = async (l: WithToken<Learner>, i: number) => {
		const t0 = start + (options.intervalMs * i) / n;
		const form = await s.open(t0, l);
		if (!form) return;
		const pass = i % 2 === 0;
		for (let j = 1; j <= options.saves; j++) {
			const q = form.questions[(j - 1) % form.questions.length];
			await s.at('save', t0 + j * options.intervalMs, saveRequest(l.assignmentId, l.token, form.attemptId, q.id, answerFor(world, q.id, pass)));
		}
		const answers = quizAnswers(
			world,
			form.questions.map((q) => q.id),
			pass
		);
		await s.at('submit', t0 + (options.saves + 1) * options.intervalMs, submitRequest(l.assignmentId, l.token, form.attemptId, answers));
	};

	await Promise.all(learners.map((l, i) => learner(l, i)));
	return s.finish(n, options, (n / options.intervalMs) * 1000);
}
