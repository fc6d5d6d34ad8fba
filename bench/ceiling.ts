// The ceiling: node:http and a pg pool, no framework, doing the SQL that Mamori's autosave and
// submit do (the statements of saveAnswers and submitAttempt, in the same order; a submit in one
// transaction) behind a one-query session check. What Mamori gets of its throughput is
// measured against this. Run as its own process: DATABASE_URL, PORT, POOL_SIZE.
import http from 'node:http';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { checkAnswers, unansweredNumbers } from '../src/lib/server/learning/quiz/answers';
import { gradeAttempt } from '../src/lib/server/learning/quiz/grade';
import type { AttemptLayout } from '../src/lib/server/learning/quiz/draw';

const port = Number(process.env.PORT ?? 3411);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on('error', (err) => console.error('[ceiling] idle client error:', err.message));

const sessionIdleMs = 60 * 60_000;
const sessionMaxMs = 12 * 3_600_000;
const touchEveryMs = 60_000;

interface Viewer {
	personId: string;
	orgId: string;
}

async function viewerOf(req: http.IncomingMessage): Promise<Viewer | null> {
	const token = /(?:^|;\s*)mamori_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
	if (!token) return null;
	const id = createHash('sha256').update(token).digest('hex');
	// Prepared, as the app's session read is.
	const { rows } = await pool.query({
		name: 'session',
		text: `SELECT s.person_id, s.org_id, s.created_at, s.last_seen_at FROM sessions s JOIN people p ON p.id = s.person_id
		WHERE s.id = $1 AND p.active AND s.expires_at > now()`,
		values: [id]
	});
	const s = rows[0];
	if (!s) return null;
	const now = Date.now();
	if (now - s.last_seen_at.getTime() >= touchEveryMs) {
		const expires = new Date(Math.min(now + sessionIdleMs, s.created_at.getTime() + sessionMaxMs));
		await pool.query(`UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3`, [new Date(now), expires, id]);
	}
	return { personId: s.person_id, orgId: s.org_id };
}

/** Text fields of a multipart/form-data or urlencoded body, as FormData.getAll would give them. */
function parseForm(contentType: string, body: Buffer): Map<string, string[]> {
	const out = new Map<string, string[]>();
	const add = (name: string, value: string) => out.set(name, [...(out.get(name) ?? []), value]);
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
	if (!boundary) {
		for (const [k, v] of new URLSearchParams(body.toString('utf8'))) add(k, v);
		return out;
	}
	const text = body.toString('utf8');
	for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
		const split = part.indexOf('\r\n\r\n');
		if (split < 0) continue;
		const name = /name="([^"]*)"/.exec(part.slice(0, split))?.[1];
		if (name === undefined) continue;
		add(name, part.slice(split + 4, part.endsWith('\r\n') ? -2 : undefined));
	}
	return out;
}

function answersOf(form: Map<string, string[]>): Map<string, string[]> {
	const answers = new Map<string, string[]>();
	for (const id of (form.get('shown') ?? []).slice(0, 200)) answers.set(id, form.get(`q-${id}`) ?? []);
	return answers;
}

const json = (res: http.ServerResponse, status: number, value: unknown) => {
	const body = JSON.stringify(value);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
	res.end(body);
};

async function inTransaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (err) {
		await client.query('ROLLBACK').catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

/** Multi-row VALUES placeholders, as the app's query builder writes them. */
function values(rows: unknown[][], casts: string[] = []): { text: string; params: unknown[] } {
	const params: unknown[] = [];
	const text = rows.map((row) => `(${row.map((v, i) => (params.push(v), `$${params.length}${casts[i] ? `::${casts[i]}` : ''}`)).join(', ')})`).join(', ');
	return { text, params };
}

async function writeSelections(c: pg.PoolClient, attemptId: string, answers: Map<string, string[]>, now: Date) {
	const entries = [...answers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const cleared = entries.filter(([, s]) => s.length === 0).map(([id]) => id);
	const given = entries.filter(([, s]) => s.length > 0);
	if (cleared.length > 0) await c.query(`DELETE FROM responses WHERE attempt_id = $1 AND question_id = ANY($2)`, [attemptId, cleared]);
	if (given.length > 0) {
		const v = values(given.map(([q, s]) => [attemptId, q, s, now]));
		await c.query(
			`INSERT INTO responses (attempt_id, question_id, selected, saved_at) VALUES ${v.text}
			ON CONFLICT (attempt_id, question_id) DO UPDATE SET selected = excluded.selected, saved_at = excluded.saved_at`,
			v.params
		);
	}
}

async function save(viewer: Viewer, form: Map<string, string[]>): Promise<{ status: number; body: unknown }> {
	const attemptId = form.get('attemptId')?.[0] ?? '';
	const answers = answersOf(form);
	const now = new Date();
	const { rows } = await pool.query(`SELECT id, layout, submitted_at FROM attempts WHERE id = $1 AND org_id = $2 AND person_id = $3`, [
		attemptId,
		viewer.orgId,
		viewer.personId
	]);
	const attempt = rows[0];
	if (!attempt) return { status: 404, body: { type: 'failure', status: 404 } };
	if (attempt.submitted_at) return { status: 200, body: { type: 'redirect', status: 303 } };
	const layout = attempt.layout as AttemptLayout;
	const inLayout = new Set(layout.map((q) => q.questionId));
	const several = [...answers].filter(([id, s]) => s.length > 1 && inLayout.has(id)).map(([id]) => id);
	const types = new Map<string, 'single' | 'multiple' | 'truefalse'>();
	if (several.length > 0) {
		const t = await pool.query(`SELECT id, type FROM questions WHERE id = ANY($1) AND org_id = $2`, [several, viewer.orgId]);
		for (const r of t.rows) types.set(r.id, r.type);
	}
	const checked = checkAnswers(layout, types, answers);
	if (!checked.ok) return { status: 400, body: { type: 'failure', status: 400 } };
	const entries = [...checked.answers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const given = entries.filter(([, s]) => s.length > 0);
	const params: unknown[] = [attempt.id, entries.filter(([, s]) => s.length === 0).map(([id]) => id), now.toISOString()];
	const valuesText = given.map(([q, s]) => `($${params.push(q)}::uuid, $${params.push(s)}::text[])`).join(', ');
	const written = await pool.query(
		`WITH locked AS (SELECT id, assignment_id, submitted_at FROM attempts WHERE id = $1 FOR SHARE),
		open AS (SELECT id, assignment_id FROM locked WHERE submitted_at IS NULL),
		cleared AS (DELETE FROM responses WHERE attempt_id = (SELECT id FROM open) AND question_id = ANY($2::uuid[]))${
			given.length > 0
				? `, given AS (INSERT INTO responses (attempt_id, question_id, selected, saved_at)
		SELECT open.id, t.question_id, t.selected, $3::timestamptz FROM open, (VALUES ${valuesText}) AS t(question_id, selected)
		ON CONFLICT (attempt_id, question_id) DO UPDATE SET selected = excluded.selected, saved_at = excluded.saved_at)`
				: ''
		},
		touched AS (UPDATE assignments SET last_activity_at = $3::timestamptz WHERE id = (SELECT assignment_id FROM open))
		SELECT count(*)::int AS open FROM open`,
		params
	);
	if (written.rows[0].open === 0) return { status: 200, body: { type: 'redirect', status: 303 } };
	return { status: 200, body: { type: 'success', status: 200, data: { saved: true, savedAt: now.toISOString() } } };
}

const japanDay = (at: Date) => new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

async function audit(c: pg.PoolClient, viewer: Viewer, action: string, targetType: string, targetId: string, detail: unknown) {
	await c.query(`INSERT INTO audit_events (org_id, actor_id, ip, action, target_type, target_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
		viewer.orgId,
		viewer.personId,
		'127.0.0.1',
		action,
		targetType,
		targetId,
		JSON.stringify(detail)
	]);
}

async function submit(viewer: Viewer, assignmentPath: string, form: Map<string, string[]>): Promise<{ status: number; body: unknown }> {
	const attemptId = form.get('attemptId')?.[0] ?? '';
	const confirm = form.get('confirm')?.[0] === '1';
	const answers = answersOf(form);
	const now = new Date();
	return inTransaction(async (c) => {
		const { rows } = await c.query(
			`SELECT id, assignment_id, number, layout, submitted_at, score, passed FROM attempts WHERE id = $1 AND org_id = $2 AND person_id = $3 FOR UPDATE`,
			[attemptId, viewer.orgId, viewer.personId]
		);
		const attempt = rows[0];
		if (!attempt) return { status: 404, body: { type: 'failure', status: 404 } };
		const result = { type: 'redirect', status: 303, location: `/learn/${assignmentPath}/quiz/result/${attempt.id}` };
		const {
			rows: [a]
		} = await c.query(
			`SELECT a.id, a.org_id, a.person_id, a.status, a.campaign_id, a.department_id, a.employment_type, co.pass_mark, co.require_all_lessons
			FROM assignments a JOIN campaigns ca ON ca.id = a.campaign_id JOIN courses co ON co.id = ca.course_id WHERE a.id = $1`,
			[attempt.assignment_id]
		);
		if (attempt.submitted_at) return { status: 200, body: result };
		const layout = attempt.layout as AttemptLayout;
		const { rows: qrows } = await c.query(`SELECT * FROM questions WHERE id = ANY($1) AND org_id = $2`, [layout.map((q) => q.questionId), viewer.orgId]);
		const byId = new Map(qrows.map((q) => [q.id as string, q]));
		const checked = checkAnswers(layout, new Map([...byId].map(([id, q]) => [id, q.type])), answers);
		if (!checked.ok) return { status: 400, body: { type: 'failure', status: 400 } };
		const { rows: saved } = await c.query(`SELECT question_id, selected, saved_at FROM responses WHERE attempt_id = $1`, [attempt.id]);
		const selections = new Map<string, readonly string[]>(saved.map((r) => [r.question_id, r.selected]));
		for (const [id, s] of checked.answers) selections.set(id, s);
		if (unansweredNumbers(layout, selections).length > 0 && !confirm) {
			await writeSelections(c, attempt.id, checked.answers, now);
			await c.query(`UPDATE assignments SET last_activity_at = $1 WHERE id = $2`, [now, a.id]);
			return { status: 400, body: { type: 'failure', status: 400 } };
		}
		const grade = gradeAttempt(layout, byId, selections, a.pass_mark);
		const savedAtOf = new Map(saved.map((r) => [r.question_id, r.saved_at]));
		await writeSelections(c, attempt.id, new Map([...checked.answers].filter(([, s]) => s.length === 0)), now);
		const graded = grade.perQuestion.filter((q) => q.answered);
		if (graded.length > 0) {
			const v = values(
				graded.map((q) => [
					attempt.id,
					q.questionId,
					q.selected,
					checked.answers.has(q.questionId) ? now : (savedAtOf.get(q.questionId) ?? now),
					q.score,
					q.correct
				])
			);
			await c.query(
				`INSERT INTO responses (attempt_id, question_id, selected, saved_at, score, correct) VALUES ${v.text}
				ON CONFLICT (attempt_id, question_id) DO UPDATE SET selected = excluded.selected, saved_at = excluded.saved_at, score = excluded.score, correct = excluded.correct`,
				v.params
			);
		}
		await c.query(`UPDATE attempts SET submitted_at = $1, score = $2, passed = $3 WHERE id = $4`, [now, grade.score, grade.passed, attempt.id]);
		await c.query(
			`UPDATE assignments SET attempt_count = attempt_count + 1, best_score = greatest(best_score, $1::real), last_activity_at = $2 WHERE id = $3`,
			[grade.score, now, a.id]
		);
		let completed = a.status === 'completed';
		let lessonsDone = !a.require_all_lessons;
		if (grade.passed && !completed && !lessonsDone) {
			const { rows: unread } = await c.query(
				`SELECT id FROM lessons WHERE course_id = (SELECT course_id FROM campaigns WHERE id = $2) AND active
				AND NOT EXISTS (SELECT 1 FROM lesson_views WHERE assignment_id = $1 AND lesson_id = lessons.id) LIMIT 1`,
				[a.id, a.campaign_id]
			);
			lessonsDone = unread.length === 0;
		}
		if (grade.passed && !completed && lessonsDone) {
			const changed = await c.query(
				`UPDATE assignments SET status = 'completed', completed_at = $1, completing_attempt_id = $2 WHERE id = $3 AND status <> 'completed' RETURNING id`,
				[now, attempt.id, a.id]
			);
			if (changed.rowCount) await audit(c, { orgId: a.org_id, personId: a.person_id }, 'learning.complete', 'assignment', a.id, { attemptId: attempt.id });
			completed = true;
		}
		await addAnswerStats(
			c,
			a,
			grade.perQuestion.flatMap((q) => {
				const question = byId.get(q.questionId);
				return question ? [{ questionId: q.questionId, sectionKeys: question.section_keys as string[], correct: q.correct, score: q.score }] : [];
			}),
			now
		);
		await audit(c, viewer, 'quiz.submit', 'attempt', attempt.id, {
			assignmentId: a.id,
			number: attempt.number,
			score: grade.score,
			passed: grade.passed,
			completed
		});
		return { status: 200, body: result };
	});
}

async function addAnswerStats(
	c: pg.PoolClient,
	group: { org_id: string; campaign_id: string; department_id: string | null; employment_type: string },
	graded: { questionId: string; sectionKeys: string[]; correct: boolean; score: number }[],
	at: Date
) {
	const bySection = new Map<string, { answers: number; errors: number }>();
	for (const q of graded) {
		for (const key of new Set(q.sectionKeys)) {
			const row = bySection.get(key) ?? { answers: 0, errors: 0 };
			row.answers += 1;
			if (!q.correct) row.errors += 1;
			bySection.set(key, row);
		}
	}
	const sections = [...bySection].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	if (sections.length > 0) {
		await c.query(
			`insert into section_answer_stats (org_id, campaign_id, section_key, department_id, employment_type, answers, errors)
			select $1::uuid, $2::uuid, t.section_key, $3::uuid, $4::employment_type, t.answers, t.errors
			from unnest($5::text[], $6::int[], $7::int[]) with ordinality as t(section_key, answers, errors, n)
			order by t.n
			on conflict (campaign_id, section_key, department_id, employment_type) do update set
				answers = section_answer_stats.answers + excluded.answers,
				errors = section_answer_stats.errors + excluded.errors`,
			[
				group.org_id,
				group.campaign_id,
				group.department_id,
				group.employment_type,
				sections.map(([k]) => k),
				sections.map(([, n]) => n.answers),
				sections.map(([, n]) => n.errors)
			]
		);
	}
	const total = graded.reduce((s, q) => s + q.score, 0);
	const questions = [...graded].sort((a, b) => (a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0));
	if (questions.length > 0) {
		const scores = questions.map((q) => q.score);
		await c.query(
			`insert into question_answer_stats (org_id, campaign_id, question_id, answers, errors, score_sum, score_sq_sum, total_sum, total_sq_sum, cross_sum)
			select $1::uuid, $2::uuid, t.question_id, 1, t.errors, t.x, t.x2, $3::float8, $4::float8, t.xy
			from unnest($5::uuid[], $6::int[], $7::real[], $8::float8[], $9::float8[]) with ordinality as t(question_id, errors, x, x2, xy, n)
			order by t.n
			on conflict (campaign_id, question_id) do update set
				answers = question_answer_stats.answers + excluded.answers,
				errors = question_answer_stats.errors + excluded.errors,
				score_sum = question_answer_stats.score_sum + excluded.score_sum,
				score_sq_sum = question_answer_stats.score_sq_sum + excluded.score_sq_sum,
				total_sum = question_answer_stats.total_sum + excluded.total_sum,
				total_sq_sum = question_answer_stats.total_sq_sum + excluded.total_sq_sum,
				cross_sum = question_answer_stats.cross_sum + excluded.cross_sum`,
			[
				group.org_id,
				group.campaign_id,
				total,
				total * total,
				questions.map((q) => q.questionId),
				questions.map((q) => (q.correct ? 0 : 1)),
				scores,
				scores.map((x) => x * x),
				scores.map((x) => x * total)
			]
		);
	}
	if (sections.length > 0) {
		await c.query(
			`insert into section_daily_stats (org_id, campaign_id, section_key, day, answers, errors)
			select $1::uuid, $2::uuid, t.section_key, $3::date, t.answers, t.errors
			from unnest($4::text[], $5::int[], $6::int[]) with ordinality as t(section_key, answers, errors, n)
			order by t.n
			on conflict (campaign_id, section_key, day) do update set
				answers = section_daily_stats.answers + excluded.answers,
				errors = section_daily_stats.errors + excluded.errors`,
			[group.org_id, group.campaign_id, japanDay(at), sections.map(([k]) => k), sections.map(([, n]) => n.answers), sections.map(([, n]) => n.errors)]
		);
	}
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

const server = http.createServer(async (req, res) => {
	try {
		const url = new URL(req.url ?? '/', 'http://ceiling');
		if (req.method === 'GET' && url.pathname === '/bare') {
			// A bare page: one SELECT, a little HTML.
			const { rows } = await pool.query(`SELECT name FROM organizations ORDER BY created_at LIMIT 1`);
			const body = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Mamori</title></head><body><h1>${escapeHtml(rows[0]?.name ?? '')}</h1></body></html>`;
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
			res.end(body);
			return;
		}
		const route = /^\/learn\/([^/]+)\/quiz$/.exec(url.pathname);
		const action = url.search === '?/save' ? 'save' : url.search === '?/submit' ? 'submit' : null;
		if (req.method !== 'POST' || !route || !action) {
			res.writeHead(404).end();
			return;
		}
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const viewer = await viewerOf(req);
		if (!viewer) return json(res, 401, { type: 'error' });
		const form = parseForm(req.headers['content-type'] ?? '', Buffer.concat(chunks));
		const out = action === 'save' ? await save(viewer, form) : await submit(viewer, route[1], form);
		json(res, out.status, out.body);
	} catch (err) {
		console.error('[ceiling]', err);
		if (!res.headersSent) json(res, 500, { type: 'error' });
		else res.end();
	}
});

server.listen(port, '127.0.0.1', () => console.log(`[ceiling] listening on ${port}`));
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
