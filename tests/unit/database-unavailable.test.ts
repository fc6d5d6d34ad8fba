import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql, DrizzleQueryError } from 'drizzle-orm';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { isDatabaseUnavailable, reasonOf } from '../../src/lib/server/db/availability';
import { databaseUnavailableResponse, retryAfterSeconds } from '../../src/lib/server/unavailable';
import { freePort } from '../helpers/private-postgres';

function serverError(code: string, message = 'server says no') {
	const error = new pg.DatabaseError(message, message.length, 'error');
	error.code = code;
	return error;
}

describe('isDatabaseUnavailable', () => {
	let handle: DbHandle | undefined;
	afterEach(async () => {
		await handle?.close();
		handle = undefined;
	});

	it('knows a refused connection, as the driver and the query builder report it', async () => {
		handle = await createDb({ url: `postgres://postgres@127.0.0.1:${await freePort()}/none` });
		const query = await handle.db.execute(sql`select 1`).catch((e: unknown) => e);
		expect(query).toBeInstanceOf(Error);
		expect(isDatabaseUnavailable(query)).toBe(true);
		expect(reasonOf(query)).toMatch(/ECONNREFUSED/);
		const transaction = await handle.db.transaction((tx) => tx.execute(sql`select 1`)).catch((e: unknown) => e);
		expect(isDatabaseUnavailable(transaction)).toBe(true);
	});

	it('gives up on a server that accepts the connection and never answers', async () => {
		const sockets: Socket[] = [];
		const silent = createServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as { port: number }).port;
		try {
			handle = await createDb({ url: `postgres://postgres@127.0.0.1:${port}/none`, connectTimeoutMs: 200 });
			const error = await handle.db.execute(sql`select 1`).catch((e: unknown) => e);
			expect(isDatabaseUnavailable(error)).toBe(true);
			expect(reasonOf(error)).toMatch(/timeout/);
		} finally {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => silent.close(resolve));
		}
	});

	it('knows a server that is shutting down, starting up or full', () => {
		for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001']) expect(isDatabaseUnavailable(serverError(code)), code).toBe(true);
		expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], serverError('57P01')))).toBe(true);
	});

	it('leaves a query that is wrong to be a bug', () => {
		expect(isDatabaseUnavailable(serverError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
		expect(isDatabaseUnavailable(new DrizzleQueryError('insert …', [], serverError('23505')))).toBe(false);
		expect(isDatabaseUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
		expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
		expect(isDatabaseUnavailable(undefined)).toBe(false);
	});
});

describe('databaseUnavailableResponse', () => {
	const event = (headers: Record<string, string>, options: { method?: string; isDataRequest?: boolean; locale?: 'ja' | 'en' } = {}) => {
		const url = new URL('http://localhost/learn/a/quiz?/save');
		return {
			request: new Request(url, { method: options.method ?? 'POST', headers }),
			url,
			isDataRequest: options.isDataRequest ?? false,
			locals: { locale: options.locale ?? 'ja', user: null, sessionId: null }
		};
	};

	it('answers a form posted without script with the page, in Japanese and English, and says when to retry', async () => {
		const response = databaseUnavailableResponse(event({ accept: 'text/html' }));
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe(String(retryAfterSeconds));
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await response.text();
		expect(html).toContain('<html lang="ja">');
		expect(html).toContain('<h1 id="notice-ja">ただいまデータベースに接続できません</h1>');
		expect(html).toContain('<h2 id="notice-en">The database is unavailable right now</h2>');
		// The link reloads the page; it does not repeat the post.
		expect(html).toContain('href="/learn/a/quiz"');
	});

	it('puts the reader’s language first', async () => {
		const html = await databaseUnavailableResponse(event({ accept: 'text/html' }, { method: 'GET', locale: 'en' })).text();
		expect(html).toContain('<html lang="en">');
		expect(html.indexOf('The database is unavailable right now')).toBeLessThan(html.indexOf('ただいまデータベースに接続できません'));
		expect(html).toContain('href="/learn/a/quiz?/save"');
	});

	it('answers an enhanced form with an error result and the client router with an error body', async () => {
		const action = databaseUnavailableResponse(event({ accept: 'application/json', 'x-sveltekit-action': 'true' }));
		expect(action.status).toBe(503);
		expect(action.headers.get('retry-after')).toBe(String(retryAfterSeconds));
		expect(await action.json()).toEqual({ type: 'error', error: { message: 'Database unavailable', key: 'error.databaseUnavailable' } });
		const data = databaseUnavailableResponse(event({}, { method: 'GET', isDataRequest: true }));
		expect(data.status).toBe(503);
		expect(await data.json()).toEqual({ message: 'Database unavailable', key: 'error.databaseUnavailable' });
	});
});
