import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import {
	auditEvents,
	policies,
	policySections,
	policyVersions,
	policyVersionStatuses,
	revisionEvents,
	type PolicyVersionStatus,
	type Role
} from '../../src/lib/server/db/schema';
import { defaultContentDir, syncPolicyContent } from '../../src/lib/server/policy/content';
import { policyHistory, versionInForce } from '../../src/lib/server/policy/policies';
import { readPolicy } from '../../src/lib/server/policy/reader';
import { policyOverview } from '../../src/lib/server/policy/overview';
import { acknowledgeVersion } from '../../src/lib/server/policy/acknowledge';
import { insertVersion } from '../../src/lib/server/policy/versions';
import type { RevisionActor } from '../../src/lib/server/revision/common';
import {
	addSection,
	discardRevision,
	listRevisions,
	loadRevision,
	moveSection,
	removeSection,
	saveMetadata,
	saveSection,
	startablePolicies,
	startRevision
} from '../../src/lib/server/revision/drafts';
import { addComment, findMove, publishRevision, revisionCommentsOf, revisionHistory, transition } from '../../src/lib/server/revision/workflow';
import { nextVersionLabel } from '../../src/lib/server/revision/numbering';
import { evidenceView } from '../../src/lib/server/revision/evidence';
import { revisionComparison } from '../../src/lib/server/revision/review';
import { formatIsoDate, formatWareki } from '../../src/lib/format/wareki';

let handle: DbHandle;
let orgId: string;
let basicPolicyId: string;
const who: Record<string, RevisionActor> = {};

const evidence = {
	kind: 'weak_spots',
	takenAt: '2025-12-01T00:00:00.000Z',
	filter: { fiscalYear: 2025 },
	campaigns: [{ id: 'c1', title: '令和7年度 情報セキュリティ研修', fiscalYear: 2025 }],
	people: 120,
	minGroupPeople: 5,
	section: {
		key: '5',
		label: '5',
		heading: '職員等の遵守義務',
		answers: 240,
		errors: 96,
		errorRate: 0.4,
		interval: { low: 0.34, high: 0.46 },
		rank: 1,
		of: 12
	},
	questions: [{ stem: 'USBメモリの持ち出しは…', sectionKeys: ['5'], answers: 120, errors: 60, errorRate: 0.5, interval: { low: 0.41, high: 0.59 } }],
	byDepartment: [{ key: 'd1', name: '総務課', suppressed: true }],
	byEmploymentType: [{ key: 'regular', suppressed: false, answers: 200, errors: 70, errorRate: 0.35, interval: { low: 0.29, high: 0.42 } }]
};

async function person(key: string, roles: Role[]) {
	const p = await makePerson(handle.db, orgId, { employeeNumber: key, name: `職員 ${key}`, roles });
	who[key] = { orgId, personId: p.id, roles, ip: null };
	return who[key];
}

async function sectionsOf(versionId: string) {
	return handle.db.select().from(policySections).where(eq(policySections.versionId, versionId)).orderBy(policySections.position);
}

async function statusOf(versionId: string) {
	const [v] = await handle.db.select().from(policyVersions).where(eq(policyVersions.id, versionId));
	return v;
}

/** A small policy of its own, so a test can move its revision freely. */
async function smallPolicy(slug: string) {
	const [policy] = await handle.db
		.insert(policies)
		.values({ orgId, slug, title: `${slug} 方針` })
		.returning();
	await insertVersion(handle.db, { orgId, policyId: policy.id, version: '1.0', status: 'published', changeKind: 'enacted', effectiveDate: '2024-04-01' }, [
		{ key: '1', level: 1, heading: '目的', body: '目的を定める。' },
		{ key: '2', level: 1, heading: '対象', body: '全職員を対象とする。' }
	]);
	return policy.id;
}

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	await syncPolicyContent(handle.db, orgId, defaultContentDir);
	const [basic] = await handle.db
		.select()
		.from(policies)
		.where(and(eq(policies.orgId, orgId), eq(policies.slug, 'basic-policy')));
	basicPolicyId = basic.id;
	await person('owner', ['policy_owner']);
	await person('owner2', ['policy_owner']);
	await person('approver', ['approver']);
	await person('approver2', ['approver']);
	await person('admin', ['admin']);
	await person('admin2', ['admin']);
	await person('learner', []);
});
afterAll(() => handle?.close());

describe('numbering', () => {
	it('takes the next minor for 一部改訂 and the next major for 全部改訂', () => {
		expect(nextVersionLabel('5.0', 'partial')).toBe('5.1');
		expect(nextVersionLabel('5.9', 'partial')).toBe('5.10');
		expect(nextVersionLabel('5.2', 'full')).toBe('6.0');
		expect(nextVersionLabel('5', 'partial')).toBe('5.1');
	});
});

describe('the 基本方針 revised and published', () => {
	let draftId: string;

	it('starts a draft of 5.1 from the version in force, with the evidence frozen', async () => {
		const base = (await versionInForce(handle.db, basicPolicyId))!;
		expect(base.version).toBe('5.0');
		const started = await startRevision(handle.db, who.owner, { policyId: basicPolicyId, evidence, sectionKey: '5' });
		expect(started).toMatchObject({ ok: true, created: true, sectionKey: '5' });
		if (!started.ok) return;
		draftId = started.versionId;
		const draft = await statusOf(draftId);
		expect(draft).toMatchObject({
			status: 'draft',
			version: '5.1',
			changeKind: 'partial',
			basedOnVersionId: base.id,
			createdBy: who.owner.personId,
			textHeld: true
		});
		expect(draft.evidence).toEqual(evidence);
		const copied = await sectionsOf(draftId);
		const original = await sectionsOf(base.id);
		expect(copied.length).toBe(original.length);
		expect(copied.length).toBeGreaterThan(40);
		expect(copied.map((s) => [s.key, s.level, s.label, s.heading, s.body])).toEqual(original.map((s) => [s.key, s.level, s.label, s.heading, s.body]));
		expect(copied.every((s) => s.rev === 0)).toBe(true);
		const events = await revisionHistory(handle.db, orgId, draftId);
		expect(events).toMatchObject([{ from: null, to: 'draft', actor: '職員 owner' }]);
	});

	it('keeps one open revision per policy: starting again returns it, evidence unchanged', async () => {
		const again = await startRevision(handle.db, who.owner2, { policyId: basicPolicyId, evidence: { other: 1 } });
		expect(again).toMatchObject({ ok: true, created: false, versionId: draftId });
		const both = await Promise.all([
			startRevision(handle.db, who.admin, { policyId: basicPolicyId }),
			startRevision(handle.db, who.owner, { policyId: basicPolicyId })
		]);
		expect(both.map((r) => r.ok && r.versionId)).toEqual([draftId, draftId]);
		expect((await statusOf(draftId)).evidence).toEqual(evidence);
		const drafts = await handle.db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.policyId, basicPolicyId), eq(policyVersions.status, 'draft')));
		expect(drafts).toHaveLength(1);
	});

	it('lets only policy owners and admins start', async () => {
		expect(await startRevision(handle.db, who.learner, { policyId: basicPolicyId })).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await startRevision(handle.db, who.approver, { policyId: basicPolicyId })).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await startRevision(handle.db, who.owner, { policyId: 'nope' })).toMatchObject({ ok: false, problem: 'not_found' });
	});

	it('lists the open revision and the policies that can be revised', async () => {
		const list = await listRevisions(handle.db, { orgId, roles: ['approver'] });
		expect(list.open.map((r) => [r.policySlug, r.version, r.status])).toEqual([['basic-policy', '5.1', 'draft']]);
		expect(await listRevisions(handle.db, { orgId, roles: [] })).toEqual({ open: [], published: [] });
		const startable = await startablePolicies(handle.db, { orgId, roles: ['policy_owner'] });
		expect(startable.find((p) => p.slug === 'basic-policy')).toMatchObject({ version: '5.0', openRevisionId: draftId });
		const loaded = await loadRevision(handle.db, { orgId, roles: ['approver'] }, draftId);
		expect(loaded?.revision).toMatchObject({ version: '5.1', basedOn: { version: '5.0' }, createdBy: { name: '職員 owner' } });
		expect(await loadRevision(handle.db, { orgId, roles: [] }, draftId)).toBeNull();
	});

	it('lays the frozen evidence out for reading', () => {
		const view = evidenceView(evidence)!;
		expect(view.section).toMatchObject({ key: '5', answers: 240, errorRate: 0.4, low: 0.34, high: 0.46, rank: 1, of: 12 });
		expect(view.campaigns).toEqual(['令和7年度 情報セキュリティ研修']);
		expect(view.questions[0]).toMatchObject({ stem: 'USBメモリの持ち出しは…', answers: 120, errorRate: 0.5 });
		expect(view.byDepartment[0]).toMatchObject({ name: '総務課', suppressed: true, answers: null });
		expect(view.other).toEqual([]);
		expect(evidenceView({ note: '監査指摘', count: 3 })!.other).toEqual([
			{ key: 'note', value: '監査指摘' },
			{ key: 'count', value: '3' }
		]);
		expect(evidenceView(null)).toBeNull();
	});

	it('saves a section only at the revision it was loaded at; the later save gets both texts and overwrites nothing', async () => {
		const [duty] = (await sectionsOf(draftId)).filter((s) => s.key === '5');
		const mine = { rev: duty.rev, label: duty.label, heading: duty.heading, body: `${duty.body}\n\n私物の記録媒体を業務に使用してはならない。` };
		const first = await saveSection(handle.db, who.owner, draftId, '5', mine);
		expect(first).toMatchObject({ ok: true, rev: 1, changed: true });

		const theirs = { rev: duty.rev, label: duty.label, heading: duty.heading, body: `${duty.body}\n\n研修を受講しなければならない。` };
		const second = await saveSection(handle.db, who.owner2, draftId, '5', theirs);
		expect(second.ok).toBe(false);
		if (second.ok || second.problem !== 'conflict') throw new Error('expected a conflict');
		expect(second.theirs).toMatchObject({ body: mine.body, rev: 1, updatedBy: { id: who.owner.personId, name: '職員 owner' } });
		expect(second.theirs!.updatedAt).toBeInstanceOf(Date);
		let [stored] = (await sectionsOf(draftId)).filter((s) => s.key === '5');
		expect(stored).toMatchObject({ body: mine.body, rev: 1, updatedBy: who.owner.personId });

		// The same text saved again is no conflict and no write.
		expect(await saveSection(handle.db, who.owner2, draftId, '5', { ...mine, rev: 0 })).toMatchObject({ ok: true, rev: 1, changed: false });
		// Merged, at the revision now stored.
		const merged = { ...mine, rev: 1, body: `${mine.body}\n研修を受講しなければならない。` };
		expect(await saveSection(handle.db, who.owner2, draftId, '5', merged)).toMatchObject({ ok: true, rev: 2 });
		[stored] = (await sectionsOf(draftId)).filter((s) => s.key === '5');
		expect(stored).toMatchObject({ body: merged.body, rev: 2, updatedBy: who.owner2.personId });
	});

	it('saves only for editors, and refuses oversized text', async () => {
		const edit = { rev: 2, label: '5', heading: 'x', body: 'y' };
		expect(await saveSection(handle.db, who.approver, draftId, '5', edit)).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await saveSection(handle.db, who.owner, draftId, '5', { ...edit, heading: 'あ'.repeat(201) })).toMatchObject({
			ok: false,
			problem: 'heading_too_long'
		});
		expect(await saveSection(handle.db, who.owner, draftId, 'no-such', edit)).toMatchObject({ ok: false, problem: 'conflict', theirs: null });
	});

	it('checks the metadata the same way', async () => {
		const loaded = (await loadRevision(handle.db, { orgId, roles: ['policy_owner'] }, draftId))!;
		const token = loaded.revision.metaToken;
		const saved = await saveMetadata(handle.db, who.owner, draftId, { token, version: '5.1', changeKind: 'partial', reason: '記録媒体の取扱いを明確化' });
		expect(saved).toMatchObject({ ok: true, version: '5.1', changed: true });
		const stale = await saveMetadata(handle.db, who.owner2, draftId, { token, version: '5.1', changeKind: 'partial', reason: '別の理由' });
		expect(stale).toMatchObject({ ok: false, problem: 'conflict', theirs: { reason: '記録媒体の取扱いを明確化', editedBy: { name: '職員 owner' } } });
		expect((await statusOf(draftId)).reason).toBe('記録媒体の取扱いを明確化');
		if (!saved.ok) return;

		// 区分 moves the proposed label along, and back.
		const full = await saveMetadata(handle.db, who.owner, draftId, {
			token: saved.token,
			version: '5.1',
			changeKind: 'full',
			reason: '記録媒体の取扱いを明確化'
		});
		expect(full).toMatchObject({ ok: true, version: '6.0' });
		if (!full.ok) return;
		const partial = await saveMetadata(handle.db, who.owner, draftId, {
			token: full.token,
			version: '6.0',
			changeKind: 'partial',
			reason: '記録媒体の取扱いを明確化'
		});
		expect(partial).toMatchObject({ ok: true, version: '5.1' });
		if (!partial.ok) return;
		const meta = { token: partial.token, changeKind: 'partial', reason: '記録媒体の取扱いを明確化' };
		expect(await saveMetadata(handle.db, who.owner, draftId, { ...meta, version: 'abc' })).toMatchObject({ ok: false, problem: 'bad_version' });
		expect(await saveMetadata(handle.db, who.owner, draftId, { ...meta, version: '5.0' })).toMatchObject({ ok: false, problem: 'version_taken' });
		expect(await saveMetadata(handle.db, who.owner, draftId, { ...meta, version: '4.5' })).toMatchObject({ ok: false, problem: 'version_behind' });
		expect(await saveMetadata(handle.db, who.owner, draftId, { ...meta, version: '5.1', changeKind: 'enacted' })).toMatchObject({
			ok: false,
			problem: 'bad_kind'
		});
	});

	it('adds, moves and removes sections', async () => {
		const keys = async () => (await sectionsOf(draftId)).map((s) => s.key);
		// Deeper than the section it follows: right after it, as its first sub-item.
		expect(
			await addSection(handle.db, who.owner, draftId, {
				key: '5.1',
				level: 2,
				label: '',
				heading: '記録媒体',
				body: '私物の記録媒体は使用しない。',
				after: '5'
			})
		).toEqual({
			ok: true,
			key: '5.1'
		});
		// The same level: after the section and all its sub-items.
		expect(
			await addSection(handle.db, who.owner, draftId, { key: '11', level: 1, label: '11', heading: '見直しの周期', body: '毎年見直す。', after: '6' })
		).toEqual({
			ok: true,
			key: '11'
		});
		let order = await keys();
		expect(order.slice(order.indexOf('5'), order.indexOf('5') + 3)).toEqual(['5', '5.1', '6']);
		expect(order[order.indexOf('11') - 1]).toBe('6.9');
		expect(order[order.indexOf('11') + 1]).toBe('7');
		const added = (await sectionsOf(draftId)).find((s) => s.key === '5.1')!;
		expect(added).toMatchObject({ label: '(1)', level: 2, updatedBy: who.owner.personId });

		const base = { level: 1, label: '', heading: 'x', body: '', after: '6' };
		expect(await addSection(handle.db, who.owner, draftId, { ...base, key: '11' })).toMatchObject({ ok: false, problem: 'key_taken' });
		expect(await addSection(handle.db, who.owner, draftId, { ...base, key: 'a b' })).toMatchObject({ ok: false, problem: 'bad_key' });
		expect(await addSection(handle.db, who.owner, draftId, { ...base, key: '12', level: 9 })).toMatchObject({ ok: false, problem: 'bad_level' });
		expect(await addSection(handle.db, who.owner, draftId, { ...base, key: '12', after: '99' })).toMatchObject({ ok: false, problem: 'unknown_after' });

		// 8 moves up past 11 and 7 (7 keeps its place relative to 6's sub-items).
		expect(await moveSection(handle.db, who.owner, draftId, '8', 'up')).toEqual({ ok: true });
		order = await keys();
		expect(order.slice(order.indexOf('11'), order.indexOf('11') + 3)).toEqual(['11', '8', '7']);
		// 6 moves down with its sub-items past 11.
		expect(await moveSection(handle.db, who.owner, draftId, '6', 'down')).toEqual({ ok: true });
		order = await keys();
		expect(order.indexOf('11')).toBeLessThan(order.indexOf('6'));
		expect(order.slice(order.indexOf('6'), order.indexOf('6') + 2)).toEqual(['6', '6.1']);
		expect(order[order.indexOf('6.9') + 1]).toBe('8');
		expect(await moveSection(handle.db, who.owner, draftId, '6', 'up')).toEqual({ ok: true });
		expect(await moveSection(handle.db, who.owner, draftId, '6.1', 'up')).toMatchObject({ ok: false, problem: 'cannot_move' });
		expect(await moveSection(handle.db, who.owner, draftId, '1', 'up')).toMatchObject({ ok: false, problem: 'cannot_move' });

		expect(await removeSection(handle.db, who.owner, draftId, '6', 0)).toMatchObject({ ok: false, problem: 'has_children' });
		// Someone edited 5.1 since it was loaded: no removal.
		await saveSection(handle.db, who.owner2, draftId, '5.1', { rev: 0, label: '(1)', heading: '記録媒体', body: '私物の記録媒体は原則として使用しない。' });
		expect(await removeSection(handle.db, who.owner, draftId, '5.1', 0)).toMatchObject({ ok: false, problem: 'conflict', theirs: { rev: 1 } });
		expect(await removeSection(handle.db, who.owner, draftId, '5.1', 1)).toEqual({ ok: true });
		expect(await keys()).not.toContain('5.1');
		const removed = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'revision.edit.remove'), eq(auditEvents.targetId, draftId)));
		expect(removed[0].detail).toMatchObject({ key: '5.1', body: '私物の記録媒体は原則として使用しない。' });
	});

	it('compares the draft with the version in force', async () => {
		const loaded = (await loadRevision(handle.db, { orgId, roles: ['approver'] }, draftId))!;
		const comparison = (await revisionComparison(handle.db, { orgId, roles: ['approver'] }, loaded.revision))!;
		// From the version in force to the draft: what the draft adds is added, not removed.
		expect([comparison.from.version, comparison.to.version]).toEqual(['5.0', '5.1']);
		const changed = comparison.changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.kind, c.key]);
		expect(changed).toContainEqual(['changed', '5']);
		expect(changed).toContainEqual(['added', '11']);
		expect(comparison.summary.added).toBe(1);
	});

	it('goes through review: submit, return with a reason, resubmit, comments, approve', async () => {
		expect(await transition(handle.db, who.approver, draftId, 'in_review')).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await transition(handle.db, who.owner, draftId, 'in_review', '確認をお願いします')).toEqual({ ok: true, from: 'draft', to: 'in_review' });
		// Editing stops in review.
		expect(await saveSection(handle.db, who.owner, draftId, '1', { rev: 0, label: '1', heading: '目的', body: '変更' })).toMatchObject({
			ok: false,
			problem: 'not_editable'
		});
		expect(await addSection(handle.db, who.owner, draftId, { key: '12', level: 1, label: '', heading: 'x', body: '', after: null })).toMatchObject({
			ok: false,
			problem: 'not_editable'
		});

		// Comments: reviewers on a section or the whole; owners only reply.
		expect(await addComment(handle.db, who.owner, draftId, { sectionKey: '5', body: '補足します' })).toMatchObject({ ok: false, problem: 'reply_only' });
		expect(await addComment(handle.db, who.approver, draftId, { sectionKey: '5', body: '「私物」の範囲を明確にしてください。' })).toMatchObject({ ok: true });
		expect(await addComment(handle.db, who.owner, draftId, { sectionKey: '5', body: '定義を追加します。' })).toMatchObject({ ok: true });
		expect(await addComment(handle.db, who.approver2, draftId, { sectionKey: null, body: '全体として妥当です。' })).toMatchObject({ ok: true });
		expect(await addComment(handle.db, who.approver, draftId, { sectionKey: 'zz', body: 'x' })).toMatchObject({ ok: false, problem: 'unknown_section' });
		expect(await addComment(handle.db, who.approver, draftId, { sectionKey: '5', body: '   ' })).toMatchObject({ ok: false, problem: 'comment_empty' });
		expect(await addComment(handle.db, who.learner, draftId, { sectionKey: null, body: 'x' })).toMatchObject({ ok: false, problem: 'not_found' });
		const comments = await revisionCommentsOf(handle.db, orgId, draftId);
		expect(comments.map((c) => [c.sectionKey, c.author])).toEqual([
			['5', '職員 approver'],
			['5', '職員 owner'],
			[null, '職員 approver2']
		]);

		expect(await transition(handle.db, who.approver, draftId, 'returned', '  ')).toMatchObject({ ok: false, problem: 'comment_required' });
		expect(await transition(handle.db, who.owner, draftId, 'returned', '直します')).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await transition(handle.db, who.approver, draftId, 'returned', '定義を追加してください。')).toMatchObject({ ok: true, to: 'returned' });
		// Reviewers no longer comment; the owner may still reply.
		expect(await addComment(handle.db, who.approver, draftId, { sectionKey: '5', body: 'x' })).toMatchObject({ ok: false, problem: 'not_in_review' });
		expect(await addComment(handle.db, who.owner, draftId, { sectionKey: '5', body: '追加しました。' })).toMatchObject({ ok: true });
		const [duty] = (await sectionsOf(draftId)).filter((s) => s.key === '5');
		expect(
			await saveSection(handle.db, who.owner, draftId, '5', {
				rev: duty.rev,
				label: duty.label,
				heading: duty.heading,
				body: `${duty.body}\n（私物とは、本市が貸与していないものをいう。）`
			})
		).toMatchObject({
			ok: true
		});
		expect(await transition(handle.db, who.owner, draftId, 'in_review')).toMatchObject({ ok: true, from: 'returned', to: 'in_review' });

		// The authors may not approve: owner2 edited it (and is no approver anyway), the admin may.
		expect(await transition(handle.db, who.owner, draftId, 'approved')).toMatchObject({ ok: false, problem: 'forbidden' });
		// Two approvals at once: exactly one succeeds.
		const both = await Promise.all([
			transition(handle.db, who.approver, draftId, 'approved', '承認します'),
			transition(handle.db, who.approver2, draftId, 'approved')
		]);
		expect(both.filter((r) => r.ok)).toHaveLength(1);
		expect(both.find((r) => !r.ok)).toMatchObject({ problem: 'illegal_move', params: { from: 'approved', to: 'approved' } });
		expect((await statusOf(draftId)).status).toBe('approved');
		expect(await saveMetadata(handle.db, who.owner, draftId, { token: 'x', version: '5.1', changeKind: 'partial', reason: '' })).toMatchObject({
			ok: false,
			problem: 'not_editable'
		});
	});

	it('records every move as an event and an audit event', async () => {
		const events = await revisionHistory(handle.db, orgId, draftId);
		expect(events.map((e) => [e.from, e.to])).toEqual([
			[null, 'draft'],
			['draft', 'in_review'],
			['in_review', 'returned'],
			['returned', 'in_review'],
			['in_review', 'approved']
		]);
		expect(events[1]).toMatchObject({ actor: '職員 owner', comment: '確認をお願いします' });
		expect(events[2]).toMatchObject({ actor: '職員 approver', comment: '定義を追加してください。' });
		expect(events.every((e) => e.at instanceof Date)).toBe(true);
		const audit = await handle.db
			.select({ action: auditEvents.action })
			.from(auditEvents)
			.where(and(eq(auditEvents.targetId, draftId), like(auditEvents.action, 'revision.%')))
			.orderBy(auditEvents.id);
		const moves = audit.map((a) => a.action).filter((a) => !a.startsWith('revision.edit.') && a !== 'revision.comment');
		expect(moves).toEqual(['revision.start', 'revision.submit', 'revision.return', 'revision.resubmit', 'revision.approve']);
	});

	it('publishes as 5.1: the previous version becomes 旧版, history lists it, acknowledgements are due again', async () => {
		const before = (await versionInForce(handle.db, basicPolicyId))!;
		const ack = await acknowledgeVersion(handle.db, { orgId, personId: who.learner.personId, roles: [] }, before.id);
		expect(ack.ok).toBe(true);
		expect(await publishRevision(handle.db, who.owner, draftId)).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await publishRevision(handle.db, who.approver, draftId, { effectiveDate: '2026-02-30' })).toMatchObject({ ok: false, problem: 'bad_date' });
		expect((await statusOf(draftId)).status).toBe('approved');

		const published = await publishRevision(handle.db, who.approver, draftId);
		expect(published).toMatchObject({ ok: true, from: 'approved', to: 'published', published: { version: '5.1', previousVersionId: before.id } });
		if (!published.ok) return;
		const today = formatIsoDate(new Date());
		expect(published.published).toMatchObject({ effectiveDate: today, dateLabel: formatWareki(today) });
		expect(published.published!.retraining.changedSectionKeys).toEqual(expect.arrayContaining(['5', '11']));

		const now = await statusOf(draftId);
		expect(now).toMatchObject({ status: 'published', version: '5.1', effectiveDate: today, dateLabel: formatWareki(today) });
		expect(now.publishedAt).toBeInstanceOf(Date);
		expect((await statusOf(before.id)).status).toBe('superseded');
		expect(await transition(handle.db, who.approver, draftId, 'published')).toMatchObject({ ok: false, problem: 'illegal_move' });

		const history = await policyHistory(handle.db, basicPolicyId);
		expect(history.map((v) => [v.version, v.status])).toEqual([
			['1.0', 'superseded'],
			['2.0', 'superseded'],
			['3.0', 'superseded'],
			['4.0', 'superseded'],
			['5.0', 'superseded'],
			['5.1', 'published']
		]);
		// 旧版 stays readable by everyone.
		const old = await readPolicy(handle.db, { orgId, roles: [] }, 'basic-policy', '5.0');
		expect(old?.version.status).toBe('superseded');
		const current = await readPolicy(handle.db, { orgId, roles: [] }, 'basic-policy');
		expect(current?.version.version).toBe('5.1');
		expect(current?.sections.some((s) => s.key === '11')).toBe(true);

		const overview = await policyOverview(handle.db, { orgId, roles: [], personId: who.learner.personId });
		expect(overview.find((p) => p.slug === 'basic-policy')).toMatchObject({ inForce: { version: '5.1' }, acknowledgedAt: null });
		expect(await acknowledgeVersion(handle.db, { orgId, personId: who.learner.personId, roles: [] }, before.id)).toEqual({
			ok: false,
			problem: 'not_in_force'
		});

		const list = await listRevisions(handle.db, { orgId, roles: ['admin'] });
		expect(list.open).toEqual([]);
		expect(list.published.map((r) => r.version)).toEqual(['5.1']);
		const events = await revisionHistory(handle.db, orgId, draftId);
		expect(events.at(-1)).toMatchObject({ from: 'approved', to: 'published', actor: '職員 approver' });
	});

	it('does not let a content sync at restart undo the publication', async () => {
		const result = await syncPolicyContent(handle.db, orgId, defaultContentDir);
		expect(result.added).toEqual([]);
		expect((await versionInForce(handle.db, basicPolicyId))?.version).toBe('5.1');

		// content/ gaining a version the app has not seen, but older than the one in force.
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-content-'));
		try {
			const folder = path.join(dir, 'policies', 'basic-policy');
			cpSync(path.join(defaultContentDir, 'policies', 'basic-policy'), folder, { recursive: true });
			const meta = JSON.parse(readFileSync(path.join(folder, 'policy.json'), 'utf8'));
			meta.versions.push({ version: '5.0.1', date: '令和7年12月1日', kind: '一部改訂', reason: '字句の訂正', file: 'v5.0.md' });
			writeFileSync(path.join(folder, 'policy.json'), JSON.stringify(meta));
			const synced = await syncPolicyContent(handle.db, orgId, dir);
			expect(synced.added).toEqual(['basic-policy@5.0.1']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		const history = await policyHistory(handle.db, basicPolicyId);
		expect(history.filter((v) => v.status === 'published').map((v) => v.version)).toEqual(['5.1']);
		expect(history.find((v) => v.version === '5.0.1')?.status).toBe('superseded');
	});

	it('numbers a 全部改訂 as the next major, refuses a taken or older number, and takes a custom one', async () => {
		const started = await startRevision(handle.db, who.owner, { policyId: basicPolicyId });
		if (!started.ok) throw new Error('not started');
		expect((await statusOf(started.versionId)).version).toBe('5.2');
		const loaded = (await loadRevision(handle.db, { orgId, roles: ['policy_owner'] }, started.versionId))!;
		const meta = await saveMetadata(handle.db, who.owner, started.versionId, {
			token: loaded.revision.metaToken,
			version: '5.2',
			changeKind: 'full',
			reason: 'ガイドライン改定に合わせて全部改訂'
		});
		expect(meta).toMatchObject({ ok: true, version: '6.0' });
		await transition(handle.db, who.owner, started.versionId, 'in_review');
		await transition(handle.db, who.admin, started.versionId, 'approved');
		expect(await publishRevision(handle.db, who.admin, started.versionId, { version: '5.1' })).toMatchObject({ ok: false, problem: 'version_taken' });
		expect(await publishRevision(handle.db, who.admin, started.versionId, { version: '4.9' })).toMatchObject({ ok: false, problem: 'version_behind' });
		expect(await publishRevision(handle.db, who.admin, started.versionId, { version: 'v?' })).toMatchObject({ ok: false, problem: 'bad_version' });
		expect(await publishRevision(handle.db, who.admin, started.versionId, {})).toMatchObject({ ok: true, published: { version: '6.0' } });

		const third = await startRevision(handle.db, who.owner, { policyId: basicPolicyId });
		if (!third.ok) throw new Error('not started');
		expect((await statusOf(third.versionId)).version).toBe('6.1');
		await transition(handle.db, who.owner, third.versionId, 'in_review');
		await transition(handle.db, who.approver, third.versionId, 'approved');
		const custom = await publishRevision(handle.db, who.approver, third.versionId, { version: '第6.5版', effectiveDate: '令和8年4月1日' });
		expect(custom).toMatchObject({ ok: true, published: { version: '6.5', effectiveDate: '2026-04-01', dateLabel: '令和8年4月1日' } });
		const history = await policyHistory(handle.db, basicPolicyId);
		expect(history.filter((v) => v.status === 'published').map((v) => v.version)).toEqual(['6.5']);
		expect(history.slice(-3).map((v) => [v.version, v.changeKind])).toEqual([
			['5.1', 'partial'],
			['6.0', 'full'],
			['6.5', 'partial']
		]);
	});
});

describe('transitions', () => {
	const allowed = new Set(['draft>in_review', 'returned>in_review', 'in_review>returned', 'in_review>approved', 'approved>published']);

	it('refuses every move that is not in the table, whatever the status, and writes nothing', async () => {
		const policyId = await smallPolicy('moves');
		const started = await startRevision(handle.db, who.owner, { policyId });
		if (!started.ok) throw new Error('not started');
		const id = started.versionId;
		// The draft takes every status in turn, 'published' too: the base steps aside.
		await handle.db
			.update(policyVersions)
			.set({ status: 'superseded' })
			.where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.version, '1.0')));
		let refused = 0;
		for (const from of policyVersionStatuses) {
			await handle.db.update(policyVersions).set({ status: from }).where(eq(policyVersions.id, id));
			for (const to of policyVersionStatuses) {
				const legal = allowed.has(`${from}>${to}`);
				expect(findMove(from, to) !== null).toBe(legal);
				if (legal) continue;
				const result = await transition(handle.db, who.admin, id, to, '理由');
				expect(result).toEqual({ ok: false, problem: 'illegal_move', params: { from, to } });
				expect((await statusOf(id)).status).toBe(from);
				refused++;
			}
		}
		expect(refused).toBe(policyVersionStatuses.length ** 2 - allowed.size);
		const events = await handle.db.select().from(revisionEvents).where(eq(revisionEvents.versionId, id));
		expect(events).toHaveLength(1);
	});

	it('lets each legal move be made only by its roles', async () => {
		const cases: [PolicyVersionStatus, PolicyVersionStatus, string, boolean][] = [
			['draft', 'in_review', 'approver', false],
			['draft', 'in_review', 'owner2', true],
			['returned', 'in_review', 'approver', false],
			['returned', 'in_review', 'admin2', true],
			['in_review', 'returned', 'owner2', false],
			['in_review', 'returned', 'approver', true],
			['in_review', 'approved', 'owner2', false],
			['in_review', 'approved', 'approver', true],
			['approved', 'published', 'owner', false]
		];
		const policyId = await smallPolicy('roles');
		const started = await startRevision(handle.db, who.owner, { policyId });
		if (!started.ok) throw new Error('not started');
		for (const [from, to, actor, ok] of cases) {
			await handle.db.update(policyVersions).set({ status: from }).where(eq(policyVersions.id, started.versionId));
			const result = await transition(handle.db, who[actor], started.versionId, to, '理由');
			if (ok) expect(result).toMatchObject({ ok: true, from, to });
			else expect(result).toMatchObject({ ok: false, problem: 'forbidden' });
		}
	});

	it('refuses self-approval: by the author, and by anyone who edited the draft', async () => {
		// An admin who wrote the draft.
		const policyA = await smallPolicy('self-author');
		const a = await startRevision(handle.db, who.admin, { policyId: policyA });
		if (!a.ok) throw new Error('not started');
		await transition(handle.db, who.admin, a.versionId, 'in_review');
		expect(await transition(handle.db, who.admin, a.versionId, 'approved')).toEqual({ ok: false, problem: 'own_draft' });
		expect(await transition(handle.db, who.admin2, a.versionId, 'approved')).toMatchObject({ ok: true });

		// An admin who edited a section someone else later edited again, so only the audit log remembers them.
		const policyB = await smallPolicy('self-editor');
		const b = await startRevision(handle.db, who.owner, { policyId: policyB });
		if (!b.ok) throw new Error('not started');
		await saveSection(handle.db, who.admin2, b.versionId, '1', { rev: 0, label: '1', heading: '目的', body: '目的を定める。改訂。' });
		await saveSection(handle.db, who.owner, b.versionId, '1', { rev: 1, label: '1', heading: '目的', body: '目的を定める。再改訂。' });
		const [s1] = (await sectionsOf(b.versionId)).filter((s) => s.key === '1');
		expect(s1.updatedBy).toBe(who.owner.personId);
		await transition(handle.db, who.owner, b.versionId, 'in_review');
		expect(await transition(handle.db, who.admin2, b.versionId, 'approved')).toEqual({ ok: false, problem: 'own_edit' });
		expect(await transition(handle.db, who.approver, b.versionId, 'approved')).toMatchObject({ ok: true });
	});

	it('compares an open revision with the version in force even when another was published since it started', async () => {
		const policyId = await smallPolicy('rebased');
		const started = await startRevision(handle.db, who.owner, { policyId });
		if (!started.ok) throw new Error('not started');
		await saveSection(handle.db, who.owner, started.versionId, '2', { rev: 0, label: '', heading: '対象', body: '全職員及び委託事業者を対象とする。' });
		await transition(handle.db, who.owner, started.versionId, 'in_review');
		const review = async () =>
			(await revisionComparison(
				handle.db,
				{ orgId, roles: ['approver'] },
				(await loadRevision(handle.db, { orgId, roles: ['approver'] }, started.versionId))!.revision
			))!;
		expect([(await review()).from.version, (await review()).to.version]).toEqual(['1.0', '1.1']);
		// A correction published from the documents meanwhile: 1.0 steps aside for 1.0.1.
		await handle.db
			.update(policyVersions)
			.set({ status: 'superseded' })
			.where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.version, '1.0')));
		await insertVersion(handle.db, { orgId, policyId, version: '1.0.1', status: 'published', changeKind: 'partial' }, [
			{ key: '1', level: 1, heading: '目的', body: '目的を定める。' },
			{ key: '2', level: 1, heading: '対象', body: '全ての職員を対象とする。' }
		]);
		const comparison = await review();
		expect([comparison.from.version, comparison.to.version]).toEqual(['1.0.1', '1.1']);
		expect(comparison.changes.find((c) => c.key === '2')!.before!.body).toBe('全ての職員を対象とする。');
	});

	it('discards a draft that is not wanted, only before review', async () => {
		const policyId = await smallPolicy('discard');
		const started = await startRevision(handle.db, who.owner, { policyId });
		if (!started.ok) throw new Error('not started');
		await transition(handle.db, who.owner, started.versionId, 'in_review');
		expect(await discardRevision(handle.db, who.owner, started.versionId)).toMatchObject({ ok: false, problem: 'not_editable' });
		await transition(handle.db, who.approver, started.versionId, 'returned', '不要です');
		expect(await discardRevision(handle.db, who.approver, started.versionId)).toMatchObject({ ok: false, problem: 'forbidden' });
		expect(await discardRevision(handle.db, who.owner, started.versionId)).toEqual({ ok: true, policySlug: 'discard' });
		expect(await handle.db.select().from(policyVersions).where(eq(policyVersions.id, started.versionId))).toEqual([]);
		const again = await startRevision(handle.db, who.owner, { policyId });
		expect(again).toMatchObject({ ok: true, created: true });
	});
});
