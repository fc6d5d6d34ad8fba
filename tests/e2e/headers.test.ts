import { expect, test, type Page } from '@playwright/test';
import { forbidForeignRequests, login, waitForHydration } from './helpers';

// Each test logs in on its own and only reads, so they spread over both workers.
test.describe.configure({ mode: 'parallel' });

/** A Content-Security-Policy header as directive → sources. */
function parseCsp(header: string | undefined): Map<string, string[]> {
	expect(header, 'Content-Security-Policy header').toBeTruthy();
	const directives = new Map<string, string[]>();
	for (const part of header!.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) directives.set(name.toLowerCase(), sources);
	}
	return directives;
}

/** Sources that never name another origin: keywords, nonces, hashes and data: images. */
const ownSource = /^('self'|'none'|'unsafe-inline'|'nonce-[A-Za-z0-9+/=_-]+'|'sha(256|384|512)-[A-Za-z0-9+/=]+'|data:)$/;
/** Referrer policies that never send a page's address to another origin. */
const privateReferrer = ['no-referrer', 'same-origin', 'strict-origin'];

function expectCommonHeaders(headers: Record<string, string>, where: string): void {
	expect(headers['x-content-type-options'], where).toBe('nosniff');
	expect(privateReferrer, `${where}: Referrer-Policy ${headers['referrer-policy']}`).toContain(headers['referrer-policy']);
	expect(headers['x-frame-options'], where).toBe('DENY');
}

/**
 * The policy every HTML page must carry; returns the page's script nonce. A page that sends no
 * script (a report with nothing interactive) has no nonce: no inline script may run on it at all.
 */
function expectPagePolicy(headers: Record<string, string>, where: string, withScript = true): string | null {
	expectCommonHeaders(headers, where);
	const csp = parseCsp(headers['content-security-policy']);
	expect(csp.get('default-src'), where).toEqual(["'self'"]);
	expect(csp.get('frame-ancestors'), where).toEqual(["'none'"]);
	expect(csp.get('object-src'), where).toEqual(["'none'"]);
	expect(csp.get('base-uri'), where).toEqual(["'self'"]);
	expect(csp.get('form-action'), where).toEqual(["'self'"]);
	const scripts = csp.get('script-src') ?? [];
	expect(scripts, where).toContain("'self'");
	expect(scripts, where).not.toContain("'unsafe-eval'");
	// Inline scripts run only by nonce or hash, never by 'unsafe-inline'.
	expect(scripts, where).not.toContain("'unsafe-inline'");
	const nonce = scripts.find((s) => s.startsWith("'nonce-"));
	if (withScript) expect(nonce, `${where}: script nonce`).toBeTruthy();
	else expect(scripts, `${where}: no script, so nothing inline may run`).toEqual(["'self'"]);
	for (const [name, sources] of csp) {
		for (const source of sources) expect(source, `${where}: ${name}`).toMatch(ownSource);
	}
	return nonce ?? null;
}

/**
 * Visits each path, checks the headers of its HTML response, and that its scripts ran under the
 * policy (the page hydrates, no violation is reported). Returns the nonces seen (a page without
 * script has none).
 */
async function visitAll(page: Page, paths: string[], expectedStatus = 200): Promise<string[]> {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
	});
	const nonces: string[] = [];
	for (const path of paths) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(expectedStatus);
		expect(response?.headers()['content-type'], path).toMatch(/^text\/html/);
		const withScript = (await page.locator('script').count()) > 0;
		const nonce = expectPagePolicy(await response!.allHeaders(), path, withScript);
		if (nonce) nonces.push(nonce);
		if (withScript) await waitForHydration(page);
	}
	expect(violations).toEqual([]);
	return nonces;
}

/** The first link on the current page whose address matches, as a path. */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
	const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
	const found = hrefs.find((href) => pattern.test(href));
	expect(found, `a link matching ${pattern} on ${page.url()}`).toBeTruthy();
	return found!;
}

test('public pages and the 404 page carry the policy and request nothing elsewhere', async ({ page, baseURL }) => {
	const foreign = forbidForeignRequests(page, baseURL!);
	const nonces = await visitAll(page, ['/login', '/login?next=%2Fadmin']);
	// A nonce is worth something only if it changes with every response.
	expect(new Set(nonces).size).toBe(nonces.length);
	await visitAll(page, ['/no-such-page'], 404);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('404');
	expect(foreign).toEqual([]);
});

test('learner pages carry the policy and request nothing elsewhere', async ({ page, baseURL }) => {
	const foreign = forbidForeignRequests(page, baseURL!);
	await login(page, 'demo-staff');
	await visitAll(page, ['/', '/learn', '/policy', '/account/password']);
	await page.goto('/learn');
	const course = await firstLink(page, /^\/learn\/[0-9a-f-]{36}$/);
	await page.goto('/policy');
	const policy = await firstLink(page, /^\/policy\/[a-z0-9-]+$/);
	await visitAll(page, [course, policy, `${policy}/history`]);
	// Pages behind the login send no cached copy to the next user of a shared terminal.
	const home = await page.goto('/');
	expect(home?.headers()['cache-control']).toContain('no-store');
	expect(foreign).toEqual([]);
});

test('supervisor pages and the CSV download carry their headers', async ({ page, baseURL }) => {
	const foreign = forbidForeignRequests(page, baseURL!);
	await login(page, 'demo-chief');
	await visitAll(page, ['/', '/team']);
	const exportPath = await firstLink(page, /^\/team\/export\?/);
	const download = await page.request.get(exportPath);
	expect(download.status()).toBe(200);
	const headers = download.headers();
	expect(headers['content-type']).toMatch(/^text\/csv/);
	expect(headers['content-disposition']).toMatch(/^attachment/);
	expect(headers['cache-control']).toContain('no-store');
	expectCommonHeaders(headers, exportPath);
	// Not a page, so nothing may load in it, and it cannot be framed either.
	const csp = parseCsp(headers['content-security-policy']);
	expect(csp.get('default-src')).toEqual(["'none'"]);
	expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
	// The fallback error page of a download (an unknown campaign) is framed by nobody either.
	const missing = await page.request.get('/team/export?campaign=00000000-0000-4000-8000-000000000000', { headers: { accept: 'text/html' } });
	expect(missing.status()).toBe(404);
	expectCommonHeaders(missing.headers(), 'export 404');
	expect(parseCsp(missing.headers()['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
	expect(foreign).toEqual([]);
});

test('policy owner and approver pages carry the policy and request nothing elsewhere', async ({ browser, baseURL }) => {
	for (const [account, paths] of [
		[
			'demo-owner',
			[
				'/insight',
				'/insight/sections',
				'/insight/heatmap',
				'/insight/questions',
				'/revision',
				'/policy/import',
				'/admin/courses',
				'/admin/campaigns',
				'/report'
			]
		],
		['demo-approver', ['/revision', '/report']]
	] as const) {
		const context = await browser.newContext();
		const page = await context.newPage();
		const foreign = forbidForeignRequests(page, baseURL!);
		await login(page, account);
		await visitAll(page, [...paths]);
		if (account === 'demo-owner') {
			await page.goto('/admin/courses');
			await visitAll(page, [await firstLink(page, /^\/admin\/courses\/[0-9a-f-]{36}$/)]);
		}
		expect(foreign, account).toEqual([]);
		await context.close();
	}
});

test('admin pages carry the policy and request nothing elsewhere', async ({ page, baseURL }) => {
	const foreign = forbidForeignRequests(page, baseURL!);
	await login(page, 'demo-admin');
	await visitAll(page, ['/admin', '/admin/people', '/admin/departments', '/admin/roster', '/admin/audit', '/admin/campaigns', '/admin/campaigns/new']);
	await page.goto('/admin/people');
	const person = await firstLink(page, /^\/admin\/people\/[0-9a-f-]{36}$/);
	await page.goto('/admin/campaigns');
	const campaign = await firstLink(page, /^\/admin\/campaigns\/[0-9a-f-]{36}$/);
	await visitAll(page, [person, campaign]);
	expect(foreign).toEqual([]);
});
