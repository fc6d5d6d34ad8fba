// Decode + parse + the JSON a person reviews before saving (the CLI's --dry-run output).

import { decodeText as decodePolicyBytes, type TextEncoding as PolicyEncoding } from '../../text/decode';
import { parsePolicyText } from './parse';
import type { ParsedPolicy } from './types';

/** Uploads and pasted text are refused above this size (a policy is a few hundred KB at most). */
export const policyImportMaxBytes = 2 * 1024 * 1024;

const textFileName = /\.(?:txt|text|md|markdown)$/i;

/** A .txt or .md file, or one the browser says is plain text or Markdown. */
export function isPolicyTextFile(name: string, type: string): boolean {
	return textFileName.test(name) || type === 'text/plain' || type === 'text/markdown';
}

export type PolicyImportPreview =
	| { ok: true; encoding: PolicyEncoding; policy: ParsedPolicy; json: string }
	| { ok: false; encoding: PolicyEncoding; reason: 'empty' | 'no_structure'; message: string };

export function previewPolicyImport(bytes: Uint8Array): PolicyImportPreview {
	const { text, encoding } = decodePolicyBytes(bytes);
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
