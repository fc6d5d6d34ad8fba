// Two-step verification in the browser: an admin enrols an authenticator app (the test computes
// the codes from the key the page shows, as the app would), logs in with a code — also without
// JavaScript — and with a recovery code; changing roles and publishing ask for a fresh code. On an
// organisation of its own (reached at 127.0.0.5), so the demo logins the other tests use stay
// password-only. The requirement itself (a powerful role must enrol first) runs on a private app
// started with MFA_REQUIRED_ROLES.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { personRoles, sessions } from '../../src/lib/server/db/schema';
import { secretFromBase32, timeStep, totpAt } from '../../src/lib/server/auth/mfa/totp';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { demoPassword, e2eDatabaseUrl, expectAccessible, logout, waitForHydration } from './helpers';
import { startPrivateApp, type PrivateApp } from './private-app';

const host = '127.0.0.5';
const tag = Date.now().toString(36).toUpperCase();
const adminNumber = `MFA-${tag}`;
const staffNumber = `MFS-${tag}`;

let db: DbHandle;
let origin = '';
let staffId = '';
let adminId = '';

/** Fills and sends the password form; where it lands is the caller's to check. */
async function passwordStep(page: Page, employeeNumber: string, password: string, script = true) {
	await page.goto('/login');
	if (script) await waitForHydration(page);
	await page.getByLabel('職員番号').fill(employeeNumber);
	await page.getByLabel('パスワード').fill(password);
	await page.getByRole('button', { name: 'ログイン' }).click();
}

async function codeStep(page: Page, code: string) {
	await expect(page).toHaveURL(/\/login\/code/);
	await page.getByRole('textbox', { name: '確認コード' }).fill(code);
	await page.getByRole('button', { name: '確認してログイン' }).click();
}

/** The session's last check an hour ago, as if the person had been working a while. */
async function ageLastCheck() {
	await db.db
		.update(sessions)
		.set({ secondFactorAt: new Date(Date.now() - 3_600_000) })
		.where(eq(sessions.personId, adminId));
}

async function newPage(browser: Browser, javaScriptEnabled = true) {
	const context = await browser.newContext({ baseURL: origin, javaScriptEnabled });
	return { context, page: await context.newPage() };
}

test.describe('an organisation of its own', () => {
	test.beforeAll(async ({ baseURL }) => {
		origin = baseURL!.replace('localhost', host);
		db = await createDb({ url: e2eDatabaseUrl(), poolSize: 1 });
		const org = await makeOrg(db.db, `mfa-${tag.toLowerCase()}`, '二要素試験町', host);
		adminId = (
			await makePerson(db.db, org.id, {
				employeeNumber: adminNumber,
				name: '試験 管理',
				password: 'test-password',
				roles: ['admin', 'approver'],
				mustChangePassword: false
			})
		).id;
		staffId = (await makePerson(db.db, org.id, { employeeNumber: staffNumber, name: '試験 職員', password: 'test-password', mustChangePassword: false })).id;
	});
	test.afterAll(() => db?.close());

	test('an admin enrols an authenticator app, then logs in with a code (also without JavaScript) and with a recovery code; roles and publishing ask again', async ({
		browser
	}) => {
		test.setTimeout(120_000);
		const { page } = await newPage(browser);

		// Enrolment.
		await passwordStep(page, adminNumber, 'test-password');
		await expect(page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();
		await page.goto('/account/second-factor');
		await waitForHydration(page);
		await expect(page.getByRole('img', { name: '認証アプリに登録するQRコード' })).toBeVisible();
		await expectAccessible(page);
		const secret = secretFromBase32((await page.getByTestId('manual-key').textContent())!);
		const enrolStep = timeStep(new Date());
		await page.getByRole('textbox', { name: '確認コード' }).fill(totpAt(secret, enrolStep));
		await page.getByRole('button', { name: '登録する' }).click();
		await expect(page.getByRole('heading', { name: '回復コード（一度だけ表示）' })).toBeVisible();
		const recovery = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
		expect(recovery).toHaveLength(10);
		await expectAccessible(page);
		// Shown once: the page now says it is set up, with neither the key nor the codes.
		await page.goto('/account/second-factor');
		await expect(page.getByText('二要素認証は設定済みです')).toBeVisible();
		await expect(page.getByTestId('manual-key')).toHaveCount(0);
		await expect(page.getByText(recovery[0])).toHaveCount(0);
		await logout(page);

		// The password alone no longer logs in: the second step, without JavaScript, with the app's code.
		const noScript = await newPage(browser, false);
		await passwordStep(noScript.page, adminNumber, 'test-password', false);
		await expect(noScript.page).toHaveURL(`${origin}/login/code?next=%2F`);
		// Nothing behind the login is reachable meanwhile.
		await noScript.page.goto('/admin/people');
		await expect(noScript.page).toHaveURL(`${origin}/login/code?next=%2Fadmin%2Fpeople`);
		// The code that enrolled cannot be used again; the next step's can (one step of clock drift).
		await codeStep(noScript.page, totpAt(secret, enrolStep));
		await expect(noScript.page.getByRole('alert')).toContainText('確認コードが違います');
		await codeStep(noScript.page, totpAt(secret, enrolStep + 1));
		await expect(noScript.page).toHaveURL(`${origin}/admin/people`);
		await noScript.context.close();

		// With a recovery code, which then cannot be used again.
		await passwordStep(page, adminNumber, 'test-password');
		await expect(page).toHaveURL(/\/login\/code/);
		await expectAccessible(page);
		await codeStep(page, recovery[0]);
		await expect(page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();
		await logout(page);
		await passwordStep(page, adminNumber, 'test-password');
		await codeStep(page, recovery[0]);
		await expect(page.getByRole('alert')).toContainText('確認コードが違います');
		await expectAccessible(page);
		await codeStep(page, recovery[1]);
		await expect(page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();

		// Changing a person's roles after the last check has aged: the form waits for a code, keeps what was ticked.
		await ageLastCheck();
		await page.goto(`/admin/people/${staffId}`);
		await waitForHydration(page);
		await page.getByRole('checkbox', { name: 'ポリシー管理者' }).check();
		await page.getByRole('button', { name: '保存する' }).click();
		await expect(page.getByRole('heading', { name: '確認コードの入力' })).toBeVisible();
		await expectAccessible(page);
		const rolesNow = async () => (await db.db.select({ role: personRoles.role }).from(personRoles).where(eq(personRoles.personId, staffId))).map((r) => r.role);
		expect(await rolesNow()).toEqual([]);
		await page.getByRole('textbox', { name: '確認コード' }).fill('000000' === totpAt(secret, timeStep(new Date())) ? '111111' : '000000');
		await page.getByRole('button', { name: '確認して続ける' }).click();
		await expect(page.getByRole('alert').filter({ hasText: '確認コードが違います' })).toBeVisible();
		await page.getByRole('textbox', { name: '確認コード' }).fill(recovery[2]);
		await page.getByRole('button', { name: '確認して続ける' }).click();
		await expect(page.getByRole('status')).toContainText('保存しました');
		expect(await rolesNow()).toEqual(['policy_owner']);

		// Publishing asks too (the action checks the code before it looks at the revision: here one that does not exist).
		await ageLastCheck();
		const publish = `/revision/00000000-0000-4000-8000-000000000000/review?/publish`;
		const form = { version: '9.9', effectiveDate: '2026-12-08' };
		// As the page's enhanced form posts it, so the answer is the action's own (the page of a missing revision is a 404).
		const headers = { origin, accept: 'application/json', 'x-sveltekit-action': 'true' };
		const asked = await (await page.request.post(publish, { form, headers, maxRedirects: 0 })).json();
		expect(asked).toMatchObject({ type: 'failure', status: 403 });
		expect(asked.data).toContain('secondFactor.stepUpNeeded');
		expect(asked.data).toContain('9.9');
		const passed = await page.request.post(publish, { form: { ...form, secondFactorCode: recovery[3] }, headers, maxRedirects: 0 });
		expect(passed.status()).toBe(404);
		expect(await passed.json()).toMatchObject({ type: 'error', error: { key: 'error.notFound' } });

		// An admin resets the factor (audited in the domain tests): the admin's sessions end.
		await db.db.update(personRoles).set({ role: 'admin' }).where(eq(personRoles.personId, staffId));
		await logout(page);
		await passwordStep(page, staffNumber, 'test-password');
		await expect(page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();
		await page.goto(`/admin/people/${adminId}`);
		await expect(page.getByText(/登録済み/)).toBeVisible();
		await page.getByRole('button', { name: '二要素認証をリセットする' }).click();
		await expect(page.getByRole('status')).toContainText('二要素認証をリセットしました');
		await expect(page.getByText('未登録')).toBeVisible();
		await expectAccessible(page);
		const admin = await newPage(browser);
		await passwordStep(admin.page, adminNumber, 'test-password');
		await expect(admin.page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();
		await admin.context.close();
	});
});

test.describe('with the requirement switched on', () => {
	let app: PrivateApp;
	test.beforeAll(async () => {
		test.setTimeout(240_000);
		app = await startPrivateApp('mfa', { demo: true, env: { MFA_REQUIRED_ROLES: 'admin,policy_owner,approver', MFA_SECRET_KEY: 'ef'.repeat(32) } });
	});
	test.afterAll(() => app?.stop());

	test('an admin without a factor reaches nothing but enrolment; a learner is not asked', async ({ browser }) => {
		const context = await browser.newContext({ baseURL: app.origin });
		const page = await context.newPage();
		await passwordStep(page, 'demo-admin', demoPassword);
		await expect(page).toHaveURL(`${app.origin}/account/second-factor`);
		await expect(page.getByText('設定を終えるまで他の画面は使えません')).toBeVisible();
		await expectAccessible(page);
		await page.goto('/admin/people');
		await expect(page).toHaveURL(`${app.origin}/account/second-factor`);
		const secret = secretFromBase32((await page.getByTestId('manual-key').textContent())!);
		await page.getByRole('textbox', { name: '確認コード' }).fill(totpAt(secret, timeStep(new Date())));
		await page.getByRole('button', { name: '登録する' }).click();
		await expect(page.getByTestId('recovery-codes')).toBeVisible();
		await page.goto('/admin/people');
		await expect(page).toHaveURL(`${app.origin}/admin/people`);
		await logout(page);

		await passwordStep(page, 'demo-staff', demoPassword);
		await expect(page.getByRole('heading', { level: 1, name: /さん、こんにちは/ })).toBeVisible();
		await context.close();
	});
});
