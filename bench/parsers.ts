// The parsers scenario: each parser of user text gets its worst input at the largest size the app
// takes, through the real form, while one connection keeps asking for /login. The figure is the
// longest /login wait during each upload: the one thread that serves every request must stay free.
import pg from 'pg';
import { markdownBounds } from '../src/lib/server/text/bounds';
import { policyImportMaxBytes } from '../src/lib/server/policy/import/preview';
import { rosterMaxBytes } from '../src/lib/server/org/roster/import';
import { itemsTextMax } from '../src/lib/server/inspection/editor';
import { appOrigin } from './config';
import { newPool, percentile, send, type RequestSpec } from './load';

export interface ParserResult {
	key: string;
	what: string;
	inputBytes: number;
	/** The hostile request: its HTTP status and how long it took. */
	status: number;
	seconds: number;
	/** /login requests answered while it ran, and their waits. */
	logins: number;
	loginP50: number;
	loginP99: number;
	loginMax: number;
	passed: boolean;
}

const loginTargetMs = 500;
/** What the app takes: the course editor's limit (src/routes/(app)/admin/courses/editor.server.ts). */
const courseEditMaxBytes = 1024 * 1024;
const line = markdownBounds.maxLineLength;

/** Lines of exactly the longest length taken, cycling through `kinds`, up to `chars`. */
function linesOf(kinds: string[], chars: number): string {
	const out: string[] = [];
	let size = 0;
	for (let i = 0; size + line + 1 <= chars; i++) {
		const unit = kinds[i % kinds.length];
		out.push(unit.repeat(Math.ceil(line / unit.length)).slice(0, line));
		size += line + 1;
	}
	return out.join('\n');
}

/** The worst inputs found (docs/performance.md, "Parsers"), each at the app's limit. */
export function hostileInputs() {
	// What made the importer quadratic, under a 目次: heading-like lines ending in spaces, runs of
	// leaders, and — kept in the 目次 by a page number at the end, so that every pattern for its
	// entries reads them — spaces before a last word, open brackets of links, links that never
	// reach an anchor, article ranges that never close (tests/unit/parser-bounds.test.ts).
	const entry = (shape: string) => `${shape.repeat(Math.ceil(line / shape.length)).slice(0, line - 2)} 1`;
	const policyLines = [`# a${' '.repeat(line - 4)}b`, `${'.'.repeat(line - 1)}a`, `a${' '.repeat(line - 5)}a 1`, entry('[a'), entry('[a](#'), entry('（第1条')];
	const policyRows: string[] = [];
	for (let size = 0; size + line + 1 <= policyImportMaxBytes - 100; size += line + 1) policyRows.push(policyLines[policyRows.length % policyLines.length]);
	const policy = `目次\n${policyRows.join('\n')}\n1 目的\n本文。\n`;
	// Emphasis that never closes, in one paragraph: quadratic in Markdown's inline pass.
	const lesson = linesOf(['__a', '*a', 'a@b.', '<a', '![', '`a'], courseEditMaxBytes - 100);
	// One question of tens of thousands of choices (each choice's line was counted from the top).
	const giftChoices = Array.from({ length: 60_000 }, (_, i) => `~[html]c${i}&#x110000;`).join('\n');
	const gift = `// sections: 1\n::q::q{\n=a\n${giftChoices}`.slice(0, courseEditMaxBytes - 10) + '\n}\n';
	const questionChoices = Array.from({ length: 60_000 }, (_, i) => `- [ ] 選択肢${i}`).join('\n');
	const question =
		`id: q\ntype: single\nsections: 1\nquestion: ${'_a'.repeat(line / 2 - 10)}\n${questionChoices}`.slice(0, courseEditMaxBytes - 100) + '\nexplanation: x\n';
	// Ten megabytes of rows, each with an unknown department: every row checked, every row a problem.
	const rows = ['職員番号,氏名,氏名カナ,所属コード,雇用区分,メール'];
	for (let i = 0, bytes = 100; bytes < rosterMaxBytes - 200; i++) {
		const row = `B${i},職員${i},ショクイン,ZZ${i % 1000},正規職員,"a${i}@example.jp"`;
		rows.push(row);
		bytes += Buffer.byteLength(row) + 1;
	}
	const roster = `${rows.join('\n')}\n`;
	// A checklist's items at the editor's limit in Japanese (nine bytes a character url-encoded), every
	// block with a misspelt label and an over-long item: two errors a block, all listed with the text
	// sent back.
	const blocks: string[] = [];
	for (let size = 0, i = 0; ; i++) {
		const block = `id: item-${i}\nsections: 1\nitme: x\nitem: ${'点'.repeat(940)}`;
		if (size + block.length + 5 > itemsTextMax) break;
		blocks.push(block);
		size += block.length + 5;
	}
	const checklist = blocks.join('\n---\n');
	return { policy, lesson, gift, question, roster, checklist };
}

async function multipart(fields: Record<string, string | { name: string; type: string; content: string }>) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) {
		if (typeof v === 'string') form.append(k, v);
		else form.append(k, new Blob([v.content], { type: v.type }), v.name);
	}
	const request = new Request(appOrigin, { method: 'POST', body: form });
	return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

/** A plain form, url-encoded, as a form without `enctype` sends it. */
function postUrlEncoded(path: string, token: string, fields: Record<string, string>): RequestSpec {
	return {
		method: 'POST',
		path,
		headers: { origin: appOrigin, cookie: `mamori_session=${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams(fields).toString(),
		check: (status) => (status < 500 ? true : `HTTP ${status}`)
	};
}

async function post(path: string, token: string, fields: Parameters<typeof multipart>[0]): Promise<RequestSpec> {
	const { body, type } = await multipart(fields);
	return {
		method: 'POST',
		path,
		headers: { origin: appOrigin, cookie: `mamori_session=${token}`, 'content-type': type, accept: 'text/html' },
		body,
		// A refusal with the page's message is the right answer to a hostile input; a 5xx is not.
		check: (status) => (status < 500 ? true : `HTTP ${status}`)
	};
}

/** Sends `hostile` once while a second connection asks for /login again and again. */
async function underLoginWatch(origin: string, hostile: RequestSpec) {
	const hostilePool = newPool(origin, 1);
	const loginPool = newPool(origin, 1);
	const waits: number[] = [];
	let done = false;
	const watch = (async () => {
		while (!done) {
			const r = await send(loginPool, { method: 'GET', path: '/login', headers: { accept: 'text/html' } });
			waits.push(r.ms);
		}
	})();
	const started = performance.now();
	const answer = await send(hostilePool, hostile);
	const seconds = (performance.now() - started) / 1000;
	done = true;
	await watch;
	await hostilePool.close();
	await loginPool.close();
	const sorted = [...waits].sort((a, b) => a - b);
	return { answer, seconds, waits: sorted };
}

export async function parserScenario(
	origin: string,
	pool: pg.Pool,
	orgId: string,
	tokens: { owner: string; admin: string },
	log: (line: string) => void
): Promise<ParserResult[]> {
	const {
		rows: [ids]
	} = await pool.query<{ course_id: string; lesson_id: string; question_id: string }>(
		`SELECT c.id AS course_id, (SELECT id FROM lessons l WHERE l.course_id = c.id ORDER BY position LIMIT 1) AS lesson_id,
			(SELECT id FROM questions q WHERE q.course_id = c.id ORDER BY position LIMIT 1) AS question_id
		FROM courses c WHERE c.org_id = $1 ORDER BY c.created_at LIMIT 1`,
		[orgId]
	);
	const {
		rows: [checklist]
	} = await pool.query<{ id: string }>(`SELECT id FROM inspection_checklists WHERE org_id = $1 ORDER BY slug LIMIT 1`, [orgId]);
	const input = hostileInputs();
	const cases: { key: string; what: string; bytes: number; request: () => Promise<RequestSpec> }[] = [
		{
			key: 'policy-import',
			what: 'policy import preview (pasted)',
			bytes: Buffer.byteLength(input.policy),
			request: () => post('/policy/import?/preview', tokens.owner, { text: input.policy })
		},
		{
			key: 'lesson-preview',
			what: 'lesson preview',
			bytes: Buffer.byteLength(input.lesson),
			request: () =>
				post(`/admin/courses/${ids.course_id}/lesson/${ids.lesson_id}?/preview`, tokens.owner, { title: 'bench', sections: '1', body: input.lesson })
		},
		{
			key: 'gift-import',
			what: 'GIFT import',
			bytes: Buffer.byteLength(input.gift),
			request: () =>
				post(`/admin/courses/${ids.course_id}?/importGift`, tokens.owner, { file: { name: 'hostile.gift', type: 'text/plain', content: input.gift } })
		},
		{
			key: 'question-edit',
			what: 'course editor: question preview',
			bytes: Buffer.byteLength(input.question),
			request: () => post(`/admin/courses/${ids.course_id}/question/${ids.question_id}?/preview`, tokens.owner, { text: input.question })
		},
		{
			key: 'checklist-edit',
			what: 'checklist editor: save',
			bytes: Buffer.byteLength(input.checklist),
			request: async () =>
				postUrlEncoded(`/admin/inspections/${checklist.id}?/save`, tokens.owner, { title: 'bench', description: '', tier: 'staff', items: input.checklist })
		},
		{
			key: 'roster-upload',
			what: 'roster upload',
			bytes: Buffer.byteLength(input.roster),
			request: () => post('/admin/roster', tokens.admin, { file: { name: 'hostile.csv', type: 'text/csv', content: input.roster } })
		}
	];
	// BENCH_PARSERS=lesson-preview,roster-upload runs only those cases.
	const only = process.env.BENCH_PARSERS?.split(',');
	if (only) cases.splice(0, cases.length, ...cases.filter((c) => only.includes(c.key)));
	log(
		`${'parser: worst input at the limit'.padEnd(36)} ${'bytes'.padStart(9)} ${'HTTP'.padStart(5)} ${'took s'.padStart(7)} ${'logins'.padStart(7)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'max ms'.padStart(7)}`
	);
	const results: ParserResult[] = [];
	for (const c of cases) {
		const { answer, seconds, waits } = await underLoginWatch(origin, await c.request());
		const loginMax = waits.at(-1) ?? 0;
		const result: ParserResult = {
			key: c.key,
			what: c.what,
			inputBytes: c.bytes,
			status: answer.status,
			seconds: Math.round(seconds * 100) / 100,
			logins: waits.length,
			loginP50: Math.round(percentile(waits, 50)),
			loginP99: Math.round(percentile(waits, 99)),
			loginMax: Math.round(loginMax),
			passed: !answer.error && loginMax < loginTargetMs
		};
		results.push(result);
		log(
			`${c.what.padEnd(36)} ${String(c.bytes).padStart(9)} ${String(answer.status).padStart(5)} ${seconds.toFixed(1).padStart(7)} ${String(waits.length).padStart(7)} ${String(result.loginP50).padStart(6)} ${String(result.loginP99).padStart(6)} ${String(result.loginMax).padStart(7)}  ${result.passed ? '✓' : `✗${answer.error ? ` ${answer.error}` : ''}`}`
		);
	}
	return results;
}
