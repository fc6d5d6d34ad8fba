// The route walker shared by the access matrix and the malformed-input property test: what the
// app answers (every route, load, form action and endpoint method under src/routes, read from
// disk), how a probe is sent, and what its answer amounts to in the matrix's words.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { idNames, type IdName, type Outcome, type Probe } from './access-matrix';
import { postAction } from './access-setup';

const routesDir = path.resolve('src/routes');
const httpMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']);

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

/** A route's folder and its id as SvelteKit names it. */
export interface RouteDir {
	id: string;
	dir: string;
}

/** Every route folder under src/routes, with its id. */
export function routeDirs(): RouteDir[] {
	const found: RouteDir[] = [];
	const walk = (dir: string, id: string) => {
		found.push({ id, dir });
		for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name), id === '/' ? `/${e.name}` : `${id}/${e.name}`);
	};
	walk(routesDir, '/');
	return found;
}

/** Every request the app answers, as `<route id> load`, `<route id> action <name>` or `<route id> <METHOD>`. */
export function appRequests(): string[] {
	const found: string[] = [];
	for (const { id, dir } of routeDirs()) {
		const files = new Set(
			readdirSync(dir, { withFileTypes: true })
				.filter((e) => e.isFile())
				.map((e) => e.name)
		);
		const has = (...names: string[]) => names.find((n) => files.has(n));
		if (has('+page.svelte', '+page.server.ts', '+page.server.js', '+page.ts', '+page.js')) found.push(`${id} load`);
		const pageServer = has('+page.server.ts', '+page.server.js');
		if (pageServer) for (const name of actionNames(path.join(dir, pageServer))) found.push(`${id} action ${name}`);
		const endpoint = has('+server.ts', '+server.js');
		if (endpoint) for (const name of exportedValues(path.join(dir, endpoint)).keys()) if (httpMethods.has(name)) found.push(`${id} ${name}`);
	}
	return found;
}

/** The paths a route id matches: groups vanish, parameters match one segment. */
export function routePattern(id: string): RegExp {
	const segments = id
		.split('/')
		.filter((s) => s && !/^\(.+\)$/.test(s))
		.map((s) => (s.startsWith('[...') ? '.+' : s.startsWith('[') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	return new RegExp(`^/${segments.join('/')}$`);
}

export const keyOf = (p: Pick<Probe, 'route' | 'request'>) => `${p.route} ${p.request}`;

/** A path or form value with its `{id}` placeholders filled in from `ids`. */
export function fillIds(template: string, ids: Record<IdName, string>, encode = true): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(idNames as readonly string[]).includes(name)) throw new Error(`unknown id {${name}} in ${template}`);
		const id = ids[name as IdName];
		return encode ? encodeURIComponent(id) : id;
	});
}

export const fillForm = (form: Record<string, string> = {}, ids: Record<IdName, string>) =>
	Object.fromEntries(Object.entries(form).map(([k, v]) => [k, fillIds(v, ids)]));

const named: Record<number, Outcome> = { 200: 'ok', 204: 'ok', 400: 'invalid', 403: 'forbidden', 404: 'notFound', 409: 'conflict' };

function redirectOutcome(location: string): Outcome {
	return location.startsWith('/login?next=') ? 'login' : location === '/account/password' ? 'changePassword' : 'redirect';
}

/** What a status and an action result amount to: `{ type, status, location }` as an enhanced form gets it. */
export function outcomeOfResult(status: number, location: string, result?: { type?: string; status?: number; location?: string }): Outcome | string {
	if (result) {
		if (result.type === 'redirect') return redirectOutcome(result.location ?? '');
		if (result.type === 'success' || result.type === 'failure') status = result.status ?? 0;
		location = '';
	}
	if (status >= 300 && status < 400) return location ? redirectOutcome(location) : `HTTP ${status}`;
	return named[status] ?? `HTTP ${status}${location ? ` → ${location}` : ''}`;
}

/**
 * What a response amounts to, in the matrix's words. An action answers as it does to an enhanced
 * form, `{ type, status, location }`, unless the hooks stopped the request before it ran.
 */
export async function outcomeOf(response: APIResponse): Promise<Outcome | string> {
	const status = response.status();
	const location = response.headers().location ?? '';
	if (status === 200 && response.headers()['content-type']?.startsWith('application/json')) {
		return outcomeOfResult(status, location, (await response.json()) as { type?: string; status?: number; location?: string });
	}
	return outcomeOfResult(status, location);
}

/** The URL a probe posts to: its path with the action's `?/name`. */
export function actionUrl(probe: Probe, path: string): string {
	const name = probe.request.slice('action '.length);
	return name === 'default' ? path : `${path}${path.includes('?') ? '&' : '?'}/${name}`;
}

/** Sends a probe: a GET, or a form action posted as an enhanced form posts it (its page load then does not run, so it cannot hide what the action did). */
export async function sendProbe(session: APIRequestContext, probe: Probe, ids: Record<IdName, string>): Promise<APIResponse> {
	const base = fillIds(probe.path, ids);
	if (probe.request === 'load' || probe.request === 'GET') return session.get(base, { maxRedirects: 0 });
	if (probe.request === 'POST') return session.post(base, { form: fillForm(probe.form, ids), maxRedirects: 0 });
	const url = actionUrl(probe, base);
	if (probe.file) {
		const { field, name: fileName, text } = probe.file;
		return postAction(session, url, { multipart: { [field]: { name: fileName, mimeType: 'text/plain', buffer: Buffer.from(text) } } });
	}
	return postAction(session, url, { form: fillForm(probe.form, ids) });
}
