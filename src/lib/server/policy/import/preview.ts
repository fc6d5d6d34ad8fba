// Decode + parse + the JSON a person reviews before saving (the CLI's --dry-run output).

import { decodeText as decodePolicyBytes, type TextEncoding as PolicyEncoding } from '../../text/decode';
import { parsePolicyText } from './parse';
import type { ParsedPolicy } from './types';

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
		sections: policy.sections.map(({ key, level, heading, body }) => ({ key, level, heading, body }))
	};
	return { ok: true, encoding, policy, json: `${JSON.stringify(shown, null, 2)}\n` };
}
