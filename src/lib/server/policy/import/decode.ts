// Bytes of an uploaded policy file → text. Municipal documents come as UTF-8 (with or without
// BOM) or as Shift_JIS saved by Word or Excel on Windows.

export type PolicyEncoding = 'utf-8' | 'shift_jis';

export function decodePolicyBytes(bytes: Uint8Array): { text: string; encoding: PolicyEncoding } {
	const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	if (hasBom) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
	try {
		// Strict: Shift_JIS text is almost never valid UTF-8, so a failure is a reliable signal.
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		// The WHATWG shift_jis decoder is Windows-31J (CP932): ①, ㈱, ～ and NEC specials decode.
		return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
	}
}
