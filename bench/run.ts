// `npm run bench`: seeds a synthetic organisation, starts Mamori (its build) and the ceiling, drives
// both with real sessions, and reports throughput, latency, the dashboards' query time, the
// deadline peak, memory and whether every submit landed exactly once. See docs/performance.md.
import pg from 'pg';
import { createDb } from '../src/lib/server/db/client';
import { appPort, ceilingPort, machine, parseOptions, wants } from './config';
import { flashCrowdStep, steadyDeadlineStep, steadyReplacements, type DeadlineStep } from './deadline';
import { closedLoop, sequential, type RequestSpec } from './load';
import { timeInspectionSave, timeQueries } from './queries';
import {
	computeRatios,
	computeTargets,
	printTargets,
	readScaleFigures,
	resultsPath,
	scenarioHeader,
	scenarioLine,
	writeResults,
	type Results,
	type ScenarioResult
} from './report';
import {
	answerFor,
	createSessions,
	loadWorld,
	loginRequest,
	loginViaForm,
	pageRequest,
	parseQuizPage,
	pickLearners,
	openAttemptsFor,
	prepareOpenAttempts,
	quizAnswers,
	saveRequest,
	submitRequest,
	type QuizForm
} from './scenarios';
import { checkSummaries, drawCount, rowCounts, seedDatabase } from './seed';
import { parserScenario } from './parsers';
import { checkInspectionSummaries, inspectionSaveRequest, loadInspectionWorld, nextInspectionAnswers, pickInspectors } from './inspection';
import { buildIfStale, memoryOf, rssSampler, startCeiling, startMamori, type Server } from './servers';

const options = parseOptions(process.argv.slice(2));
const log = (line: string) => console.log(line);
const appPoolSize = 10; // createDb's default, which the app's runtime uses

async function main() {
	const results: Results = {
		startedAt: new Date().toISOString(),
		options: {
			quick: options.quick,
			scale: options.scale,
			durationS: options.durationS,
			connections: options.connections,
			database: options.databaseUrl.replace(/\/\/[^@]*@/, '//')
		},
		machine: machine(),
		scenarios: [],
		latency: [],
		byScale: readScaleFigures()
	};
	log(`Mamori benchmark — scale ${options.scale}${options.quick ? ' (quick)' : ''}, ${options.connections} connections, ${options.durationS} s per scenario`);
	log(`machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}`);

	if (!options.skipSeed) {
		log(`\nseeding ${results.options.database} …`);
		results.seed = await seedDatabase(options.databaseUrl, options.scale, log);
		log(
			`seeded in ${results.seed.seconds.toFixed(1)} s: ${results.seed.rows.people} people, ${results.seed.rows.assignments} assignments, ${results.seed.rows.attempts} attempts, ${results.seed.rows.responses} answers`
		);
	}
	results.build = buildIfStale(log);

	const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
	const handle = await createDb({ url: options.databaseUrl, poolSize: 4 });
	let mamori: Server | null = null;
	let ceiling: Server | null = null;
	try {
		const { rows: versionRow } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
		results.machine.postgres = versionRow[0].v;
		const world = await loadWorld(pool);
		const round = await loadInspectionWorld(pool, world.orgId);
		if (!round) throw new Error('no self-inspection round in the bench database: run without --skip-seed to seed it');
		const {
			rows: [before]
		} = await pool.query<{ now: Date; submitted: string }>(`SELECT now(), (SELECT count(*) FROM attempts WHERE submitted_at IS NOT NULL) AS submitted`);
		let acknowledgedSubmits = 0;
		let submitErrors = 0;

		mamori = await startMamori(options.databaseUrl, appPort);
		ceiling = await startCeiling(options.databaseUrl, ceilingPort, appPoolSize);
		const rss = rssSampler(mamori.pid);
		log(`\nservers: Mamori pid ${mamori.pid} on ${appPort}, ceiling pid ${ceiling.pid} on ${ceilingPort}`);

		// Sessions: supervisors, the policy owner and the autosaving learners log in through the form;
		// the many learners of the submit and deadline scenarios get sessions from the app's own
		// session functions (a login costs an argon2id hash: logging in thousands would take minutes).
		const C = options.connections;
		const t0 = performance.now();
		const supervisorTokens = await Promise.all(world.topSupervisors.map((s) => loginViaForm(s.employeeNumber)));
		const ownerToken = await loginViaForm(world.policyOwner.employeeNumber);
		const learners = await pickLearners(pool, world, C);
		const learnerTokens: string[] = [];
		for (const l of learners) learnerTokens.push(await loginViaForm(l.employeeNumber));
		const reserved = new Set(learners.map((l) => l.personId));
		results.sessions = `${supervisorTokens.length + 1 + learners.length} sessions by the login form (${((performance.now() - t0) / 1000).toFixed(1)} s); submit and deadline learners by the app's createSession`;
		log(`sessions: ${results.sessions}`);

		// Each autosaving learner opens the quiz once: the page starts the attempt.
		const forms: QuizForm[] = [];
		for (let i = 0; i < learners.length; i++) {
			const res = await fetch(`${mamori.origin}/learn/${learners[i].assignmentId}/quiz`, { headers: { cookie: `mamori_session=${learnerTokens[i]}` } });
			const form = parseQuizPage(await res.text());
			if (!form) throw new Error(`quiz page of ${learners[i].employeeNumber} has no form (HTTP ${res.status})`);
			forms.push(form);
		}

		const durationMs = options.durationS * 1000;
		const warmMs = options.quick ? 500 : 2000;
		const run = async (
			key: string,
			server: Server,
			what: string,
			connections: number,
			next: (w: number) => RequestSpec | null,
			warm = true,
			onAnswer?: Parameters<typeof closedLoop>[0]['onAnswer']
		) => {
			if (warm) await closedLoop({ origin: server.origin, connections, durationMs: warmMs, next });
			if (server === mamori) rss.window();
			const stats = await closedLoop({ origin: server.origin, connections, durationMs, next, serverPid: server.pid, onAnswer });
			if (server === mamori) stats.serverRssMb = rss.window();
			const result: ScenarioResult = { key, server: server.name as 'mamori' | 'ceiling', what, connections, stats };
			results.scenarios.push(result);
			log(scenarioLine(result));
			if (stats.errors > 0) log(`    errors: ${JSON.stringify(stats.errorKinds)}`);
		};

		log(`\n${scenarioHeader()}`);
		if (wants(options, 'login-page')) await run('login-page', mamori, 'GET /login (bare SvelteKit page)', C, () => pageRequest('/login', null));
		if (wants(options, 'login-page')) await run('bare', ceiling, 'GET /bare (one SELECT, no framework)', C, () => pageRequest('/bare', null));
		if (wants(options, 'account'))
			await run('account', mamori, 'GET /account/password (logged in)', C, (w) => pageRequest('/account/password', learnerTokens[w % learners.length]));
		if (wants(options, 'home')) await run('home', mamori, 'GET / (learner home)', C, (w) => pageRequest('/', learnerTokens[w % learners.length]));
		if (wants(options, 'team'))
			await run('team', mamori, 'GET /team (supervisor of a 部)', C, (w) => pageRequest('/team', supervisorTokens[w % supervisorTokens.length]));
		if (wants(options, 'insight')) {
			// The weak-spot pages show the quiz and the self-inspection side by side: both must be there.
			for (const path of ['/insight', '/insight/sections']) {
				const html = await (await fetch(`${mamori.origin}${path}`, { headers: { cookie: `mamori_session=${ownerToken}` } })).text();
				if (!html.includes('点検「いいえ」率') || html.includes('自己点検の回答はまだありません'))
					throw new Error(`${path} does not show the self-inspection figures beside the quiz's`);
				log(`${path}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, the quiz's and the self-inspection's figures side by side`);
			}
			await run('insight', mamori, 'GET /insight (weak spots, 年度)', C, () => pageRequest('/insight', ownerToken));
			await run('insight-sections', mamori, 'GET /insight/sections (both figures)', C, () => pageRequest('/insight/sections', ownerToken));
		}

		if (wants(options, 'open')) {
			// The quiz page opened for the first time: it starts the attempt (draws the layout) and renders it.
			const picked = await pickLearners(pool, world, options.quick ? 300 : 3000, { exclude: reserved, noOpenAttempt: true });
			const tokens = await createSessions(
				handle.db,
				world.orgId,
				picked.map((l) => l.personId)
			);
			let i = 0;
			const next = () => {
				const l = picked[i++];
				return l ? pageRequest(`/learn/${l.assignmentId}/quiz`, tokens.get(l.personId)!) : null;
			};
			await run('open', mamori, `GET quiz page, new attempt (${picked.length} ready)`, C, next, false);
		}

		if (wants(options, 'save')) {
			const counters = new Array(learners.length).fill(0);
			const next = (w: number) => {
				const i = w % learners.length;
				const n = counters[i]++;
				const form = forms[i];
				const q = form.questions[n % form.questions.length];
				// Alternating answers, so every save changes the stored row.
				return saveRequest(
					learners[i].assignmentId,
					learnerTokens[i],
					form.attemptId,
					q.id,
					answerFor(world, q.id, Math.floor(n / form.questions.length) % 2 === 0)
				);
			};
			for (const server of [mamori, ceiling]) await run('save', server, 'POST ?/save (autosave one answer)', C, next);
		}

		if (wants(options, 'inspect')) {
			// Self-inspection: people who had not started answer the round, each autosave the whole
			// form with one choice changed (the first save answers every item and completes the round).
			const people = await pickInspectors(pool, round, C);
			const tokens = await createSessions(
				handle.db,
				world.orgId,
				people.map((p) => p.personId)
			);
			const states = people.map(() => [] as string[]);
			const counters = new Array(people.length).fill(0);
			const next = (w: number) => {
				const i = w % people.length;
				return inspectionSaveRequest(people[i].assignmentId, tokens.get(people[i].personId)!, nextInspectionAnswers(round, states[i], counters[i]++));
			};
			await run('inspect', mamori, `POST inspection ?/save (${round.items.length} items)`, C, next);
		}

		if (wants(options, 'submit')) {
			for (const server of [mamori, ceiling]) {
				const cap = Math.round((options.quick ? 300 : 4000) * (server === ceiling ? 1.5 : 1));
				const picked = await pickLearners(pool, world, cap, { exclude: reserved, noOpenAttempt: true });
				const tokens = await createSessions(
					handle.db,
					world.orgId,
					picked.map((l) => l.personId)
				);
				const prepared = await prepareOpenAttempts(pool, world, picked);
				let i = 0;
				const next = () => {
					const p = prepared[i];
					if (!p) return null;
					const pass = i++ % 2 === 0;
					return submitRequest(
						p.assignmentId,
						tokens.get(p.personId)!,
						p.attemptId,
						quizAnswers(
							world,
							p.layout.map((q) => q.questionId),
							pass
						)
					);
				};
				await run('submit', server, `POST ?/submit (whole quiz, ${prepared.length} ready)`, C, next, false, (_spec, _status, _body, error) => {
					if (error) submitErrors++;
					else acknowledgedSubmits++;
				});
			}
		}

		if (wants(options, 'login')) {
			const people = await pickLearners(pool, world, 200, { exclude: reserved });
			let i = 0;
			const conns = Math.min(10, C);
			await run('login', mamori, 'POST /login (argon2id)', conns, () => loginRequest(people[i++ % people.length].employeeNumber));
		}

		// One viewer at a time: how long a page takes when nothing else is running.
		const count = options.quick ? 30 : 200;
		const latencyOf = async (key: string, server: Server, what: string, next: (i: number) => RequestSpec) => {
			const stats = await sequential(server.origin, count, next);
			const result: ScenarioResult = { key, server: server.name as 'mamori' | 'ceiling', what, connections: 1, stats };
			results.latency.push(result);
			log(scenarioLine(result));
		};
		const pageKeys = ['login-page', 'account', 'home', 'team', 'insight'].filter((k) => wants(options, k as 'home'));
		if (pageKeys.length > 0) {
			log(`\none connection, ${count} requests each (unloaded latency)`);
			log(scenarioHeader());
			if (wants(options, 'login-page')) await latencyOf('login-page', mamori, 'GET /login', () => pageRequest('/login', null));
			if (wants(options, 'login-page')) await latencyOf('bare', ceiling, 'GET /bare', () => pageRequest('/bare', null));
			if (wants(options, 'account'))
				await latencyOf('account', mamori, 'GET /account/password', (i) => pageRequest('/account/password', learnerTokens[i % learners.length]));
			if (wants(options, 'home')) await latencyOf('home', mamori, 'GET /', (i) => pageRequest('/', learnerTokens[i % learners.length]));
			if (wants(options, 'team')) await latencyOf('team', mamori, 'GET /team', (i) => pageRequest('/team', supervisorTokens[i % supervisorTokens.length]));
			if (wants(options, 'insight')) await latencyOf('insight', mamori, 'GET /insight', () => pageRequest('/insight', ownerToken));
			if (wants(options, 'insight')) await latencyOf('insight-sections', mamori, 'GET /insight/sections', () => pageRequest('/insight/sections', ownerToken));
		}

		if (wants(options, 'queries')) {
			results.queries = await timeQueries(handle.db, world, options.quick ? 10 : 50);
			const [inspector] = await pickInspectors(pool, round, 1);
			if (inspector) results.queries.push(await timeInspectionSave(handle.db, world, round, inspector, options.quick ? 10 : 50));
			log('\nserver time of the reads behind /team and /insight (domain functions, one at a time)');
			for (const q of results.queries)
				log(`  ${q.name.padEnd(44)} p50 ${q.p50.toFixed(2).padStart(7)} ms   p95 ${q.p95.toFixed(2).padStart(7)} ms   max ${q.max.toFixed(2).padStart(7)} ms`);
		}

		if (wants(options, 'parsers')) {
			log(
				'\nparsers: each parser of user text reads its worst input at the largest size taken, while one connection asks for GET /login (target: every wait < 500 ms)'
			);
			const adminToken = await loginViaForm('000001');
			results.parsers = await parserScenario(mamori.origin, pool, world.orgId, { owner: ownerToken, admin: adminToken }, log);
		}

		if (wants(options, 'deadline')) {
			const intervalMs = options.quick ? 4000 : 10_000;
			const p99LimitMs = 500;
			const serverPid = mamori!.pid;
			const header = `${'learners'.padStart(8)} ${'peak/s'.padStart(7)} ${'requests'.padStart(9)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(8)} ${'errors'.padStart(6)} ${'RSS MB'.padStart(7)}  p99 open/save/submit  cpu server/db+rest/gen/machine`;
			const logStep = (s: DeadlineStep) => {
				const a = s.all;
				const cpu = a.cpu ? `${a.cpu.server}/${a.cpu.postgres}/${a.cpu.generator}/${a.cpu.machine}` : '';
				log(
					`${String(s.learners).padStart(8)} ${String(s.peakRps).padStart(7)} ${String(a.requests).padStart(9)} ${a.p50.toFixed(0).padStart(7)} ${a.p95.toFixed(0).padStart(7)} ${a.p99.toFixed(0).padStart(7)} ${a.max.toFixed(0).padStart(8)} ${String(a.errors).padStart(6)} ${String(a.serverRssMb ?? '').padStart(7)}  ${`${s.open.p99.toFixed(0)}/${s.save.p99.toFixed(0)}/${s.submit.p99.toFixed(0)}`.padEnd(20)}  ${cpu}  ${s.passed ? '✓' : '✗'}`
				);
				if (a.errors > 0) log(`    errors: ${JSON.stringify(a.errorKinds)}`);
			};
			const withTokens = async <T extends { personId: string }>(learners: T[]) => {
				const tokens = await createSessions(
					handle.db,
					world.orgId,
					learners.map((l) => l.personId)
				);
				return learners.map((l) => ({ ...l, token: tokens.get(l.personId)! }));
			};
			/** Steps up the ramp until one fails, then once halfway back; the largest N that passed. */
			const ramp = async (ns: number[], bisect: boolean, run: (n: number) => Promise<DeadlineStep | null>) => {
				const steps: DeadlineStep[] = [];
				const step = async (n: number) => {
					rss.window();
					const s = await run(n);
					if (!s) {
						log(`  ${n}: not enough learners left without a completion; step skipped`);
						return null;
					}
					s.all.serverRssMb = rss.window();
					steps.push(s);
					acknowledgedSubmits += s.acknowledgedSubmits;
					submitErrors += s.submit.errors;
					logStep(s);
					await new Promise((r) => setTimeout(r, 2000));
					return s.passed;
				};
				let best: number | null = null;
				let failedAt: number | null = null;
				for (const n of ns) {
					const passed = await step(n);
					if (passed === null) break;
					if (!passed) {
						failedAt = n;
						break;
					}
					best = n;
				}
				if (bisect && failedAt !== null) {
					const mid = Math.round(((best ?? 0) + failedAt) / 2 / 250) * 250;
					if (mid > (best ?? 0) && mid < failedAt && (await step(mid))) best = mid;
				}
				return { steps, maxLearners: best };
			};

			const windowMs = options.quick ? 20_000 : 60_000;
			const questions = drawCount;
			log(
				`\ndeadline simulation (steady): N learners mid-quiz, each answering one of ${questions} questions every ${intervalMs / 1000} s (an autosave) and submitting after the last; the next learner opens the quiz after each submit; measured for ${windowMs / 1000} s`
			);
			log(header);
			const steady = await ramp(options.quick ? [100, 250] : [1000, 2000, 3000], !options.quick, async (n) => {
				const extra = steadyReplacements(n, questions, { intervalMs, windowMs });
				// Learners who left an attempt open earlier in the run carry on with it.
				const picked = await pickLearners(pool, world, n + extra, { exclude: reserved });
				if (picked.length < n + extra) return null;
				const inProgress = await openAttemptsFor(pool, world, picked.slice(0, n));
				return steadyDeadlineStep(mamori!.origin, world, await withTokens(inProgress), await withTokens(picked.slice(n)), {
					intervalMs,
					windowMs,
					p99LimitMs,
					serverPid
				});
			});

			const saves = options.quick ? 2 : 5;
			let flash: { steps: DeadlineStep[]; maxLearners: number | null } | undefined;
			if (!options.quick) {
				log(
					`\ndeadline simulation (flash crowd): N learners all start within ${intervalMs / 1000} s, autosave every ${intervalMs / 1000} s (${saves}×), then submit`
				);
				log(header);
				flash = await ramp([250, 500, 750, 1000], false, async (n) => {
					const picked = await pickLearners(pool, world, n, { exclude: reserved });
					if (picked.length < n) return null;
					return flashCrowdStep(mamori!.origin, world, await withTokens(picked), { intervalMs, saves, p99LimitMs, serverPid });
				});
			}
			results.deadline = { intervalMs, windowMs, questions, steady, ...(flash ? { flash: { saves, ...flash } } : {}) };
		}

		// Memory: the kernel's high-water mark covers the whole life of the process.
		rss.stop();
		const mem = memoryOf(mamori.pid);
		results.memory = {
			mamoriPeakRssMb: Math.round(rss.peakMb()),
			mamoriHwmMb: Math.round(mem?.hwmMb ?? rss.peakMb()),
			ceilingHwmMb: Math.round(memoryOf(ceiling.pid)?.hwmMb ?? 0) || null
		};
		await mamori.stop();
		await ceiling.stop();

		// Every acknowledged submit is exactly one submitted attempt; nothing is left half done.
		const { rows: integrityRows } = await pool.query(
			`SELECT
				(SELECT count(*) FROM attempts WHERE submitted_at IS NOT NULL)::int - $1::int AS submitted_during_run,
				(SELECT count(*) FROM (SELECT assignment_id FROM attempts WHERE submitted_at IS NULL GROUP BY 1 HAVING count(*) > 1) x)::int AS assignments_with_two_open_attempts,
				(SELECT count(*) FROM (SELECT assignment_id, number FROM attempts GROUP BY 1, 2 HAVING count(*) > 1) x)::int AS duplicate_attempt_numbers,
				(SELECT count(*) FROM attempts a WHERE a.submitted_at >= $2 AND (SELECT count(*) FROM responses r WHERE r.attempt_id = a.id) <> jsonb_array_length(a.layout))::int AS submitted_attempts_without_every_answer,
				(SELECT count(*) FROM assignments s JOIN campaigns c ON c.id = s.campaign_id AND c.course_id IS NOT NULL WHERE s.last_activity_at >= $2
					AND s.attempt_count <> (SELECT count(*) FROM attempts a WHERE a.assignment_id = s.id AND a.submitted_at IS NOT NULL))::int AS assignments_with_wrong_attempt_count,
				(SELECT count(*) FROM assignments s JOIN campaigns c ON c.id = s.campaign_id AND c.course_id IS NOT NULL
					WHERE s.status = 'completed' AND s.completing_attempt_id IS NULL)::int AS completed_without_attempt,
				-- A round's assignment is complete exactly when every active item of its checklist is answered.
				(SELECT count(*) FROM assignments s JOIN campaigns c ON c.id = s.campaign_id AND c.checklist_id IS NOT NULL
					WHERE (s.status = 'completed') <> ((SELECT count(*) FROM inspection_responses r JOIN inspection_items i ON i.id = r.item_id AND i.active WHERE r.assignment_id = s.id)
						= (SELECT count(*) FROM inspection_items i WHERE i.checklist_id = c.checklist_id AND i.active)))::int AS rounds_with_wrong_completion`,
			[Number(before.submitted), before.now]
		);
		const integrity = integrityRows[0] as Record<string, number>;
		results.integrity = {
			...integrity,
			acknowledged_submits: acknowledgedSubmits,
			submits_with_errors: submitErrors,
			submits_match: integrity.submitted_during_run === acknowledgedSubmits
		};
		const client = await pool.connect();
		try {
			const t = performance.now();
			results.summaries = [...(await checkSummaries(client, world.deadlineCampaignId)), ...(await checkInspectionSummaries(client, round.campaignId))];
			results.rows = await rowCounts(client);
			log(
				`\nrow counts after the run: ${Object.entries(results.rows)
					.map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
					.join(', ')}`
			);
			log(
				`submits: ${acknowledgedSubmits} acknowledged, ${integrity.submitted_during_run} attempts submitted in the database (${submitErrors} with errors) — ${results.integrity.submits_match ? '✓ none lost or duplicated' : '✗ MISMATCH'}`
			);
			log(
				`integrity: ${Object.entries(integrity)
					.filter(([k]) => k !== 'submitted_during_run')
					.map(([k, v]) => `${k.replaceAll('_', ' ')} ${v}`)
					.join(', ')}`
			);
			log(
				`summary tables vs a recount (${((performance.now() - t) / 1000).toFixed(1)} s): ${results.summaries.map((s) => `${s.table} ${s.differences === 0 ? '✓' : `✗ ${s.differences} rows differ`}`).join(', ')}`
			);
		} finally {
			client.release();
		}
		log(
			`memory: Mamori peak RSS ${results.memory.mamoriHwmMb} MB (sampled max ${results.memory.mamoriPeakRssMb} MB), ceiling ${results.memory.ceilingHwmMb ?? '–'} MB`
		);

		results.ratios = computeRatios(results);
		if (Object.keys(results.ratios).length > 0) {
			log('\nratios');
			for (const [k, v] of Object.entries(results.ratios)) log(`  ${k.padEnd(58)} ${v.toFixed(2)}`);
		}
		results.targets = computeTargets(results);
		printTargets(results.targets, log);
	} catch (err) {
		if (mamori) log(`\nMamori output (last lines):\n${mamori.output().split('\n').slice(-30).join('\n')}`);
		throw err;
	} finally {
		await mamori?.stop();
		await ceiling?.stop();
		await pool.end();
		await handle.close();
	}
	results.finishedAt = new Date().toISOString();
	writeResults(results);
	log(`\nwritten: ${resultsPath} (${((Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000).toFixed(0)} s in all)`);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
