import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { campaigns, courses, employmentTypes, inspectionChecklists, people } from '../db/schema';
import { createCampaign } from '../learning/campaigns';
import { defaultReminderSchedule } from '../notify/schedule';
import { fiscalYearOf, formatFiscalYear, formatIsoDate } from '../../format/wareki';

/**
 * The demo's training: this 年度's course for the staff, and the contractors' course for
 * 委託事業者 (theirs only), and the 年度's self-inspection rounds (staff, 所属長, 委託事業者), started three weeks before and due a month after the day the demo was seeded, with the usual automatic reminders.
 * Created once.
 */
export async function seedDemoCampaigns(db: Db, orgId: string, today = new Date()): Promise<number> {
	const [existing] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.orgId, orgId)).limit(1);
	if (existing) return 0;
	const [admin] = await db
		.select({ id: people.id })
		.from(people)
		.where(and(eq(people.orgId, orgId), eq(people.employeeNumber, 'demo-admin')));
	if (!admin) return 0;
	const courseRows = await db.select({ id: courses.id, slug: courses.slug }).from(courses).where(eq(courses.orgId, orgId));
	const checklistRows = await db
		.select({ id: inspectionChecklists.id, slug: inspectionChecklists.slug })
		.from(inspectionChecklists)
		.where(eq(inspectionChecklists.orgId, orgId));
	const subjectId = (slug: string) => courseRows.find((c) => c.slug === slug)?.id ?? checklistRows.find((c) => c.slug === slug)?.id;
	const fiscalYear = fiscalYearOf(today);
	// Started three weeks ago (not before the 年度 began), so the progress chart has a shape.
	const threeWeeksAgo = formatIsoDate(new Date(today.getTime() - 21 * 86_400_000));
	const startsOn = threeWeeksAgo > `${fiscalYear}-04-01` ? threeWeeksAgo : `${fiscalYear}-04-01`;
	const dueOn = formatIsoDate(new Date(today.getTime() + 30 * 86_400_000));
	const plan = [
		{
			slug: 'basic-policy-training',
			title: `${formatFiscalYear(fiscalYear)} 情報セキュリティ研修（全職員）`,
			audience: { everyone: false, employmentTypes: employmentTypes.filter((t) => t !== 'contractor'), departmentIds: [], createdSince: null }
		},
		{
			slug: 'contractor-basics',
			title: `${formatFiscalYear(fiscalYear)} 委託事業者向け研修`,
			audience: { everyone: false, employmentTypes: ['contractor'], departmentIds: [], createdSince: null }
		},
		{
			slug: 'staff-self-inspection',
			title: `${formatFiscalYear(fiscalYear)} 情報セキュリティ自己点検（職員）`,
			audience: { everyone: false, employmentTypes: employmentTypes.filter((t) => t !== 'contractor'), departmentIds: [], createdSince: null }
		},
		{
			slug: 'supervisor-self-inspection',
			title: `${formatFiscalYear(fiscalYear)} 情報セキュリティ自己点検（所属長）`,
			audience: { everyone: false, employmentTypes: [], departmentIds: [], createdSince: null, roles: ['supervisor'] }
		},
		{
			slug: 'contractor-self-inspection',
			title: `${formatFiscalYear(fiscalYear)} 情報セキュリティ自己点検（委託事業者）`,
			audience: { everyone: false, employmentTypes: ['contractor'], departmentIds: [], createdSince: null }
		}
	];
	let created = 0;
	for (const p of plan) {
		const id = subjectId(p.slug);
		if (!id) continue;
		const result = await createCampaign(
			db,
			{ orgId, personId: admin.id },
			{
				subjectId: id,
				title: p.title,
				fiscalYear,
				startsOn,
				dueOn,
				audience: p.audience
			}
		);
		if (!result.ok) throw new Error(`demo campaign ${p.slug}: ${JSON.stringify(result.problems)}`);
		await db.update(campaigns).set({ reminderSchedule: defaultReminderSchedule }).where(eq(campaigns.id, result.id));
		created++;
	}
	return created;
}
