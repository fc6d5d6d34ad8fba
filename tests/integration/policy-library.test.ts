import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, policies, policyVersions } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { listPolicies, policyHistory } from '../../src/lib/server/policy/policies';
import { glossaryOf, readPolicy } from '../../src/lib/server/policy/reader';
import { acknowledgeVersion, acknowledgedAt, acknowledgementSummary } from '../../src/lib/server/policy/acknowledge';
import { policyOverview } from '../../src/lib/server/policy/overview';
import { insertVersion } from '../../src/lib/server/policy/versions';

let handle: DbHandle;
let orgId: string;
let otherOrgId: string;
const learner = () => ({ orgId, roles: [] as never[] });

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	otherOrgId = (await makeOrg(handle.db)).id;
	// The real content folder, plus a restricted policy and a restricted section.
	const dir = mkdtempSync(path.join(tmpdir(), 'mamori-content-'));
	cpSync('content', dir, { recursive: true });
	const meta = JSON.parse(readFileSync(path.join(dir, 'policies/basic-policy/policy.json'), 'utf8'));
	meta.restrictedSections = { '10': ['policy_owner'] };
	writeFileSync(path.join(dir, 'policies/basic-policy/policy.json'), JSON.stringify(meta));
	cpSync(path.join(dir, 'policies/basic-policy'), path.join(dir, 'policies/procedures'), { recursive: true });
	writeFileSync(
		path.join(dir, 'policies/procedures/policy.json'),
		JSON.stringify({
			slug: 'procedures',
			title: '情報セキュリティ実施手順',
			restrictedTo: ['policy_owner', 'admin'],
			versions: [{ version: '1.0', date: '令和7年4月1日', kind: '新規制定', reason: '', file: 'v5.0.md' }]
		})
	);
	const first = await syncPolicyContent(handle.db, orgId, dir);
	expect(first.added).toContain('basic-policy@5.0');
	const again = await syncPolicyContent(handle.db, orgId, dir);
	expect(again.added).toEqual([]);
});
afterAll(() => handle?.close());

describe('content of 基本方針 第5.0版', () => {
	it('holds the 改訂履歴 as the document has it, with only 第5.0版 in force and with text', async () => {
		const [policy] = await handle.db
			.select()
			.from(policies)
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
		const history = await policyHistory(handle.db, policy.id);
		expect(history.map((v) => [v.version, v.dateLabel, v.changeKind, v.textHeld, v.status])).toEqual([
			['1.0', '平成17年3月', 'enacted', false, 'superseded'],
			['2.0', '平成28年8月1日', 'partial', false, 'superseded'],
			['3.0', '令和元年11月6日', 'partial', false, 'superseded'],
			['4.0', '令和5年3月14日', 'partial', false, 'superseded'],
			['5.0', '令和7年11月25日', 'partial', true, 'published']
		]);
		expect(history[4].effectiveDate).toBe('2025-11-25');
		expect(history[0].effectiveDate).toBeNull();
		expect(history[4].reason).toBe('総務省情報セキュリティガイドライン (令和 7 年 3 月版) に合わせて一部改訂');
	});

	it('reads with every section, stable anchors, labels and the exact wording', async () => {
		const doc = await readPolicy(handle.db, { orgId, roles: ['policy_owner'] }, 'basic-policy');
		expect(doc).not.toBeNull();
		const keys = doc!.sections.map((s) => s.key);
		for (const k of ['1', '2', '2.1', '2.8', '2.12', '3.5', '4.2.3', '5', '6.3.2', '6.8', '6.9', '7', '8', '9', '10']) expect(keys).toContain(k);
		expect(doc!.sections.filter((s) => s.level === 1)).toHaveLength(10);
		const s632 = doc!.sections.find((s) => s.key === '6.3.2')!;
		expect(s632.label).toBe('②');
		expect(s632.anchor).toBe('s-6.3.2');
		const text = (html: string) => html.replace(/<[^>]+>/g, '');
		expect(text(s632.html)).toContain('LGWAN 接続系においては、LGWAN と接続する業務用システムと、インターネット接続系の情報システムとの通信経路を分割する。');
		expect(doc!.sections.find((s) => s.key === '2.8')!.label).toBe('(8)');
		expect(text(doc!.sections.find((s) => s.key === '8')!.html)).toContain('脅威の発生が可能性及び発生時の損失等を分析し');
	});

	it('turns section 2 into a glossary whose terms link to their definitions elsewhere', async () => {
		const doc = await readPolicy(handle.db, { orgId, roles: [] }, 'basic-policy');
		const terms = doc!.glossary.map((g) => g.term);
		expect(terms).toEqual(expect.arrayContaining(['ネットワーク', '機密性', 'マイナンバー利用事務系', '個人番号利用事務系', 'LGWAN 接続系', '無害化通信']));
		const s632 = doc!.sections.find((s) => s.key === '6.3.2')!;
		expect(s632.html).toContain('<a class="term" href="#s-2.12">無害化通信</a>');
		// A definition does not link to itself.
		expect(doc!.sections.find((s) => s.key === '2.12')!.html).not.toContain('href="#s-2.12"');
		expect(
			glossaryOf([
				{ key: '2', heading: '定義' },
				{ key: '2.1', heading: '甲（乙）' }
			]).map((g) => g.term)
		).toEqual(['甲', '乙']);
	});
});

describe('非公開', () => {
	it('hides a restricted policy and a restricted section from those it does not name', async () => {
		const asLearner = await listPolicies(handle.db, learner());
		expect(asLearner.map((p) => p.policy.slug)).toEqual(['basic-policy']);
		expect(await readPolicy(handle.db, learner(), 'procedures')).toBeNull();
		const asOwner = await listPolicies(handle.db, { orgId, roles: ['policy_owner'] });
		expect(asOwner.map((p) => p.policy.slug).sort()).toEqual(['basic-policy', 'incident-procedure', 'procedures']);

		const learnerDoc = await readPolicy(handle.db, learner(), 'basic-policy');
		expect(learnerDoc!.sections.map((s) => s.key)).not.toContain('10');
		const ownerDoc = await readPolicy(handle.db, { orgId, roles: ['policy_owner'] }, 'basic-policy');
		expect(ownerDoc!.sections.map((s) => s.key)).toContain('10');
	});

	it('shows nothing of one organisation to another', async () => {
		expect(await listPolicies(handle.db, { orgId: otherOrgId, roles: ['admin'] })).toEqual([]);
		expect(await readPolicy(handle.db, { orgId: otherOrgId, roles: ['admin', 'policy_owner'] }, 'basic-policy')).toBeNull();
	});

	it('does not show a superseded version without text, nor a draft to a learner', async () => {
		expect(await readPolicy(handle.db, learner(), 'basic-policy', '4.0')).toBeNull();
		expect(await readPolicy(handle.db, learner(), 'basic-policy', '9.9')).toBeNull();
	});
});

describe('acknowledgement', () => {
	it('records person, version and time once, only for the version in force, and counts by department', async () => {
		const db = handle.db;
		const bu = await makeDepartment(db, orgId, '200', '市民部');
		const ka = await makeDepartment(db, orgId, '210', '市民課', bu.id);
		const other = await makeDepartment(db, orgId, '300', '福祉部');
		const a = await makePerson(db, orgId, { employeeNumber: 'k1', departmentId: ka.id });
		const b = await makePerson(db, orgId, { employeeNumber: 'k2', departmentId: ka.id, employmentType: 'contractor' });
		const c = await makePerson(db, orgId, { employeeNumber: 'k3', departmentId: other.id, employmentType: 'fiscal_year' });
		const [inForce] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.status, 'published'), eq(policyVersions.version, '5.0')));
		const [old] = await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.version, '4.0')));

		expect(await acknowledgeVersion(db, { orgId, personId: a.id, roles: [] }, old.id)).toEqual({ ok: false, problem: 'not_in_force' });
		// A 非公開 policy's version answers exactly as one that does not exist, for those it does not name.
		const [restricted] = await db
			.select({ id: policyVersions.id })
			.from(policyVersions)
			.innerJoin(policies, eq(policies.id, policyVersions.policyId))
			.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'procedures'), eq(policyVersions.status, 'published')));
		expect(await acknowledgeVersion(db, { orgId, personId: a.id, roles: ['supervisor'] }, restricted.id)).toEqual({ ok: false, problem: 'not_in_force' });
		expect(await acknowledgeVersion(db, { orgId, personId: a.id, roles: [] }, '00000000-0000-4000-8000-000000000000')).toEqual({
			ok: false,
			problem: 'not_in_force'
		});
		expect(await acknowledgedAt(db, a.id, restricted.id)).toBeNull();
		expect((await acknowledgeVersion(db, { orgId, personId: b.id, roles: ['policy_owner'] }, restricted.id)).ok).toBe(true);
		// Another organisation cannot acknowledge this one's version.
		expect(await acknowledgeVersion(db, { orgId: otherOrgId, personId: a.id, roles: [] }, inForce.id)).toEqual({ ok: false, problem: 'not_in_force' });
		const first = await acknowledgeVersion(db, { orgId, personId: a.id, roles: [], ip: '10.1.1.1' }, inForce.id);
		const second = await acknowledgeVersion(db, { orgId, personId: a.id, roles: [] }, inForce.id);
		expect(first.ok && second.ok && first.at.getTime() === second.at.getTime()).toBe(true);
		expect(await acknowledgedAt(db, a.id, inForce.id)).toEqual(first.ok ? first.at : null);
		const events = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'policy.acknowledge'), eq(auditEvents.actorId, a.id)));
		expect(events).toHaveLength(1);

		const overview = await policyOverview(db, { orgId, roles: [], personId: a.id });
		expect(overview.find((p) => p.slug === 'basic-policy')!.acknowledgedAt).not.toBeNull();
		expect((await policyOverview(db, { orgId, roles: [], personId: b.id })).find((p) => p.slug === 'basic-policy')!.acknowledgedAt).toBeNull();

		const whole = await acknowledgementSummary(db, orgId, inForce.id, null);
		expect([whole.total, whole.acknowledged]).toEqual([3, 1]);
		expect(whole.missing.map((p) => p.employeeNumber).sort()).toEqual(['k2', 'k3']);
		const ofKa = await acknowledgementSummary(db, orgId, inForce.id, [ka.id]);
		expect([ofKa.total, ofKa.acknowledged]).toEqual([2, 1]);
		expect(ofKa.missing.map((p) => p.employeeNumber)).toEqual(['k2']);
		expect(ofKa.byDepartment).toEqual([{ departmentId: ka.id, code: '210', name: '市民課', total: 2, acknowledged: 1 }]);
		expect((await acknowledgementSummary(db, orgId, inForce.id, [])).total).toBe(0);
		void c;

		// A new version in force: everyone's acknowledgement is due again.
		await db.update(policyVersions).set({ status: 'superseded' }).where(eq(policyVersions.id, inForce.id));
		await insertVersion(db, { orgId, policyId: inForce.policyId, version: '5.1', status: 'published', changeKind: 'partial' }, [
			{ key: '1', level: 1, heading: '目的', body: '改訂後の本文' }
		]);
		const afterPublish = await policyOverview(db, { orgId, roles: [], personId: a.id });
		expect(afterPublish.find((p) => p.slug === 'basic-policy')).toMatchObject({ inForce: { version: '5.1' }, acknowledgedAt: null });
		expect(await acknowledgeVersion(db, { orgId, personId: a.id, roles: [] }, inForce.id)).toEqual({ ok: false, problem: 'not_in_force' });
	});
});
