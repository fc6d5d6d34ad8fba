import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { DbHandle } from '../../src/lib/server/db/client';
import { auditEvents } from '../../src/lib/server/db/schema';
import { getDocumentSettings, parseApprovalBoxes, parseIssuerLine, saveDocumentSettings } from '../../src/lib/server/org/document-settings';

let handle: DbHandle;
let orgId: string;
let otherOrgId: string;
let adminId: string;

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	otherOrgId = (await makeOrg(handle.db)).id;
	adminId = (await makePerson(handle.db, orgId, { employeeNumber: 'ADM', roles: ['admin'] })).id;
});
afterAll(async () => handle?.close());

describe('document settings', () => {
	it('are the defaults until an admin saves them: 改正後 first, no 決裁欄', async () => {
		expect(await getDocumentSettings(handle.db, orgId)).toEqual({
			comparisonOrder: 'new_first',
			approvalBoxes: [],
			certificateIssuerTitle: '',
			certificateIssuerName: ''
		});
	});

	it('saves the order and the stamp boxes for one organisation only, and audits the change', async () => {
		const result = await saveDocumentSettings(
			handle.db,
			{ orgId, personId: adminId },
			{ comparisonOrder: 'old_first', approvalBoxes: parseApprovalBoxes('課長\n　ＣＩＳＯ 、副市長\n\n') }
		);
		expect(result).toEqual({ ok: true });
		expect(await getDocumentSettings(handle.db, orgId)).toEqual({
			comparisonOrder: 'old_first',
			approvalBoxes: ['課長', 'CISO', '副市長'],
			certificateIssuerTitle: '',
			certificateIssuerName: ''
		});
		expect(await getDocumentSettings(handle.db, otherOrgId)).toEqual({
			comparisonOrder: 'new_first',
			approvalBoxes: [],
			certificateIssuerTitle: '',
			certificateIssuerName: ''
		});
		const events = await handle.db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, 'settings.documents')));
		expect(events).toHaveLength(1);
		expect(events[0].detail).toMatchObject({ before: { comparisonOrder: 'new_first' }, after: { comparisonOrder: 'old_first' } });
	});

	it('refuses an unknown order, too many boxes or a title too long, and keeps what was saved', async () => {
		const actor = { orgId, personId: adminId };
		expect(await saveDocumentSettings(handle.db, actor, { comparisonOrder: 'sideways', approvalBoxes: [] })).toEqual({ ok: false, problem: 'order_unknown' });
		expect(
			await saveDocumentSettings(handle.db, actor, { comparisonOrder: 'new_first', approvalBoxes: Array.from({ length: 9 }, (_, i) => `欄${i}`) })
		).toEqual({ ok: false, problem: 'too_many_boxes' });
		expect(await saveDocumentSettings(handle.db, actor, { comparisonOrder: 'new_first', approvalBoxes: ['情報セキュリティ統括責任者（CISO）'] })).toEqual({
			ok: false,
			problem: 'box_too_long'
		});
		expect((await getDocumentSettings(handle.db, orgId)).comparisonOrder).toBe('old_first');
	});

	it("saves the 修了証's issuer; a save that does not name it keeps it; a line too long is refused", async () => {
		const actor = { orgId, personId: adminId };
		const issuer = { certificateIssuerTitle: parseIssuerLine(' 北杜市長　'), certificateIssuerName: parseIssuerLine('北杜　 太郎') };
		expect(await saveDocumentSettings(handle.db, actor, { comparisonOrder: 'old_first', approvalBoxes: [], ...issuer })).toEqual({ ok: true });
		expect(await getDocumentSettings(handle.db, orgId)).toMatchObject({ certificateIssuerTitle: '北杜市長', certificateIssuerName: '北杜 太郎' });
		expect(await saveDocumentSettings(handle.db, actor, { comparisonOrder: 'new_first', approvalBoxes: [] })).toEqual({ ok: true });
		expect(await getDocumentSettings(handle.db, orgId)).toMatchObject({
			comparisonOrder: 'new_first',
			certificateIssuerTitle: '北杜市長',
			certificateIssuerName: '北杜 太郎'
		});
		expect(
			await saveDocumentSettings(handle.db, actor, {
				comparisonOrder: 'new_first',
				approvalBoxes: [],
				certificateIssuerTitle: 'あ'.repeat(41),
				certificateIssuerName: ''
			})
		).toEqual({ ok: false, problem: 'issuer_too_long' });
		expect((await getDocumentSettings(handle.db, otherOrgId)).certificateIssuerTitle).toBe('');
	});
});
