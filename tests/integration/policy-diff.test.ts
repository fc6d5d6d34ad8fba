import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { makeOrg } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { policies, type PolicyVersionStatus, type Role } from '../../src/lib/server/db/schema';
import { comparableVersions, comparePolicyVersions, defaultComparison } from '../../src/lib/server/policy/diff';
import { insertVersion, type SectionInput } from '../../src/lib/server/policy/versions';

let handle: DbHandle;
let orgId: string;
let otherOrgId: string;
const viewer = (...roles: Role[]) => ({ orgId, roles });

const secret = '管理者用パスワードの保管場所は別紙のとおりとする。';
const v4: SectionInput[] = [
	{ key: '1', level: 1, heading: '目的', body: '本基本方針は、情報資産の機密性、完全性及び可用性を維持することを目的とする。' },
	{ key: '2', level: 1, heading: '定義', body: '' },
	{ key: '2.1', level: 2, heading: 'ネットワーク', body: 'コンピュータ等を相互に接続するための通信網をいう。' },
	{ key: '2.2', level: 2, heading: '情報システム', body: 'コンピュータ及びネットワークで構成される仕組みをいう。' },
	{ key: '3', level: 1, heading: '対象とする脅威', body: '不正アクセス等の脅威を想定する。' },
	{ key: '4', level: 1, heading: '管理体制', body: '情報セキュリティ管理者を置く。', restrictedTo: ['admin'] },
	{ key: '4.1', level: 2, heading: '保管', body: secret },
	{ key: '5', level: 1, heading: '評価', body: '定期的に評価する。' }
];
const v5: SectionInput[] = [
	{ key: '1', level: 1, heading: '目的', body: '本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持することを目的とする。' },
	{ key: '2', level: 1, heading: '定義', body: '' },
	{ key: '2.1', level: 2, heading: 'クラウドサービス', body: '事業者がインターネットを通じて提供する情報処理サービスをいう。' },
	{ key: '2.2', level: 2, heading: 'ネットワーク', body: 'コンピュータ等を相互に接続するための通信網をいう。' },
	{ key: '2.3', level: 2, heading: '情報システム', body: 'コンピュータ及びネットワークで構成される仕組みをいう。' },
	{ key: '4', level: 1, heading: '管理体制', body: '最高情報セキュリティ責任者を置く。', restrictedTo: ['admin'] },
	{ key: '4.1', level: 2, heading: '保管', body: secret.replace('別紙', '別表') },
	{ key: '5', level: 1, heading: '評価及び見直し', body: '定期的に評価し、見直す。' }
];

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	otherOrgId = (await makeOrg(handle.db)).id;
	const db = handle.db;
	const [policy] = await db.insert(policies).values({ orgId, slug: 'basic', title: '試験市情報セキュリティ基本方針' }).returning();
	const base = { orgId, policyId: policy.id, changeKind: 'partial' as const };
	await insertVersion(db, { ...base, version: '3.0', status: 'superseded', textHeld: false }, []);
	await insertVersion(db, { ...base, version: '4.0', status: 'superseded', dateLabel: '令和5年3月14日', effectiveDate: '2023-03-14' }, v4);
	await insertVersion(db, { ...base, version: '5.0', status: 'published', effectiveDate: '2025-11-25' }, v5);
	await insertVersion(db, { ...base, version: '6.0', status: 'draft' }, [...v5, { key: '6', level: 1, heading: '例外措置', body: '例外を認める。' }]);
	// A 非公開 policy, seen only by admins.
	const [hidden] = await db
		.insert(policies)
		.values({ orgId, slug: 'procedures', title: '実施手順', restrictedTo: ['admin'] })
		.returning();
	await insertVersion(db, { orgId, policyId: hidden.id, changeKind: 'enacted', version: '1.0', status: 'superseded' }, v4);
	await insertVersion(db, { orgId, policyId: hidden.id, changeKind: 'partial', version: '2.0', status: 'published' }, v5);
	// A section that became 非公開 in the later version.
	const [rules] = await db.insert(policies).values({ orgId, slug: 'rules', title: '対策基準' }).returning();
	const open = v4.map((x) => ({ ...x, restrictedTo: null }));
	await insertVersion(db, { orgId, policyId: rules.id, changeKind: 'enacted', version: '1.0', status: 'superseded' }, open);
	await insertVersion(
		db,
		{ orgId, policyId: rules.id, changeKind: 'partial', version: '1.1', status: 'published' },
		open.map((x) => (x.key === '3' ? { ...x, restrictedTo: ['admin' as const] } : x))
	);
});
afterAll(() => handle?.close());

const kinds = (changes: { kind: string; key: string; fromKey?: string }[]) =>
	changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.kind, c.key, c.fromKey ?? null]);

describe('comparePolicyVersions', () => {
	it('compares two published versions section by section', async () => {
		const result = await comparePolicyVersions(handle.db, viewer('admin'), 'basic', '4.0', '5.0');
		expect(result).not.toBeNull();
		expect(result!.from.version).toBe('4.0');
		expect(result!.to.version).toBe('5.0');
		expect(kinds(result!.changes)).toEqual([
			['changed', '1', null],
			['added', '2.1', null],
			['moved', '2.2', '2.1'],
			['moved', '2.3', '2.2'],
			['removed', '3', null],
			['changed', '4', null],
			['changed', '4.1', null],
			['changed', '5', null]
		]);
		expect(result!.summary).toEqual({ added: 1, removed: 1, changed: 4, moved: 2, unchanged: 1 });
		const purpose = result!.changes.find((c) => c.key === '1')!;
		expect(purpose.bodyParts!.filter((p) => p.op !== 'equal')).toEqual([{ op: 'insert', text: '本市が保有する' }]);
		const evaluation = result!.changes.find((c) => c.key === '5')!;
		expect(evaluation.headingParts).toBeDefined();
	});

	it('does not reveal a 非公開 section or its items to a learner', async () => {
		const result = await comparePolicyVersions(handle.db, viewer(), 'basic', '4.0', '5.0');
		expect(result).not.toBeNull();
		const keys = result!.changes.map((c) => c.key);
		expect(keys).not.toContain('4');
		expect(keys).not.toContain('4.1');
		const everything = JSON.stringify(result!.changes);
		expect(everything).not.toContain('管理体制');
		expect(everything).not.toContain('保管場所');
		expect(result!.summary).toEqual({ added: 1, removed: 1, changed: 2, moved: 2, unchanged: 1 });
	});

	it('leaves out a section 非公開 in only one of the versions, rather than calling it removed', async () => {
		const learner = await comparePolicyVersions(handle.db, viewer(), 'rules', '1.0', '1.1');
		expect(learner!.changes.map((c) => c.key)).not.toContain('3');
		expect(learner!.summary).toMatchObject({ added: 0, removed: 0, changed: 0, moved: 0 });
		const admin = await comparePolicyVersions(handle.db, viewer('admin'), 'rules', '1.0', '1.1');
		expect(admin!.changes.map((c) => c.key)).toContain('3');
	});

	it('gives drafts only to those who write and approve them', async () => {
		expect(await comparePolicyVersions(handle.db, viewer(), 'basic', '5.0', '6.0')).toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer('supervisor'), 'basic', '5.0', '6.0')).toBeNull();
		const draft = await comparePolicyVersions(handle.db, viewer('policy_owner'), 'basic', '5.0', '6.0');
		expect(kinds(draft!.changes)).toEqual([['added', '6', null]]);
	});

	it('is null for another organisation, a 非公開 policy, an unknown version and one without text', async () => {
		expect(await comparePolicyVersions(handle.db, { orgId: otherOrgId, roles: ['admin'] }, 'basic', '4.0', '5.0')).toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer(), 'procedures', '1.0', '2.0')).toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer('admin'), 'procedures', '1.0', '2.0')).not.toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer('admin'), 'basic', '4.0', '9.9')).toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer('admin'), 'basic', '3.0', '5.0')).toBeNull();
		expect(await comparePolicyVersions(handle.db, viewer('admin'), 'nothing', '4.0', '5.0')).toBeNull();
	});

	it('compares in either direction', async () => {
		const back = await comparePolicyVersions(handle.db, viewer(), 'basic', '5.0', '4.0');
		expect(kinds(back!.changes)).toEqual([
			['changed', '1', null],
			['removed', '2.1', null],
			['moved', '2.1', '2.2'],
			['moved', '2.2', '2.3'],
			['added', '3', null],
			['changed', '5', null]
		]);
	});
});

describe('comparableVersions', () => {
	it('lists held versions in order, drafts only for owners, defaulting to the previous version against the one in force', async () => {
		const learner = await comparableVersions(handle.db, viewer(), 'basic');
		expect(learner!.versions.map((v) => v.version)).toEqual(['4.0', '5.0']);
		expect([learner!.defaultFrom, learner!.defaultTo]).toEqual(['4.0', '5.0']);
		const owner = await comparableVersions(handle.db, viewer('policy_owner'), 'basic');
		expect(owner!.versions.map((v) => v.version)).toEqual(['4.0', '5.0', '6.0']);
		expect(await comparableVersions(handle.db, { orgId: otherOrgId, roles: ['admin'] }, 'basic')).toBeNull();
		expect(await comparableVersions(handle.db, viewer(), 'procedures')).toBeNull();
	});

	it('compares the version in force with the draft while one is open, never the draft back to the version in force', async () => {
		// 基本方針: 4.0, 5.0 in force, 6.0 draft.
		const owner = await comparableVersions(handle.db, viewer('policy_owner'), 'basic');
		expect([owner!.defaultFrom, owner!.defaultTo]).toEqual(['5.0', '6.0']);
		// A policy with only its first version and a revision of it under review.
		const [first] = await handle.db.insert(policies).values({ orgId, slug: 'first', title: '初版だけの規程' }).returning();
		await insertVersion(handle.db, { orgId, policyId: first.id, changeKind: 'enacted', version: '1.0', status: 'published' }, v4);
		await insertVersion(handle.db, { orgId, policyId: first.id, changeKind: 'partial', version: '1.1', status: 'in_review' }, v5);
		const approver = await comparableVersions(handle.db, viewer('approver'), 'first');
		expect([approver!.defaultFrom, approver!.defaultTo]).toEqual(['1.0', '1.1']);
		const comparison = await comparePolicyVersions(handle.db, viewer('approver'), 'first', approver!.defaultFrom!, approver!.defaultTo!);
		// In force → draft: the definition the draft adds is added, the threat it drops is removed.
		expect(kinds(comparison!.changes)).toContainEqual(['added', '2.1', null]);
		expect(kinds(comparison!.changes)).toContainEqual(['removed', '3', null]);
		// A learner sees no draft, so there is nothing to compare.
		const learner = await comparableVersions(handle.db, viewer(), 'first');
		expect([learner!.defaultFrom, learner!.defaultTo]).toEqual([null, '1.0']);
	});
});

describe('defaultComparison', () => {
	const v = (version: string, status: PolicyVersionStatus) => ({ version, status });
	const pick = (...versions: ReturnType<typeof v>[]) => defaultComparison(versions)?.map((x) => x.version);
	it('runs from an earlier text to a later one in every arrangement', () => {
		expect(pick(v('1.0', 'published'), v('1.1', 'draft'))).toEqual(['1.0', '1.1']);
		expect(pick(v('1.0', 'superseded'), v('2.0', 'published'), v('2.1', 'returned'))).toEqual(['2.0', '2.1']);
		expect(pick(v('1.0', 'superseded'), v('2.0', 'published'))).toEqual(['1.0', '2.0']);
		expect(pick(v('1.0', 'published'), v('2.0', 'superseded'))).toEqual(['1.0', '2.0']);
		expect(pick(v('1.0', 'superseded'), v('1.1', 'draft'))).toEqual(['1.0', '1.1']);
		expect(pick(v('1.0', 'published'))).toBeUndefined();
	});
});
