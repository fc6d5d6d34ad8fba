// The database goes away under load and comes back. Learners save answers and submit quizzes
// over HTTP (the quiz page's own posts, with and without script) against the built app, whose
// PostgreSQL is a private instance this test stops and starts (not the shared webServer's).
// Meanwhile every answer is a clear 503, the app stays up and recovers by itself, and afterwards
// every answer it acknowledged is in the database and no submission was recorded twice.
import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { Pool } from 'undici';
import { freePort, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { startMamori, type Server } from '../../bench/servers';
import { send, sleep, type RequestSpec } from '../../bench/load';
import {
	cookieFor,
	loginRequest,
	loginViaForm,
	pageRequest,
	parseQuizPage,
	saveAllRequest,
	saveRequest,
	submitRequest,
	type QuizForm
} from '../../bench/scenarios';
import { demoPassword, expectAccessible, forbidForeignRequests, login } from './helpers';

// About half a minute on an idle 2-core machine; more when other suites share it.
test.setTimeout(150_000);

const headingJa = 'ただいまデータベースに接続できません';
const headingEn = 'The database is unavailable right now';

/** stopping: pg_ctl stop called; down: it returned; starting: pg_ctl start called; recovering: it returned. */
type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'recovering' | 'after';
type Kind = 'quiz page' | 'page' | 'data' | 'save' | 'save without script' | 'submit' | 'submit without script' | 'login page' | 'login';
const jsonKinds: ReadonlySet<Kind> = new Set(['data', 'save', 'submit']);

interface Answer {
	kind: Kind;
	sent: Phase;
	answered: Phase;
	/** 0: no answer at all (refused, reset, or nothing within the timeout). */
	status: number;
	error: string | null;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** One learner's quiz, driven like a browser: one request at a time. */
interface Track {
	who: string;
	token: string;
	assignmentId: string;
	form: QuizForm | null;
	/** What the form shows now, question → chosen choices. */
	answers: Map<string, string[]>;
	/** A submit was sent and not acknowledged: the learner presses the button again. */
	submitPending: boolean;
	/** Passed: the quiz page sends them to the result. */
	finished: boolean;
}

interface Write {
	selected: string[];
	acked: boolean;
}

let postgres: PrivatePostgres | undefined;
let app: Server | undefined;
let http: Pool | undefined;

test.afterAll(async () => {
	await http?.close();
	await app?.stop();
	await postgres?.destroy();
});

test('with the database stopped under load the app answers 503, recovers by itself, and keeps every acknowledged answer', async ({ browser }) => {
	postgres = await startPrivatePostgres();
	const port = await freePort();
	// The scheduled-reminder job runs every half second, so it meets the outage too.
	app = await startMamori(postgres.url, port, { MAMORI_DEMO: '1', REMINDER_POLL_MS: '500' });
	const server = app;
	const origin = `http://localhost:${port}`;
	// Ten seconds without an answer is a hang, not slowness: the pool gives up connecting after five.
	http = new Pool(server.origin, { connections: 12, headersTimeout: 10_000, bodyTimeout: 10_000 });
	const client = http;
	const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
	db.on('error', () => {});

	let phase: Phase = 'before';
	const exchanges: Answer[] = [];
	const writes = new Map<string, Map<string, Write[]>>();
	const submits: { attemptId: string; acked: boolean }[] = [];

	async function exchange(kind: Kind, spec: RequestSpec): Promise<Answer> {
		const sent = phase;
		const r = await send(client, spec);
		const answer: Answer = { kind, sent, answered: phase, status: r.status, error: r.status === 0 ? r.error : null, headers: r.headers, body: r.body };
		exchanges.push(answer);
		return answer;
	}
	const location = (a: Answer) => String(a.headers.location ?? '');
	const acked = (a: Answer, kind: Kind) =>
		a.kind === kind && (a.status === 200 || a.status === 303) && (kind !== 'save' || a.body.includes('"type":"success"'));

	function recordWrites(attemptId: string, given: [string, string[]][], ok: boolean) {
		const byQuestion = writes.get(attemptId) ?? new Map<string, Write[]>();
		writes.set(attemptId, byQuestion);
		for (const [questionId, selected] of given) {
			byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), { selected: [...selected], acked: ok }]);
		}
	}

	const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
	const wholeForm = (t: Track, form: QuizForm): [string, string[]][] => form.questions.map((q) => [q.id, t.answers.get(q.id) ?? []]);
	/** A new choice for one question; now and then a cleared one. */
	function answerOne(t: Track, form: QuizForm): [string, string[]] {
		const q = pick(form.questions);
		const selected = Math.random() < 0.1 ? [] : [pick(q.choiceIds)];
		t.answers.set(q.id, selected);
		return [q.id, selected];
	}

	async function openQuiz(t: Track) {
		const a = await exchange('quiz page', pageRequest(`/learn/${t.assignmentId}/quiz`, t.token));
		if (a.status === 303 && location(a).includes('/quiz/result/')) t.finished = true;
		if (a.status !== 200) return;
		const form = parseQuizPage(a.body);
		expect(form, `the quiz form of ${t.who}`).not.toBeNull();
		if (form!.attemptId !== t.form?.attemptId) t.answers = new Map();
		t.form = form;
	}

	async function saveOne(t: Track, form: QuizForm) {
		const [questionId, selected] = answerOne(t, form);
		const a = await exchange('save', saveRequest(t.assignmentId, t.token, form.attemptId, questionId, selected, { origin }));
		recordWrites(form.attemptId, [[questionId, selected]], acked(a, 'save'));
	}

	async function saveAll(t: Track, form: QuizForm) {
		answerOne(t, form);
		const all = wholeForm(t, form);
		const a = await exchange('save without script', saveAllRequest(t.assignmentId, t.token, form.attemptId, all, origin));
		recordWrites(form.attemptId, all, acked(a, 'save without script'));
	}

	async function submit(t: Track, form: QuizForm, script: boolean) {
		// Every question answered first, as the page asks before grading.
		for (const q of form.questions) if (!t.answers.get(q.id)?.length) t.answers.set(q.id, [pick(q.choiceIds)]);
		const all = wholeForm(t, form);
		const kind: Kind = script ? 'submit' : 'submit without script';
		const a = await exchange(kind, submitRequest(t.assignmentId, t.token, form.attemptId, all, { origin, script }));
		const ok = acked(a, kind) && (script ? a.body.includes('/quiz/result/') : location(a).includes('/quiz/result/'));
		recordWrites(form.attemptId, all, ok);
		submits.push({ attemptId: form.attemptId, acked: ok });
		t.submitPending = !ok;
		if (ok) t.form = null;
	}

	// Once the load is told to stop, a learner still waiting on a submit presses again for a while.
	let stopLoadAt = Infinity;
	async function drive(t: Track) {
		while ((Date.now() < stopLoadAt || (t.submitPending && Date.now() < stopLoadAt + 15_000)) && !t.finished) {
			await sleep(25);
			const form = t.form;
			if (!form) await openQuiz(t);
			else if (t.submitPending || Math.random() < 0.08) await submit(t, form, Math.random() < 0.5);
			else if (Math.random() < 0.2) await saveAll(t, form);
			else await saveOne(t, form);
		}
	}

	// The learners (their courses; the self-inspection rounds have no quiz): every quiz of demo-staff, demo-parttime and demo-contractor (their own course) runs
	// in the load; demo-chief's is sent each kind of request while the database is down.
	const { rows: assigned } = await db.query<{ id: string; number: string }>(
		`select a.id, p.employee_number as number from assignments a join people p on p.id = a.person_id
		join campaigns c on c.id = a.campaign_id and c.course_id is not null
		where p.employee_number in ('demo-staff', 'demo-parttime', 'demo-contractor', 'demo-chief') order by 2, 1`
	);
	const numbers = [...new Set(assigned.map((r) => r.number))];
	const tokens = new Map(await Promise.all(numbers.map(async (n) => [n, await loginViaForm(n, demoPassword, origin)] as const)));
	const tracks: Track[] = assigned.map((r) => ({
		who: r.number,
		token: tokens.get(r.number)!,
		assignmentId: r.id,
		form: null,
		answers: new Map(),
		submitPending: false,
		finished: false
	}));
	const probe = tracks.find((t) => t.who === 'demo-chief')!;
	const loaded = tracks.filter((t) => t !== probe);
	expect(loaded.length).toBeGreaterThanOrEqual(3);
	await openQuiz(probe);
	expect(probe.form).not.toBeNull();

	// A browser logged in before the outage, for the page it sees during it.
	const context = await browser.newContext({ baseURL: origin });
	const page = await context.newPage();
	const foreign = forbidForeignRequests(page, origin);
	const browserLogin = login(page, 'demo-admin');

	const count = (pred: (a: Answer) => boolean) => exchanges.filter(pred).length;
	const ackedSaves = (p: Phase) => count((a) => a.sent === p && (acked(a, 'save') || acked(a, 'save without script')));
	const ackedSubmits = (p: Phase) => count((a) => a.sent === p && (acked(a, 'submit') || acked(a, 'submit without script')));

	const load = loaded.map(drive);
	try {
		await browserLogin;
		await expect.poll(() => ackedSaves('before') >= 20 && ackedSubmits('before') >= 2, { timeout: 60_000 }).toBe(true);

		phase = 'stopping';
		await postgres.stop();
		phase = 'down';
		// Each kind of request while the database is down, besides the load.
		const form = probe.form!;
		await openQuiz(probe);
		await exchange('data', { method: 'GET', path: '/learn/__data.json', headers: { cookie: cookieFor(probe.token) } });
		await saveOne(probe, form);
		await saveAll(probe, form);
		await submit(probe, form, true);
		await submit(probe, form, false);
		await exchange('login page', pageRequest('/login', null));
		await exchange('login', loginRequest('demo-approver', demoPassword, origin));
		await checkOutagePages(browser, origin, page);
		// The load went on meanwhile, refused all along.
		await expect.poll(() => count((a) => a.sent === 'down' && a.answered === 'down' && a.status === 503), { timeout: 30_000 }).toBeGreaterThan(20);

		phase = 'starting';
		await postgres.start();
		phase = 'recovering';
		// Back without a restart, within a few seconds.
		const home = pageRequest('/', loaded[0].token);
		await expect.poll(async () => (await exchange('page', home)).status, { timeout: 15_000, intervals: [100] }).toBe(200);
		phase = 'after';
		load.push(drive(probe));
		await expect.poll(() => ackedSaves('after') >= 20 && ackedSubmits('after') >= 2, { timeout: 60_000 }).toBe(true);
	} finally {
		stopLoadAt = Date.now();
		await Promise.all(load);
	}
	expect(
		tracks.filter((t) => t.submitPending).map((t) => t.who),
		'submits never acknowledged'
	).toEqual([]);

	// The browser's page is back too.
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('さん、こんにちは');
	expect(foreign).toEqual([]);
	await context.close();

	// ---- every answer was a success or a clear 503; never a 500, never a hang ----
	const problems = exchanges.flatMap((a) => {
		const where = `${a.kind} sent ${a.sent}, answered ${a.answered}`;
		if (a.status === 0) return [`${where}: no answer (${a.error})`];
		if (a.status === 503) return unavailableProblems(a).map((p) => `${where}: ${p}`);
		if (a.status !== 200 && a.status !== 303) return [`${where}: HTTP ${a.status} ${a.body.slice(0, 200)}`];
		if (a.kind === 'save' && !a.body.includes('"type":"success"')) return [`${where}: ${a.body.slice(0, 200)}`];
		return [];
	});
	expect(problems).toEqual([]);
	// While the server was down every request was refused with the 503, whatever its kind ...
	const duringOutage = exchanges.filter((a) => a.sent === 'down' && a.answered === 'down');
	expect(duringOutage.filter((a) => a.status !== 503)).toEqual([]);
	for (const kind of ['quiz page', 'data', 'save', 'save without script', 'submit', 'submit without script', 'login page', 'login'] as const) {
		expect(
			duringOutage.some((a) => a.kind === kind),
			kind
		).toBe(true);
	}
	// ... and once it was back every request succeeded.
	expect(exchanges.filter((a) => a.sent === 'after' && a.status === 503)).toEqual([]);
	expect(server.running(), 'the app process is still the one started').toBe(true);

	// ---- every acknowledged answer is in the database ----
	// Per question, the last acknowledged choice, unless a later unacknowledged save landed after
	// all (its commit came before the connection broke): then that one.
	const lost: string[] = [];
	let exact = 0;
	const key = (selected: readonly string[]) => [...selected].sort().join(',');
	for (const [attemptId, byQuestion] of writes) {
		const { rows } = await db.query<{ question_id: string; selected: string[] }>('select question_id, selected from responses where attempt_id = $1', [
			attemptId
		]);
		const stored = new Map(rows.map((r) => [r.question_id, key(r.selected)]));
		for (const [questionId, list] of byQuestion) {
			let lastAcked = -1;
			list.forEach((w, i) => {
				if (w.acked) lastAcked = i;
			});
			const allowed = new Set(list.slice(Math.max(lastAcked, 0)).map((w) => key(w.selected)));
			if (lastAcked < 0) allowed.add(key([]));
			if (lastAcked === list.length - 1) exact++;
			const actual = stored.get(questionId) ?? key([]);
			if (!allowed.has(actual))
				lost.push(`attempt ${attemptId} question ${questionId}: stored [${actual}], acknowledged [${lastAcked >= 0 ? key(list[lastAcked].selected) : ''}]`);
		}
	}
	expect(lost).toEqual([]);
	expect(exact).toBeGreaterThan(20);

	// ---- each submission recorded once ----
	const assignmentIds = tracks.map((t) => t.assignmentId);
	const { rows: attempts } = await db.query<{ id: string; submitted: boolean; events: number }>(
		`select t.id, t.submitted_at is not null as submitted,
			(select count(*)::int from audit_events e where e.action = 'quiz.submit' and e.target_id = t.id::text) as events
		from attempts t where t.assignment_id = any($1)`,
		[assignmentIds]
	);
	const ackedAttempts = new Set(submits.filter((s) => s.acked).map((s) => s.attemptId));
	expect(ackedAttempts.size).toBeGreaterThanOrEqual(4);
	expect(attempts.filter((a) => a.events !== (a.submitted ? 1 : 0))).toEqual([]);
	expect(
		attempts
			.filter((a) => a.submitted)
			.map((a) => a.id)
			.sort()
	).toEqual([...ackedAttempts].sort());
	const { rows: counts } = await db.query<{ id: string; attempt_count: number; submitted: number }>(
		`select a.id, a.attempt_count, (select count(*)::int from attempts t where t.assignment_id = a.id and t.submitted_at is not null) as submitted
		from assignments a where a.id = any($1)`,
		[assignmentIds]
	);
	expect(counts.filter((c) => c.attempt_count !== c.submitted)).toEqual([]);
	await db.end();

	// ---- the outage was logged, not once per request, and the background job carried on ----
	const log = server.output();
	const lines = (pattern: RegExp) => log.split('\n').filter((l) => pattern.test(l)).length;
	expect(lines(/^\[db\] database unavailable/)).toBeGreaterThanOrEqual(1);
	// One per outage; a connection completing in the instant the server stops can make it two.
	expect(lines(/^\[db\] database unavailable/)).toBeLessThanOrEqual(2);
	expect(lines(/^\[db\] database reachable again/)).toBeGreaterThanOrEqual(1);
	expect(lines(/scheduled reminders: database unavailable/)).toBeGreaterThanOrEqual(1);
	expect(lines(/scheduled reminders: database unavailable/)).toBeLessThanOrEqual(2);
	expect(lines(/scheduled reminders: the database is back/)).toBeGreaterThanOrEqual(1);
	expect(log).not.toMatch(/\[500\]/);
});

/** What is wrong with a 503, if anything: it must say when to come back and what happened, in both languages. */
function unavailableProblems(a: Answer): string[] {
	const problems: string[] = [];
	if (!/^\d+$/.test(String(a.headers['retry-after'] ?? ''))) problems.push('no Retry-After');
	if (jsonKinds.has(a.kind)) {
		const body = JSON.parse(a.body);
		const error = a.kind === 'data' ? body : body.type === 'error' ? body.error : null;
		if (error?.key !== 'error.databaseUnavailable') problems.push(`body ${a.body.slice(0, 200)}`);
	} else {
		if (!String(a.headers['content-type']).startsWith('text/html')) problems.push(`content-type ${a.headers['content-type']}`);
		if (!a.body.includes(headingJa) || !a.body.includes(headingEn)) problems.push(`page ${a.body.slice(0, 200)}`);
	}
	return problems;
}

/** In the browser, during the outage: a page of the logged-in person and the login page. */
async function checkOutagePages(browser: Browser, origin: string, page: Page) {
	const response = await page.goto('/');
	expect(response?.status()).toBe(503);
	expect(response?.headers()['retry-after']).toMatch(/^\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(headingJa);
	await expect(page.getByRole('heading', { level: 2 })).toHaveText(headingEn);
	await expectAccessible(page);

	const anonymous = await browser.newContext({ baseURL: origin });
	const loginPage = await anonymous.newPage();
	const loginResponse = await loginPage.goto('/login');
	expect(loginResponse?.status()).toBe(503);
	await expect(loginPage.getByRole('heading', { level: 1 })).toHaveText(headingJa);
	await expect(loginPage.getByRole('link', { name: 'もう一度読み込む' })).toHaveAttribute('href', '/login');
	await anonymous.close();
}
