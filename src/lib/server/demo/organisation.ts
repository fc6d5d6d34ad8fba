import type { Db } from '../db/client';
import { syncCourseContent } from '../learning/content/sync';
import { syncInspectionContent } from '../inspection/content/sync';
import { seedDemoInspections } from './inspections';
import { syncPolicyContent } from '../policy/content';
import { seedDemoCampaigns } from './campaigns';
import { seedDemoPractice } from './practice';
import { seedDemo } from './seed';

export interface DemoSeedReport {
	/** False when the organisation was already there. */
	created: boolean;
	orgId: string;
	policiesAdded: string[];
	coursesChanged: string[];
	campaignsCreated: number;
	/** Members of staff who took this year's training. */
	practised: number;
}

/**
 * The whole demo organisation 北杜市: its people, the policies and courses from content/, this
 * 年度's training and the practice of 48 more members of staff. Each step runs once.
 */
export async function seedDemoOrganisation(db: Db, now = new Date()): Promise<DemoSeedReport> {
	const { created, orgId } = await seedDemo(db);
	const { added } = await syncPolicyContent(db, orgId);
	// Courses cite the policy's section keys, so they load after it.
	const courses = await syncCourseContent(db, orgId);
	await syncInspectionContent(db, orgId);
	const campaignsCreated = await seedDemoCampaigns(db, orgId, now);
	const practised = await seedDemoPractice(db, orgId, now);
	await seedDemoInspections(db, orgId, now);
	return {
		created,
		orgId,
		policiesAdded: added,
		coursesChanged: courses.filter((c) => c.changed).map((c) => c.course),
		campaignsCreated,
		practised
	};
}
