import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { holdsAny } from '$lib/server/revision/common';
import { formString } from '$lib/server/http';
import { getDb } from '$lib/server/runtime';
import { listRevisions, startablePolicies, startRevision, type RevisionListItem } from '$lib/server/revision/drafts';
import { iso, problemKey, revisionActor } from './revision.server';
import { readQuery } from '$lib/server/input/query';

const listItem = (r: RevisionListItem) => ({
	id: r.id,
	policySlug: r.policySlug,
	policyTitle: r.policyTitle,
	version: r.version,
	status: r.status,
	changeKind: r.changeKind,
	createdBy: r.createdBy?.name ?? null,
	createdAt: iso(r.createdAt)!,
	lastEventAt: iso(r.lastEventAt)!,
	publishedAt: iso(r.publishedAt),
	effectiveDate: r.effectiveDate
});

export const load: PageServerLoad = async (event) => {
	const actor = revisionActor(event);
	const db = getDb();
	const viewer = { orgId: actor.orgId, roles: actor.roles };
	const canStart = holdsAny(actor, ['policy_owner', 'admin']);
	const [list, startable] = await Promise.all([listRevisions(db, viewer), canStart ? startablePolicies(db, viewer) : []]);
	return {
		open: list.open.map(listItem),
		published: list.published.map(listItem),
		canStart,
		startable,
		discarded: readQuery(event.url).flag('discarded')
	};
};

export const actions: Actions = {
	start: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		const policyId = formString(form, 'policyId');
		if (!policyId) return fail(400, { error: problemKey('policy_required'), policyId });
		const result = await startRevision(getDb(), actor, { policyId });
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { error: problemKey(result.problem), policyId });
		redirect(303, `/revision/${result.versionId}${result.created ? '' : '?existing=1'}`);
	}
};
