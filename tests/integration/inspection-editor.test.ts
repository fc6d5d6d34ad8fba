import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents, inspectionChecklists, inspectionItems } from '../../src/lib/server/db/schema';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncInspectionContent } from '../../src/lib/server/inspection/content/sync';
import { parseInspectionItems } from '../../src/lib/server/inspection/content/parse';
import { checklistForEditing, listChecklists, saveChecklist, type ChecklistEditor, type ChecklistSave } from '../../src/lib/server/inspection/editor';

let handle: DbHandle;
let actor: ChecklistEditor;
let otherActor: ChecklistEditor;
let checklistId: string;

async function itemRows() {
	return handle.db
		.select()
		.from(inspectionItems)
		.where(eq(inspectionItems.checklistId, checklistId))
		.orderBy(asc(inspectionItems.position), asc(inspectionItems.slug));
}

async function auditEventsOf(action: string) {
	return handle.db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.orgId, actor.orgId), eq(auditEvents.action, action)))
		.orderBy(desc(auditEvents.at));
}

async function stored() {
	const found = (await checklistForEditing(handle.db, actor.orgId, checklistId))!;
	return { title: found.checklist.title, description: found.checklist.description, tier: found.checklist.tier, items: found.items };
}

const lineErrors = (result: ChecklistSave) => (result.ok || result.notFound ? [] : result.errors);

beforeAll(async () => {
	handle = await createTestDatabase();
	const org = await makeOrg(handle.db);
	await syncPolicyContent(handle.db, org.id);
	await syncInspectionContent(handle.db, org.id);
	const owner = await makePerson(handle.db, org.id, { employeeNumber: 'E1', roles: ['policy_owner'] });
	actor = { orgId: org.id, personId: owner.id, ip: '127.0.0.1' };
	const other = await makeOrg(handle.db);
	const otherAdmin = await makePerson(handle.db, other.id, { employeeNumber: 'A1', roles: ['admin'] });
	otherActor = { orgId: other.id, personId: otherAdmin.id, ip: '127.0.0.1' };
	const [checklist] = await handle.db
		.select()
		.from(inspectionChecklists)
		.where(and(eq(inspectionChecklists.orgId, org.id), eq(inspectionChecklists.slug, 'contractor-self-inspection')));
	checklistId = checklist.id;
});
afterAll(async () => {
	await handle?.close();
});

describe('checklist editor', () => {
	it('lists the checklists with their tier, active items and policy, and gives one as the text it was written in', async () => {
		const list = await listChecklists(handle.db, actor.orgId);
		expect(list.map((c) => c.slug)).toEqual(['contractor-self-inspection', 'staff-self-inspection', 'supervisor-self-inspection', 'system-self-inspection']);
		const contractor = list[0];
		expect(contractor).toMatchObject({ tier: 'contractor', policyTitle: expect.stringContaining('基本方針') });
		expect(contractor.activeItems).toBe((await itemRows()).length);
		const found = (await checklistForEditing(handle.db, actor.orgId, checklistId))!;
		expect(found.checklist).toMatchObject({ slug: 'contractor-self-inspection', tier: 'contractor' });
		const reread = parseInspectionItems(found.items, 'items');
		expect(reread.errors).toEqual([]);
		expect(reread.value.map((i) => i.slug)).toEqual((await itemRows()).map((r) => r.slug));
	});

	it('refuses a text with errors, each named by its line, and writes nothing', async () => {
		const before = await itemRows();
		const input = await stored();
		const lines = input.items.split('\n');
		// Line 3 is the first item's `item:`; a label nobody knows, and a second item without `item:`.
		expect(lines[2]).toMatch(/^item: /);
		lines[2] = 'itme: 綴りを誤った項目';
		const broken = [...lines, '---', 'id: no-item-line', 'sections: 6.8'].join('\n');
		const result = await saveChecklist(handle.db, actor, checklistId, { ...input, title: ' ', items: broken });
		expect(result).toMatchObject({ ok: false, fields: { title: 'title' } });
		const errors = lineErrors(result);
		expect(errors.map((e) => e.line)).toEqual([1, 3, lines.length + 2]);
		expect(errors[1].message).toMatch(/unknown label `itme:`/);
		expect(errors.every((e) => e.line > 0)).toBe(true);
		expect(await itemRows()).toEqual(before);
		expect(await stored()).toEqual(input);
		expect(await auditEventsOf('inspection.items_update')).toEqual([]);
	});

	it('refuses a section key the policy in force does not have, on its `sections:` line', async () => {
		const before = await itemRows();
		const input = await stored();
		const items = input.items.replace(/^sections: .*$/m, 'sections: 6.8, 99.9');
		const result = await saveChecklist(handle.db, actor, checklistId, { ...input, items });
		expect(lineErrors(result)).toEqual([{ line: 2, message: expect.stringMatching(/cites 99\.9, not a section of basic-policy 第5\.0版/) }]);
		expect(await itemRows()).toEqual(before);
		expect(await auditEventsOf('inspection.items_update')).toEqual([]);
	});

	it('refuses a tier it does not know and a text over the limit', async () => {
		const input = await stored();
		expect(await saveChecklist(handle.db, actor, checklistId, { ...input, tier: 'everyone' })).toMatchObject({ ok: false, fields: { tier: 'tier' } });
		expect(await saveChecklist(handle.db, actor, checklistId, { ...input, items: 'x'.repeat(200_001) })).toMatchObject({
			ok: false,
			fields: { items: 'itemsTooLong' }
		});
		expect(await stored()).toEqual(input);
	});

	it('saves the fields and the items by id in one audited write: a dropped item is deactivated, and brought back by its id', async () => {
		const before = (await itemRows()).filter((r) => r.active);
		const input = await stored();
		const blocks = input.items.split('\n---\n');
		const dropped = before[before.length - 1];
		expect(blocks[blocks.length - 1]).toContain(`id: ${dropped.slug}`);
		const edited = [
			blocks[0].replace(/^item: (.*)$/m, 'item: $1（変更）'),
			...blocks.slice(1, -1),
			'id: new-practice\nsections: 6.8\naudit: 3.2.1\nitem: 新しい点検項目。\nexplanation: 新しい説明です。'
		].join('\n---\n');
		const result = await saveChecklist(handle.db, actor, checklistId, { ...input, title: '自己点検票（委託先）', tier: 'contractor', items: edited });
		expect(result).toEqual({ ok: true, items: { added: 1, updated: 1, unchanged: before.length - 2 }, deactivated: [dropped.slug] });

		const after = await itemRows();
		expect(after).toHaveLength(before.length + 1);
		const bySlug = new Map(after.map((r) => [r.slug, r]));
		expect(bySlug.get(dropped.slug)).toMatchObject({ id: dropped.id, active: false });
		expect(bySlug.get(before[0].slug)).toMatchObject({ id: before[0].id, active: true, text: `${before[0].text}（変更）` });
		expect(bySlug.get('new-practice')).toMatchObject({ active: true, auditItem: '3.2.1', position: before.length, sectionKeys: ['6.8'] });
		expect((await stored()).title).toBe('自己点検票（委託先）');
		expect((await listChecklists(handle.db, actor.orgId))[0].activeItems).toBe(before.length);

		const [event] = await auditEventsOf('inspection.items_update');
		expect(event).toMatchObject({ actorId: actor.personId, targetType: 'checklist', targetId: checklistId });
		expect(event.detail).toEqual({
			title: '自己点検票（委託先）',
			items: { added: 1, updated: 1, unchanged: before.length - 2 },
			deactivated: [dropped.slug],
			fields: ['title']
		});

		// The editor offers the dropped item's block, to be written back.
		const { inactive } = (await checklistForEditing(handle.db, actor.orgId, checklistId))!;
		expect(inactive).toBe(blocks[blocks.length - 1]);

		// The dropped item's id typed again: the same row, active again, where it is written.
		const restored = `${edited}\n---\n${inactive}`;
		const again = await saveChecklist(handle.db, actor, checklistId, { ...(await stored()), items: restored });
		expect(again).toEqual({ ok: true, items: { added: 0, updated: 1, unchanged: before.length }, deactivated: [] });
		const back = (await itemRows()).find((r) => r.slug === dropped.slug)!;
		expect(back).toMatchObject({ id: dropped.id, active: true, position: before.length + 1 });
		expect((await checklistForEditing(handle.db, actor.orgId, checklistId))!.inactive).toBe('');
		expect(await auditEventsOf('inspection.items_update')).toHaveLength(2);
	});

	it('keeps an edit made in the app when the content sync finds the files unchanged', async () => {
		const edited = await stored();
		const [summary] = await syncInspectionContent(handle.db, actor.orgId);
		expect(summary).toMatchObject({ checklist: 'contractor-self-inspection', changed: false });
		expect(await stored()).toEqual(edited);
	});

	it('does not find another organisation’s checklist, nor an id that is not one', async () => {
		const input = await stored();
		const before = await itemRows();
		expect(await checklistForEditing(handle.db, otherActor.orgId, checklistId)).toBeNull();
		expect(await saveChecklist(handle.db, otherActor, checklistId, { ...input, title: '乗っ取り' })).toEqual({ ok: false, notFound: true });
		expect(await saveChecklist(handle.db, actor, 'not-a-uuid', input)).toEqual({ ok: false, notFound: true });
		expect(await listChecklists(handle.db, otherActor.orgId)).toEqual([]);
		expect(await itemRows()).toEqual(before);
		expect((await stored()).title).toBe(input.title);
	});
});
