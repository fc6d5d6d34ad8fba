// Bytes of an uploaded file → text. Municipal files come as UTF-8 (with or without BOM) or as
// Shift_JIS saved by Excel or Word on Windows.

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

/**
 * Text without U+0000. PostgreSQL cannot store it in text or JSON (the write fails), and it never
 * means anything in a document or a name: it comes from binary or UTF-16 files and crafted posts.
 */
export function withoutNul(text: string): string {
	return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

/**
 * A BOM means UTF-8; otherwise strict UTF-8 (Shift_JIS text is almost never valid UTF-8, so a
 * failure is a reliable signal), and then Shift_JIS — the WHATWG decoder is CP932, with ① and ㈱.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
	if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return { text: withoutNul(new TextDecoder('utf-8').decode(bytes.subarray(3))), encoding: 'utf-8-bom' };
	}
	try {
		return { text: withoutNul(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)), encoding: 'utf-8' };
	} catch {
		return { text: withoutNul(new TextDecoder('shift_jis').decode(bytes)), encoding: 'shift_jis' };
	}
}
