// A member of staff signs in with the directory password: the app on its own database, set up for
// a real OpenLDAP server (tests/helpers/slapd.ts); the admin syncs the directory first. The
// organisation is a bare one (no demo seed, so the app starts quickly): a town and its
// break-glass admin, who is not in the directory and keeps a local password.
import pg from 'pg';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hashPassword } from '../../src/lib/server/auth/password';
import { expectAccessible, login, logout } from './helpers';
import { startPrivateApp, type PrivateApp } from './private-app';
import { baseDn, departmentsDn, readerDn, readerPassword, startSlapd, type Slapd } from '../helpers/slapd';

let slapd: Slapd | undefined;
const adminPassword = 'break-glass-local-pass';
let app: PrivateApp | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	slapd = await startSlapd();
	app = await startPrivateApp('directory', {
		demo: false,
		env: {
			LDAP_URL: slapd.url,
			LDAP_BIND_DN: readerDn,
			LDAP_BIND_PASSWORD: readerPassword,
			LDAP_BASE_DN: baseDn,
			LDAP_USER_FILTER: '(objectClass=inetOrgPerson)',
			LDAP_LOGIN_ATTRIBUTE: 'employeeNumber',
			LDAP_DISABLED_FILTER: '(description=disabled)',
			LDAP_ATTR_KANA: 'displayName',
			LDAP_ATTR_EMPLOYMENT_TYPE: 'employeeType',
			LDAP_DEPARTMENTS_DN: departmentsDn,
			LDAP_OU_CODE_ATTRIBUTE: 'businessCategory',
			LDAP_TIMEOUT_MS: '3000'
		}
	});
	const db = new pg.Client({ connectionString: app.databaseUrl });
	await db.connect();
	try {
		const { rows } = await db.query<{ id: string }>(`insert into organizations (slug, name, name_en) values ('town', '試験町', 'Test Town') returning id`);
		const orgId = rows[0].id;
		const admin = await db.query<{ id: string }>(
			`insert into people (org_id, employee_number, name, employment_type, password_hash, must_change_password)
			 values ($1, 'local-admin', '管理 花子', 'regular', $2, false) returning id`,
			[orgId, await hashPassword(adminPassword)]
		);
		await db.query(`insert into person_roles (org_id, person_id, role) values ($1, $2, 'admin')`, [orgId, admin.rows[0].id]);
	} finally {
		await db.end();
	}
});

test.afterAll(async () => {
	await app?.stop();
	await slapd?.destroy();
});

async function pageOn(browser: Browser, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({ baseURL: app!.origin, javaScriptEnabled });
	return context.newPage();
}

test('the admin previews the directory and applies it as a roster import', async ({ browser }) => {
	const page = await pageOn(browser);
	await login(page, 'local-admin', adminPassword);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'ディレクトリ連携' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('ディレクトリ連携');
	await expect(page.getByText(slapd!.url)).toBeVisible();
	// The bind password is never shown.
	await expect(page.locator('body')).not.toContainText(readerPassword);
	await expectAccessible(page);

	await page.getByRole('button', { name: 'ディレクトリを読み込んでプレビュー' }).click();
	await expect(page).toHaveURL(/\/admin\/roster\/[0-9a-f-]+$/);
	await expect(page.getByText('ディレクトリから読み込んだ名簿です')).toBeVisible();
	const count = (label: string) => page.getByRole('row', { name: new RegExp(`^${label}\\s+\\d+$`) }).getByRole('cell');
	await expect(count('新規')).toHaveText('4');
	// The local admin is not in the directory, and is not taken for a leaver.
	await expect(count('ファイルにない職員')).toHaveText('0');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'この内容で適用する' }).click();
	await expect(page.getByRole('row', { name: /^新規\s+4$/ })).toBeVisible();

	await page.goto('/admin/directory');
	await expect(page.getByRole('table', { name: '最近の同期' }).getByRole('row')).toHaveCount(2);
	await expectAccessible(page);
	// On a phone the settings' long names wrap instead of widening the page.
	await page.setViewportSize({ width: 390, height: 844 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await expectAccessible(page);
});

test('a member of staff signs in with the directory password, with and without JavaScript', async ({ browser }) => {
	const page = await pageOn(browser);
	await login(page, 'D001', 'yamada-dir-pass');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('山田 太郎 さん、こんにちは。');
	await logout(page);
	await login(page, 'D001', 'wrong-password');
	await expect(page.getByRole('alert')).toHaveText('職員番号またはパスワードが正しくありません。');

	const plain = await pageOn(browser, false);
	await login(plain, 'D002', 'sato-dir-pass', { script: false });
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText('佐藤 花子 さん、こんにちは。');
});

test('a directory that does not answer is said to be away, and local accounts still work', async ({ browser }) => {
	await slapd!.stop();
	try {
		const page = await pageOn(browser);
		await login(page, 'D001', 'yamada-dir-pass');
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('ディレクトリ');
		await expect(alert).toContainText('パスワードの誤りではありません');
		await expectAccessible(page);
		await login(page, 'local-admin', adminPassword);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/さん、こんにちは/);
	} finally {
		await slapd!.start();
	}
});
