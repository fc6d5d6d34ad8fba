// A synthetic organisation for the benchmark: departments, people of every employment type, the
// real policy, one 40-question course, three campaigns over two 年度 and their submitted attempts,
// loaded with set-based INSERT … SELECT, then the summary tables filled by aggregate and checked
// against a recount.
import pg from 'pg';
import { createDb } from '../src/lib/server/db/client';
import { migrate } from '../src/lib/server/db/migrate';
import { syncPolicyContent } from '../src/lib/server/policy/content';
import { hashPassword } from '../src/lib/server/auth/password';
import { formatFiscalYear, fiscalYearOf } from '../src/lib/format/wareki';
import { addDays, japanToday } from '../src/lib/format/calendar';
import { benchPassword } from './config';
import { inspectionItemCount, seedInspectionRound } from './inspection';

export const benchOrgSlug = 'bench';
export const benchCourseSlug = 'bench-course';
export const questionCount = 40;
/** Questions drawn per attempt, of the course's 40. */
export const drawCount = 20;

export interface SeedReport {
	scale: number;
	seconds: number;
	steps: { step: string; seconds: number }[];
	rows: Record<string, number>;
}

/** Connects to the server's maintenance database to drop and create the bench database. */
function adminUrl(url: string): { admin: string; name: string } {
	const u = new URL(url);
	const name = decodeURIComponent(u.pathname.slice(1));
	u.pathname = '/postgres';
	return { admin: u.toString(), name };
}

export async function recreateDatabase(url: string): Promise<void> {
	const { admin, name } = adminUrl(url);
	// A guard against a mistyped BENCH_DATABASE_URL: only a bench database is ever dropped.
	if (!/bench/i.test(name)) throw new Error(`refusing to drop "${name}": the bench database's name must contain "bench"`);
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	try {
		await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		await client.query(`CREATE DATABASE "${name}"`);
	} finally {
		await client.end();
	}
}

interface QuestionPlan {
	id: string;
	position: number;
	type: 'single' | 'multiple' | 'truefalse';
	choices: { id: string; text: string; correct: boolean }[];
	sectionKeys: string[];
	right: string[];
	wrong: string[];
	/** 0 (easy) to 1 (hard): the harder, the more often it is among an attempt's wrong answers. */
	difficulty: number;
}

function planQuestions(sectionKeys: string[]): QuestionPlan[] {
	const out: QuestionPlan[] = [];
	for (let i = 0; i < questionCount; i++) {
		const position = i + 1;
		const type = position % 10 === 0 ? 'multiple' : position % 10 === 3 || position % 10 === 7 ? 'truefalse' : 'single';
		let choices: QuestionPlan['choices'];
		let right: string[];
		let wrong: string[];
		if (type === 'truefalse') {
			const yes = position % 2 === 1;
			choices = [
				{ id: 'o', text: '○', correct: yes },
				{ id: 'x', text: '×', correct: !yes }
			];
			right = [yes ? 'o' : 'x'];
			wrong = [yes ? 'x' : 'o'];
		} else if (type === 'multiple') {
			choices = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `選択肢 ${id.toUpperCase()}`, correct: id === 'a' || id === 'b' }));
			right = ['a', 'b'];
			// One right and one wrong pick: partial credit cancels to 0.
			wrong = ['a', 'c'];
		} else {
			const correct = ['a', 'b', 'c', 'd'][position % 4];
			choices = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `選択肢 ${id.toUpperCase()}`, correct: id === correct }));
			right = [correct];
			wrong = [correct === 'a' ? 'b' : 'a'];
		}
		const keys = [sectionKeys[(i * 7) % sectionKeys.length]];
		if (i % 3 === 0) keys.push(sectionKeys[(i * 13 + 5) % sectionKeys.length]);
		out.push({
			id: crypto.randomUUID(),
			position,
			type,
			choices,
			sectionKeys: [...new Set(keys)],
			right,
			wrong,
			difficulty: ((i * 37) % questionCount) / questionCount
		});
	}
	return out;
}

/** Forty fixed layouts: a window of 20 consecutive questions, choices in stored order. */
function planLayouts(questions: QuestionPlan[]) {
	return Array.from({ length: questionCount }, (_, k) => {
		const picked = Array.from({ length: drawCount }, (_, j) => questions[(k + j * 2) % questionCount]);
		return { k, qids: picked.map((q) => q.id), layout: picked.map((q) => ({ questionId: q.id, choiceIds: q.choices.map((c) => c.id) })) };
	});
}

export async function seedDatabase(url: string, scale: number, log: (line: string) => void = console.log): Promise<SeedReport> {
	const started = performance.now();
	const steps: SeedReport['steps'] = [];
	let mark = performance.now();
	const step = (name: string) => {
		const now = performance.now();
		steps.push({ step: name, seconds: (now - mark) / 1000 });
		log(`  seed: ${name} ${((now - mark) / 1000).toFixed(1)} s`);
		mark = now;
	};

	await recreateDatabase(url);
	const handle = await createDb({ url, poolSize: 2 });
	await migrate(handle);
	step('database and migrations');

	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SET synchronous_commit = off`);
		const people = Math.max(100, Math.round(20_000 * scale));
		const passwordHash = await hashPassword(benchPassword);

		const {
			rows: [org]
		} = await client.query<{ id: string }>(`INSERT INTO organizations (slug, name, name_en) VALUES ($1, 'ベンチ市', 'Bench City') RETURNING id`, [
			benchOrgSlug
		]);
		const orgId = org.id;

		// 300 departments: 10 部, 40 課 (4 per 部), 250 係 (6 or 7 per 課). `ord` 0–299 places people.
		await client.query(`CREATE TEMP TABLE dept (ord int PRIMARY KEY, id uuid, parent_ord int, code text, name text)`);
		await client.query(`
			INSERT INTO dept
			SELECT i - 1, gen_random_uuid(), NULL, lpad(i::text, 2, '0') || '0000', '第' || i || '部' FROM generate_series(1, 10) i
			UNION ALL
			SELECT 9 + j, gen_random_uuid(), (j - 1) / 4, lpad(((j - 1) / 4 + 1)::text, 2, '0') || lpad(((j - 1) % 4 + 1)::text, 2, '0') || '00',
				'第' || ((j - 1) / 4 + 1) || '部 第' || ((j - 1) % 4 + 1) || '課' FROM generate_series(1, 40) j
			UNION ALL
			SELECT 49 + k, gen_random_uuid(), 9 + ((k - 1) % 40 + 1),
				lpad(((k - 1) % 40 / 4 + 1)::text, 2, '0') || lpad(((k - 1) % 40 % 4 + 1)::text, 2, '0') || lpad(((k - 1) / 40 + 1)::text, 2, '0'),
				'第' || ((k - 1) % 40 / 4 + 1) || '部 第' || ((k - 1) % 40 % 4 + 1) || '課 第' || ((k - 1) / 40 + 1) || '係' FROM generate_series(1, 250) k`);
		await client.query(
			`INSERT INTO departments (id, org_id, parent_id, code, name, sort_order)
			SELECT d.id, $1, p.id, d.code, d.name, d.ord FROM dept d LEFT JOIN dept p ON p.ord = d.parent_ord ORDER BY d.ord`,
			[orgId]
		);

		// Every 20th person sits directly in a 部 or 課 (heads), the rest in a 係. Types: 60% regular,
		// 20% 会計年度任用, 5% 再任用, 5% 派遣, 10% 委託.
		await client.query(
			`INSERT INTO people (org_id, employee_number, name, name_kana, department_id, employment_type, title, password_hash, must_change_password)
			SELECT $1, lpad(n::text, 6, '0'), '職員 ' || n, 'ショクイン ' || lpad(n::text, 6, '0'),
				(SELECT id FROM dept WHERE ord = CASE WHEN n % 20 = 0 THEN (n / 20) % 50 ELSE 50 + n % 250 END),
				(CASE WHEN n % 20 < 12 THEN 'regular' WHEN n % 20 < 16 THEN 'fiscal_year' WHEN n % 20 = 16 THEN 'reappointed'
					WHEN n % 20 = 17 THEN 'dispatched' ELSE 'contractor' END)::employment_type,
				CASE WHEN n % 20 = 0 THEN '課長' ELSE '主事' END, $2, false
			FROM generate_series(1, $3::int) n`,
			[orgId, passwordHash, people]
		);
		step(`${people} people in 300 departments`);

		// Roles: an admin, a policy owner, an approver, and a supervisor for each 部 and 課 (the first
		// person placed there).
		await client.query(
			`INSERT INTO person_roles (org_id, person_id, role)
			SELECT $1, id, 'admin'::role FROM people WHERE org_id = $1 AND employee_number = '000001'
			UNION ALL SELECT $1, id, 'policy_owner'::role FROM people WHERE org_id = $1 AND employee_number = '000002'
			UNION ALL SELECT $1, id, 'approver'::role FROM people WHERE org_id = $1 AND employee_number = '000003'`,
			[orgId]
		);
		await client.query(
			`WITH heads AS (
				SELECT DISTINCT ON (d.ord) d.id AS department_id, p.id AS person_id
				FROM dept d JOIN people p ON p.department_id = d.id WHERE d.ord < 50 ORDER BY d.ord, p.employee_number
			), supervised AS (
				INSERT INTO supervised_departments (org_id, person_id, department_id) SELECT $1, person_id, department_id FROM heads RETURNING person_id
			)
			INSERT INTO person_roles (org_id, person_id, role) SELECT DISTINCT $1, person_id, 'supervisor'::role FROM supervised`,
			[orgId]
		);

		// The real policy (content/policies), so weak spots cite real sections.
		await syncPolicyContent(handle.db, orgId);
		const {
			rows: [policy]
		} = await client.query<{ id: string; version_id: string }>(
			`SELECT p.id, v.id AS version_id FROM policies p JOIN policy_versions v ON v.policy_id = p.id AND v.status = 'published'
			WHERE p.org_id = $1 AND p.slug = 'basic-policy'`,
			[orgId]
		);
		const { rows: keyRows } = await client.query<{ key: string }>(`SELECT key FROM policy_sections WHERE version_id = $1 AND level >= 2 ORDER BY position`, [
			policy.version_id
		]);
		const allKeys = keyRows.map((r) => r.key);
		const sectionKeys = Array.from(
			{ length: Math.min(questionCount, allKeys.length) },
			(_, i) => allKeys[Math.floor((i * allKeys.length) / Math.min(questionCount, allKeys.length))]
		);

		const {
			rows: [course]
		} = await client.query<{ id: string }>(
			`INSERT INTO courses (org_id, slug, title, description, policy_id, pass_mark, draw_count, require_all_lessons)
			VALUES ($1, $2, '情報セキュリティ基本方針 研修（ベンチ）', '全職員等向けの確認テスト（40問から20問、80点以上で合格）', $3, 80, $4, false) RETURNING id`,
			[orgId, benchCourseSlug, policy.id, drawCount]
		);
		await client.query(
			`INSERT INTO lessons (org_id, course_id, slug, position, title, body, section_keys)
			SELECT $1, $2, 'lesson-' || i, i, '第' || i || '講', '## 第' || i || '講\n\n本文。', ($3::text[])[i:i]
			FROM generate_series(1, 5) i`,
			[orgId, course.id, sectionKeys.slice(0, 5)]
		);
		const questions = planQuestions(sectionKeys);
		await client.query(
			`INSERT INTO questions (id, org_id, course_id, slug, position, type, stem, choices, explanation, section_keys)
			SELECT q.id, $1, $2, 'q-' || q.position, q.position, q.type::question_type,
				'問題 ' || q.position || '：情報セキュリティの場面で、正しい対応はどれですか。', q.choices, '解説。',
				ARRAY(SELECT jsonb_array_elements_text(q.keys))
			FROM jsonb_to_recordset($3::jsonb) AS q(id uuid, position int, type text, choices jsonb, keys jsonb)`,
			[orgId, course.id, JSON.stringify(questions.map((q) => ({ id: q.id, position: q.position, type: q.type, choices: q.choices, keys: q.sectionKeys })))]
		);
		await client.query(`CREATE TEMP TABLE qi (qid uuid PRIMARY KEY, right_sel text[], wrong_sel text[], difficulty float8)`);
		await client.query(
			`INSERT INTO qi SELECT q.id, ARRAY(SELECT jsonb_array_elements_text(q.r)), ARRAY(SELECT jsonb_array_elements_text(q.w)), q.d
			FROM jsonb_to_recordset($1::jsonb) AS q(id uuid, r jsonb, w jsonb, d float8)`,
			[JSON.stringify(questions.map((q) => ({ id: q.id, r: q.right, w: q.wrong, d: q.difficulty })))]
		);
		await client.query(`CREATE TEMP TABLE lay (k int PRIMARY KEY, qids uuid[], layout jsonb)`);
		await client.query(
			`INSERT INTO lay SELECT l.k, ARRAY(SELECT jsonb_array_elements_text(l.qids))::uuid[], l.layout FROM jsonb_to_recordset($1::jsonb) AS l(k int, qids jsonb, layout jsonb)`,
			[JSON.stringify(planLayouts(questions))]
		);

		// Three campaigns over two 年度: last year's (done), this year's first (mostly done) and the
		// one whose deadline is a week away (under half done): the peak the benchmark simulates.
		const today = japanToday();
		const fy = fiscalYearOf(today);
		const bStart = [`${fy}-04-01`, addDays(today, -200)].sort()[1];
		const campaignPlan = [
			{
				k: 1,
				title: `${formatFiscalYear(fy - 1)} 情報セキュリティ研修`,
				fiscalYear: fy - 1,
				startsOn: `${fy - 1}-06-01`,
				dueOn: `${fy - 1}-09-30`,
				completed: 0.97,
				failed: 0.02
			},
			{
				k: 2,
				title: `${formatFiscalYear(fy)} 情報セキュリティ研修（前期）`,
				fiscalYear: fy,
				startsOn: bStart,
				dueOn: addDays(bStart, 60),
				completed: 0.92,
				failed: 0.04
			},
			{
				k: 3,
				title: `${formatFiscalYear(fy)} 情報セキュリティ研修（後期）`,
				fiscalYear: fy,
				startsOn: addDays(today, -14),
				dueOn: addDays(today, 7),
				completed: 0.45,
				failed: 0.05
			}
		];
		await client.query(`CREATE TEMP TABLE bc (k int, id uuid, starts_at timestamptz, ends_at timestamptz, completed float8, failed float8)`);
		for (const c of campaignPlan) {
			const {
				rows: [row]
			} = await client.query<{ id: string }>(
				`INSERT INTO campaigns (org_id, course_id, title, fiscal_year, starts_on, due_on, audience)
				VALUES ($1, $2, $3, $4, $5, $6, '{"everyone": true, "employmentTypes": [], "departmentIds": [], "createdSince": null}') RETURNING id`,
				[orgId, course.id, c.title, c.fiscalYear, c.startsOn, c.dueOn]
			);
			await client.query(
				`INSERT INTO bc VALUES ($1, $2, ($3::date)::timestamp AT TIME ZONE 'Asia/Tokyo',
					least((($4::date) + 1)::timestamp AT TIME ZONE 'Asia/Tokyo', now() - interval '8 hours'), $5, $6)`,
				[c.k, row.id, c.startsOn, c.dueOn, c.completed, c.failed]
			);
		}
		step('policy, course, 40 questions, 3 campaigns');

		// The plan: per assignment, how many attempts were submitted and whether the last one passed
		// (1–4 tries for those who completed; one or two failed tries for some others).
		await client.query(`
			CREATE TEMP TABLE plan AS
			SELECT s.*, s.r1 < s.completed AS passes,
				CASE WHEN s.r1 < s.completed THEN CASE WHEN s.r2 < 0.35 THEN 1 WHEN s.r2 < 0.60 THEN 2 WHEN s.r2 < 0.95 THEN 3 ELSE 4 END
					WHEN s.r1 < s.completed + s.failed THEN 1 + (s.r2 < 0.5)::int ELSE 0 END AS n_sub
			FROM (
				SELECT gen_random_uuid() AS aid, bc.k, bc.id AS campaign_id, p.id AS person_id, p.department_id, p.employment_type,
					random() AS r1, random() AS r2, random() AS r3, bc.starts_at, bc.ends_at, bc.completed, bc.failed
				FROM bc CROSS JOIN people p WHERE p.org_id = '${orgId}'
			) s`);
		// Attempts: only the last try of one who completed passes (16–20 right of 20), the others fail (6–15 right).
		await client.query(`
			CREATE TEMP TABLE att AS
			SELECT gen_random_uuid() AS id, pl.aid, pl.person_id, n AS number, floor(random() * ${questionCount})::int AS layout_k,
				CASE WHEN pl.passes AND n = pl.n_sub THEN 16 + floor(random() * 5)::int ELSE 6 + floor(random() * 10)::int END AS ncorrect,
				pl.starts_at + (pl.r3 * 0.95) * (pl.ends_at - pl.starts_at) + (n - 1) * interval '2 hours' AS submitted_at
			FROM plan pl CROSS JOIN LATERAL generate_series(1, pl.n_sub) n`);
		await client.query(`CREATE INDEX ON att (aid)`);
		step('plan');

		// Bulk load without per-row triggers and foreign-key checks (rows are consistent by
		// construction); the summary rows the assignment trigger would keep are filled below and
		// checked against a recount.
		await client.query(`SET session_replication_role = replica`);
		const assignmentsInserted = await client.query(
			`INSERT INTO assignments (id, org_id, campaign_id, person_id, department_id, employment_type, status, assigned_at,
				started_at, completed_at, last_activity_at, attempt_count, best_score, completing_attempt_id)
			SELECT pl.aid, $1, pl.campaign_id, pl.person_id, pl.department_id, pl.employment_type,
				(CASE WHEN pl.passes THEN 'completed' WHEN pl.n_sub > 0 THEN 'in_progress' ELSE 'not_started' END)::assignment_status,
				pl.starts_at, s.first_start, s.pass_at, s.last_at, pl.n_sub, s.best, s.pass_id
			FROM plan pl LEFT JOIN (
				SELECT aid, min(submitted_at) - interval '10 minutes' AS first_start, max(submitted_at) AS last_at, max(ncorrect * 5)::real AS best,
					max(submitted_at) FILTER (WHERE ncorrect >= 16) AS pass_at, (array_agg(id) FILTER (WHERE ncorrect >= 16))[1] AS pass_id
				FROM att GROUP BY aid
			) s ON s.aid = pl.aid`,
			[orgId]
		);
		step(`${assignmentsInserted.rowCount} assignments`);
		const attemptsInserted = await client.query(
			`INSERT INTO attempts (id, org_id, assignment_id, person_id, number, layout, started_at, submitted_at, score, passed)
			SELECT a.id, $1, a.aid, a.person_id, a.number, l.layout, a.submitted_at - interval '10 minutes', a.submitted_at, (a.ncorrect * 5)::real, a.ncorrect >= 16
			FROM att a JOIN lay l ON l.k = a.layout_k ORDER BY a.submitted_at`,
			[orgId]
		);
		step(`${attemptsInserted.rowCount} attempts`);
		// Each attempt gets `ncorrect` right answers on its easiest questions (difficulty plus noise).
		const responsesInserted = await client.query(`
			INSERT INTO responses (attempt_id, question_id, selected, saved_at, score, correct)
			SELECT a.id, x.qid, CASE WHEN x.rn <= a.ncorrect THEN x.right_sel ELSE x.wrong_sel END, a.submitted_at - interval '1 minute',
				CASE WHEN x.rn <= a.ncorrect THEN 1 ELSE 0 END, x.rn <= a.ncorrect
			FROM att a JOIN lay l ON l.k = a.layout_k
			CROSS JOIN LATERAL (
				SELECT qi.qid, qi.right_sel, qi.wrong_sel, row_number() OVER (ORDER BY qi.difficulty + random() * 0.6) AS rn
				FROM qi WHERE qi.qid = ANY (l.qids)
			) x
			ORDER BY a.submitted_at`);
		step(`${responsesInserted.rowCount} answers`);
		await client.query(`SET session_replication_role = origin`);

		await fillSummaries(client, orgId);
		step('summary tables');

		// This 年度's self-inspection round on the same sections, most of it answered.
		const round = await seedInspectionRound(client, orgId, policy.id, sectionKeys, fy, today);
		step(`self-inspection round: ${inspectionItemCount} items, ${round.assignments} assigned, ${round.responses} answers`);

		await client.query(`VACUUM (ANALYZE)`);
		step('vacuum analyze');

		const rows = await rowCounts(client);
		return { scale, seconds: (performance.now() - started) / 1000, steps, rows };
	} finally {
		await client.end();
		await handle.close();
	}
}

/** The summary rows of the loaded data, by the same rules as the trigger and the submit. */
async function fillSummaries(client: pg.Client, orgId: string): Promise<void> {
	await client.query(
		`INSERT INTO completion_counts (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted)
		SELECT org_id, campaign_id, department_id, employment_type, count(*), count(*) FILTER (WHERE status = 'in_progress'),
			count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE attempt_count > 0)
		FROM assignments WHERE org_id = $1 GROUP BY org_id, campaign_id, department_id, employment_type`,
		[orgId]
	);
	await client.query(
		`INSERT INTO daily_completions (org_id, campaign_id, department_id, day, completed)
		SELECT org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date, count(*)
		FROM assignments WHERE org_id = $1 AND completed_at IS NOT NULL
		GROUP BY org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date`,
		[orgId]
	);
	await client.query(`INSERT INTO section_answer_stats (org_id, campaign_id, section_key, department_id, employment_type, answers, errors) ${sectionRecount}`);
	await client.query(
		`INSERT INTO question_answer_stats (org_id, campaign_id, question_id, answers, errors, score_sum, score_sq_sum, total_sum, total_sq_sum, cross_sum) ${questionRecount}`
	);
	await client.query(`INSERT INTO section_daily_stats (org_id, campaign_id, section_key, day, answers, errors) ${dailyRecount}`);
}

// Recounts from assignments and answers. Every drawn question of a submitted attempt is answered
// here, so answers equal the graded questions the submit counts.
const completionRecount = `
	SELECT org_id, campaign_id, department_id, employment_type, count(*)::int AS assigned, (count(*) FILTER (WHERE status = 'in_progress'))::int AS in_progress,
		(count(*) FILTER (WHERE status = 'completed'))::int AS completed, (count(*) FILTER (WHERE attempt_count > 0))::int AS attempted
	FROM assignments GROUP BY org_id, campaign_id, department_id, employment_type`;
const dailyCompletionRecount = `
	SELECT org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date AS day, count(*)::int AS completed
	FROM assignments WHERE completed_at IS NOT NULL GROUP BY 1, 2, 3, 4`;
const sectionRecount = `
	SELECT a.org_id, asg.campaign_id, k.key, asg.department_id, asg.employment_type, count(*)::int, (count(*) FILTER (WHERE NOT coalesce(r.correct, false)))::int
	FROM responses r JOIN attempts a ON a.id = r.attempt_id JOIN assignments asg ON asg.id = a.assignment_id JOIN questions q ON q.id = r.question_id
	CROSS JOIN LATERAL (SELECT DISTINCT unnest(q.section_keys)) AS k(key)
	WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`;
const questionRecount = `
	SELECT a.org_id, asg.campaign_id, r.question_id, count(*)::int AS answers, (count(*) FILTER (WHERE NOT coalesce(r.correct, false)))::int AS errors,
		sum(coalesce(r.score, 0)::float8)::real AS score_sum, sum(coalesce(r.score, 0)::float8 ^ 2) AS score_sq_sum, sum(t.total) AS total_sum,
		sum(t.total ^ 2) AS total_sq_sum, sum(coalesce(r.score, 0) * t.total) AS cross_sum
	FROM responses r JOIN attempts a ON a.id = r.attempt_id JOIN assignments asg ON asg.id = a.assignment_id
	JOIN (SELECT attempt_id, sum(coalesce(score, 0)::float8) AS total FROM responses GROUP BY attempt_id) t ON t.attempt_id = r.attempt_id
	WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3`;
const dailyRecount = `
	SELECT a.org_id, asg.campaign_id, k.key, ((a.submitted_at AT TIME ZONE 'UTC') + interval '9 hours')::date, count(*)::int,
		(count(*) FILTER (WHERE NOT coalesce(r.correct, false)))::int
	FROM responses r JOIN attempts a ON a.id = r.attempt_id JOIN assignments asg ON asg.id = a.assignment_id JOIN questions q ON q.id = r.question_id
	CROSS JOIN LATERAL (SELECT DISTINCT unnest(q.section_keys)) AS k(key)
	WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4`;

export interface SummaryCheck {
	table: string;
	/** Rows in the table that the recount does not have, and the other way round. */
	differences: number;
}

/**
 * Compares every summary table with a recount (zero rows dropped: a group whose count went back
 * to zero still has its row). The float sums of item analysis are compared to three decimals.
 * Only the rows of one campaign (the one the benchmark writes to) are compared.
 */
export async function checkSummaries(client: pg.Client | pg.PoolClient, campaignId: string): Promise<SummaryCheck[]> {
	const compare = async (table: string, stored: string, recount: string) => {
		const one = (sql: string) => `SELECT * FROM (${sql}) t WHERE campaign_id = $1`;
		const { rows } = await client.query<{ n: string }>(
			`WITH s AS (${one(stored)}), r AS (${one(recount.replace('WHERE a.submitted_at IS NOT NULL', 'WHERE a.submitted_at IS NOT NULL AND asg.campaign_id = $1'))})
			SELECT ((SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM r) x) + (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM s) y))::int AS n`,
			[campaignId]
		);
		return { table, differences: Number(rows[0].n) };
	};
	// Float sums kept by increments differ from a fresh sum in the last digits only.
	const roundedSums = ['score_sum', 'score_sq_sum', 'total_sum', 'total_sq_sum', 'cross_sum'].map((c) => `round(${c}::numeric, 3)`).join(', ');
	const nonZero = (cols: string) =>
		`WHERE ${cols
			.split(',')
			.map((c) => `${c.trim()} <> 0`)
			.join(' OR ')}`;
	return [
		await compare(
			'completion_counts',
			`SELECT org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted FROM completion_counts ${nonZero('assigned, in_progress, completed, attempted')}`,
			completionRecount
		),
		await compare(
			'daily_completions',
			`SELECT org_id, campaign_id, department_id, day, completed FROM daily_completions WHERE completed <> 0`,
			dailyCompletionRecount
		),
		await compare(
			'section_answer_stats',
			`SELECT org_id, campaign_id, section_key, department_id, employment_type, answers, errors FROM section_answer_stats WHERE answers <> 0`,
			sectionRecount
		),
		await compare(
			'question_answer_stats',
			`SELECT org_id, campaign_id, question_id, answers, errors, ${roundedSums} FROM question_answer_stats WHERE answers <> 0`,
			`SELECT org_id, campaign_id, question_id, answers, errors, ${roundedSums} FROM (${questionRecount}) q`
		),
		await compare(
			'section_daily_stats',
			`SELECT org_id, campaign_id, section_key, day, answers, errors FROM section_daily_stats WHERE answers <> 0`,
			dailyRecount
		)
	];
}

export async function rowCounts(client: pg.Client | pg.PoolClient): Promise<Record<string, number>> {
	const tables = [
		'departments',
		'people',
		'assignments',
		'attempts',
		'responses',
		'completion_counts',
		'daily_completions',
		'section_answer_stats',
		'question_answer_stats',
		'section_daily_stats',
		'inspection_responses',
		'inspection_item_stats',
		'sessions',
		'audit_events'
	];
	const out: Record<string, number> = {};
	for (const t of tables) {
		const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`);
		out[t] = Number(rows[0].n);
	}
	return out;
}
