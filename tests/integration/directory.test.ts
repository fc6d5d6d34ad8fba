// Directory login and sync against a real OpenLDAP server (tests/helpers/slapd.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { baseDn, departmentsDn, groupDn, readerDn, readerPassword, startSlapd, ouDn, type Slapd } from '../helpers/slapd';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, departments, loginFailures, people, rosterImports, sessions } from '../../src/lib/server/db/schema';
import { login } from '../../src/lib/server/auth/login';
import { defaultLoginLimits } from '../../src/lib/server/auth/rate-limit';
import { directoryConfigFromEnv, DirectoryConfigError, type DirectoryConfig } from '../../src/lib/server/auth/directory/config';
import { checkDirectoryPassword, DirectoryUnavailable, escapeFilterValue } from '../../src/lib/server/auth/directory/client';
import { previewDirectorySync, readDirectory, runScheduledDirectorySync } from '../../src/lib/server/org/directory-sync';
import { applyRosterImport, loadRosterPreview } from '../../src/lib/server/org/roster';

let slapd: Slapd;
let handle: DbHandle;
let orgId: string;
let adminId: string;
let config: DirectoryConfig;
const policy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 };

const env = (url: string, more: Record<string, string> = {}) => ({
	LDAP_URL: url,
	LDAP_BIND_DN: readerDn,
	LDAP_BIND_PASSWORD: readerPassword,
	LDAP_BASE_DN: baseDn,
	LDAP_USER_FILTER: '(objectClass=inetOrgPerson)',
	LDAP_LOGIN_ATTRIBUTE: 'employeeNumber',
	LDAP_DISABLED_FILTER: '(description=disabled)',
	LDAP_ATTR_KANA: 'displayName',
	LDAP_ATTR_TITLE: 'title',
	LDAP_ATTR_EMPLOYMENT_TYPE: 'employeeType',
	LDAP_EMPLOYMENT_TYPE_GROUPS: `contractor=${groupDn('委託事業者')}`,
	LDAP_DEPARTMENTS_DN: departmentsDn,
	LDAP_OU_CODE_ATTRIBUTE: 'businessCategory',
	LDAP_SYNC_HOUR: '2',
	LDAP_SYNC_MAX_LEAVERS_PERCENT: '30',
	LDAP_TIMEOUT_MS: '3000',
	...more
});

let address = 0;
/** A fresh client address per attempt, so only the account's own count matters. */
const attempt = (loginId: string, password: string, ip = `10.9.0.${++address}`) => ({ orgId, loginId, password, ip });
const tryLogin = (loginId: string, password: string, limits = defaultLoginLimits, directory: DirectoryConfig | null = config) =>
	login(handle.db, attempt(loginId, password), limits, policy, new Date(), directory);

async function person(number: string) {
	const [p] = await handle.db
		.select()
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, number)));
	return p;
}
async function departmentOf(number: string) {
	const p = await person(number);
	if (!p?.departmentId) return null;
	const [d] = await handle.db.select().from(departments).where(eq(departments.id, p.departmentId));
	return d;
}
async function audits(action: string) {
	return handle.db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));
}

beforeAll(async () => {
	[slapd, handle] = await Promise.all([startSlapd(), createTestDatabase()]);
	const org = await makeOrg(handle.db);
	orgId = org.id;
	config = directoryConfigFromEnv(env(slapd.url))!;
	// People the directory does not know: a contractor and the break-glass admin, with local passwords.
	await makePerson(handle.db, orgId, { employeeNumber: 'C001', password: 'contractor-pass' });
	adminId = (await makePerson(handle.db, orgId, { employeeNumber: 'ADMIN1', password: 'break-glass-pass', roles: ['admin'] })).id;
	// Known from an earlier roster file, with a local password: the directory takes over.
	await makePerson(handle.db, orgId, { employeeNumber: 'D002', password: 'old-local-pass' });
});
afterAll(async () => {
	await slapd?.destroy();
	await handle?.close();
});

describe('directory settings', () => {
	it('is off without LDAP_URL and refuses a half-made configuration', () => {
		expect(directoryConfigFromEnv({})).toBeNull();
		expect(() => directoryConfigFromEnv({ LDAP_URL: 'ldap://dc.town.local' })).toThrow(DirectoryConfigError);
		expect(() => directoryConfigFromEnv({ LDAP_URL: 'http://dc', LDAP_BASE_DN: baseDn, LDAP_BIND_DN: readerDn })).toThrow(/LDAP_URL/);
		expect(() => directoryConfigFromEnv({ LDAP_URL: 'ldaps://dc', LDAP_STARTTLS: '1', LDAP_BASE_DN: baseDn, LDAP_BIND_DN: readerDn })).toThrow(/STARTTLS/);
		expect(() => directoryConfigFromEnv({ ...env(slapd.url), LDAP_SYNC_HOUR: '24' })).toThrow(/LDAP_SYNC_HOUR/);
		expect(escapeFilterValue('a*)(uid=*')).toBe('a\\2a\\29\\28uid=\\2a');
	});
});

describe('directory sync: the first run', () => {
	it('previews the directory as a roster import and applies it: people, the OU tree, attribute mapping', async () => {
		const actor = { orgId, personId: adminId, ip: '10.0.0.1' };
		const preview = await previewDirectorySync(handle.db, actor, config, { today: '2026-12-07' });
		expect(preview.ok).toBe(true);
		if (!preview.ok) return;
		// D001, D003, D005 are new; D002 is stored; D004 is disabled, so already a leaver.
		expect(preview.counts).toMatchObject({ rows: 5, added: 3, skippedRetired: 1, missing: 0 });
		const [previewEvent] = await audits('directory.sync_preview');
		expect(previewEvent.detail).toMatchObject({ added: 3, scheduled: false });
		// Nothing applied yet.
		expect(await person('D001')).toBeUndefined();

		const applied = await applyRosterImport(handle.db, actor, preview.importId, { deactivateMissing: true, today: '2026-12-07' });
		expect(applied.ok).toBe(true);

		const yamada = await person('D001');
		expect(yamada).toMatchObject({ name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'yamada@town.test', title: '主事', fromDirectory: true, active: true });
		expect(await person('D003')).toMatchObject({ employmentType: 'fiscal_year' });
		expect(await person('D002')).toMatchObject({ fromDirectory: true, name: '佐藤 花子' });
		expect(await person('D004')).toBeUndefined();
		// The OU tree became departments, children under their parents, codes from businessCategory.
		const soumuka = await departmentOf('D001');
		expect(soumuka).toMatchObject({ code: '110', name: '総務課' });
		const [soumubu] = await handle.db.select().from(departments).where(eq(departments.id, soumuka!.parentId!));
		expect(soumubu).toMatchObject({ code: '100', name: '総務部', parentId: null });
		expect(await departmentOf('D005')).toMatchObject({ code: '200' });
		// People only Mamori knows are neither missing nor touched.
		expect(await person('C001')).toMatchObject({ active: true, fromDirectory: false });
		expect(await person('ADMIN1')).toMatchObject({ active: true, fromDirectory: false });
	});
});

describe('directory login', () => {
	it('signs a member of staff in with the directory password, which is not stored', async () => {
		const result = await tryLogin('D001', 'yamada-dir-pass');
		expect(result.ok).toBe(true);
		// Created by the sync with no password: the directory owns it, nothing to change first.
		expect(result.ok && result.mustChangePassword).toBe(false);
		expect((await person('D001')).passwordHash).toBeNull();
		const [success] = (await audits('login.success')).filter((e) => (e.detail as { directory?: boolean }).directory);
		expect(success).toBeDefined();
	});

	it('refuses a wrong password as a wrong password, and counts it', async () => {
		const before = await handle.db.select({ n: count() }).from(loginFailures);
		expect(await tryLogin('D001', 'not-my-password')).toEqual({ ok: false, reason: 'invalid' });
		const after = await handle.db.select({ n: count() }).from(loginFailures);
		// One row per bucket it counts in: the account's and the address's.
		expect(after[0].n).toBe(before[0].n + 2);
	});

	it('no longer takes the local password of someone the directory brought in', async () => {
		expect(await tryLogin('D002', 'old-local-pass')).toEqual({ ok: false, reason: 'invalid' });
		expect((await tryLogin('D002', 'sato-dir-pass')).ok).toBe(true);
		// …unless the switch-over setting allows it.
		const everyone = directoryConfigFromEnv(env(slapd.url, { LDAP_LOCAL_PASSWORDS: 'everyone' }));
		expect((await tryLogin('D002', 'old-local-pass', defaultLoginLimits, everyone)).ok).toBe(true);
	});

	it('still signs in people not in the directory with their local password', async () => {
		expect((await tryLogin('C001', 'contractor-pass')).ok).toBe(true);
		expect(await tryLogin('C001', 'yamada-dir-pass')).toEqual({ ok: false, reason: 'invalid' });
	});

	it('refuses a disabled directory account with the right password', async () => {
		await slapd.setAttribute('D005', ['福祉部'], 'description', ['disabled']);
		try {
			expect(await checkDirectoryPassword(config, 'D005', 'tanaka-dir-pass')).toBe('disabled');
			expect(await tryLogin('D005', 'tanaka-dir-pass')).toEqual({ ok: false, reason: 'invalid' });
		} finally {
			await slapd.setAttribute('D005', ['福祉部'], 'description', ['enabled']);
		}
		expect((await tryLogin('D005', 'tanaka-dir-pass')).ok).toBe(true);
	});

	it('never binds with an empty password (an anonymous bind would succeed)', async () => {
		expect(await checkDirectoryPassword(config, 'D001', '')).toBe('not_found');
		expect(await tryLogin('D001', '')).toEqual({ ok: false, reason: 'invalid' });
	});

	it('binds directly with a DN template when there is no search account', async () => {
		const direct = directoryConfigFromEnv({
			LDAP_URL: slapd.url,
			LDAP_BASE_DN: baseDn,
			LDAP_USER_DN_TEMPLATE: `uid={id},${ouDn(['総務部', '総務課'])}`,
			LDAP_DISABLED_FILTER: '(description=disabled)'
		})!;
		expect(await checkDirectoryPassword(direct, 'D001', 'yamada-dir-pass')).toBe('ok');
		expect(await checkDirectoryPassword(direct, 'D001', 'wrong')).toBe('invalid');
		expect(await checkDirectoryPassword(direct, 'D001,ou=x', 'yamada-dir-pass')).toBe('not_found');
	});

	it('takes neither of two entries with one 職員番号, and a broken setting for an away directory', async () => {
		const twin = { number: 'DUP1', name: '重複 太郎', password: 'dup-pass' };
		await slapd.addPerson({ ...twin, ous: ['総務部'] });
		await slapd.addPerson({ ...twin, ous: ['福祉部'] });
		try {
			expect(await checkDirectoryPassword(config, 'DUP1', 'dup-pass')).toBe('not_found');
		} finally {
			await slapd.removePerson('DUP1', ['総務部']);
			await slapd.removePerson('DUP1', ['福祉部']);
		}
		const wrongReader = directoryConfigFromEnv(env(slapd.url, { LDAP_BIND_PASSWORD: 'not-the-reader-password' }))!;
		await expect(checkDirectoryPassword(wrongReader, 'D001', 'yamada-dir-pass')).rejects.toBeInstanceOf(DirectoryUnavailable);
		const brokenFilter = directoryConfigFromEnv(env(slapd.url, { LDAP_USER_FILTER: '(objectClass=inetOrgPerson' }))!;
		await expect(checkDirectoryPassword(brokenFilter, 'D001', 'yamada-dir-pass')).rejects.toBeInstanceOf(DirectoryUnavailable);
	});

	it('is throttled exactly like a local login', async () => {
		const limits = { ...defaultLoginLimits, perAccount: 3 };
		for (let i = 0; i < 3; i++) expect(await tryLogin('D003', `guess-${i}`, limits)).toMatchObject({ ok: false });
		// The right password, once the limit is reached, is not even tried.
		const locked = await tryLogin('D003', 'suzuki-dir-pass', limits);
		expect(locked).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('says the directory is away, not that the password is wrong, while local accounts still work', async () => {
		await slapd.stop();
		try {
			await expect(checkDirectoryPassword(config, 'D001', 'yamada-dir-pass')).rejects.toBeInstanceOf(DirectoryUnavailable);
			expect(await tryLogin('D001', 'yamada-dir-pass')).toEqual({ ok: false, reason: 'directory_unavailable' });
			expect(await tryLogin('D001', 'wrong-password')).toEqual({ ok: false, reason: 'directory_unavailable' });
			expect((await audits('login.directory_unavailable')).length).toBeGreaterThanOrEqual(2);
			expect((await tryLogin('ADMIN1', 'break-glass-pass')).ok).toBe(true);
			expect((await tryLogin('C001', 'contractor-pass')).ok).toBe(true);
			// The sync says so too, and writes nothing.
			const preview = await previewDirectorySync(handle.db, { orgId, personId: adminId, ip: null }, config);
			expect(preview).toMatchObject({ ok: false, reason: 'unavailable' });
		} finally {
			await slapd.start();
		}
		expect((await tryLogin('D001', 'yamada-dir-pass')).ok).toBe(true);
	});
});

describe('nightly directory sync', () => {
	// 02:30 in Japan on 2026-12-08.
	const night = new Date('2026-12-07T17:30:00Z');

	it('applies a new hire, a transfer, a leaver and a group-mapped employment type, once a night', async () => {
		await slapd.addDepartment({ ous: ['福祉部', '介護保険課'], code: '220' });
		await slapd.addPerson({ number: 'D006', name: '伊藤 四郎', kana: 'イトウ シロウ', ous: ['福祉部', '介護保険課'], password: 'ito-dir-pass' });
		await slapd.movePerson('D001', ['総務部', '総務課'], ['総務部', '情報政策課']);
		await slapd.removePerson('D005', ['福祉部']);
		await slapd.addToGroup('委託事業者', 'D003', ['福祉部', '福祉課']);
		const leaverSession = await tryLogin('D005', 'tanaka-dir-pass');
		expect(leaverSession.ok).toBe(false);

		expect(await runScheduledDirectorySync(handle.db, config, new Date('2026-12-07T16:30:00Z'), '2026-12-08')).toEqual({ status: 'not_due' });
		const run = await runScheduledDirectorySync(handle.db, config, night, '2026-12-08');
		expect(run.status).toBe('applied');
		expect(await departmentOf('D001')).toMatchObject({ code: '120' });
		const kaigo = await departmentOf('D006');
		expect(kaigo).toMatchObject({ code: '220', name: '介護保険課' });
		const [fukushibu] = await handle.db.select().from(departments).where(eq(departments.id, kaigo!.parentId!));
		expect(fukushibu.code).toBe('200');
		expect(await person('D005')).toMatchObject({ active: false });
		expect(
			await handle.db
				.select()
				.from(sessions)
				.where(eq(sessions.personId, (await person('D005')).id))
		).toEqual([]);
		expect(await person('D003')).toMatchObject({ employmentType: 'contractor' });
		expect(await person('C001')).toMatchObject({ active: true });
		const previews = (await audits('directory.sync_preview')).filter((e) => (e.detail as { scheduled?: boolean }).scheduled);
		expect(previews.at(-1)!.detail).toMatchObject({ added: 1, transfers: 1, missing: 1 });
		const imports = await audits('roster.import');
		expect(imports.at(-1)!.detail).toMatchObject({ source: 'directory', added: 1, transfers: 1, deactivatedMissing: 1 });
		// The same night again: nothing more.
		expect(await runScheduledDirectorySync(handle.db, config, new Date('2026-12-07T20:00:00Z'), '2026-12-08')).toEqual({ status: 'not_due' });
	});

	it('stops above the leaver limit and waits for an admin, who can still apply', async () => {
		// A broken directory query would look like this: most of the staff gone.
		await slapd.removePerson('D001', ['総務部', '情報政策課']);
		await slapd.removePerson('D002', ['総務部', '情報政策課']);
		const run = await runScheduledDirectorySync(handle.db, config, new Date('2026-12-08T17:30:00Z'), '2026-12-09');
		expect(run.status).toBe('held');
		if (run.status !== 'held') return;
		expect(run.counts.missing).toBe(2);
		expect(await person('D001')).toMatchObject({ active: true });
		const [held] = await audits('directory.sync_held');
		expect(held.detail).toMatchObject({ leavers: 2, limitPercent: 30 });
		const [record] = await handle.db.select().from(rosterImports).where(eq(rosterImports.id, run.importId));
		expect(record.status).toBe('previewed');
		// The admin sees it as any roster preview, and decides.
		const preview = await loadRosterPreview(handle.db, orgId, run.importId, { actorId: adminId, today: '2026-12-09' });
		expect(preview).toMatchObject({ source: 'directory', counts: { missing: 2 } });
		const applied = await applyRosterImport(handle.db, { orgId, personId: adminId, ip: null }, run.importId, { deactivateMissing: true, today: '2026-12-09' });
		expect(applied.ok).toBe(true);
		expect(await person('D001')).toMatchObject({ active: false });
		expect(await person('ADMIN1')).toMatchObject({ active: true });
	});

	it('reports an entry that cannot be imported, by its 職員番号, and writes nothing', async () => {
		await slapd.setAttribute('D006', ['福祉部', '介護保険課'], 'mail', ['not a mail address']);
		const before = await handle.db.select({ n: count() }).from(rosterImports);
		const preview = await previewDirectorySync(handle.db, { orgId, personId: adminId, ip: null }, config);
		expect(preview.ok).toBe(false);
		if (preview.ok || preview.reason !== 'invalid') return;
		expect(preview.problems).toEqual([expect.objectContaining({ entry: 'D006', key: 'roster.error.email' })]);
		const after = await handle.db.select({ n: count() }).from(rosterImports);
		expect(after[0].n).toBe(before[0].n);
		await slapd.setAttribute('D006', ['福祉部', '介護保険課'], 'mail', ['ito@town.test']);
	});

	it('reads departments from attributes when told to', async () => {
		await slapd.setAttribute('D006', ['福祉部', '介護保険課'], 'departmentNumber', ['9001']);
		await slapd.setAttribute('D006', ['福祉部', '介護保険課'], 'ou', ['特命担当']);
		const flat = directoryConfigFromEnv(
			env(slapd.url, { LDAP_DEPARTMENTS: 'attribute', LDAP_ATTR_DEPARTMENT_CODE: 'departmentNumber', LDAP_ATTR_DEPARTMENT_NAME: 'ou' })
		)!;
		const read = await readDirectory(flat, { today: '2026-12-09' });
		expect(read.departments).toEqual([]);
		const ito = read.rows.find((r) => r.employeeNumber === 'D006');
		expect(ito).toMatchObject({ departmentCode: '9001', departmentName: '特命担当', name: '伊藤 四郎', nameKana: 'イトウ シロウ' });
	});
});
