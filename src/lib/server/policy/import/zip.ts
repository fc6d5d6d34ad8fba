// A bounded look inside a ZIP container (a .docx) before the Word reader opens it. The reader
// inflates whatever parts it wants in full; a crafted file (a zip bomb: a few KB that inflate to
// gigabytes, or sizes in the directory that lie) would exhaust memory there. Here every entry is
// inflated once, for real, with a cap on what it may produce, and the parts the importer reads
// itself are kept. Entries are located exactly as the reader locates them: the central directory
// at the end, each entry's local header at the offset it names.
import { inflateRawSync } from 'node:zlib';

export interface ZipBounds {
	/** Entries in the directory. */
	maxEntries: number;
	/** Bytes one entry may inflate to. */
	maxEntryBytes: number;
	/** Bytes all entries together may inflate to. */
	maxTotalBytes: number;
}

export type ZipProblem = 'not_zip' | 'too_large' | 'encrypted';

export type ZipRead = { ok: true; names: string[]; kept: Map<string, Uint8Array> } | { ok: false; problem: ZipProblem };

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

class Refused extends Error {
	constructor(readonly problem: ZipProblem) {
		super(problem);
	}
}

/** The end-of-directory record: searched from the end, past a comment of at most 64 KB. */
function findEnd(view: DataView): number {
	const last = view.byteLength - 22;
	const first = Math.max(0, last - 0xffff);
	for (let at = last; at >= first; at--) if (view.getUint32(at, true) === endOfDirectory) return at;
	return -1;
}

/**
 * Inflates every entry within the bounds and returns the names, with the bytes of those `keep`
 * asks for. Refuses a file that is not a ZIP as this reader understands it (no directory, ZIP64,
 * offsets outside the file, an unknown compression method, data that does not inflate), an
 * encrypted entry, and one that inflates past a bound.
 */
export function readZip(bytes: Uint8Array, bounds: ZipBounds, keep: (name: string) => boolean = () => false): ZipRead {
	try {
		return { ok: true, ...walk(bytes, bounds, keep) };
	} catch (error) {
		if (error instanceof Refused) return { ok: false, problem: error.problem };
		// A RangeError from reading past the end of the view: a truncated or crafted file.
		if (error instanceof RangeError) return { ok: false, problem: 'not_zip' };
		throw error;
	}
}

function walk(bytes: Uint8Array, bounds: ZipBounds, keep: (name: string) => boolean) {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (bytes.byteLength < 22) throw new Refused('not_zip');
	const end = findEnd(view);
	if (end < 0) throw new Refused('not_zip');
	const count = view.getUint16(end + 10, true);
	const directorySize = view.getUint32(end + 12, true);
	const directoryStart = view.getUint32(end + 16, true);
	// 0xFFFF / 0xFFFFFFFF say the real values are in a ZIP64 record: no Word file this size needs one.
	if (count === 0xffff || directoryStart === 0xffffffff || directoryStart + directorySize > end) throw new Refused('not_zip');
	if (count > bounds.maxEntries) throw new Refused('too_large');

	const names: string[] = [];
	const kept = new Map<string, Uint8Array>();
	const utf8 = new TextDecoder('utf-8');
	let total = 0;
	let at = directoryStart;
	for (let i = 0; i < count; i++) {
		if (view.getUint32(at, true) !== directoryEntry) throw new Refused('not_zip');
		const flags = view.getUint16(at + 8, true);
		const method = view.getUint16(at + 10, true);
		const compressedSize = view.getUint32(at + 20, true);
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		const offset = view.getUint32(at + 42, true);
		const name = utf8.decode(bytes.subarray(at + 46, at + 46 + nameLength));
		at += 46 + nameLength + extraLength + commentLength;
		if (flags & 1) throw new Refused('encrypted');

		if (view.getUint32(offset, true) !== localHeader) throw new Refused('not_zip');
		const dataStart = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
		if (dataStart + compressedSize > bytes.byteLength) throw new Refused('not_zip');
		const data = bytes.subarray(dataStart, dataStart + compressedSize);

		const room = Math.min(bounds.maxEntryBytes, bounds.maxTotalBytes - total);
		const content = inflate(method, data, room);
		total += content.byteLength;
		names.push(name);
		if (keep(name)) kept.set(name, content);
	}
	return { names, kept };
}

function inflate(method: number, data: Uint8Array, room: number): Uint8Array {
	if (method === 0) {
		if (data.byteLength > room) throw new Refused('too_large');
		return data;
	}
	if (method !== 8) throw new Refused('not_zip');
	try {
		// One byte more than the room, so that reaching it tells "too large" from "exactly full".
		const out = inflateRawSync(data, { maxOutputLength: Math.max(1, room + 1) });
		if (out.byteLength > room) throw new Refused('too_large');
		return out;
	} catch (error) {
		if (error instanceof Refused) throw error;
		if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Refused('too_large');
		throw new Refused('not_zip');
	}
}
