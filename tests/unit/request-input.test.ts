// The shared readers of request input (src/lib/server/input/): body limits per route, the query
// reader, field caps, and the answers they give. Requests are built as adapter-node builds them:
// a body stream, with or without a declared length.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { checkBody, discardUnread } from '../../src/lib/server/input/body';
import { bodyLimitFor, defaultBodyLimit, largestBodyLimit } from '../../src/lib/server/input/limits';
import { addressHasNul, readQuery } from '../../src/lib/server/input/query';
import { isCalendarDate } from '../../src/lib/format/calendar';
import { formText } from '../../src/lib/server/input/form';
import { formatBytes, refusalResponse, tooLarge } from '../../src/lib/server/input/refusal';
import { formDataWithinLimit } from '../../src/lib/server/http';
import { errorForLog, pathForLog } from '../../src/lib/server/log';

const KB = 1024;

/** A body as a stream of `chunk`-sized pieces, counting what was pulled from it. */
function streamed(bytes: Uint8Array, chunk = 16 * KB) {
	let pulled = 0;
	const stream = new ReadableStream<Uint8Array>(
		{
			pull(controller) {
				if (pulled >= bytes.length) return controller.close();
				const part = bytes.subarray(pulled, pulled + chunk);
				pulled += part.length;
				controller.enqueue(part);
			}
		},
		{ highWaterMark: 0 }
	);
	return { stream, pulled: () => pulled };
}

function post(route: string, path: string, body: string | Uint8Array | null, headers: Record<string, string> = {}, options: { declare?: boolean } = {}) {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	const source = bytes ? streamed(bytes) : null;
	const all: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
	if (bytes && options.declare !== false) all['content-length'] = String(bytes.length);
	const url = new URL(`http://localhost${path}`);
	const request = new Request(url, { method: 'POST', headers: all, body: source?.stream ?? null, duplex: 'half' } as RequestInit);
	return { event: { request, url, route: { id: route } }, pulled: () => source?.pulled() ?? 0 };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('request bodies', () => {
	it('gives each route the limit its form needs, and the server’s outer bound covers the largest', () => {
		expect(bodyLimitFor('/login', 'default').bytes).toBe(4 * KB);
		expect(bodyLimitFor('/lang', 'default').bytes).toBe(4 * KB);
		expect(bodyLimitFor('/(app)/admin/departments', 'create')).toEqual(defaultBodyLimit);
		expect(bodyLimitFor('/(app)/admin/roster', 'default').bytes).toBeGreaterThan(10 * KB * KB);
		expect(bodyLimitFor('/(app)/admin/roster', 'default').ownMessage).toBe(true);
		const serve = readFileSync('scripts/serve.js', 'utf8');
		const outer = /BODY_SIZE_LIMIT \?\?= String\((\d+) \* 1024 \* 1024\)/.exec(serve);
		expect(outer, 'scripts/serve.js sets the outer bound').not.toBeNull();
		expect(Number(outer![1]) * KB * KB).toBeGreaterThanOrEqual(largestBodyLimit());
	});

	it('refuses a declared length over the limit before reading a byte', async () => {
		// A body that never arrives: only the declared length can answer for it.
		const url = new URL('http://localhost/login');
		const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => {}) }, { highWaterMark: 0 });
		const request = new Request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(5 * KB) },
			body: silent,
			duplex: 'half'
		} as RequestInit);
		const checked = await Promise.race([
			checkBody({ request, url, route: { id: '/login' } }),
			new Promise((resolve) => setTimeout(() => resolve('waited for the body'), 500))
		]);
		expect(checked).toMatchObject({ ok: false, refusal: { status: 413, key: 'input.tooLarge', params: { limit: '4 KB' } } });
		// What does follow is read and dropped in the background, so the connection can carry the answer.
		const sent = post('/login', '/login', 'x'.repeat(5 * KB));
		await checkBody(sent.event);
		await settle();
		expect(sent.pulled()).toBe(5 * KB);
	});

	it('cuts a chunked body off as it passes the limit, and drops what follows only up to a budget', async () => {
		// 40 MB, chunked: more than the drain budget.
		let pulled = 0;
		const endless = new ReadableStream<Uint8Array>(
			{
				pull(controller) {
					if (pulled >= 40 * KB * KB) return controller.close();
					pulled += 16 * KB;
					controller.enqueue(new Uint8Array(16 * KB).fill(97));
				}
			},
			{ highWaterMark: 0 }
		);
		const url = new URL('http://localhost/login');
		const request = new Request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: endless,
			duplex: 'half'
		} as RequestInit);
		const checked = await checkBody({ request, url, route: { id: '/login' } });
		expect(checked).toMatchObject({ ok: false, refusal: { status: 413 } });
		// Read no further than the limit and the little a stream buffers ahead.
		expect(pulled).toBeLessThanOrEqual(64 * KB);
		// The rest is read and dropped up to 32 MB, then the connection is given up.
		await new Promise((resolve) => setTimeout(resolve, 500));
		const settled = pulled;
		expect(settled).toBeGreaterThanOrEqual(32 * KB * KB);
		expect(settled).toBeLessThanOrEqual(32 * KB * KB + 32 * KB);
		await settle();
		expect(pulled).toBe(settled);
	});

	it('hands the route a request whose form is already read and checked', async () => {
		const { event } = post('/(app)/admin/departments', '/admin/departments?/create', 'code=100&name=%E7%B7%8F%E5%8B%99%E8%AA%B2');
		const checked = await checkBody(event);
		if (!checked.ok) throw new Error(JSON.stringify(checked.refusal));
		expect(checked.request).not.toBe(event.request);
		expect(checked.request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
		const form = await checked.request.formData();
		expect(form.get('name')).toBe('総務課');
		expect(event.request.bodyUsed || event.request.body?.locked).toBe(true);
	});

	it('refuses what is not a form, a broken multipart body and an over-long field with a 4xx', async () => {
		const cases: [string, Record<string, string>, number, string][] = [
			['{"a":1}', { 'content-type': 'application/json' }, 415, 'input.unsupportedType'],
			['a=b', { 'content-type': 'text/plain' }, 415, 'input.unsupportedType'],
			['--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--', { 'content-type': 'multipart/form-data' }, 400, 'input.malformed'],
			['--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', { 'content-type': 'multipart/form-data; boundary=x' }, 400, 'input.malformed'],
			[`name=${'x'.repeat(1001)}`, {}, 400, 'input.fieldTooLong']
		];
		for (const [body, headers, status, key] of cases) {
			const { event } = post('/(app)/admin/departments', '/admin/departments?/create', body, headers);
			expect(await checkBody(event), key).toMatchObject({ ok: false, refusal: { status, key } });
		}
		const none = post('/(app)/admin/departments', '/admin/departments?/create', 'a=b', { 'content-type': '' });
		expect(await checkBody(none.event)).toMatchObject({ ok: false, refusal: { status: 415 } });
	});

	it('lets a route with its own message answer an oversized upload itself, unread', async () => {
		const limit = bodyLimitFor('/(app)/admin/roster', 'default').bytes;
		const declared = post('/(app)/admin/roster', '/admin/roster', new Uint8Array(limit + 1), { 'content-type': 'multipart/form-data; boundary=x' });
		const first = await checkBody(declared.event);
		if (!first.ok) throw new Error('the route answers itself');
		expect(await formDataWithinLimit(first.request)).toBeNull();

		const chunked = post(
			'/(app)/admin/roster',
			'/admin/roster',
			new Uint8Array(limit + 1),
			{ 'content-type': 'multipart/form-data; boundary=x' },
			{ declare: false }
		);
		const second = await checkBody(chunked.event);
		if (!second.ok) throw new Error('the route answers itself');
		// Nothing is read until the action asks, after its role check.
		await settle();
		expect(chunked.pulled()).toBe(0);
		expect(await formDataWithinLimit(second.request)).toBeNull();

		// A broken upload is a 400, not a 500.
		const broken = post('/(app)/admin/roster', '/admin/roster', 'garbage', { 'content-type': 'multipart/form-data; boundary=x' });
		const third = await checkBody(broken.event);
		if (!third.ok) throw new Error('the route answers itself');
		const error = await third.request.formData().catch((e: unknown) => e);
		expect(isHttpError(error) && error.status).toBe(400);
	});

	it('drops a body nobody read, so the connection is free again', async () => {
		const { event, pulled } = post('/(app)/admin/roster', '/admin/roster', new Uint8Array(200 * KB));
		discardUnread(event.request);
		await settle();
		expect(pulled()).toBe(200 * KB);
	});

	it('sees a NUL in a query parameter or a path segment', () => {
		const at = (path: string, params: Record<string, string> = {}, route = '/(app)/team') => ({
			url: new URL(`http://localhost${path}`),
			params,
			route: { id: route }
		});
		expect(addressHasNul(at('/team?page=%00'))).toBe(true);
		// The login page's redirect target goes home instead, as every other odd target does.
		expect(addressHasNul(at('/login?next=%00//evil.example', {}, '/login'))).toBe(false);
		expect(addressHasNul(at('/login?loggedout=%00', {}, '/login'))).toBe(true);
		expect(addressHasNul(at('/team?%00=1'))).toBe(true);
		expect(addressHasNul(at('/policy/x', { slug: 'a\0b' }))).toBe(true);
		expect(addressHasNul(at('/team?page=2&q=%E3%81%82'))).toBe(false);
	});
});

describe('readQuery', () => {
	const q = (search: string) => readQuery(new URL(`http://localhost/x?${search}`));
	const refused = (read: () => unknown) => {
		try {
			read();
		} catch (error) {
			return isHttpError(error) ? { status: error.status, key: error.body.key, params: error.body.params } : error;
		}
		return 'accepted';
	};

	it('reads dates that exist and refuses impossible ones, naming the parameter', () => {
		expect(q('from=2028-02-29').date('from')).toBe('2028-02-29');
		expect(q('from=').date('from')).toBeNull();
		for (const bad of ['2026-02-31', '2025-02-29', '2026-13-01', '2026-00-10', '2026-4-1', '0000-01-01', 'yesterday']) {
			expect(
				refused(() => q(`from=${bad}`).date('from')),
				bad
			).toEqual({ status: 400, key: 'input.badQueryExample', params: { name: 'from', example: '2026-04-01' } });
		}
		expect(isCalendarDate('2026-02-28')).toBe(true);
		expect(isCalendarDate('2026-02-29')).toBe(false);
	});

	it('reads page numbers and years in range, and refuses huge, negative and odd ones', () => {
		expect(q('').page()).toBe(1);
		expect(q('page=３').page()).toBe(3);
		for (const bad of ['0', '-5', '1e10', '99999999999999999999', '1.5', 'NaN', '0x10', '100001']) {
			expect(
				refused(() => q(`page=${encodeURIComponent(bad)}`).page()),
				bad
			).toMatchObject({ status: 400, params: { name: 'page' } });
		}
		expect(q('year=2026').fiscalYear('year')).toBe(2026);
		expect(refused(() => q('year=99999999').fiscalYear('year'))).toMatchObject({ status: 400 });
		expect(refused(() => q('year=1900').fiscalYear('year'))).toMatchObject({ status: 400 });
	});

	it('reads ids, choices, flags and bounded text', () => {
		const id = '0D5B2C6E-1A2B-4C3D-8E9F-001122334455';
		expect(q(`campaign=${id}`).id('campaign')).toBe(id.toLowerCase());
		expect(refused(() => q('campaign=abc').id('campaign'))).toMatchObject({ status: 400, params: { name: 'campaign' } });
		expect(q('status=active').choice('status', ['active', 'inactive'])).toBe('active');
		expect(refused(() => q('status=drop').choice('status', ['active', 'inactive']))).toMatchObject({ status: 400 });
		expect(q('discarded=1').flag('discarded')).toBe(true);
		expect(q('discarded=yes').flag('discarded')).toBe(false);
		expect(q('q=abc').text('q', 3)).toBe('abc');
		expect(refused(() => q('q=abcd').text('q', 3))).toMatchObject({ status: 400 });
		expect(refused(() => q('q=a%00b').text('q'))).toMatchObject({ status: 400 });
		expect(refused(() => q('page=%01').page())).toMatchObject({ status: 400 });
	});

	it('shows a parameter name that came from the request short and printable', () => {
		const name = `${'n'.repeat(100)}\n`;
		const error = refused(() => readQuery(new URLSearchParams([[name, 'abc']])).id(name)) as { params: { name: string } };
		expect(error.params.name).toBe(`${'n'.repeat(40)}…`);
	});
});

describe('fields and answers', () => {
	it('caps a field before any work: too long is null, NUL is dropped', () => {
		const form = new FormData();
		form.set('employeeNumber', 'x'.repeat(65));
		form.set('name', 'a\0b');
		expect(formText(form, 'employeeNumber', 64)).toBeNull();
		expect(formText(form, 'name', 64)).toBe('ab');
		expect(formText(form, 'missing', 64)).toBe('');
	});

	it('answers a refusal as a page in both languages, an action result or a JSON error', async () => {
		const event = (headers: Record<string, string>, method = 'POST') => {
			const url = new URL('http://localhost/login');
			return { request: new Request(url, { method, headers }), url, isDataRequest: false, locals: { locale: 'en' as const, user: null, sessionId: null } };
		};
		const page = refusalResponse(event({ accept: 'text/html' }), tooLarge(4 * KB));
		expect(page.status).toBe(413);
		const html = await page.text();
		expect(html).toContain('<html lang="en">');
		expect(html.indexOf('This page takes at most 4 KB at a time.')).toBeLessThan(html.indexOf('この画面で一度に送信できるのは 4 KB までです。'));
		expect(html).toContain('href="/login"');
		const action = refusalResponse(event({ accept: 'application/json', 'x-sveltekit-action': 'true' }), tooLarge(4 * KB));
		expect(await action.json()).toMatchObject({ type: 'error', error: { key: 'input.tooLarge', params: { limit: '4 KB' } } });
		const json = refusalResponse(event({ accept: 'application/json' }), tooLarge(4 * KB));
		expect((await json.json()).message).toContain('送信された内容が大きすぎます');
		expect(formatBytes(6 * KB * KB + 64 * KB)).toBe('6.1 MB');
	});
});

describe('log lines', () => {
	it('carry a bounded path and a bounded error, whatever the request held', () => {
		const path = pathForLog(`/${'a'.repeat(5000)}\n[500] forged`);
		expect(path.length).toBeLessThan(260);
		expect(path).not.toContain('\n');
		const failed = new Error(`Failed query: insert into login_failures\nparams: ${'x'.repeat(4096)}`);
		failed.cause = new Error('index row size exceeds maximum');
		const text = errorForLog(failed);
		expect(text.split('\n').every((line) => line.length < 360)).toBe(true);
		expect(text.length).toBeLessThan(30 * 360);
		expect(text).toContain('cause: Error: index row size exceeds maximum');
	});
});
