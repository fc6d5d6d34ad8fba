// Read + parse + the JSON a person reviews before saving (the CLI's --dry-run output), and the
// same steps on the text worker for the app.

import { decodeText as decodePolicyBytes, lineList } from '../../text/decode';
import { OffThreadTimeout, runOffThread } from '../../text/off-thread';
import { translate, type MessageKey } from '../../../i18n/core';
import { parsePolicyText, type ParseOptions } from './parse';
import type { ParsedPolicy, ParseFailure } from './types';
import { policyFileKind, policyFileMaxBytes, policyImportMaxBytes, readPolicyDocument, type DocumentText, type PolicyFileKind } from './files';

export { policyImportMaxBytes };

/** How the text was had: a text file's encoding, a Word file or a PDF, or pasted. */
export type SourceEncoding = ReturnType<typeof decodePolicyBytes>['encoding'] | 'docx' | 'pdf' | 'pasted';

/** Text read from a Word file or a PDF has one paragraph a line: nothing in it is joined again. */
export function parseOptionsFor(encoding: string): ParseOptions {
	return { paragraphLines: encoding === 'docx' || encoding === 'pdf' };
}

export type PolicyImportPreview =
	| { ok: true; encoding: SourceEncoding; policy: ParsedPolicy; json: string }
	| { ok: false; reason: ParseFailure['reason'] | 'encoding' | 'file'; message: string };

/** A refusal of the file itself, in Japanese and English (the command line's message). */
function fileRefusal(key: MessageKey, params?: Record<string, string | number>): PolicyImportPreview {
	return { ok: false, reason: 'file', message: `${translate('ja', key, params)}\n${translate('en', key, params)}` };
}

/** A file's bytes → the preview, in this thread (the command line). */
export async function previewPolicyFile(bytes: Uint8Array, fileName: string): Promise<PolicyImportPreview> {
	const kind = policyFileKind(fileName, '', bytes.subarray(0, 1024));
	if (!kind.ok) return fileRefusal(kind.problem === 'file_type' ? 'policyImport.error.fileType' : `policyImport.error.${kind.problem}`);
	if (bytes.byteLength > policyFileMaxBytes(kind.kind)) return fileRefusal('policyImport.error.tooLarge');
	let text: string;
	let encoding: SourceEncoding;
	let warnings: string[] = [];
	if (kind.kind === 'text') {
		const decoded = decodePolicyBytes(bytes);
		if (decoded.badLines.length > 0) {
			return { ok: false, reason: 'encoding', message: `${lineList(decoded.badLines)}行目に、UTF-8 としても Shift_JIS としても読めない文字があります。` };
		}
		({ text, encoding } = decoded);
	} else {
		const read = await readPolicyDocument({ bytes, kind: kind.kind });
		if (!read.ok) return fileRefusal(`policyImport.error.${read.problem}`, read.params);
		({ text, warnings } = read);
		encoding = kind.kind;
	}
	const policy = parsePolicyText(text, parseOptionsFor(encoding));
	if (!policy.ok) return { ok: false, reason: policy.reason, message: policy.message };
	policy.warnings.unshift(...warnings);
	const shown = {
		title: policy.title,
		preamble: policy.preamble,
		history: policy.history,
		sections: policy.sections.map(({ key, level, label, heading, body }) => ({ key, level, label, heading, body }))
	};
	return { ok: true, encoding, policy, json: `${JSON.stringify(shown, null, 2)}\n` };
}

/**
 * parsePolicyText on the text worker, for the app: a 2 MB document takes most of a second, and
 * the thread that serves every other request must not wait for it.
 */
export async function parsePolicyOffThread(text: string, options: ParseOptions = {}): Promise<ParsedPolicy | ParseFailure> {
	try {
		return await runOffThread(options.paragraphLines ? 'policy.parseParagraphs' : 'policy.parse', text);
	} catch (error) {
		if (error instanceof OffThreadTimeout) return { ok: false, reason: 'too_slow', message: '文書の読み取りに時間がかかりすぎたため、中止しました。' };
		throw error;
	}
}

/** Long enough for a policy PDF of a few hundred pages on a busy machine; a crafted file is stopped here. */
export const documentBudgetMs = 30_000;

/** A Word file or a PDF read on the text worker. A worker that ran out of memory or time is a refusal, never a 5xx. */
export async function readPolicyDocumentOffThread(
	bytes: Uint8Array,
	kind: Exclude<PolicyFileKind, 'text'>,
	budgetMs = documentBudgetMs
): Promise<DocumentText> {
	try {
		return await runOffThread('policy.readDocument', { bytes, kind }, { budgetMs });
	} catch (error) {
		if (error instanceof OffThreadTimeout) return { ok: false, problem: 'too_slow' };
		// The worker stopped (its heap is bounded) or the reader failed in a way it does not report.
		return { ok: false, problem: 'unreadable' };
	}
}

/** The message key of the import page for a refused document. */
export function parseFailureKey(reason: ParseFailure['reason']) {
	return reason === 'empty'
		? 'policyImport.error.empty'
		: reason === 'no_structure'
			? 'policyImport.error.noStructure'
			: (`policyImport.error.${reason}` as const);
}
