import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { holdsAny, isEditableStatus } from '$lib/server/revision/common';
import { formString } from '$lib/server/http';
import { isUuid } from '$lib/server/db/ids';
import { getDb } from '$lib/server/runtime';
import { readQuery } from '$lib/server/input/query';
import { renderPreview, renderStored } from '$lib/server/policy/render';
import { diffText } from '$lib/server/policy/diff';
import {
	addSection,
	discardRevision,
	loadRevision,
	moveSection,
	removeSection,
	saveMetadata,
	saveSection,
	sectionBodyMax,
	sectionKeyMax,
	type StoredSection
} from '$lib/server/revision/drafts';
import { availableMoves, revisionCommentsOf, revisionHistory, transition } from '$lib/server/revision/workflow';
import { evidenceView } from '$lib/server/revision/evidence';
import { versionSectionTitles } from '$lib/server/policy/section-titles';
import { iso, notFound, problemKey, revisionActor } from '../revision.server';
import type { SectionResult, MetaResult, AddResult } from './results';

export const load: PageServerLoad = async (event) => {
	const actor = revisionActor(event);
	const query = readQuery(event.url);
	const db = getDb();
	const viewer = { orgId: actor.orgId, roles: actor.roles };
	const loaded = await loadRevision(db, viewer, event.params.id);
	if (!loaded) notFound();
	const { revision, sections } = loaded;
	// A section saved before the bounds, or copied from such a version, is shown as plain text with a notice.
	const bodies = await renderStored(sections.map((s) => s.body));
	const [events, comments, moves] = await Promise.all([
		revisionHistory(db, actor.orgId, revision.id),
		revisionCommentsOf(db, actor.orgId, revision.id),
		availableMoves(db, actor, revision.id)
	]);
	const canEdit = holdsAny(actor, ['policy_owner', 'admin']) && isEditableStatus(revision.status);
	const submit = moves.find((m) => m.move.to === 'in_review' && !m.refusal);
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
			metaToken: revision.metaToken
		},
		sections: sections.map((s, i) => ({
			key: s.key,
			level: s.level,
			label: s.label,
			heading: s.heading,
			body: s.body,
			rev: s.rev,
			html: bodies[i].html,
			notice: bodies[i].problem ?? null,
			updatedBy: s.updatedBy?.name ?? null,
			updatedAt: iso(s.updatedAt)!
		})),
		evidence: evidenceView(revision.evidence, revision.basedOn ? await versionSectionTitles(db, actor.orgId, revision.basedOn.id) : undefined),
		events: events.map((e) => ({ ...e, at: iso(e.at)! })),
		comments: comments.map((c) => ({ id: c.id, sectionKey: c.sectionKey, author: c.author, body: c.body, createdAt: iso(c.createdAt)! })),
		canEdit,
		canSubmit: canEdit && !!submit,
		submitMove: submit?.move.name ?? null,
		canReview: holdsAny(actor, ['approver', 'admin']),
		focus: query.text('section', sectionKeyMax) || null,
		existing: query.flag('existing')
	};
};

function readSectionForm(form: FormData) {
	const rev = Number(formString(form, 'rev'));
	return {
		key: formString(form, 'key'),
		values: {
			rev: Number.isInteger(rev) && rev >= 0 ? rev : -1,
			label: formString(form, 'label'),
			heading: formString(form, 'heading'),
			body: formString(form, 'body').slice(0, sectionBodyMax + 1)
		}
	};
}

/** Both texts of a conflict, with the difference from theirs to yours. */
function conflictOf(theirs: StoredSection | null, yours: { label: string; heading: string; body: string }): NonNullable<SectionResult['conflict']> {
	if (!theirs) return { theirs: null, parts: [] };
	return {
		theirs: {
			label: theirs.label,
			heading: theirs.heading,
			body: theirs.body,
			rev: theirs.rev,
			by: theirs.updatedBy?.name ?? null,
			at: iso(theirs.updatedAt)!
		},
		parts: diffText(
			`${theirs.label} ${theirs.heading}\n${theirs.body}`,
			`${yours.label.trim()} ${yours.heading.trim()}\n${yours.body.replace(/\r\n?/g, '\n').trimEnd()}`
		)
	};
}

async function sectionForm(event: RequestEvent) {
	return readSectionForm(await event.request.formData());
}

export const actions: Actions = {
	saveSection: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const { key, values } = await sectionForm(event);
		const result = await saveSection(getDb(), actor, event.params.id, key, values);
		if (result.ok) {
			const saved = { rev: result.rev, at: iso(result.updatedAt)!, changed: result.changed, html: (await renderPreview(values.body)).html };
			return { section: { key, values: { ...values, rev: result.rev }, saved } satisfies SectionResult };
		}
		if (result.problem === 'conflict') return fail(409, { section: { key, values, conflict: conflictOf(result.theirs, values) } satisfies SectionResult });
		if (result.problem === 'not_found') notFound();
		return fail(400, { section: { key, values, error: problemKey(result.problem), params: result.params } satisfies SectionResult });
	},

	previewSection: async (event) => {
		revisionActor(event, 'policy_owner', 'admin');
		// Only the posted text is rendered, but a path that cannot name a revision is still refused.
		if (!isUuid(event.params.id)) notFound();
		const { key, values } = await sectionForm(event);
		return { section: { key, values, preview: (await renderPreview(values.body.slice(0, sectionBodyMax))).html } satisfies SectionResult };
	},

	removeSection: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const { key, values } = await sectionForm(event);
		const result = await removeSection(getDb(), actor, event.params.id, key, values.rev);
		if (result.ok) return { removed: key };
		if (result.problem === 'conflict') {
			// Gone already, or changed since: nothing removed; the page shows what is stored now.
			if (!result.theirs) return { removed: key };
			return fail(409, { section: { key, values, error: problemKey('remove_conflict') } satisfies SectionResult });
		}
		if (result.problem === 'not_found') notFound();
		return fail(400, { section: { key, values, error: problemKey(result.problem), params: result.params } satisfies SectionResult });
	},

	moveSection: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		const key = formString(form, 'key');
		const direction = formString(form, 'direction') === 'down' ? 'down' : 'up';
		const result = await moveSection(getDb(), actor, event.params.id, key, direction);
		if (result.ok) return { moved: { key, direction } };
		if (result.problem === 'not_found') notFound();
		return fail(400, { section: { key, error: problemKey(result.problem) } satisfies SectionResult });
	},

	addSection: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		const values = {
			key: formString(form, 'key').trim(),
			label: formString(form, 'label'),
			heading: formString(form, 'heading'),
			body: formString(form, 'body').slice(0, sectionBodyMax + 1),
			level: formString(form, 'level'),
			after: formString(form, 'after')
		};
		const result = await addSection(getDb(), actor, event.params.id, { ...values, level: Number(values.level), after: values.after || null });
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			const field = {
				bad_key: 'key',
				key_taken: 'key',
				bad_level: 'level',
				unknown_after: 'after',
				heading_required: 'heading',
				heading_too_long: 'heading',
				label_too_long: 'label',
				body_too_long: 'body',
				body_line_too_long: 'body',
				body_too_deep: 'body'
			}[result.problem as string];
			return fail(400, { add: { values, error: problemKey(result.problem), params: result.params, field: field ?? null } satisfies AddResult });
		}
		redirect(303, `/revision/${event.params.id}?section=${encodeURIComponent(result.key)}#section-${encodeURIComponent(result.key)}`);
	},

	saveMeta: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		const values = {
			token: formString(form, 'token'),
			version: formString(form, 'version'),
			changeKind: formString(form, 'changeKind'),
			reason: formString(form, 'reason')
		};
		const result = await saveMetadata(getDb(), actor, event.params.id, values);
		if (result.ok) return { meta: { values: { ...values, token: result.token, version: result.version }, saved: true } satisfies MetaResult };
		if (result.problem === 'conflict') {
			const { theirs } = result;
			return fail(409, {
				meta: {
					values,
					conflict: {
						version: theirs.version,
						changeKind: theirs.changeKind,
						reason: theirs.reason,
						token: theirs.token,
						by: theirs.editedBy?.name ?? null,
						at: iso(theirs.editedAt)
					}
				} satisfies MetaResult
			});
		}
		if (result.problem === 'not_found') notFound();
		const field = result.problem === 'reason_too_long' ? 'reason' : result.problem === 'bad_kind' ? 'changeKind' : 'version';
		return fail(400, { meta: { values, error: problemKey(result.problem), params: result.params, field } satisfies MetaResult });
	},

	submit: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		const comment = formString(form, 'comment');
		const result = await transition(getDb(), actor, event.params.id, 'in_review', comment);
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			return fail(400, { submit: { error: problemKey(result.problem), params: result.params, comment } });
		}
		redirect(303, `/revision/${event.params.id}/review?submitted=1`);
	},

	discard: async (event) => {
		const actor = revisionActor(event, 'policy_owner', 'admin');
		const form = await event.request.formData();
		if (formString(form, 'confirm') !== 'yes') return fail(400, { discard: { error: problemKey('confirm_discard') } });
		const result = await discardRevision(getDb(), actor, event.params.id);
		if (!result.ok) {
			if (result.problem === 'not_found') notFound();
			return fail(400, { discard: { error: problemKey(result.problem) } });
		}
		redirect(303, '/revision?discarded=1');
	}
};
