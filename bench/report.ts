// The report: a table of every scenario, the ratios to the ceiling, the targets met or missed,
// and bench/results.json (the last run, plus the dashboard figures of each scale run so far, so
// a --scale 10 run can be compared with the 2-million-answer one).
import type { ParserResult } from './parsers';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DeadlineStep } from './deadline';
import type { Stats } from './load';
import type { QueryTiming } from './queries';
import type { SeedReport, SummaryCheck } from './seed';
import { root } from './servers';

export interface ScenarioResult {
	key: string;
	server: 'mamori' | 'ceiling';
	what: string;
	connections: number;
	stats: Stats;
}

export interface Target {
	name: string;
	target: string;
	value: string;
	/** null: not measured in this run. */
	met: boolean | null;
}

export interface ScaleFigures {
	scale: number;
	at: string;
	answers: number;
	queries: QueryTiming[];
	/** Page p95 (ms) at one connection. */
	pages: Record<string, number>;
}

export interface Results {
	startedAt: string;
	finishedAt?: string;
	options: { quick: boolean; scale: number; durationS: number; connections: number; database: string };
	machine: Record<string, unknown>;
	seed?: SeedReport;
	build?: { built: boolean; seconds: number };
	sessions?: string;
	scenarios: ScenarioResult[];
	latency: ScenarioResult[];
	queries?: QueryTiming[];
	deadline?: {
		intervalMs: number;
		windowMs: number;
		questions: number;
		steady: DeadlineRamp;
		flash?: DeadlineRamp & { saves: number };
	};
	memory?: { mamoriPeakRssMb: number; mamoriHwmMb: number; ceilingHwmMb: number | null };
	rows?: Record<string, number>;
	integrity?: Record<string, number | boolean>;
	summaries?: SummaryCheck[];
	ratios?: Record<string, number>;
	targets?: Target[];
	/** The parsers scenario: the longest /login wait while each parser reads its worst input. */
	parsers?: ParserResult[];
	byScale?: Record<string, ScaleFigures>;
}

export interface DeadlineRamp {
	steps: DeadlineStep[];
	maxLearners: number | null;
}

export const resultsPath = path.join(root, 'bench', 'results.json');

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function scenarioHeader(): string {
	return `${pad('scenario', 34)} ${pad('server', 8)} ${lpad('conns', 5)} ${lpad('req/s', 9)} ${lpad('p50 ms', 8)} ${lpad('p95 ms', 8)} ${lpad('p99 ms', 8)} ${lpad('errors', 7)} ${lpad('RSS MB', 7)}  cpu cores: server/db+rest/generator/machine`;
}

export function scenarioLine(r: ScenarioResult): string {
	const s = r.stats;
	const cpu = s.cpu ? `${fmt(s.cpu.server, 2)}/${fmt(s.cpu.postgres, 2)}/${fmt(s.cpu.generator, 2)}/${fmt(s.cpu.machine, 2)}` : '';
	return `${pad(r.what, 34)} ${pad(r.server, 8)} ${lpad(String(r.connections), 5)} ${lpad(fmt(s.rps), 9)} ${lpad(fmt(s.p50), 8)} ${lpad(fmt(s.p95), 8)} ${lpad(fmt(s.p99), 8)} ${lpad(String(s.errors), 7)} ${lpad(s.serverRssMb ? String(s.serverRssMb) : '', 7)}  ${cpu}`;
}

const find = (list: ScenarioResult[], key: string, server: 'mamori' | 'ceiling') => list.find((r) => r.key === key && r.server === server);

export function computeRatios(results: Results): Record<string, number> {
	const out: Record<string, number> = {};
	const r2 = (x: number) => Math.round(x * 1000) / 1000;
	for (const key of ['save', 'submit']) {
		const m = find(results.scenarios, key, 'mamori');
		const c = find(results.scenarios, key, 'ceiling');
		if (m && c && c.stats.rps > 0) {
			out[`${key} req/s mamori/ceiling`] = r2(m.stats.rps / c.stats.rps);
			out[`${key} p99 mamori/ceiling`] = r2(m.stats.p99 / Math.max(c.stats.p99, 0.01));
		}
	}
	const bare = find(results.scenarios, 'login-page', 'mamori');
	const account = find(results.scenarios, 'account', 'mamori');
	const ceilingBare = find(results.scenarios, 'bare', 'ceiling');
	for (const key of ['home', 'team', 'insight', 'insight-sections']) {
		const m = find(results.scenarios, key, 'mamori');
		if (!m) continue;
		if (bare) out[`${key} req/s vs bare SvelteKit page (/login)`] = r2(m.stats.rps / bare.stats.rps);
		if (account) out[`${key} req/s vs logged-in bare page (/account/password)`] = r2(m.stats.rps / account.stats.rps);
		if (ceilingBare) out[`${key} req/s vs ceiling one-SELECT page`] = r2(m.stats.rps / ceilingBare.stats.rps);
	}
	return out;
}

export function computeTargets(results: Results): Target[] {
	const targets: Target[] = [];
	const ratios = results.ratios ?? {};
	for (const key of ['save', 'submit']) {
		const m = find(results.scenarios, key, 'mamori');
		const c = find(results.scenarios, key, 'ceiling');
		const rps = ratios[`${key} req/s mamori/ceiling`];
		const p99 = ratios[`${key} p99 mamori/ceiling`];
		targets.push({
			name: `${key}: req/s ≥ 50% of the ceiling`,
			target: '≥ 0.50',
			value: rps === undefined ? 'not run' : `${fmt(rps * 100, 0)}% (${fmt(m!.stats.rps)} / ${fmt(c!.stats.rps)})`,
			met: rps === undefined ? null : rps >= 0.5
		});
		targets.push({
			name: `${key}: p99 ≤ 3× the ceiling's`,
			target: '≤ 3.0×',
			value: p99 === undefined ? 'not run' : `${fmt(p99, 2)}× (${fmt(m!.stats.p99)} ms / ${fmt(c!.stats.p99)} ms)`,
			met: p99 === undefined ? null : p99 <= 3
		});
		targets.push({
			name: `${key}: no errors at ${results.options.connections} connections`,
			target: '0',
			value: m ? `${m.stats.errors} (ceiling ${c?.stats.errors ?? '–'})` : 'not run',
			met: m ? m.stats.errors === 0 : null
		});
	}
	// The reference is the logged-in page that reads nothing but the session (two primary-key
	// SELECTs); /login (no session, no SELECT) is shown beside it.
	for (const key of ['home', 'team', 'insight', 'insight-sections']) {
		const v = ratios[`${key} req/s vs logged-in bare page (/account/password)`];
		const vLogin = ratios[`${key} req/s vs bare SvelteKit page (/login)`];
		targets.push({
			name: `${key}: req/s ≥ 70% of a bare SvelteKit page`,
			target: '≥ 0.70',
			value: v === undefined ? 'not run' : `${fmt(v * 100, 0)}% of /account/password (${vLogin === undefined ? '–' : fmt(vLogin * 100, 0)}% of /login)`,
			met: v === undefined ? null : v >= 0.7
		});
	}
	const inspect = find(results.scenarios, 'inspect', 'mamori');
	targets.push({
		name: `inspect: no errors at ${results.options.connections} connections`,
		target: '0',
		value: inspect ? `${inspect.stats.errors} (${fmt(inspect.stats.rps)} saves/s, p99 ${fmt(inspect.stats.p99)} ms)` : 'not run',
		met: inspect ? inspect.stats.errors === 0 : null
	});
	const scaleKey = String(results.options.scale);
	for (const key of ['team', 'insight', 'insight-sections']) {
		const l = find(results.latency, key, 'mamori');
		const answers = results.rows?.responses ?? 0;
		targets.push({
			name: `${key} page p95 at ${fmt(answers / 1e6, 1)} M answers (one connection)`,
			target: '≤ 50 ms',
			value: l ? `${fmt(l.stats.p95)} ms` : 'not run',
			met: l ? l.stats.p95 <= 50 : null
		});
		const base = results.byScale?.['1'];
		if (results.options.scale > 1 && base?.pages[key] && l) {
			targets.push({
				name: `${key} page p95 at scale ${scaleKey} vs scale 1`,
				target: '≤ 2×',
				value: `${fmt(l.stats.p95 / base.pages[key], 2)}× (${fmt(l.stats.p95)} ms / ${fmt(base.pages[key])} ms)`,
				met: l.stats.p95 <= 2 * base.pages[key]
			});
		}
	}
	const ramped = (r: DeadlineRamp) =>
		(r.maxLearners === null ? 'none passed' : r.maxLearners.toLocaleString('en-US')) +
		(r.steps.length > 0 && r.steps.every((s) => s.passed) ? ' (every step passed: the ramp ended first)' : '');
	const d = results.deadline;
	targets.push({
		name: 'deadline (steady): learners with p99 < 500 ms, no errors',
		target: '≥ 2,000',
		value: d ? ramped(d.steady) : 'not run',
		met: d ? (d.steady.maxLearners ?? 0) >= 2000 : null
	});
	if (d?.flash) {
		// Shown for comparison; the target is the steady simulation's.
		targets.push({ name: 'deadline (flash crowd, for comparison)', target: '–', value: ramped(d.flash), met: null });
	}
	const mem = results.memory;
	targets.push({
		name: 'Mamori server RSS under load',
		target: '≤ 300 MB',
		value: mem ? `${fmt(mem.mamoriHwmMb, 0)} MB peak` : 'not run',
		met: mem ? mem.mamoriHwmMb <= 300 : null
	});
	return targets;
}

export function printTargets(targets: Target[], log: (line: string) => void) {
	log('\nTargets');
	for (const t of targets) {
		const mark = t.met === null ? '·' : t.met ? '✓' : '✗';
		log(`  ${mark} ${pad(t.name, 58)} ${pad(t.target, 9)} ${t.value}`);
	}
}

/** Writes the run, keeping the dashboard figures of earlier runs at other scales. */
export function writeResults(results: Results) {
	let byScale: Record<string, ScaleFigures> = {};
	if (existsSync(resultsPath)) {
		try {
			byScale = (JSON.parse(readFileSync(resultsPath, 'utf8')) as Results).byScale ?? {};
		} catch {
			// a broken file is replaced
		}
	}
	if (results.queries && results.latency.length > 0 && !results.options.quick) {
		byScale[String(results.options.scale)] = {
			scale: results.options.scale,
			at: results.startedAt,
			answers: results.rows?.responses ?? 0,
			queries: results.queries,
			pages: Object.fromEntries(results.latency.filter((l) => l.server === 'mamori').map((l) => [l.key, l.stats.p95]))
		};
	}
	results.byScale = byScale;
	writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
}

export function readScaleFigures(): Record<string, ScaleFigures> {
	if (!existsSync(resultsPath)) return {};
	try {
		return (JSON.parse(readFileSync(resultsPath, 'utf8')) as Results).byScale ?? {};
	} catch {
		return {};
	}
}
