import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/runtime';
import { loadRevision } from '$lib/server/revision/drafts';
import { revisionComparison } from '$lib/server/revision/review';
import { comparisonSheet } from '$lib/server/policy/comparison-document';
import { comparisonDownload } from '$lib/server/policy/comparison-docx';
import { notFound, revisionActor } from '../../revision.server';

/** The revision's 新旧対照表 as a Word file, for whoever may read the revision. */
export const GET: RequestHandler = async (event) => {
	const actor = revisionActor(event);
	const db = getDb();
	const viewer = { orgId: actor.orgId, roles: actor.roles };
	const loaded = await loadRevision(db, viewer, event.params.id);
	const comparison = loaded && (await revisionComparison(db, viewer, loaded.revision));
	if (!comparison) notFound();
	return comparisonDownload(await comparisonSheet(db, actor.orgId, comparison, event.locals.locale), event.locals.locale);
};
