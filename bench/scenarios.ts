// What the simulated browsers send: logins, sessions, the quiz page read back into a form, the
// autosave and submit posts as the page's script sends them (multipart FormData with the
// SvelteKit action headers), and open attempts prepared for the submit scenario.
import pg from 'pg';
import type { Db } from '../src/lib/server/db/client';
import { createSession, generateSessionToken, sessionCookieName, sessionPolicyFromEnv } from '../src/lib/server/auth/session';
import { drawLayout, randomSeed, seededRng, type AttemptLayout } from '../src/lib/server/learning/quiz/draw';
import { appOrigin, benchPassword } from './config';
import { newPool, send, type RequestSpec } from './load';
import { benchCourseSlug, benchOrgSlug } from './seed';

export interface BenchWorld {
	orgId: string;
	fiscalYear: number;
	/** Oldest first; the last is the one whose deadline is near. */
	campaigns: { id: string; title: string; fiscalYear: number }[];
	deadlineCampaignId: string;
	questions: Map<string, { type: string; choices: { id: string; correct: boolean }[]; sectionKeys: string[] }>;
	topSupervisors: { id: string; employeeNumber: string }[];
	policyOwner: { id: string; employeeNumber: string };
}

export async function loadWorld(client: pg.Pool): Promise<BenchWorld> {
	const {
		rows: [org]
	} = await client.query<{ id: string }>(`SELECT id FROM organizations WHERE slug = $1`, [benchOrgSlug]);
	if (!org) throw new Error('no bench organisation in the database: run without --skip-seed first');
	const { rows: campaigns } = await client.query<{ id: string; title: string; fiscal_year: number }>(
		`SELECT c.id, c.title, c.fiscal_year FROM campaigns c JOIN courses co ON co.id = c.course_id WHERE c.org_id = $1 AND co.slug = $2 ORDER BY c.starts_on`,
		[org.id, benchCourseSlug]
	);
	const { rows: questions } = await client.query(
		`SELECT q.id, q.type, q.choices, q.section_keys FROM questions q JOIN courses c ON c.id = q.course_id WHERE c.org_id = $1 AND c.slug = $2`,
		[org.id, benchCourseSlug]
	);
	const { rows: supervisors } = await client.query<{ id: string; employee_number: string }>(
		`SELECT p.id, p.employee_number FROM supervised_departments s JOIN departments d ON d.id = s.department_id JOIN people p ON p.id = s.person_id
		WHERE s.org_id = $1 AND d.parent_id IS NULL ORDER BY d.code`,
		[org.id]
	);
	const {
		rows: [owner]
	} = await client.query<{ id: string; employee_number: string }>(
		`SELECT p.id, p.employee_number FROM person_roles r JOIN people p ON p.id = r.person_id WHERE r.org_id = $1 AND r.role = 'policy_owner' LIMIT 1`,
		[org.id]
	);
	return {
		orgId: org.id,
		fiscalYear: campaigns.at(-1)!.fiscal_year,
		campaigns: campaigns.map((c) => ({ id: c.id, title: c.title, fiscalYear: c.fiscal_year })),
		deadlineCampaignId: campaigns.at(-1)!.id,
		questions: new Map(questions.map((q) => [q.id, { type: q.type, choices: q.choices, sectionKeys: q.section_keys }])),
		topSupervisors: supervisors.map((s) => ({ id: s.id, employeeNumber: s.employee_number })),
		policyOwner: { id: owner.id, employeeNumber: owner.employee_number }
	};
}

/** Logs in through the login form, as a browser without script does; the session token. */
export async function loginViaForm(employeeNumber: string, password = benchPassword, origin = appOrigin): Promise<string> {
	const pool = newPool(origin.replace('localhost', '127.0.0.1'), 1);
	try {
		const r = await send(pool, loginRequest(employeeNumber, password, origin));
		if (r.error) throw new Error(`login of ${employeeNumber} failed: ${r.error} ${r.body.slice(0, 200)}`);
		const cookies = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
		const token = cookies.map((c) => new RegExp(`^${sessionCookieName}=([^;]+)`).exec(c)?.[1]).find(Boolean);
		if (!token) throw new Error(`login of ${employeeNumber}: no session cookie`);
		return token;
	} finally {
		await pool.close();
	}
}

export function loginRequest(employeeNumber: string, password = benchPassword, origin = appOrigin): RequestSpec {
	return {
		method: 'POST',
		path: '/login',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ employeeNumber, password }).toString(),
		check: (status) => (status === 303 ? true : `login HTTP ${status}`)
	};
}

/** Sessions made with the app's own session functions, for more learners than logins can serve. */
export async function createSessions(db: Db, orgId: string, personIds: string[]): Promise<Map<string, string>> {
	const policy = sessionPolicyFromEnv({});
	const tokens = new Map<string, string>();
	for (let i = 0; i < personIds.length; i += 20) {
		await Promise.all(
			personIds.slice(i, i + 20).map(async (id) => {
				const token = generateSessionToken();
				await createSession(db, token, { id, orgId }, policy);
				tokens.set(id, token);
			})
		);
	}
	return tokens;
}

export const cookieFor = (token: string) => `${sessionCookieName}=${token}`;

/** A page request of a logged-in viewer. */
export function pageRequest(path: string, token: string | null): RequestSpec {
	return {
		method: 'GET',
		path,
		headers: token ? { cookie: cookieFor(token), accept: 'text/html' } : { accept: 'text/html' },
		check: (status) => (status === 200 ? true : `HTTP ${status}`)
	};
}

/** FormData as the browser encodes it. */
export function multipart(fields: [string, string][]): { body: string; contentType: string } {
	const boundary = `----BenchFormBoundary${Math.random().toString(36).slice(2, 14)}`;
	const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
	return { body: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Who posts a form: to which origin, and whether the page's script sends it or the browser does without one. */
export interface Poster {
	origin?: string;
	/** Default true: the enhanced post with SvelteKit's action headers, answered with JSON. */
	script?: boolean;
}

function actionRequest(path: string, token: string, fields: [string, string][], check: RequestSpec['check'], poster: Poster): RequestSpec {
	const form = multipart(fields);
	return {
		method: 'POST',
		path,
		headers: {
			cookie: cookieFor(token),
			origin: poster.origin ?? appOrigin,
			'content-type': form.contentType,
			...(poster.script === false ? { accept: 'text/html' } : { accept: 'application/json', 'x-sveltekit-action': 'true' })
		},
		body: form.body,
		check
	};
}

const actionType = (body: string) => /"type":"(\w+)"/.exec(body)?.[1] ?? '';

/** One autosave: the changed question's choices, as the quiz page's script posts them. */
export function saveRequest(assignmentId: string, token: string, attemptId: string, questionId: string, selected: string[], poster: Poster = {}): RequestSpec {
	return actionRequest(
		`/learn/${assignmentId}/quiz?/save`,
		token,
		[['attemptId', attemptId], ['shown', questionId], ...selected.map((c): [string, string] => [`q-${questionId}`, c])],
		(status, body) => (status === 200 && body.includes('"type":"success"') ? true : `save HTTP ${status} ${actionType(body)}`.trim()),
		poster
	);
}

/** The whole form, every question shown with its choice, as the browser posts it. */
function quizFields(attemptId: string, answers: [string, string[]][]): [string, string][] {
	const fields: [string, string][] = [['attemptId', attemptId]];
	for (const [questionId, selected] of answers) {
		fields.push(['shown', questionId]);
		for (const c of selected) fields.push([`q-${questionId}`, c]);
	}
	return fields;
}

/** 「途中まで保存する」 without script: the whole form to the save action, answered with the page. */
export function saveAllRequest(assignmentId: string, token: string, attemptId: string, answers: [string, string[]][], origin = appOrigin): RequestSpec {
	return actionRequest(
		`/learn/${assignmentId}/quiz?/save`,
		token,
		quizFields(attemptId, answers),
		(status) => (status === 200 ? true : `save HTTP ${status}`),
		{ origin, script: false }
	);
}

/** The submit: the whole form; with script answered by a redirect result, without by a 303. */
export function submitRequest(assignmentId: string, token: string, attemptId: string, answers: [string, string[]][], poster: Poster = {}): RequestSpec {
	const check: RequestSpec['check'] =
		poster.script === false
			? (status) => (status === 303 ? true : `submit HTTP ${status}`)
			: (status, body) =>
					status === 200 && body.includes('"type":"redirect"') && body.includes('/quiz/result/') ? true : `submit HTTP ${status} ${actionType(body)}`.trim();
	return actionRequest(`/learn/${assignmentId}/quiz?/submit`, token, quizFields(attemptId, answers), check, poster);
}

export interface QuizForm {
	attemptId: string;
	questions: { id: string; choiceIds: string[] }[];
}

/** The quiz page's form, read from its HTML: the attempt and each question's choices in order. */
export function parseQuizPage(html: string): QuizForm | null {
	const attemptId = /name="attemptId" value="([0-9a-f-]{36})"/.exec(html)?.[1];
	if (!attemptId) return null;
	const questions = new Map<string, string[]>();
	for (const m of html.matchAll(/name="shown" value="([0-9a-f-]{36})"/g)) questions.set(m[1], []);
	for (const m of html.matchAll(/name="q-([0-9a-f-]{36})" value="([^"]+)"/g)) questions.get(m[1])?.push(m[2]);
	return { attemptId, questions: [...questions].map(([id, choiceIds]) => ({ id, choiceIds })) };
}

/** The selection a learner makes: the right one, or a wrong one. */
export function answerFor(world: BenchWorld, questionId: string, right: boolean): string[] {
	const q = world.questions.get(questionId);
	if (!q) return [];
	const correct = q.choices.filter((c) => c.correct).map((c) => c.id);
	const wrong = q.choices.filter((c) => !c.correct).map((c) => c.id);
	if (right || wrong.length === 0) return correct;
	return q.type === 'multiple' ? [correct[0], wrong[0]] : [wrong[0]];
}

/** Whole-quiz answers: all right (a pass) or half wrong (a fail, so a retake stays possible). */
export function quizAnswers(world: BenchWorld, questionIds: string[], pass: boolean): [string, string[]][] {
	return questionIds.map((id, i) => [id, answerFor(world, id, pass || i % 2 === 0)]);
}

export interface Learner {
	personId: string;
	employeeNumber: string;
	assignmentId: string;
}

/**
 * Learners of the deadline campaign who have not completed it, in random order, leaving out
 * `exclude`. Those without an open attempt come first (only those, with `noOpenAttempt`).
 */
export async function pickLearners(
	client: pg.Pool,
	world: BenchWorld,
	count: number,
	options: { exclude?: Set<string>; noOpenAttempt?: boolean } = {}
): Promise<Learner[]> {
	const exclude = options.exclude ?? new Set<string>();
	const { rows } = await client.query<{ person_id: string; employee_number: string; assignment_id: string }>(
		`SELECT a.person_id, p.employee_number, a.id AS assignment_id FROM assignments a JOIN people p ON p.id = a.person_id
		WHERE a.campaign_id = $1 AND a.status <> 'completed' AND p.active
			AND NOT EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = a.person_id)
			AND ($3 = false OR NOT EXISTS (SELECT 1 FROM attempts t WHERE t.assignment_id = a.id AND t.submitted_at IS NULL))
		ORDER BY EXISTS (SELECT 1 FROM attempts t WHERE t.assignment_id = a.id AND t.submitted_at IS NULL), random()
		LIMIT $2`,
		[world.deadlineCampaignId, count + exclude.size, options.noOpenAttempt ?? false]
	);
	return rows
		.filter((r) => !exclude.has(r.person_id))
		.slice(0, count)
		.map((r) => ({ personId: r.person_id, employeeNumber: r.employee_number, assignmentId: r.assignment_id }));
}

/**
 * Each learner's open attempt as the quiz page would resume it: the one they have, or one
 * prepared now (see prepareOpenAttempts).
 */
export async function openAttemptsFor(client: pg.Pool, world: BenchWorld, learners: Learner[]): Promise<PreparedAttempt[]> {
	const { rows } = await client.query<{ assignment_id: string; id: string; layout: AttemptLayout }>(
		`SELECT assignment_id, id, layout FROM attempts WHERE assignment_id = ANY($1) AND submitted_at IS NULL`,
		[learners.map((l) => l.assignmentId)]
	);
	const open = new Map(rows.map((r) => [r.assignment_id, r]));
	const prepared = await prepareOpenAttempts(
		client,
		world,
		learners.filter((l) => !open.has(l.assignmentId))
	);
	const preparedOf = new Map(prepared.map((p) => [p.assignmentId, p]));
	return learners.map((l) => {
		const o = open.get(l.assignmentId);
		return o ? { ...l, attemptId: o.id, layout: o.layout } : preparedOf.get(l.assignmentId)!;
	});
}

export interface PreparedAttempt extends Learner {
	attemptId: string;
	layout: AttemptLayout;
}

/**
 * Open attempts as the quiz page would have started them (a drawn layout, the assignment in
 * progress) with every answer already autosaved, for learners who have none open yet.
 */
export async function prepareOpenAttempts(client: pg.Pool, world: BenchWorld, learners: Learner[]): Promise<PreparedAttempt[]> {
	const pool = [...world.questions].map(([id, q]) => ({ id, type: q.type as 'single', choices: q.choices, sectionKeys: q.sectionKeys }));
	const rng = seededRng(randomSeed());
	const prepared = learners.map((l) => ({ ...l, attemptId: crypto.randomUUID(), layout: drawLayout(pool, 20, rng) }));
	for (let i = 0; i < prepared.length; i += 1000) {
		const batch = prepared.slice(i, i + 1000);
		await client.query(
			`INSERT INTO attempts (id, org_id, assignment_id, person_id, number, layout, started_at)
			SELECT x.id, $1, x.assignment_id, x.person_id, (SELECT coalesce(max(number), 0) + 1 FROM attempts t WHERE t.assignment_id = x.assignment_id), x.layout, now()
			FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, assignment_id uuid, person_id uuid, layout jsonb)`,
			[world.orgId, JSON.stringify(batch.map((p) => ({ id: p.attemptId, assignment_id: p.assignmentId, person_id: p.personId, layout: p.layout })))]
		);
		await client.query(
			`INSERT INTO responses (attempt_id, question_id, selected, saved_at)
			SELECT x.attempt_id, x.question_id, ARRAY(SELECT jsonb_array_elements_text(x.selected)), now()
			FROM jsonb_to_recordset($1::jsonb) AS x(attempt_id uuid, question_id uuid, selected jsonb)`,
			[
				JSON.stringify(
					batch.flatMap((p) =>
						p.layout.map((q, j) => ({ attempt_id: p.attemptId, question_id: q.questionId, selected: answerFor(world, q.questionId, j % 3 !== 0) }))
					)
				)
			]
		);
		await client.query(
			`UPDATE assignments SET status = CASE WHEN status = 'not_started' THEN 'in_progress'::assignment_status ELSE status END,
				started_at = coalesce(started_at, now()), last_activity_at = now() WHERE id = ANY($1)`,
			[batch.map((p) => p.assignmentId)]
		);
	}
	return prepared;
}
