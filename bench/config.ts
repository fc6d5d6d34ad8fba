// Command-line flags and the fixed settings of a benchmark run.
import os from 'node:os';

export interface BenchOptions {
	quick: boolean;
	scale: number;
	skipSeed: boolean;
	/** Scenario names to run; null runs them all. */
	only: string[] | null;
	/** The bench database; dropped and created again when seeding. */
	databaseUrl: string;
	/** Seconds of each throughput scenario. */
	durationS: number;
	connections: number;
}

export const appPort = 3410;
export const ceilingPort = 3411;
export const appOrigin = `http://localhost:${appPort}`;
export const ceilingOrigin = `http://localhost:${ceilingPort}`;
/** The password of every bench user: hashed once, the hash shared. */
export const benchPassword = 'bench-password-2026';

export const scenarioNames = [
	'login-page',
	'account',
	'home',
	'team',
	'insight',
	'open',
	'save',
	'inspect',
	'submit',
	'login',
	'queries',
	'deadline',
	'parsers'
] as const;

function usage(message: string): never {
	console.error(`bench: ${message}
usage: npm run bench -- [--quick] [--scale N] [--skip-seed] [--only a,b] [--duration S] [--connections C]
scenarios: ${scenarioNames.join(', ')}`);
	process.exit(2);
}

export function parseOptions(argv: string[]): BenchOptions {
	let quick = false;
	let scale: number | null = null;
	let skipSeed = false;
	let only: string[] | null = null;
	let durationS: number | null = null;
	let connections = 50;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
			if (v === undefined) usage(`${arg} needs a value`);
			return v;
		};
		const name = arg.split('=')[0];
		if (name === '--quick') quick = true;
		else if (name === '--skip-seed') skipSeed = true;
		else if (name === '--scale') scale = Number(value());
		else if (name === '--only')
			only = value()
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
		else if (name === '--duration') durationS = Number(value());
		else if (name === '--connections') connections = Number(value());
		else usage(`unknown flag ${arg}`);
	}
	if (scale !== null && !(scale > 0)) usage('--scale must be a positive number');
	if (!(connections > 0)) usage('--connections must be positive');
	for (const s of only ?? []) if (!(scenarioNames as readonly string[]).includes(s)) usage(`unknown scenario ${s}`);
	const finalScale = scale ?? (quick ? 0.1 : 1);
	const dbName = quick && scale === null ? 'mamori_bench_quick' : finalScale === 1 ? 'mamori_bench' : `mamori_bench_s${String(finalScale).replace('.', '_')}`;
	const databaseUrl = process.env.BENCH_DATABASE_URL || `postgres://postgres@127.0.0.1:5432/${dbName}`;
	return { quick, scale: finalScale, skipSeed, only, databaseUrl, durationS: durationS ?? (quick ? 3 : 15), connections };
}

export const wants = (options: BenchOptions, scenario: (typeof scenarioNames)[number]) => options.only === null || options.only.includes(scenario);

export function machine() {
	return {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${os.type()} ${os.release()}`
	};
}
