// The demo's self-inspection: the 48 practice members of staff answer this 年度's staff checklist
// through the same function the round's page uses. Their answers tell the other half of the
// story the quiz tells: the three-system separation (6(3)) is misunderstood but, the systems
// enforcing it, followed; screen locks and clear desks (6(4), 6(5)) are understood but often not
// done. Seeded once, with a fixed random seed.
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { assignments, campaigns, inspectionChecklists, inspectionItems, inspectionResponses, people } from '../db/schema';
import { saveInspectionAnswers, type AnswerInput } from '../inspection/rounds';
import { seededRng } from '../learning/quiz/draw';
import { formatIsoDate } from '../../format/wareki';

/** Chance of いいえ by the sections an item cites: practice that slips although the rule is known. */
function slipChance(sectionKeys: readonly string[]): number {
	if (sectionKeys.some((k) => k === '6.4' || k === '6.5')) return 0.35;
	if (sectionKeys.some((k) => k.startsWith('6.8'))) return 0.2;
	if (sectionKeys.some((k) => k.startsWith('6.3'))) return 0.03;
	return 0.08;
}

export async function seedDemoInspections(db: Db, orgId: string, today = new Date()): Promise<number> {
	const [round] = await db
		.select({ id: campaigns.id, checklistId: campaigns.checklistId })
		.from(campaigns)
		.innerJoin(inspectionChecklists, eq(inspectionChecklists.id, campaigns.checklistId))
		.where(and(eq(campaigns.orgId, orgId), eq(inspectionChecklists.slug, 'staff-self-inspection')))
		.limit(1);
	if (!round?.checklistId) return 0;
	const [already] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(inspectionResponses)
		.innerJoin(assignments, eq(assignments.id, inspectionResponses.assignmentId))
		.where(eq(assignments.campaignId, round.id));
	if (already.n > 0) return 0;
	const items = await db
		.select({ id: inspectionItems.id, sectionKeys: inspectionItems.sectionKeys, slug: inspectionItems.slug })
		.from(inspectionItems)
		.where(and(eq(inspectionItems.checklistId, round.checklistId), eq(inspectionItems.active, true)))
		.orderBy(asc(inspectionItems.position));
	const practice = await db
		.select({ personId: people.id, assignmentId: assignments.id })
		.from(people)
		.innerJoin(assignments, and(eq(assignments.personId, people.id), eq(assignments.campaignId, round.id)))
		.where(and(eq(people.orgId, orgId), gte(people.employeeNumber, '3001'), lte(people.employeeNumber, '3048')))
		.orderBy(asc(people.employeeNumber));
	const rng = seededRng(20261208);
	const day = formatIsoDate(today);
	let answered = 0;
	for (const [i, p] of practice.entries()) {
		// About one in six has not started; another one in six stopped half way.
		if (i % 6 === 5) continue;
		const upTo = i % 6 === 2 ? Math.ceil(items.length / 2) : items.length;
		const answers: AnswerInput[] = items.slice(0, upTo).map((item) => {
			const roll = rng();
			const answer = roll < slipChance(item.sectionKeys) ? 'no' : roll > 0.95 ? 'na' : 'yes';
			return { itemId: item.id, answer, comment: '' };
		});
		const result = await saveInspectionAnswers(db, orgId, p.personId, p.assignmentId, answers, day);
		if (result.ok) answered++;
	}
	return answered;
}
