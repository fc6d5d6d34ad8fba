// 「この節の改訂案を作成」 from the weak-spot page: the figures behind it are frozen into the draft.
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { formString } from '$lib/server/http';
import { getDb } from '$lib/server/runtime';
import { weakSpotEvidence } from '$lib/server/insight/weak-spots';
import { startRevision } from '$lib/server/revision/drafts';
import { problemKey, revisionActor } from '../revision.server';

export const GET: RequestHandler = () => redirect(303, '/revision');

export const POST: RequestHandler = async (event) => {
	const actor = revisionActor(event, 'policy_owner', 'admin');
	const form = await event.request.formData();
	const policyId = formString(form, 'policyId');
	const sectionKey = formString(form, 'sectionKey').trim().slice(0, 64);
	const campaignId = formString(form, 'campaignId').trim() || null;
	const year = Number(formString(form, 'fiscalYear'));
	const fiscalYear = Number.isInteger(year) && year > 1900 && year < 3000 ? year : null;
	const db = getDb();
	const evidence =
		sectionKey && (campaignId || fiscalYear)
			? await weakSpotEvidence(db, actor.orgId, { policyId, sectionKey, campaignId, fiscalYear }, { roles: actor.roles })
			: null;
	const result = await startRevision(db, actor, {
		policyId,
		// Stored as plain JSON: the figures as they were when the draft was made.
		evidence: evidence ? (JSON.parse(JSON.stringify(evidence)) as Record<string, unknown>) : null,
		sectionKey: sectionKey || undefined
	});
	if (!result.ok) {
		if (result.problem === 'not_found') error(404, { message: 'Not found', key: 'error.notFound' });
		error(400, { message: result.problem, key: problemKey(result.problem) });
	}
	const query = new URLSearchParams();
	if (result.sectionKey) query.set('section', result.sectionKey);
	if (!result.created) query.set('existing', '1');
	const search = query.size ? `?${query}` : '';
	redirect(303, `/revision/${result.versionId}${search}${result.sectionKey ? `#section-${encodeURIComponent(result.sectionKey)}` : ''}`);
};
