import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { assignments, completionCounts, sectionAnswerStats } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { syncPolicyContent } from '../../src/lib/server/policy/content';
import { syncCourseContent } from '../../src/lib/server/learning/content/sync';
import { seedDemoCampaigns } from '../../src/lib/server/demo/campaigns';
import { seedDemoPractice } from '../../src/lib/server/demo/practice';

let handle: DbHandle;
let db: Db;
let orgId: string;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
	orgId = (await seedDemo(db)).orgId;
	await syncPolicyContent(db, orgId);
	await syncCourseContent(db, orgId);
	await seedDemoCampaigns(db, orgId, new Date('2026-11-20T00:00:00Z'));
}, 180_000);
afterAll(() => handle?.close());

describe('seedDemoPractice', () => {
	it('has 48 more people take the training through the learner functions, once', async () => {
		expect(await seedDemoPractice(db, orgId, new Date('2026-11-20T03:00:00Z'))).toBe(48);
		expect(await seedDemoPractice(db, orgId, new Date('2026-11-20T03:00:00Z'))).toBe(0);
		const statuses = (await db.execute(sql`
			select a.status, count(*)::int as n from assignments a join people p on p.id = a.person_id
			where p.org_id = ${orgId} and p.employee_number like '30%' group by a.status`)) as unknown as { rows: { status: string; n: number }[] };
		const by = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]));
		expect(by.completed).toBeGreaterThanOrEqual(20);
		expect(by.in_progress).toBeGreaterThanOrEqual(5);
		expect(by.not_started).toBeGreaterThanOrEqual(3);
		// The summary rows agree with the assignments.
		const [sums] = await db
			.select({ completed: sql<number>`sum(${completionCounts.completed})::int`, attempted: sql<number>`sum(${completionCounts.attempted})::int` })
			.from(completionCounts)
			.where(eq(completionCounts.orgId, orgId));
		const [actual] = await db
			.select({
				completed: sql<number>`(count(*) filter (where ${assignments.status} = 'completed'))::int`,
				attempted: sql<number>`(count(*) filter (where ${assignments.attemptCount} > 0))::int`
			})
			.from(assignments)
			.where(eq(assignments.orgId, orgId));
		expect(sums).toEqual(actual);
	});

	it('leaves 6(3)② among the sections most often answered wrong', async () => {
		const rows = await db
			.select({
				key: sectionAnswerStats.sectionKey,
				answers: sql<number>`sum(${sectionAnswerStats.answers})::int`,
				errors: sql<number>`sum(${sectionAnswerStats.errors})::int`
			})
			.from(sectionAnswerStats)
			.where(and(eq(sectionAnswerStats.orgId, orgId)))
			.groupBy(sectionAnswerStats.sectionKey);
		const rated = rows.filter((r) => r.answers >= 10).sort((a, b) => b.errors / b.answers - a.errors / a.answers);
		expect(rated.slice(0, 5).map((r) => r.key)).toContain('6.3.2');
		const section = rated.find((r) => r.key === '6.3.2')!;
		expect(section.errors / section.answers).toBeGreaterThan(0.4);
		// Most sections are answered well.
		expect(rated.filter((r) => r.errors / r.answers < 0.25).length).toBeGreaterThan(rated.length / 2);
	});
});
