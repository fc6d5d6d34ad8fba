import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { runScript } from '../helpers/cli';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, policies, policySections, policyVersions } from '../../src/lib/server/db/schema';
import { decodePolicyBytes, parsePolicyText, type ParsedPolicy } from '../../src/lib/server/policy/import';
import { savePolicyImport, type ImportActor } from '../../src/lib/server/policy/save-import';

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/policies/${name}`, import.meta.url));

function parseFixture(name: string): ParsedPolicy {
	const parsed = parsePolicyText(decodePolicyBytes(readFileSync(fixturePath(name))).text);
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed;
}

const hokuto = parseFixture('hokuto-basic-policy-v5.0.txt');
const minamiyama = parseFixture('basic-policy-minamiyama.md');

let handle: DbHandle;
let db: Db;
let owner: ImportActor;
let otherOwner: ImportActor;

async function versionsOf(policyId: string) {
	return db.select().from(policyVersions).where(eq(policyVersions.policyId, policyId)).orderBy(asc(policyVersions.createdAt), asc(policyVersions.version));
}

async function sectionsOf(versionId: string) {
	return db.select().from(policySections).where(eq(policySections.versionId, versionId)).orderBy(asc(policySections.position));
}

/** Row counts of everything an import writes, to show a refusal wrote nothing. */
async function footprint() {
	const [p] = await db.select({ n: count() }).from(policies);
	const [v] = await db.select({ n: count() }).from(policyVersions);
	const [s] = await db.select({ n: count() }).from(policySections);
	const [a] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, 'policy.import'));
	return { policies: p.n, versions: v.n, sections: s.n, audits: a.n };
}

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	const org = await makeOrg(db, 'import-city', '取込市');
	const person = await makePerson(db, org.id, { employeeNumber: '5001', roles: ['policy_owner'] });
	owner = { orgId: org.id, personId: person.id, ip: '10.2.0.1' };
	const other = await makeOrg(db, 'other-import-city', '別取込市');
	const otherPerson = await makePerson(db, other.id, { employeeNumber: '5001', roles: ['policy_owner'] });
	otherOwner = { orgId: other.id, personId: otherPerson.id };
}, 120_000);
afterAll(() => handle?.close());

describe('savePolicyImport: a new policy', () => {
	let policyId: string;

	it('keeps the document’s 改訂履歴 as superseded versions without text, and publishes the last with all sections', async () => {
		const result = await savePolicyImport(db, owner, hokuto, {
			mode: 'new',
			slug: 'kihon-hoshin',
			title: '北杜市情報セキュリティ基本方針',
			version: '',
			publish: true
		});
		expect(result).toMatchObject({ ok: true, slug: 'kihon-hoshin', version: '5.0', status: 'published', historyVersions: ['1.0', '2.0', '3.0', '4.0'] });
		if (!result.ok) return;
		policyId = result.policyId;

		const [policy] = await db.select().from(policies).where(eq(policies.id, policyId));
		expect(policy).toMatchObject({ orgId: owner.orgId, slug: 'kihon-hoshin', title: '北杜市情報セキュリティ基本方針' });

		const versions = await versionsOf(policyId);
		expect(versions.map((v) => [v.version, v.status, v.textHeld, v.changeKind])).toEqual([
			['1.0', 'superseded', false, 'enacted'],
			['2.0', 'superseded', false, 'partial'],
			['3.0', 'superseded', false, 'partial'],
			['4.0', 'superseded', false, 'partial'],
			['5.0', 'published', true, 'partial']
		]);
		const first = versions[0];
		expect(first).toMatchObject({ dateLabel: '平成17年3月', effectiveDate: null, reason: '', createdBy: owner.personId });
		const inForce = versions[4];
		expect(inForce).toMatchObject({
			id: result.versionId,
			dateLabel: '令和7年11月25日',
			effectiveDate: '2025-11-25',
			reason: '総務省情報セキュリティガイドライン (令和 7 年 3 月版) に合わせて一部改訂',
			title: '北杜市情報セキュリティ基本方針'
		});
		expect(inForce.publishedAt?.toISOString()).toBe('2025-11-24T15:00:00.000Z');
		for (const old of versions.slice(0, 4)) expect(await sectionsOf(old.id)).toHaveLength(0);

		const sections = await sectionsOf(result.versionId);
		expect(sections).toHaveLength(hokuto.sections.length);
		expect(result.sections).toBe(hokuto.sections.length);
		expect(sections.map((s) => s.key)).toEqual(hokuto.sections.map((s) => s.key));
		const byKey = Object.fromEntries(sections.map((s) => [s.key, s]));
		expect(byKey['2.8']).toMatchObject({ label: '(8)', level: 2, heading: 'マイナンバー利用事務系（個人番号利用事務系）', orgId: owner.orgId });
		expect(byKey['6.3.2']).toMatchObject({ label: '②', level: 3 });
		expect(byKey['10']).toMatchObject({ label: '10', heading: '情報セキュリティ実施手順の策定' });
	});

	it('records one audit event with the counts', async () => {
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'policy.import'), eq(auditEvents.orgId, owner.orgId)));
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ actorId: owner.personId, ip: '10.2.0.1', targetType: 'policy_version' });
		expect(events[0].detail).toMatchObject({
			mode: 'new',
			slug: 'kihon-hoshin',
			version: '5.0',
			status: 'published',
			sections: hokuto.sections.length,
			historyVersions: 4
		});
	});

	it('saves a draft when not published, with the form’s version, 区分 and 理由 over the history’s', async () => {
		const result = await savePolicyImport(db, owner, minamiyama, {
			mode: 'new',
			slug: 'minamiyama',
			title: '南山町情報セキュリティ基本方針',
			version: '第２．１版',
			changeKind: 'partial',
			reason: '様式の整理',
			publish: false
		});
		expect(result).toMatchObject({ ok: true, version: '2.1', status: 'draft', historyVersions: ['1.0', '2.0'] });
		if (!result.ok) return;
		const versions = await versionsOf(result.policyId);
		expect(versions.map((v) => [v.version, v.status, v.textHeld])).toEqual([
			['1.0', 'superseded', false],
			['2.0', 'superseded', false],
			['2.1', 'draft', true]
		]);
		expect(versions[2]).toMatchObject({ changeKind: 'partial', reason: '様式の整理', dateLabel: '', publishedAt: null });
		expect(versions[1]).toMatchObject({ changeKind: 'full', dateLabel: '令和6年10月1日', effectiveDate: '2024-10-01' });
	});

	it('leaves unnumbered Markdown headings without a label', async () => {
		const [version] = await db
			.select({ id: policyVersions.id })
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(and(eq(policies.slug, 'minamiyama'), eq(policyVersions.version, '2.1')));
		const labels = (await sectionsOf(version.id)).map((s) => [s.key, s.label]);
		expect(labels).toContainEqual(['1', '']);
		expect(labels).toContainEqual(['2.1', '']);
		expect(labels).toContainEqual(['4.1', '(1)']);
	});

	it('starts at 1.0 新規制定 when the document has no history', async () => {
		const parsed = parsePolicyText('1 目的\n本文。\n2 定義\n本文。');
		if (!parsed.ok) throw new Error(parsed.message);
		const result = await savePolicyImport(db, owner, parsed, { mode: 'new', slug: 'short-one', title: '短い規程', version: '', publish: true });
		expect(result).toMatchObject({ ok: true, version: '1.0', status: 'published', historyVersions: [] });
		if (!result.ok) return;
		const [version] = await versionsOf(result.policyId);
		expect(version).toMatchObject({ changeKind: 'enacted', status: 'published', textHeld: true });
		expect(version.publishedAt).not.toBeNull();
	});

	it('refuses bad and taken slugs, bad versions and a version older than the history, writing nothing', async () => {
		const before = await footprint();
		const base = { mode: 'new' as const, title: '基本方針', version: '', publish: true };
		const cases = [
			[{ ...base, slug: 'kihon-hoshin' }, 'slug_taken', 'slug'],
			[{ ...base, slug: 'Kihon' }, 'bad_slug', 'slug'],
			[{ ...base, slug: 'import' }, 'bad_slug', 'slug'],
			[{ ...base, slug: 'kihon_hoshin' }, 'bad_slug', 'slug'],
			[{ ...base, slug: '' }, 'bad_slug', 'slug'],
			[{ ...base, slug: 'fresh', title: '  ' }, 'title_required', 'title'],
			[{ ...base, slug: 'fresh', version: '5.0a' }, 'bad_version', 'version'],
			[{ ...base, slug: 'fresh', version: '4.0' }, 'version_behind_history', 'version']
		] as const;
		for (const [target, problem, field] of cases) {
			expect(await savePolicyImport(db, owner, hokuto, target), `${target.slug} ${target.version}`).toMatchObject({ ok: false, problem, field });
		}
		expect(await savePolicyImport(db, owner, hokuto, cases[0][0])).toMatchObject({ params: { slug: 'kihon-hoshin' } });
		expect(await footprint()).toEqual(before);
	});

	it('lets another organisation use the same slug', async () => {
		const result = await savePolicyImport(db, otherOwner, hokuto, { mode: 'new', slug: 'kihon-hoshin', title: '基本方針', version: '', publish: false });
		expect(result).toMatchObject({ ok: true, status: 'draft' });
	});

	describe('a draft of a new version', () => {
		it('adds a draft with the sections, leaving the version in force as it is', async () => {
			const result = await savePolicyImport(db, owner, hokuto, { mode: 'draft', policyId, version: '5.1', changeKind: 'partial', reason: ' 用語の見直し ' });
			expect(result).toMatchObject({ ok: true, slug: 'kihon-hoshin', version: '5.1', status: 'draft', historyVersions: [] });
			if (!result.ok) return;
			const versions = await versionsOf(policyId);
			expect(versions.filter((v) => v.status === 'published').map((v) => v.version)).toEqual(['5.0']);
			const draft = versions.find((v) => v.version === '5.1');
			expect(draft).toMatchObject({
				status: 'draft',
				textHeld: true,
				changeKind: 'partial',
				reason: '用語の見直し',
				createdBy: owner.personId,
				publishedAt: null
			});
			expect(await sectionsOf(result.versionId)).toHaveLength(hokuto.sections.length);
		});

		it('refuses a version that exists, a bad version, and a policy of another organisation, writing nothing', async () => {
			const before = await footprint();
			const draft = { mode: 'draft' as const, policyId, version: '5.0', changeKind: 'partial' as const, reason: '' };
			expect(await savePolicyImport(db, owner, hokuto, draft)).toEqual({ ok: false, problem: 'version_taken', field: 'version', params: { version: '5.0' } });
			expect(await savePolicyImport(db, owner, hokuto, { ...draft, version: '5.1' })).toMatchObject({ ok: false, problem: 'version_taken' });
			expect(await savePolicyImport(db, owner, hokuto, { ...draft, version: 'next' })).toMatchObject({ ok: false, problem: 'bad_version' });
			expect(await savePolicyImport(db, otherOwner, hokuto, { ...draft, version: '9.0' })).toMatchObject({ ok: false, problem: 'not_found', field: 'policy' });
			expect(await savePolicyImport(db, owner, hokuto, { ...draft, policyId: 'not-a-uuid', version: '9.0' })).toMatchObject({
				ok: false,
				problem: 'not_found'
			});
			expect(await footprint()).toEqual(before);
		});
	});
});

describe('scripts/policy-import.ts against a database', () => {
	let cliHandle: DbHandle;
	let cliOrgId: string;
	const cli = (args: string[]) => runScript('policy-import.ts', args, { DATABASE_URL: cliHandle.url! });

	beforeAll(async () => {
		cliHandle = await createTestDatabase();
		cliOrgId = (await makeOrg(cliHandle.db, 'cli-city', 'CLI市')).id;
	}, 120_000);
	afterAll(() => cliHandle?.close());

	it('saves a new published policy into the only organisation and prints what it saved', async () => {
		const { code, stdout, stderr } = await cli([fixturePath('hokuto-basic-policy-v5.0.txt'), '--slug', 'kihon-hoshin', '--publish']);
		// Only the parser's notes for the reader, one a line.
		expect(stderr).toMatch(/^(?:warning: .*\n)*$/);
		expect(code).toBe(0);
		expect(JSON.parse(stdout)).toEqual({
			organisation: 'cli-city',
			policy: 'kihon-hoshin',
			version: '5.0',
			status: 'published',
			sections: hokuto.sections.length,
			history: ['1.0', '2.0', '3.0', '4.0'],
			path: '/policy/kihon-hoshin'
		});
		const rows = await cliHandle.db
			.select({ version: policyVersions.version, status: policyVersions.status, title: policies.title, createdBy: policyVersions.createdBy })
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(eq(policies.orgId, cliOrgId))
			.orderBy(asc(policyVersions.version));
		expect(rows.map((r) => [r.version, r.status])).toEqual([
			['1.0', 'superseded'],
			['2.0', 'superseded'],
			['3.0', 'superseded'],
			['4.0', 'superseded'],
			['5.0', 'published']
		]);
		expect(rows[0]).toMatchObject({ title: '北杜市情報セキュリティ基本方針', createdBy: null });
		const [event] = await cliHandle.db.select().from(auditEvents).where(eq(auditEvents.action, 'policy.import'));
		expect(event).toMatchObject({ orgId: cliOrgId, actorId: null });
	}, 60_000);

	it('saves a Shift_JIS file as the draft of a new version with --draft-of', async () => {
		const { code, stdout } = await cli([fixturePath('youryou-sakuragawa.sjis.txt'), '--draft-of', 'kihon-hoshin', '--version', '5.1', '--reason', '試行']);
		expect(code).toBe(0);
		expect(JSON.parse(stdout)).toMatchObject({ policy: 'kihon-hoshin', version: '5.1', status: 'draft', path: '/policy/kihon-hoshin/v/5.1' });
		const [draft] = await cliHandle.db.select().from(policyVersions).where(eq(policyVersions.version, '5.1'));
		expect(draft).toMatchObject({ status: 'draft', reason: '試行', title: '桜川町情報機器等管理要領' });
		expect(await cliHandle.db.select().from(policySections).where(eq(policySections.versionId, draft.id))).toHaveLength(9);
	}, 60_000);

	it('refuses a taken slug, a taken version and text without structure with exit code 1, writing nothing', async () => {
		const [before] = await cliHandle.db.select({ n: count() }).from(policyVersions);
		const taken = await cli([fixturePath('hokuto-basic-policy-v5.0.txt'), '--slug', 'kihon-hoshin']);
		expect(taken).toMatchObject({ code: 1, stdout: '' });
		expect(taken.stderr).toContain('--slug:');
		expect(taken.stderr).toContain('kihon-hoshin');
		const version = await cli([fixturePath('hokuto-basic-policy-v5.0.txt'), '--draft-of', 'kihon-hoshin', '--version', '5.0']);
		expect(version).toMatchObject({ code: 1, stdout: '' });
		expect(version.stderr).toContain('--version:');
		const memo = await cli([fixturePath('no-structure-memo.txt'), '--slug', 'memo']);
		expect(memo).toMatchObject({ code: 1, stdout: '' });
		expect(memo.stderr).toContain('節の見出しが見つからない');
		const [after] = await cliHandle.db.select({ n: count() }).from(policyVersions);
		expect(after.n).toBe(before.n);
	}, 60_000);

	it('asks for --org when the database holds several organisations, and finds a policy only in the named one', async () => {
		await makeOrg(cliHandle.db, 'cli-town', 'CLI町');
		const ambiguous = await cli([fixturePath('kijun-mitsumine-fullwidth.txt'), '--slug', 'kijun']);
		expect(ambiguous.code).toBe(1);
		expect(ambiguous.stderr).toContain('--org');
		const elsewhere = await cli([fixturePath('kijun-mitsumine-fullwidth.txt'), '--org', 'cli-town', '--draft-of', 'kihon-hoshin', '--version', '6.0']);
		expect(elsewhere.code).toBe(1);
		expect(elsewhere.stderr).toContain('--draft-of');
		const named = await cli([fixturePath('kijun-mitsumine-fullwidth.txt'), '--org', 'cli-town', '--slug', 'kijun']);
		expect(named.code).toBe(0);
		expect(JSON.parse(named.stdout)).toMatchObject({ organisation: 'cli-town', policy: 'kijun', version: '1.0', status: 'draft' });
	}, 60_000);
});

describe('the previewed document kept for its save', () => {
	it('is found only by the person who previewed it, in their organisation, for a day; at most five are kept', async () => {
		const { forgetPreviewedDocument, keepPreviewedDocument, previewedDocument } = await import('../../src/lib/server/policy/import-previews');
		const me = { orgId: owner.orgId, personId: owner.personId! };
		const colleague = await makePerson(db, owner.orgId, { employeeNumber: '5002', roles: ['policy_owner'] });
		const t0 = new Date('2026-12-01T09:00:00Z');
		const id = await keepPreviewedDocument(db, me, { text: '1 目的\n本文。', encoding: 'utf-8', fileName: 'a.txt' }, t0);
		expect(await previewedDocument(db, me, id, t0)).toEqual({ text: '1 目的\n本文。', encoding: 'utf-8', fileName: 'a.txt' });
		// Not for a colleague, another organisation, a malformed id, or after a day.
		expect(await previewedDocument(db, { orgId: owner.orgId, personId: colleague.id }, id, t0)).toBeNull();
		expect(await previewedDocument(db, { orgId: otherOwner.orgId, personId: owner.personId! }, id, t0)).toBeNull();
		expect(await previewedDocument(db, me, `${id}'`, t0)).toBeNull();
		expect(await previewedDocument(db, me, id, new Date(t0.getTime() + 25 * 3_600_000))).toBeNull();
		// The sixth preview drops the oldest.
		const more: string[] = [];
		for (let i = 1; i <= 5; i++)
			more.push(await keepPreviewedDocument(db, me, { text: `${i}`, encoding: 'pasted', fileName: '' }, new Date(t0.getTime() + i * 1000)));
		expect(await previewedDocument(db, me, id, t0)).toBeNull();
		expect(await previewedDocument(db, me, more[0], t0)).not.toBeNull();
		await forgetPreviewedDocument(db, me, more[0]);
		expect(await previewedDocument(db, me, more[0], t0)).toBeNull();
	});
});
