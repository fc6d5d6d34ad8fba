// Section titles of one version, for pages that name sections they do not otherwise load.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policySections } from '../db/schema';
import { titlesOf } from './citation';

/** Key → 「6(3)③ インターネット接続系においては…」 for every section of a version of the organisation. */
export async function versionSectionTitles(db: DbOrTx, orgId: string, versionId: string): Promise<Map<string, string>> {
	const rows = await db
		.select({ key: policySections.key, label: policySections.label, heading: policySections.heading, body: policySections.body })
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId)));
	return titlesOf(rows);
}
