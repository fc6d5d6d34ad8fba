// `npx tsx bench/practice-ab.ts`: what showing the self-inspection beside the quiz costs the weak-spot
// pages, measured against the same pages without it on the same machine at the same time. Needs
// the bench database seeded (`npm run bench` once) and the build. The round is archived (the pages
// then show the quiz alone, as before self-inspection) and restored in turns; after each switch the
// run waits out the 30 s the figures are shared for, then asks each page `count` times on one
// connection. Interleaving the two cancels out the load other processes put on the machine.
import pg from 'pg';
import { appPort, parseOptions } from './config';
import { sequential, sleep } from './load';
import { loadInspectionWorld } from './inspection';
import { loadWorld, loginViaForm, pageRequest } from './scenarios';
import { startMamori } from './servers';

const options = parseOptions(process.argv.slice(2).filter((a) => a !== '--'));
const rounds = 3;
const count = 100;

async function main() {
	const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
	const world = await loadWorld(pool);
	const round = await loadInspectionWorld(pool, world.orgId);
	if (!round) throw new Error('no self-inspection round: run npm run bench once to seed it');
	const mamori = await startMamori(options.databaseUrl, appPort);
	const samples: Record<string, number[]> = {};
	try {
		const owner = await loginViaForm(world.policyOwner.employeeNumber);
		for (let i = 0; i < rounds * 2; i++) {
			const practice = i % 2 === 1;
			await pool.query(`UPDATE campaigns SET archived = $2 WHERE id = $1`, [round.campaignId, !practice]);
			await sleep(31_000);
			for (const path of ['/insight', '/insight/sections']) {
				const stats = await sequential(mamori.origin, count, () => pageRequest(path, owner));
				const key = `${path} ${practice ? 'with self-inspection' : 'quiz only'}`;
				(samples[key] ??= []).push(stats.p50, stats.p95);
				console.log(`${key.padEnd(44)} p50 ${stats.p50.toFixed(1).padStart(6)} ms   p95 ${stats.p95.toFixed(1).padStart(6)} ms   errors ${stats.errors}`);
			}
		}
	} finally {
		await pool.query(`UPDATE campaigns SET archived = false WHERE id = $1`, [round.campaignId]);
		await mamori.stop();
		await pool.end();
	}
	console.log('\nmedian over the turns (p50 / p95 ms)');
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	for (const [key, xs] of Object.entries(samples)) {
		const p50s = xs.filter((_, i) => i % 2 === 0);
		const p95s = xs.filter((_, i) => i % 2 === 1);
		console.log(`${key.padEnd(44)} ${median(p50s).toFixed(1)} / ${median(p95s).toFixed(1)}`);
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
