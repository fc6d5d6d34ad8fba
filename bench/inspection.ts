// The bench organisation's self-inspection round: a 30-item checklist on the same policy sections
// as the course, assigned to everyone in this 年度, most of it answered (loaded in bulk with its
// summary rows filled by aggregate), and the page's autosave as the load generator sends it.
import pg from 'pg';
import { formatFiscalYear } from '../src/lib/format/wareki';
import { addDays } from '../src/lib/format/calendar';
import { appOrigin } from './config';
import type { RequestSpec } from './load';
import { cookieFor, multipart } from './scenarios';

export const benchChecklistSlug = 'bench-checklist';
export const inspectionItemCount = 30;
/** Of everyone assigned: answered every item, answered some, not started. */
const completedShare = 0.6;
const inProgressShare = 0.15;

export interface InspectionWorld {
	campaignId: string;
	items: { id: string; sectionKeys: string[] }[];
}

/** Item i's いいえ rate: 2% to 32%, spread over the items so that sections differ. */
const noRate = (i: number) => 0.02 + (0.3 * ((i * 11) % inspectionItemCount)) / inspectionItemCount;
const naRate = 0.05;

/**
 * Seeds the checklist, its round and the answers. Run inside the seed's connection; triggers are
 * off while loading (session_replication_role = replica) and the round's summary rows are filled
 * here by the same rules as the trigger and saveInspectionAnswers.
 */
export async function seedInspectionRound(
	client: pg.Client,
	orgId: string,
	policyId: string,
	sectionKeys: string[],
	fiscalYear: number,
	today: string
): Promise<{ assignments: number; responses: number }> {
	const {
		rows: [checklist]
	} = await client.query<{ id: string }>(
		`INSERT INTO inspection_checklists (org_id, slug, title, description, tier, policy_id)
		VALUES ($1, $2, '自己点検票（ベンチ）', '全職員等向けの自己点検（30項目）', 'staff', $3) RETURNING id`,
		[orgId, benchChecklistSlug, policyId]
	);
	const items = Array.from({ length: inspectionItemCount }, (_, i) => {
		const keys = [sectionKeys[(i * 3) % sectionKeys.length]];
		if (i % 4 === 0) keys.push(sectionKeys[(i * 3 + 17) % sectionKeys.length]);
		return { position: i + 1, keys: [...new Set(keys)], no: noRate(i) };
	});
	await client.query(
		`INSERT INTO inspection_items (org_id, checklist_id, slug, position, text, explanation, section_keys)
		SELECT $1, $2, 'item-' || x.position, x.position, '点検項目 ' || x.position || '：定められた手順のとおりに情報を扱っている。', '説明。',
			ARRAY(SELECT jsonb_array_elements_text(x.keys))
		FROM jsonb_to_recordset($3::jsonb) AS x(position int, keys jsonb)`,
		[orgId, checklist.id, JSON.stringify(items)]
	);
	// Due after the quiz campaign's deadline (today + 7), so /team still opens on the quiz campaign as in earlier runs.
	const startsOn = addDays(today, -10);
	const {
		rows: [campaign]
	} = await client.query<{ id: string }>(
		`INSERT INTO campaigns (org_id, checklist_id, title, fiscal_year, starts_on, due_on, audience)
		VALUES ($1, $2, $3, $4, $5, $6, '{"everyone": true, "employmentTypes": [], "departmentIds": [], "createdSince": null}') RETURNING id`,
		[orgId, checklist.id, `${formatFiscalYear(fiscalYear)} 情報セキュリティ自己点検`, fiscalYear, startsOn, addDays(today, 20)]
	);

	await client.query(`SET session_replication_role = replica`);
	// Per person: everything answered, the first k items answered, or nothing yet.
	await client.query(
		`CREATE TEMP TABLE ia AS
		SELECT s.*, CASE WHEN s.r < $2 THEN $3 WHEN s.r < $4 THEN 5 + floor(random() * 20)::int ELSE 0 END AS answered,
			($5::date)::timestamp AT TIME ZONE 'Asia/Tokyo' + random() * (now() - interval '1 hour' - ($5::date)::timestamp AT TIME ZONE 'Asia/Tokyo') AS at
		FROM (SELECT gen_random_uuid() AS aid, p.id AS person_id, p.department_id, p.employment_type, random() AS r FROM people p WHERE p.org_id = $1) s`,
		[orgId, completedShare, inspectionItemCount, completedShare + inProgressShare, startsOn]
	);
	const assignmentsInserted = await client.query(
		`INSERT INTO assignments (id, org_id, campaign_id, person_id, department_id, employment_type, status, assigned_at,
			started_at, completed_at, last_activity_at, attempt_count)
		SELECT aid, $1, $2, person_id, department_id, employment_type,
			(CASE WHEN answered = $3 THEN 'completed' WHEN answered > 0 THEN 'in_progress' ELSE 'not_started' END)::assignment_status,
			($4::date)::timestamp AT TIME ZONE 'Asia/Tokyo', CASE WHEN answered > 0 THEN at - interval '10 minutes' END,
			CASE WHEN answered = $3 THEN at END, CASE WHEN answered > 0 THEN at END, (answered > 0)::int
		FROM ia`,
		[orgId, campaign.id, inspectionItemCount, startsOn]
	);
	const responsesInserted = await client.query(
		`INSERT INTO inspection_responses (assignment_id, item_id, answer, comment, department_id, employment_type, answered_at)
		SELECT aid, item_id, (CASE WHEN u < $3 THEN 'na' WHEN u < $3 + rate THEN 'no' ELSE 'yes' END)::inspection_answer, '', department_id, employment_type, at
		FROM (
			SELECT ia.aid, i.id AS item_id, ia.department_id, ia.employment_type, ia.at, r.no AS rate, random() AS u
			FROM ia JOIN inspection_items i ON i.checklist_id = $1 AND i.position <= ia.answered
			JOIN jsonb_to_recordset($2::jsonb) AS r(position int, no float8) ON r.position = i.position
		) x`,
		[checklist.id, JSON.stringify(items.map((i) => ({ position: i.position, no: i.no }))), naRate]
	);
	await client.query(`SET session_replication_role = origin`);
	await client.query(`DROP TABLE ia`);

	await client.query(`INSERT INTO completion_counts (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted)
		SELECT * FROM (${completionRecount}) c WHERE campaign_id = '${campaign.id}'`);
	await client.query(`INSERT INTO daily_completions (org_id, campaign_id, department_id, day, completed)
		SELECT * FROM (${dailyCompletionRecount}) c WHERE campaign_id = '${campaign.id}'`);
	await client.query(
		`INSERT INTO inspection_item_stats (org_id, campaign_id, item_id, department_id, employment_type, yes, no, na) SELECT * FROM (${itemRecount}) s WHERE campaign_id = $1`,
		[campaign.id]
	);
	await client.query(
		`INSERT INTO section_answer_stats (org_id, campaign_id, section_key, department_id, employment_type, answers, errors) SELECT * FROM (${sectionRecount}) s WHERE campaign_id = $1`,
		[campaign.id]
	);
	return { assignments: assignmentsInserted.rowCount ?? 0, responses: responsesInserted.rowCount ?? 0 };
}

// Recounts from the round's assignments and answers, by the trigger's and the save's rules.
const completionRecount = `
	SELECT org_id, campaign_id, department_id, employment_type, count(*)::int AS assigned, (count(*) FILTER (WHERE status = 'in_progress'))::int AS in_progress,
		(count(*) FILTER (WHERE status = 'completed'))::int AS completed, (count(*) FILTER (WHERE attempt_count > 0))::int AS attempted
	FROM assignments GROUP BY org_id, campaign_id, department_id, employment_type`;
const dailyCompletionRecount = `
	SELECT org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date AS day, count(*)::int AS completed
	FROM assignments WHERE completed_at IS NOT NULL GROUP BY 1, 2, 3, 4`;
const itemRecount = `
	SELECT a.org_id, a.campaign_id, r.item_id, r.department_id, r.employment_type, (count(*) FILTER (WHERE r.answer = 'yes'))::int AS yes,
		(count(*) FILTER (WHERE r.answer = 'no'))::int AS no, (count(*) FILTER (WHERE r.answer = 'na'))::int AS na
	FROM inspection_responses r JOIN assignments a ON a.id = r.assignment_id GROUP BY 1, 2, 3, 4, 5`;
const sectionRecount = `
	SELECT a.org_id, a.campaign_id, k.key AS section_key, r.department_id, r.employment_type, (count(*) FILTER (WHERE r.answer <> 'na'))::int AS answers,
		(count(*) FILTER (WHERE r.answer = 'no'))::int AS errors
	FROM inspection_responses r JOIN assignments a ON a.id = r.assignment_id JOIN inspection_items i ON i.id = r.item_id
	CROSS JOIN LATERAL (SELECT DISTINCT unnest(i.section_keys)) AS k(key)
	GROUP BY 1, 2, 3, 4, 5 HAVING count(*) FILTER (WHERE r.answer <> 'na') > 0`;

/** The round's summary rows against a recount from its assignments and answers (zero rows left out). */
export async function checkInspectionSummaries(client: pg.Client | pg.PoolClient, campaignId: string) {
	const compare = async (table: string, stored: string, recount: string) => {
		const { rows } = await client.query<{ n: string }>(
			`WITH s AS (SELECT * FROM (${stored}) t WHERE campaign_id = $1), r AS (SELECT * FROM (${recount}) t WHERE campaign_id = $1)
			SELECT ((SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM r) x) + (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM s) y))::int AS n`,
			[campaignId]
		);
		return { table: `${table} (round)`, differences: Number(rows[0].n) };
	};
	return [
		await compare(
			'completion_counts',
			`SELECT org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted FROM completion_counts
			WHERE assigned <> 0 OR in_progress <> 0 OR completed <> 0 OR attempted <> 0`,
			completionRecount
		),
		await compare(
			'daily_completions',
			`SELECT org_id, campaign_id, department_id, day, completed FROM daily_completions WHERE completed <> 0`,
			dailyCompletionRecount
		),
		await compare(
			'inspection_item_stats',
			`SELECT org_id, campaign_id, item_id, department_id, employment_type, yes, no, na FROM inspection_item_stats WHERE yes <> 0 OR no <> 0 OR na <> 0`,
			itemRecount
		),
		await compare(
			'section_answer_stats',
			`SELECT org_id, campaign_id, section_key, department_id, employment_type, answers, errors FROM section_answer_stats WHERE answers <> 0`,
			sectionRecount
		)
	];
}

export async function loadInspectionWorld(client: pg.Pool, orgId: string): Promise<InspectionWorld | null> {
	const {
		rows: [campaign]
	} = await client.query<{ id: string; checklist_id: string }>(
		`SELECT c.id, c.checklist_id FROM campaigns c JOIN inspection_checklists k ON k.id = c.checklist_id WHERE c.org_id = $1 AND k.slug = $2`,
		[orgId, benchChecklistSlug]
	);
	if (!campaign) return null;
	const { rows: items } = await client.query<{ id: string; section_keys: string[] }>(
		`SELECT id, section_keys FROM inspection_items WHERE checklist_id = $1 AND active ORDER BY position`,
		[campaign.checklist_id]
	);
	return { campaignId: campaign.id, items: items.map((i) => ({ id: i.id, sectionKeys: i.section_keys })) };
}

/** People of the round who have not answered anything yet and hold no role, in random order. */
export async function pickInspectors(client: pg.Pool, round: InspectionWorld, count: number): Promise<{ personId: string; assignmentId: string }[]> {
	const { rows } = await client.query<{ person_id: string; assignment_id: string }>(
		`SELECT a.person_id, a.id AS assignment_id FROM assignments a JOIN people p ON p.id = a.person_id
		WHERE a.campaign_id = $1 AND a.status = 'not_started' AND p.active AND NOT EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = a.person_id)
		ORDER BY random() LIMIT $2`,
		[round.campaignId, count]
	);
	return rows.map((r) => ({ personId: r.person_id, assignmentId: r.assignment_id }));
}

/**
 * One autosave of the round's page: its script posts the whole form (every item's choice so far
 * and every comment box) whenever a choice changes.
 */
export function inspectionSaveRequest(assignmentId: string, token: string, answers: readonly [string, string][]): RequestSpec {
	const fields: [string, string][] = answers.flatMap(([itemId, answer]): [string, string][] => [
		[`answer-${itemId}`, answer],
		[`comment-${itemId}`, '']
	]);
	const form = multipart(fields);
	return {
		method: 'POST',
		path: `/inspection/${assignmentId}?/save`,
		headers: {
			cookie: cookieFor(token),
			origin: appOrigin,
			'content-type': form.contentType,
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		},
		body: form.body,
		check: (status, body) =>
			status === 200 && body.includes('"type":"success"') ? true : `inspection save HTTP ${status} ${/"type":"(\w+)"/.exec(body)?.[1] ?? ''}`.trim()
	};
}

/**
 * The answers a person's next autosave sends: every item answered (mostly はい), with one item
 * changed since the last save, so that each save after the first changes exactly one stored answer.
 */
export function nextInspectionAnswers(round: InspectionWorld, state: string[], n: number): [string, string][] {
	if (state.length === 0) state.push(...round.items.map((_, j) => (j % 10 === 9 ? 'no' : j % 10 === 4 ? 'na' : 'yes')));
	else {
		const j = (n - 1) % state.length;
		state[j] = state[j] === 'yes' ? 'no' : 'yes';
	}
	return round.items.map((item, j) => [item.id, state[j]]);
}
