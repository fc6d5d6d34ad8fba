import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, request as apiRequest, test, type APIRequestContext, type APIResponse, type Browser } from '@playwright/test';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { demoPassword, e2eDatabaseUrl, login, logout } from './helpers';

const cookieName = 'mamori_session';

/** The session cookie a response sets: its value and its attributes, as the browser reads them. */
function sessionSetCookie(response: APIResponse): { value: string; attributes: Map<string, string> } {
	const line = response
		.headersArray()
		.filter((h) => h.name.toLowerCase() === 'set-cookie')
		.map((h) => h.value)
		.find((v) => v.startsWith(`${cookieName}=`));
	expect(line, 'a Set-Cookie for the session').toBeTruthy();
	const [pair, ...parts] = line!.split(';').map((p) => p.trim());
	const attributes = new Map(parts.map((p) => [p.split('=')[0].toLowerCase(), p.split('=').slice(1).join('=')]));
	return { value: pair.slice(cookieName.length + 1), attributes };
}

/** Logs in with a form POST, as a browser without JavaScript would (it asks for HTML, not JSON). */
function postLogin(api: APIRequestContext, origin: string, employeeNumber: string, password = demoPassword, headers: Record<string, string> = {}) {
	return api.post(`${origin}/login`, { form: { employeeNumber, password }, headers: { origin, accept: 'text/html', ...headers }, maxRedirects: 0 });
}

/** Where `/` sends a request carrying only this session token: 200 when live, the login page when not. */
async function homeWith(api: APIRequestContext, origin: string, token: string): Promise<{ status: number; location?: string }> {
	const response = await api.get(`${origin}/`, { headers: { cookie: `${cookieName}=${token}` }, maxRedirects: 0 });
	return { status: response.status(), location: response.headers()['location'] };
}

const refused = { status: 303, location: '/login?next=%2F' };

test('the session cookie is httpOnly, SameSite=Lax, site-wide and carries a 160-bit token', async ({ page, context, request, baseURL }) => {
	const response = await postLogin(request, baseURL!, 'demo-staff');
	expect(response.status()).toBe(303);
	const { value, attributes } = sessionSetCookie(response);
	expect(value).toMatch(/^[a-z2-7]{32}$/); // base32: 32 × 5 = 160 bits
	expect(attributes.has('httponly')).toBe(true);
	expect(attributes.get('samesite')).toBe('Lax');
	expect(attributes.get('path')).toBe('/');
	expect(attributes.has('secure')).toBe(false); // plain HTTP here; see the HTTPS test below
	expect(Date.parse(attributes.get('expires')!)).toBeGreaterThan(Date.now());

	// The same, as the browser keeps it: out of reach of the page's scripts.
	await login(page, 'demo-staff');
	const kept = (await context.cookies()).find((c) => c.name === cookieName);
	expect(kept).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
	expect(kept!.value).not.toBe(value);
	expect(await page.evaluate(() => document.cookie)).not.toContain(cookieName);
});

test.describe('behind an HTTPS reverse proxy', () => {
	let server: ChildProcess | undefined;
	let origin = '';

	test.beforeAll(async () => {
		const port = await freePort();
		origin = `http://localhost:${port}`;
		// The same built app, told to take the scheme from the proxy's X-Forwarded-Proto.
		const env: NodeJS.ProcessEnv = {
			...process.env,
			PORT: String(port),
			DATABASE_URL: e2eDatabaseUrl(),
			PROTOCOL_HEADER: 'x-forwarded-proto',
			MAMORI_DEMO: '0',
			REMINDER_POLL_MS: '0'
		};
		delete env.ORIGIN;
		delete env.SMTP_URL;
		server = spawn(process.execPath, [path.resolve('scripts/serve.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		await new Promise<void>((resolve, reject) => {
			let output = '';
			const collect = (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('is running at')) resolve();
			};
			server!.stdout!.on('data', collect);
			server!.stderr!.on('data', collect);
			server!.on('exit', (code) => reject(new Error(`the server stopped (${code}):\n${output}`)));
		});
	});
	test.afterAll(async () => {
		if (server?.exitCode === null) {
			const stopped = new Promise((resolve) => server!.once('exit', resolve));
			server.kill('SIGTERM');
			await stopped;
		}
	});

	test('the cookie is Secure when the proxy says HTTPS, and not when it says HTTP', async () => {
		const api = await apiRequest.newContext();
		const host = new URL(origin).host;
		const overHttps = await postLogin(api, origin, 'demo-staff', demoPassword, { 'x-forwarded-proto': 'https', origin: `https://${host}` });
		expect(overHttps.status()).toBe(303);
		const secure = sessionSetCookie(overHttps).attributes;
		expect(secure.has('secure')).toBe(true);
		expect(secure.has('httponly')).toBe(true);
		expect(secure.get('samesite')).toBe('Lax');

		const overHttp = await postLogin(api, origin, 'demo-staff', demoPassword, { 'x-forwarded-proto': 'http' });
		expect(overHttp.status()).toBe(303);
		expect(sessionSetCookie(overHttp).attributes.has('secure')).toBe(false);
		await api.dispose();
	});
});

test('a login while holding a session cookie gets a new token, and the old one is refused', async ({ page, context, request, baseURL }) => {
	await login(page, 'demo-staff');
	const before = (await context.cookies()).find((c) => c.name === cookieName)!.value;
	expect(await homeWith(request, baseURL!, before)).toEqual({ status: 200, location: undefined });

	// The login form posted again from the same browser, which sends the old cookie along.
	const again = await postLogin(page.request, baseURL!, 'demo-staff');
	expect(again.status()).toBe(303);
	const after = (await context.cookies()).find((c) => c.name === cookieName)!.value;
	expect(after).not.toBe(before);
	expect(await homeWith(request, baseURL!, before)).toEqual(refused);
	expect(await homeWith(request, baseURL!, after)).toEqual({ status: 200, location: undefined });
});

test('logging out ends the session on the server: the old cookie replayed is refused', async ({ page, context, request, baseURL }) => {
	await login(page, 'demo-staff');
	const token = (await context.cookies()).find((c) => c.name === cookieName)!.value;
	await logout(page);
	expect((await context.cookies()).find((c) => c.name === cookieName)).toBeUndefined();
	expect(await homeWith(request, baseURL!, token)).toEqual(refused);
});

/**
 * Password changes and deactivation happen in an organisation of their own, reached at
 * 127.0.0.2 (an organisation is chosen by host name at login; the access test's has 127.0.0.1), so the demo's people and the
 * other test files' counts stay as they are.
 */
test.describe('in an organisation of its own', () => {
	test.describe.configure({ mode: 'serial' });
	let db: DbHandle;
	let origin = '';
	const learner = `S-${Date.now().toString(36)}`;
	const admin = `${learner}-admin`;
	const newPassword = '甲斐駒ヶ岳に雪が降った';

	test.beforeAll(async ({ baseURL }) => {
		origin = baseURL!.replace('localhost', '127.0.0.2');
		db = await createDb({ url: e2eDatabaseUrl(), poolSize: 1 });
		const org = await makeOrg(db.db, `sessions-${learner.toLowerCase()}`, 'セッション試験町', '127.0.0.2');
		await makePerson(db.db, org.id, { employeeNumber: admin, name: '試験 管理', password: 'test-password', roles: ['admin'] });
		await makePerson(db.db, org.id, { employeeNumber: learner, name: '試験 花子', password: 'test-password' });
	});
	test.afterAll(() => db?.close());

	async function loggedIn(browser: Browser, employeeNumber: string, password: string) {
		const context = await browser.newContext({ baseURL: origin });
		const page = await context.newPage();
		await login(page, employeeNumber, password);
		await expect(page).toHaveURL(`${origin}/`);
		return { context, page };
	}

	test('a password change ends the person’s other sessions and keeps the current one', async ({ browser }) => {
		const here = await loggedIn(browser, learner, 'test-password');
		const elsewhere = await loggedIn(browser, learner, 'test-password');

		await here.page.goto('/account/password');
		await here.page.getByLabel('現在のパスワード').fill('test-password');
		await here.page.getByLabel('新しいパスワード※必須', { exact: true }).fill(newPassword);
		await here.page.getByLabel('新しいパスワード（確認）').fill(newPassword);
		await here.page.getByRole('button', { name: '変更する' }).click();
		await expect(here.page.getByRole('status')).toContainText('パスワードを変更しました');

		await elsewhere.page.goto('/learn');
		await expect(elsewhere.page).toHaveURL(`${origin}/login?next=%2Flearn`);
		await here.page.goto('/learn');
		await expect(here.page).toHaveURL(`${origin}/learn`);
		await here.context.close();
		await elsewhere.context.close();
	});

	test('deactivating a person in the admin screens sends their next request to the login page', async ({ browser }) => {
		const person = await loggedIn(browser, learner, newPassword);
		const administrator = await loggedIn(browser, admin, 'test-password');

		await administrator.page.goto(`/admin/people?q=${encodeURIComponent(learner)}`);
		await administrator.page.getByRole('link', { name: learner, exact: true }).click();
		await expect(administrator.page.getByRole('heading', { level: 1 })).toHaveText('試験 花子');
		await administrator.page.getByLabel('有効（ログインできる）').uncheck();
		await administrator.page.getByRole('button', { name: '保存する' }).click();
		await expect(administrator.page.getByRole('status')).toContainText('保存しました');

		await person.page.goto('/policy');
		await expect(person.page).toHaveURL(`${origin}/login?next=%2Fpolicy`);
		// And the login form no longer lets them in.
		await login(person.page, learner, newPassword);
		await expect(person.page.getByRole('alert')).toHaveText('職員番号またはパスワードが正しくありません。');
		await person.context.close();
		await administrator.context.close();
	});
});

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}
