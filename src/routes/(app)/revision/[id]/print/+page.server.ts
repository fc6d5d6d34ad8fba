import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/runtime';
import { loadRevision } from '$lib/server/revision/drafts';
import { revisionComparison } from '$lib/server/revision/review';
import { comparisonSheet } from '$lib/server/policy/comparison-document';
import { notFound, revisionActor } from '../../revision.server';

/** The revision's 新旧対照表 (version in force → draft) for printing on A4 landscape. */
export const load: PageServerLoad = async (event) => {
	const actor = revisionActor(event);
	const db = getDb();
	const viewer = { orgId: actor.orgId, roles: actor.roles };
	const loaded = await loadRevision(db, viewer, event.params.id);
	if (!loaded) notFound();
	const { revision } = loaded;
	const comparison = await revisionComparison(db, viewer, revision);
	return {
		revision: { id: revision.id, policyTitle: revision.policyTitle, version: revision.version },
		sheet: comparison ? await comparisonSheet(db, actor.orgId, comparison, event.locals.locale) : null
	};
};
