// Bytes of an uploaded file → text. Municipal files come as UTF-8 (with or without BOM) or as
// Shift_JIS saved by Excel or Word on Windows. Bytes that are neither are reported by line, never
// turned silently into U+FFFD: a name or a clause that lost a character must not be stored.

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

export interface DecodedText {
	text: string;
	encoding: TextEncoding;
	/** Lines (1-based) holding bytes the encoding cannot read; the text has U+FFFD there. Empty when clean. */
	badLines: number[];
}

/**
 * Text without U+0000. PostgreSQL cannot store it in text or JSON (the write fails), and it never
 * means anything in a document or a name: it comes from binary or UTF-16 files and crafted posts.
 */
export function withoutNul(text: string): string {
	return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

type Label = 'utf-8' | 'shift_jis';
const strict = (label: Label) => new TextDecoder(label, { fatal: true, ignoreBOM: true });

function readsAs(label: Label, bytes: Uint8Array): boolean {
	try {
		strict(label).decode(bytes);
		return true;
	} catch {
		return false;
	}
}

/**
 * Lines that do not decode, each decoded alone: LF (0x0A) ends a line in both encodings, since
 * neither uses it inside a character. Also counts the lines with bytes above ASCII.
 */
function linesThatFail(label: Label, bytes: Uint8Array): { bad: number[]; nonAscii: number } {
	const decoder = strict(label);
	const bad: number[] = [];
	let nonAscii = 0;
	let start = 0;
	let line = 1;
	while (start <= bytes.length) {
		let end = bytes.indexOf(0x0a, start);
		if (end < 0) end = bytes.length;
		const slice = bytes.subarray(start, end);
		if (slice.some((b) => b >= 0x80)) {
			nonAscii++;
			try {
				decoder.decode(slice);
			} catch {
				bad.push(line);
			}
		}
		start = end + 1;
		line++;
	}
	return { bad, nonAscii };
}

/**
 * A BOM means UTF-8. Otherwise strict UTF-8 (Shift_JIS text is almost never valid UTF-8), then
 * strict Shift_JIS — the WHATWG decoder is CP932, with ① and ㈱. A file that is neither is UTF-8
 * with broken lines when most of its non-ASCII lines read as UTF-8, else Shift_JIS with broken lines.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
	const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const body = bom ? bytes.subarray(3) : bytes;
	const lossy = (label: Label, encoding: TextEncoding, badLines: number[]): DecodedText => ({
		text: withoutNul(new TextDecoder(label, { ignoreBOM: true }).decode(body)),
		encoding,
		badLines
	});
	if (bom) return lossy('utf-8', 'utf-8-bom', readsAs('utf-8', body) ? [] : linesThatFail('utf-8', body).bad);
	if (readsAs('utf-8', body)) return lossy('utf-8', 'utf-8', []);
	if (readsAs('shift_jis', body)) return lossy('shift_jis', 'shift_jis', []);
	const utf8 = linesThatFail('utf-8', body);
	if (utf8.bad.length * 2 < utf8.nonAscii) return lossy('utf-8', 'utf-8', utf8.bad);
	return lossy('shift_jis', 'shift_jis', linesThatFail('shift_jis', body).bad);
}

/** For lists of errors that carry the line beside them, Japanese first. */
export const undecodable = 'UTF-8 としても Shift_JIS としても読めない文字があります / bytes that are neither UTF-8 nor Shift_JIS';

/** "3, 7, 12" — or the first ones and a count, so that a message stays short. */
export function lineList(lines: readonly number[], shown = 10): string {
	const head = lines.slice(0, shown).join(', ');
	return lines.length > shown ? `${head} … (${lines.length})` : head;
}

/** The text of a file read from disk, or an error naming the file and its broken lines. */
export function readableText(decoded: DecodedText, file: string): string {
	if (decoded.badLines.length > 0) throw new Error(`${file}: line ${lineList(decoded.badLines)}: ${undecodable}`);
	return decoded.text;
}
