import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formDataWithinLimit, formString } from '$lib/server/http';
import { listPolicies } from '$lib/server/policy/policies';
import { parseFailureKey, parseOptionsFor, parsePolicyOffThread, type ParsedPolicy, type ParseFailure } from '$lib/server/policy/import';
import { savePolicyImport, type ImportTarget } from '$lib/server/policy/save-import';
import { forgetPreviewedDocument, keepPreviewedDocument, previewedDocument } from '$lib/server/policy/import-previews';
import { initialValues, previewView, readSaveValues, readSource, sourceError, type SaveValues, type Source } from './form.server';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'policy_owner', 'admin');
	const visible = await listPolicies(getDb(), { orgId: user.orgId, roles: user.roles });
	return {
		policies: visible.map(({ policy, inForce }) => ({ id: policy.id, slug: policy.slug, title: policy.title, inForce: inForce?.version ?? null }))
	};
};

/** What the page shows again when a save is refused: the preview, the kept document's id, the form as typed. */
function previewAgain(previewId: string, source: Extract<Source, { ok: true }>, parsed: ParsedPolicy, values: SaveValues) {
	return { stage: 'preview' as const, preview: previewView(parsed, source), previewId, values };
}

/** A document the importer refused, with the line and bound where there is one. */
const refused = (failure: ParseFailure, form?: FormData) =>
	sourceError(400, parseFailureKey(failure.reason), form, { line: failure.line ?? '', max: failure.max ?? '' });

export const actions: Actions = {
	preview: async (event) => {
		const user = requireRole(event.locals, event.url, 'policy_owner', 'admin');
		const form = await formDataWithinLimit(event.request);
		if (!form) return sourceError(413, 'policyImport.error.tooLarge');
		const source = await readSource(form);
		if (!source.ok) return sourceError(source.status, source.error, form, source.params);
		const parsed = await parsePolicyOffThread(source.text, parseOptionsFor(source.encoding));
		if (!parsed.ok) return refused(parsed, form);
		// Kept on the server for the save, so the page does not carry the whole text back and forth.
		const { text, encoding, fileName } = source;
		const previewId = await keepPreviewedDocument(getDb(), { orgId: user.orgId, personId: user.id }, { text, encoding, fileName });
		return previewAgain(previewId, source, parsed, initialValues(parsed));
	},

	save: async (event) => {
		const user = requireRole(event.locals, event.url, 'policy_owner', 'admin');
		const form = await formDataWithinLimit(event.request);
		if (!form) return sourceError(413, 'policyImport.error.tooLarge');
		// The document is the one this person previewed, parsed again: the server never takes a structure from the client.
		const owner = { orgId: user.orgId, personId: user.id };
		const previewId = formString(form, 'previewId');
		const document = await previewedDocument(getDb(), owner, previewId);
		if (!document) return sourceError(400, 'policyImport.error.previewGone');
		const parsed = await parsePolicyOffThread(document.text, parseOptionsFor(document.encoding));
		if (!parsed.ok) return refused(parsed);
		const source = { ok: true as const, ...document, warnings: [] };
		const values = readSaveValues(form);
		const shown = previewAgain(previewId, source, parsed, values);

		let target: ImportTarget;
		if (values.mode === 'new') {
			const { slug, title, newVersion: version, newKind: changeKind, newReason: reason, publish } = values;
			target = { mode: 'new', slug, title, version, changeKind, reason, publish };
		} else if (values.mode === 'draft') {
			// Only a policy this person can see may get a draft; a hidden one looks absent.
			const visible = await listPolicies(getDb(), { orgId: user.orgId, roles: user.roles });
			if (!visible.some((p) => p.policy.id === values.policyId)) {
				return fail(400, { ...shown, error: 'policyImport.error.not_found' as const, field: 'policy' as const, params: {} });
			}
			target = { mode: 'draft', policyId: values.policyId, version: values.draftVersion, changeKind: values.draftKind, reason: values.draftReason };
		} else {
			return fail(400, { ...shown, error: 'policyImport.error.mode' as const, field: 'mode' as const, params: {} });
		}

		const result = await savePolicyImport(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, parsed, target);
		if (!result.ok) {
			const status = result.problem.endsWith('_taken') ? 409 : 400;
			return fail(status, { ...shown, error: `policyImport.error.${result.problem}` as const, field: result.field, params: result.params ?? {} });
		}
		await forgetPreviewedDocument(getDb(), owner, previewId);
		redirect(303, result.status === 'published' ? `/policy/${result.slug}` : `/policy/${result.slug}/v/${encodeURIComponent(result.version)}`);
	}
};
