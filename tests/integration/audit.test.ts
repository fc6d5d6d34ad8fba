import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { auditEvents } from '../../src/lib/server/db/schema';
import { exportAuditEvents, listAuditEvents } from '../../src/lib/server/audit/query';

let handle: DbHandle;
let db: Db;
let orgId: string;
let otherOrgId: string;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	orgId = (await makeOrg(db)).id;
	otherOrgId = (await makeOrg(db)).id;
	const alice = await makePerson(db, orgId, { employeeNumber: 'a-1', name: '監査 太郎' });
	const bob = await makePerson(db, orgId, { employeeNumber: 'b-2', name: '監査 花子' });
	// Japan midnight of 2026-11-02 is 15:00 UTC on 11-01.
	await db.insert(auditEvents).values([
		{ orgId, actorId: alice.id, action: 'login.success', at: new Date('2026-11-01T14:59:59Z') },
		{ orgId, actorId: alice.id, action: 'login.failure', at: new Date('2026-11-01T15:00:00Z') },
		{ orgId, actorId: bob.id, action: 'campaign.create', at: new Date('2026-11-02T14:59:59Z'), detail: { title: '=HYPERLINK("x")' } },
		{ orgId, actorId: bob.id, action: 'login.success', at: new Date('2026-11-02T15:00:00Z') },
		{ orgId: otherOrgId, actorId: null, action: 'login.success', at: new Date('2026-11-02T00:00:00Z') }
	]);
}, 120_000);
afterAll(() => handle?.close());

describe('audit events', () => {
	/** The database's own refusal, whether or not the driver wrapped it. */
	const refused = async (write: Promise<unknown>) => {
		const error = await write.then(
			() => null,
			(e: { message?: string; cause?: { message?: string } }) => e
		);
		expect(error, 'the write was refused').not.toBeNull();
		expect(`${error?.message} ${error?.cause?.message ?? ''}`).toMatch(/append-only/);
	};

	it('cannot be changed, deleted or truncated, even by the application account', async () => {
		await refused(db.update(auditEvents).set({ action: 'tampered' }).where(eq(auditEvents.orgId, orgId)));
		await refused(db.delete(auditEvents).where(eq(auditEvents.orgId, orgId)));
		await refused(db.execute(sql`truncate audit_events`));
		const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.orgId, orgId));
		expect(n).toBe(4);
		// Appending still works.
		await db.insert(auditEvents).values({ orgId: otherOrgId, action: 'test.append' });
	});

	it('filter by Japan-time days, actor and action prefix, never across organisations', async () => {
		const actions = async (query: Parameters<typeof listAuditEvents>[2]) => (await listAuditEvents(db, orgId, query)).rows.map((r) => `${r.action}@${r.at.toISOString()}`);
		expect(await actions({ from: '2026-11-02', to: '2026-11-02' })).toEqual(['campaign.create@2026-11-02T14:59:59.000Z', 'login.failure@2026-11-01T15:00:00.000Z']);
		expect(await actions({ to: '2026-11-01' })).toEqual(['login.success@2026-11-01T14:59:59.000Z']);
		expect(await actions({ actorNumber: 'b-2', action: 'login.' })).toEqual(['login.success@2026-11-02T15:00:00.000Z']);
		expect((await listAuditEvents(db, orgId, { from: 'not-a-date' })).total).toBe(4);
		expect((await listAuditEvents(db, orgId, { actorNumber: 'b-2' })).total).toBe(2);
	});

	it('export the same selection', async () => {
		const rows = await exportAuditEvents(db, orgId, { from: '2026-11-02', to: '2026-11-02' });
		expect(rows.map((r) => [r.action, r.actorNumber])).toEqual([
			['campaign.create', 'b-2'],
			['login.failure', 'a-1']
		]);
		expect(rows[0].detail).toEqual({ title: '=HYPERLINK("x")' });
	});
});
