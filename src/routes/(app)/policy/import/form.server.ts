// Reading the import page's two forms, and shaping a parsed policy for the preview.
import { fail } from '@sveltejs/kit';
import type { MessageKey } from '$lib/i18n';
import { formString } from '$lib/server/http';
import { changeKinds, type ChangeKind } from '$lib/server/db/schema';
import {
	decodePolicyBytes,
	lineList,
	policyFileKind,
	policyFileMaxBytes,
	policyImportMaxBytes,
	readPolicyDocumentOffThread,
	type DocumentProblem,
	type ParsedPolicy
} from '$lib/server/policy/import';
import { importDefaults } from '$lib/server/policy/save-import';

export type Source =
	| { ok: true; text: string; encoding: string; fileName: string; warnings: string[] }
	| { ok: false; status: 400 | 413; error: MessageKey; params?: Record<string, string | number> };

const fileErrorKey = (problem: DocumentProblem | 'file_type'): MessageKey =>
	problem === 'file_type' ? 'policyImport.error.fileType' : `policyImport.error.${problem}`;

const excerptLength = 60;

/** The uploaded file when one was chosen, else the pasted text. */
export async function readSource(form: FormData): Promise<Source> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		// What the file is, by its first bytes and its name.
		const kind = policyFileKind(file.name, file.type, new Uint8Array(await file.slice(0, 1024).arrayBuffer()));
		if (!kind.ok) return { ok: false, status: 400, error: fileErrorKey(kind.problem) };
		// Checked before reading, so a huge file is not decoded at all.
		if (file.size > policyFileMaxBytes(kind.kind)) return { ok: false, status: 413, error: 'policyImport.error.tooLarge' };
		const bytes = new Uint8Array(await file.arrayBuffer());
		if (kind.kind !== 'text') {
			const read = await readPolicyDocumentOffThread(bytes, kind.kind);
			if (!read.ok) return { ok: false, status: 400, error: fileErrorKey(read.problem), params: read.params };
			return { ok: true, text: read.text, encoding: kind.kind, fileName: file.name, warnings: read.warnings };
		}
		const { text, encoding, badLines } = decodePolicyBytes(bytes);
		if (badLines.length > 0) return { ok: false, status: 400, error: 'policyImport.error.encoding', params: { lines: lineList(badLines) } };
		return { ok: true, text, encoding, fileName: file.name, warnings: [] };
	}
	const text = formString(form, 'text');
	if (!text.trim()) return { ok: false, status: 400, error: 'policyImport.error.noInput' };
	// Every character takes at least one byte, so this never lets through more than the file limit would.
	if (text.length > policyImportMaxBytes) return { ok: false, status: 413, error: 'policyImport.error.tooLarge' };
	return { ok: true, text, encoding: 'pasted', fileName: '', warnings: [] };
}

/** The first form again with its message; pasted text is kept unless it was the problem. */
export function sourceError(status: 400 | 413, error: MessageKey, form?: FormData, params: Record<string, string | number> = {}) {
	const pasted = form && status !== 413 ? formString(form, 'text') : '';
	return fail(status, { stage: 'source' as const, error, pasted, params });
}

function excerpt(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	const chars = [...flat];
	return chars.length > excerptLength ? `${chars.slice(0, excerptLength).join('')}…` : flat;
}

export function previewView(parsed: ParsedPolicy, source: Extract<Source, { ok: true }>) {
	return {
		title: parsed.title,
		encoding: source.encoding,
		fileName: source.fileName,
		// What reading a Word file or PDF noticed, then what the parse did.
		warnings: [...source.warnings, ...parsed.warnings],
		history: parsed.history,
		sections: parsed.sections.map(({ key, level, label, heading, body }) => ({ key, level, label, heading, excerpt: excerpt(body) }))
	};
}

export interface SaveValues {
	mode: string;
	slug: string;
	title: string;
	newVersion: string;
	newKind: ChangeKind;
	newReason: string;
	publish: boolean;
	policyId: string;
	draftVersion: string;
	draftKind: ChangeKind;
	draftReason: string;
}

/** The save form as first shown: a new policy, with version, 区分 and 理由 from the document's history. */
export function initialValues(parsed: ParsedPolicy): SaveValues {
	const defaults = importDefaults(parsed);
	return {
		mode: 'new',
		slug: '',
		title: parsed.title,
		newVersion: defaults.version,
		newKind: defaults.changeKind,
		newReason: defaults.reason,
		publish: false,
		policyId: '',
		draftVersion: '',
		draftKind: 'partial',
		draftReason: ''
	};
}

function changeKind(value: string, fallback: ChangeKind): ChangeKind {
	return (changeKinds as readonly string[]).includes(value) ? (value as ChangeKind) : fallback;
}

export function readSaveValues(form: FormData): SaveValues {
	const field = (name: string) => formString(form, name).trim();
	return {
		mode: field('mode'),
		slug: field('slug'),
		title: field('title'),
		newVersion: field('newVersion'),
		newKind: changeKind(field('newKind'), 'enacted'),
		newReason: field('newReason'),
		publish: form.get('publish') === 'on',
		policyId: field('policyId'),
		draftVersion: field('draftVersion'),
		draftKind: changeKind(field('draftKind'), 'partial'),
		draftReason: field('draftReason')
	};
}
