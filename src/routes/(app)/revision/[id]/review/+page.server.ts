import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { holdsAny } from '$lib/server/revision/common';
import { formString } from '$lib/server/http';
import { getDb } from '$lib/server/runtime';
import { requireFreshSecondFactor } from '$lib/server/auth/mfa/step-up';
import { readQuery } from '$lib/server/input/query';
import { formatIsoDate } from '$lib/format/wareki';
import { compareVersions, versionInForce } from '$lib/server/policy/policies';
import { loadRevision } from '$lib/server/revision/drafts';
import { evidenceView } from '$lib/server/revision/evidence';
import { versionSectionTitles } from '$lib/server/policy/section-titles';
import { revisionComparison } from '$lib/server/revision/review';
import { comparisonSheet } from '$lib/server/policy/comparison-document';
import { citationOfPath, sectionTitle } from '$lib/server/policy/citation';
import { addComment, availableMoves, defaultPublishLabel, revisionCommentsOf, revisionHistory, transition, type MoveName } from '$lib/server/revision/workflow';
import { iso, notFound, problemKey, revisionActor } from '../../revision.server';

export const load: PageServerLoad = async (event) => {
	const actor = revisionActor(event);
	const query = readQuery(event.url);
	const db = getDb();
	const viewer = { orgId: actor.orgId, roles: actor.roles };
	const loaded = await loadRevision(db, viewer, event.params.id);
	if (!loaded) notFound();
	const { revision } = loaded;
	const [comparison, events, comments, moves] = await Promise.all([
		revisionComparison(db, viewer, revision),
		revisionHistory(db, actor.orgId, revision.id),
		revisionCommentsOf(db, actor.orgId, revision.id),
		availableMoves(db, actor, revision.id)
	]);
	const moveState = (name: MoveName) => {
		const found = moves.find((m) => m.move.name === name);
		return found ? { allowed: !found.refusal, problem: found.refusal ? problemKey(found.refusal.problem) : null } : null;
	};

	let publishVersion = revision.version;
	if (revision.status === 'approved') {
		const inForce = await versionInForce(db, revision.policyId);
		if (inForce && compareVersions(revision.version, inForce.version) <= 0) publishVersion = await defaultPublishLabel(db, revision);
	}
	const reviewer = holdsAny(actor, ['approver', 'admin']);
	return {
		revision: {
			id: revision.id,
			policySlug: revision.policySlug,
			policyTitle: revision.policyTitle,
			version: revision.version,
			status: revision.status,
			changeKind: revision.changeKind,
			reason: revision.reason,
			basedOn: revision.basedOn?.version ?? null,
			createdBy: revision.createdBy?.name ?? null,
			createdAt: iso(revision.createdAt)!,
			effectiveDate: revision.effectiveDate,
			publishedAt: iso(revision.publishedAt)
		},
		sheet: comparison ? await comparisonSheet(db, actor.orgId, comparison, event.locals.locale) : null,
		// The changed sections by name, for the comments on each.
		changedSections: (comparison?.changes ?? [])
			.filter((c, i, all) => c.kind !== 'unchanged' && all.findIndex((d) => d.key === c.key && d.kind !== 'unchanged') === i)
			.map((c) => ({ key: c.key, title: sectionTitle({ citation: citationOfPath(c.path), heading: c.heading, body: (c.after ?? c.before)!.body }) })),
		evidence: evidenceView(revision.evidence, revision.basedOn ? await versionSectionTitles(db, actor.orgId, revision.basedOn.id) : undefined),
		events: events.map((e) => ({ ...e, at: iso(e.at)! })),
		comments: comments.map((c) => ({ id: c.id, sectionKey: c.sectionKey, author: c.author, body: c.body, createdAt: iso(c.createdAt)! })),
		approve: moveState('approve'),
		sendBack: moveState('return'),
		publish: moveState('publish'),
		canComment: reviewer && revision.status === 'in_review',
		canReply: !reviewer && holdsAny(actor, ['policy_owner']) && (revision.status === 'in_review' || revision.status === 'returned'),
		canEdit: holdsAny(actor, ['policy_owner', 'admin']) && (revision.status === 'draft' || revision.status === 'returned'),
		publishDefaults: { version: publishVersion, effectiveDate: formatIsoDate(new Date()) },
		submitted: query.flag('submitted'),
		justPublished: query.flag('published')
	};
};

export const actions: Actions = {
	comment: async (event) => {
		const actor = revisionActor(event);
		const form = await event.request.formData();
		const sectionKey = formString(form, 'sectionKey') || null;
		const body = formString(form, 'body');
		const result = await addComment(getDb(), actor, event.params.id, { sectionKey, body });
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			return fail(400, { comment: { sectionKey, body, error: problemKey(result.problem), params: result.params } });
		}
		return { commented: { sectionKey } };
	},

	approve: async (event) => {
		const actor = revisionActor(event, 'approver', 'admin');
		const form = await event.request.formData();
		const comment = formString(form, 'comment');
		const result = await transition(getDb(), actor, event.params.id, 'approved', comment);
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			return fail(400, { decision: { which: 'approve' as const, comment, error: problemKey(result.problem), params: result.params } });
		}
		return { decided: 'approved' as const };
	},

	sendBack: async (event) => {
		const actor = revisionActor(event, 'approver', 'admin');
		const form = await event.request.formData();
		const comment = formString(form, 'comment');
		const result = await transition(getDb(), actor, event.params.id, 'returned', comment);
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			return fail(400, { decision: { which: 'return' as const, comment, error: problemKey(result.problem), params: result.params } });
		}
		return { decided: 'returned' as const };
	},

	publish: async (event) => {
		const actor = revisionActor(event, 'approver', 'admin');
		const form = await event.request.formData();
		// Publishing changes what every member of staff reads and is taught: a fresh second factor first.
		const stepUp = await requireFreshSecondFactor(event, form, '?/publish');
		if (stepUp) return stepUp;
		const values = { version: formString(form, 'version'), effectiveDate: formString(form, 'effectiveDate') };
		const result = await transition(getDb(), actor, event.params.id, 'published', '', values);
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			const field =
				result.problem === 'bad_date' ? 'effectiveDate' : ['bad_version', 'version_taken', 'version_behind'].includes(result.problem) ? 'version' : null;
			return fail(400, { publishing: { values, field, error: problemKey(result.problem), params: result.params } });
		}
		redirect(303, `/revision/${event.params.id}/review?published=1`);
	}
};
