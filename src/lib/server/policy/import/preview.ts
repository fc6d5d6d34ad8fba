// Decode + parse + the JSON a person reviews before saving (the CLI's --dry-run output).

import { decodeText as decodePolicyBytes, type TextEncoding as PolicyEncoding } from '../../text/decode';
import { parsePolicyText } from './parse';
import type { ParsedPolicy, ParseFailure } from './types';
import { lineList } from '../../text/decode';
import { OffThreadTimeout, runOffThread } from '../../text/off-thread';

/** Uploads and pasted text are refused above this size (a policy is a few hundred KB at most). */
export const policyImportMaxBytes = 2 * 1024 * 1024;

const textFileName = /\.(?:txt|text|md|markdown)$/i;

/** A .txt or .md file, or one the browser says is plain text or Markdown. */
export function isPolicyTextFile(name: string, type: string): boolean {
	return textFileName.test(name) || type === 'text/plain' || type === 'text/markdown';
}

export type PolicyImportPreview =
	| { ok: true; encoding: PolicyEncoding; policy: ParsedPolicy; json: string }
	| { ok: false; encoding: PolicyEncoding; reason: ParseFailure['reason'] | 'encoding'; message: string };

export function previewPolicyImport(bytes: Uint8Array): PolicyImportPreview {
	const { text, encoding, badLines } = decodePolicyBytes(bytes);
	if (badLines.length > 0) {
		return { ok: false, encoding, reason: 'encoding', message: `${lineList(badLines)}行目に、UTF-8 としても Shift_JIS としても読めない文字があります。` };
	}
	const policy = parsePolicyText(text);
	if (!policy.ok) return { ok: false, encoding, reason: policy.reason, message: policy.message };
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
export async function parsePolicyOffThread(text: string): Promise<ParsedPolicy | ParseFailure> {
	try {
		return await runOffThread('policy.parse', text);
	} catch (error) {
		if (error instanceof OffThreadTimeout) return { ok: false, reason: 'too_slow', message: '文書の読み取りに時間がかかりすぎたため、中止しました。' };
		throw error;
	}
}

/** The message key of the import page for a refused document. */
export function parseFailureKey(reason: ParseFailure['reason']) {
	return reason === 'empty' ? 'policyImport.error.empty' : reason === 'no_structure' ? 'policyImport.error.noStructure' : (`policyImport.error.${reason}` as const);
}
