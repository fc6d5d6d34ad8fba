// Which file a policy arrives as, and Word and PDF files read to plain text. The kind is told by
// the file's first bytes before its name: a Word file is a ZIP (PK), a PDF starts with %PDF-, and
// a file named .docx that is neither is refused as what it claims to be. The app reads on the
// text worker (preview.ts), so a crafted file can neither hold up the server nor take its memory.
import { readDocx, type DocxProblem } from './docx';
import { readPdf, type PdfProblem } from './pdf';

/** Uploads and pasted text are refused above this size (a policy is a few hundred KB at most). */
export const policyImportMaxBytes = 2 * 1024 * 1024;

/** A Word file or a PDF: a 100-page policy with its pictures is a few MB. */
export const policyDocumentMaxBytes = 20 * 1024 * 1024;

export type PolicyFileKind = 'text' | 'docx' | 'pdf';

/** The problems reading a file can have; each is the message key `policyImport.error.<problem>`. */
export type DocumentProblem = DocxProblem | PdfProblem | 'legacy_word' | 'text_too_long' | 'too_slow' | 'unreadable';

export type DocumentText = { ok: true; text: string; warnings: string[] } | { ok: false; problem: DocumentProblem; params?: Record<string, string | number> };

const textName = /\.(?:txt|text|md|markdown)$/i;
const docxName = /\.docx$/i;
const pdfName = /\.pdf$/i;
const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);
const zipMagic = [0x50, 0x4b, 0x03, 0x04];
// An OLE compound file: Word 97–2003 (.doc), or a .docx saved with a password (encrypted in one).
const oleMagic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const pdfMagic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** Where %PDF- stands in the first KB (readers accept a few bytes of junk before it), or -1. */
function pdfHeaderAt(head: Uint8Array): number {
	for (let at = 0; at + pdfMagic.length <= Math.min(head.length, 1024); at++) if (startsWith(head, pdfMagic, at)) return at;
	return -1;
}

export type FileKindCheck = { ok: true; kind: PolicyFileKind } | { ok: false; problem: 'file_type' | DocumentProblem };

/**
 * The kind of an uploaded file from its first bytes (1 KB is enough), its name and the type the
 * browser gave. A ZIP is a Word file only when named or typed as one (an .xlsx is a ZIP too).
 */
export function policyFileKind(name: string, type: string, head: Uint8Array): FileKindCheck {
	if (pdfHeaderAt(head) >= 0) return { ok: true, kind: 'pdf' };
	const namedDocx = docxName.test(name) || type === docxType;
	if (startsWith(head, zipMagic)) return namedDocx ? { ok: true, kind: 'docx' } : { ok: false, problem: 'file_type' };
	if (startsWith(head, oleMagic)) return { ok: false, problem: 'legacy_word' };
	if (namedDocx) return { ok: false, problem: 'docx_broken' };
	if (pdfName.test(name) || type === 'application/pdf') return { ok: false, problem: 'pdf_broken' };
	if (textName.test(name) || type === 'text/plain' || type === 'text/markdown') return { ok: true, kind: 'text' };
	return { ok: false, problem: 'file_type' };
}

/** The most bytes a file of this kind may have. */
export const policyFileMaxBytes = (kind: PolicyFileKind) => (kind === 'text' ? policyImportMaxBytes : policyDocumentMaxBytes);

/** A Word file or a PDF → text, on the calling thread (the worker's job; the command line's too). */
export async function readPolicyDocument({ bytes, kind }: { bytes: Uint8Array; kind: 'docx' | 'pdf' }): Promise<DocumentText> {
	const read = kind === 'docx' ? await readDocx(bytes) : await readPdf(bytes);
	if (!read.ok) return { ok: false, problem: read.problem, params: 'max' in read && read.max ? { max: read.max } : undefined };
	// The text is parsed and kept as pasted text is: within the same bound.
	if (read.text.length > policyImportMaxBytes) return { ok: false, problem: 'text_too_long', params: { max: policyImportMaxBytes.toLocaleString('en') } };
	return read;
}
