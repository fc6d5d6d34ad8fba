// Access control as a table: every route and form action under src/routes, asked by every kind of
// visitor over plain HTTP, must answer what access-matrix.ts says. A route or action missing from
// the matrix fails the first test; every mismatch is listed at once by the last.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { idNames, matrix, roleNotes, roles, type IdName, type Outcome, type Probe, type Role } from './access-matrix';
import { AccessWorld, postAction } from './access-setup';

const routesDir = path.resolve('src/routes');
const httpMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']);

// ---- What the app has: route ids as SvelteKit names them, with their loads, actions and methods.

function exportedValues(file: string): Map<string, ts.Expression | null> {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const values = new Map<string, ts.Expression | null>();
	for (const statement of source.statements) {
		const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isVariableStatement(statement)) {
			for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) values.set(d.name.text, d.initializer ?? null);
		} else if (ts.isFunctionDeclaration(statement) && statement.name) {
			values.set(statement.name.text, null);
		}
	}
	return values;
}

/** The names in `export const actions = { name: …, default: … }`. */
function actionNames(file: string): string[] {
	const values = exportedValues(file);
	if (!values.has('actions')) return [];
	let value = values.get('actions');
	while (value && (ts.isSatisfiesExpression(value) || ts.isAsExpression(value) || ts.isParenthesizedExpression(value))) value = value.expression;
	if (!value || !ts.isObjectLiteralExpression(value)) throw new Error(`${file}: actions is not an object literal, so its names cannot be read`);
	return value.properties.map((p) => {
		if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new Error(`${file}: an action without a plain name`);
		return p.name.text;
	});
}

/** Every request the app answers, as `<route id> load`, `<route id> action <name>` or `<route id> <METHOD>`. */
function appRequests(): string[] {
	const found: string[] = [];
	const walk = (dir: string, id: string) => {
		const entries = readdirSync(dir, { withFileTypes: true });
		const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
		const has = (...names: string[]) => names.find((n) => files.has(n));
		if (has('+page.svelte', '+page.server.ts', '+page.server.js', '+page.ts', '+page.js')) found.push(`${id} load`);
		const pageServer = has('+page.server.ts', '+page.server.js');
		if (pageServer) for (const name of actionNames(path.join(dir, pageServer))) found.push(`${id} action ${name}`);
		const endpoint = has('+server.ts', '+server.js');
		if (endpoint) for (const name of exportedValues(path.join(dir, endpoint)).keys()) if (httpMethods.has(name)) found.push(`${id} ${name}`);
		for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name), id === '/' ? `/${e.name}` : `${id}/${e.name}`);
	};
	walk(routesDir, '/');
	return found;
}

/** The paths a route id matches: groups vanish, parameters match one segment. */
function routePattern(id: string): RegExp {
	const segments = id
		.split('/')
		.filter((s) => s && !/^\(.+\)$/.test(s))
		.map((s) => (s.startsWith('[...') ? '.+' : s.startsWith('[') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	return new RegExp(`^/${segments.join('/')}$`);
}

const keyOf = (p: Pick<Probe, 'route' | 'request'>) => `${p.route} ${p.request}`;

// ---- The world the probes need (access-setup.ts).

const world = new AccessWorld();

function fill(template: string): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(idNames as readonly string[]).includes(name)) throw new Error(`unknown id {${name}} in ${template}`);
		return encodeURIComponent(world.ids[name as IdName]);
	});
}

test.beforeAll(async ({ playwright }, testInfo) => {
	await world.open(playwright.request, new URL(testInfo.project.use.baseURL!).origin);
});

test.afterAll(async () => {
	await world.close();
});

// ---- The tests.

test('the matrix lists every route and form action, each for every role, at a path of that route', () => {
	const inApp = new Set(appRequests());
	const inMatrix = new Set(matrix.map(keyOf));
	expect([...inApp].filter((k) => !inMatrix.has(k)), 'routes and actions missing from access-matrix.ts').toEqual([]);
	expect([...inMatrix].filter((k) => !inApp.has(k)), 'matrix entries for routes or actions that no longer exist').toEqual([]);

	const uncovered = [...inMatrix].flatMap((key) => {
		const probes = matrix.filter((p) => keyOf(p) === key);
		return roles.filter((role) => probes.every((p) => p.expect[role] === '-')).map((role) => `${key}: ${role}`);
	});
	expect(uncovered, 'requests with no expectation for a role').toEqual([]);

	const misplaced = matrix.filter((p) => !routePattern(p.route).test(fill(p.path).split('?')[0])).map((p) => `${p.path} is not ${p.route}`);
	expect(misplaced).toEqual([]);
	const sendsForm = (p: Probe) => !!(p.form || p.file);
	const badForms = matrix.filter((p) => (p.request.startsWith('action') && !sendsForm(p)) || (['load', 'GET'].includes(p.request) && sendsForm(p))).map((p) => `${keyOf(p)} ${p.path}`);
	expect(badForms, 'actions post a form (maybe empty); GETs send none').toEqual([]);
});

/**
 * A page seen by `viewer` holds none of `hidden`, while `control` sees all of them on the same
 * page (so each string would show if it leaked) and `viewer` sees what is theirs (`shown`).
 */
interface ScopeCheck {
	path: string;
	viewer: Role;
	shown?: string;
	hidden: string[];
	control: Role;
}

async function scopeProblems(checks: ScopeCheck[]): Promise<string[]> {
	const problems: string[] = [];
	for (const { path: template, viewer, shown, hidden, control } of checks) {
		const url = fill(template);
		const [seen, controlled] = await Promise.all([world.sessions[viewer].get(url, { maxRedirects: 0 }), world.sessions[control].get(url, { maxRedirects: 0 })]);
		const [text, controlText] = await Promise.all([seen.text(), controlled.text()]);
		if (seen.status() !== 200 || controlled.status() !== 200) problems.push(`${template}: ${viewer} got ${seen.status()}, ${control} got ${controlled.status()}`);
		if (shown && !text.includes(shown)) problems.push(`${template}: ${viewer} should see 「${shown}」`);
		for (const h of hidden) {
			if (!controlText.includes(h)) problems.push(`${template}: ${control} should see 「${h}」`);
			if (text.includes(h)) problems.push(`${template}: ${viewer} sees 「${h}」`);
		}
	}
	return problems;
}

// Strings of 北杜市, and where 北杜市's own people see them; its name (北杜) is on every one of its pages.
const otherOrgChecks: ScopeCheck[] = (
	[
		['/', 'learner', ['北杜市情報セキュリティ基本方針']],
		['/learn', 'learner', ['情報セキュリティ基本方針 研修']],
		['/policy', 'learner', ['北杜市情報セキュリティ基本方針']],
		['/policy/import', 'owner', ['北杜市情報セキュリティ実施手順']],
		['/team', 'admin', ['市民部', '小淵沢 花子']],
		['/report', 'admin', ['情報セキュリティ研修（全職員）', '市民課']],
		['/insight', 'owner', ['北杜市情報セキュリティ基本方針']],
		['/revision', 'owner', ['北杜市情報セキュリティ実施手順']],
		['/admin/campaigns', 'admin', ['情報セキュリティ研修（全職員）']],
		['/admin/campaigns/new', 'owner', ['商工観光課', '情報セキュリティ基本方針 研修']],
		['/admin/courses', 'owner', ['情報セキュリティ基本方針 研修']],
		['/admin/people', 'admin', ['小淵沢 花子', '北杜 管理']],
		['/admin/departments', 'admin', ['商工観光課']],
		['/admin/audit', 'admin', ['demo-admin']],
		['/admin/audit/export', 'admin', ['demo-admin']]
	] as const
).map(([path, control, hidden]) => ({ path, viewer: 'otherOrg' as const, hidden: ['北杜', ...hidden], control }));

test('an admin of another organisation sees none of 北杜市 on any list page', async () => {
	expect(await scopeProblems(otherOrgChecks)).toEqual([]);
});

test("a supervisor sees their own departments' people and nobody else's", async () => {
	// 韮崎 誠 (the learner, 商工観光課) and 長坂 一郎 (総務課) are outside 市民課.
	const outside = ['韮崎 誠', '長坂 一郎'];
	const checks: ScopeCheck[] = [
		{ path: '/team', viewer: 'supervisor', shown: '小淵沢 花子', hidden: outside, control: 'admin' },
		{ path: '/team/export?campaign={campaign}', viewer: 'supervisor', shown: '小淵沢 花子', hidden: outside, control: 'admin' },
		{ path: '/policy/basic-policy/acknowledgements', viewer: 'supervisor', shown: '窓口係', hidden: [...outside, '商工観光課'], control: 'admin' }
	];
	expect(await scopeProblems(checks)).toEqual([]);
});

const named: Record<number, Outcome> = { 200: 'ok', 204: 'ok', 400: 'invalid', 403: 'forbidden', 404: 'notFound', 409: 'conflict' };

function redirectOutcome(location: string): Outcome {
	return location.startsWith('/login?next=') ? 'login' : location === '/account/password' ? 'changePassword' : 'redirect';
}

/**
 * What a response amounts to, in the matrix's words. An action answers as it does to an enhanced
 * form, `{ type, status, location }`, unless the hooks stopped the request before it ran.
 */
async function outcomeOf(response: APIResponse): Promise<Outcome | string> {
	let status = response.status();
	let location = response.headers().location ?? '';
	if (status === 200 && response.headers()['content-type']?.startsWith('application/json')) {
		const result = (await response.json()) as { type?: string; status?: number; location?: string };
		if (result.type === 'redirect') return redirectOutcome(result.location ?? '');
		if (result.type === 'success' || result.type === 'failure') status = result.status ?? 0;
		location = '';
	}
	if (status >= 300 && status < 400) return location ? redirectOutcome(location) : `HTTP ${status}`;
	return named[status] ?? `HTTP ${status}${location ? ` → ${location}` : ''}`;
}

/** Sends a probe: a GET, or a form action posted as an enhanced form posts it (its page load then does not run, so it cannot hide what the action did). */
async function send(session: APIRequestContext, probe: Probe): Promise<APIResponse> {
	const base = fill(probe.path);
	if (probe.request === 'load' || probe.request === 'GET') return session.get(base, { maxRedirects: 0 });
	if (probe.request === 'POST') return session.post(base, { form: fillForm(probe.form), maxRedirects: 0 });
	const name = probe.request.slice('action '.length);
	const url = name === 'default' ? base : `${base}${base.includes('?') ? '&' : '?'}/${name}`;
	if (probe.file) {
		const { field, name: fileName, text } = probe.file;
		return postAction(session, url, { multipart: { [field]: { name: fileName, mimeType: 'text/plain', buffer: Buffer.from(text) } } });
	}
	return postAction(session, url, { form: fillForm(probe.form) });
}

const fillForm = (form: Record<string, string> = {}) => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, fill(v)]));

test('every role gets what the matrix says from every route and form action', async () => {
	// Sessions end with the logout probe, so it goes last.
	const ordered = [...matrix.filter((p) => !p.last), ...matrix.filter((p) => p.last)];
	const perRole = await Promise.all(
		roles.map(async (role) => {
			const mismatches: string[] = [];
			for (const probe of ordered) {
				const expected = probe.expect[role];
				if (expected === '-') continue;
				const got = await outcomeOf(await send(world.sessions[role], probe));
				if (got !== expected) mismatches.push(`${role.padEnd(10)} expected ${expected.padEnd(14)} got ${got.padEnd(14)} ${probe.request.padEnd(22)} ${probe.path}`);
			}
			return mismatches;
		})
	);
	const mismatches = perRole.flat();
	expect(mismatches, `roles: ${roles.map((r) => `${r} = ${roleNotes[r]}`).join('; ')}`).toEqual([]);
});
