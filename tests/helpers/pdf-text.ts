// The text of a PDF, page by page, read with the PDF reader library, on the same runtime shims as
// the app's own PDF import (the reader wants a newer JavaScript than Node.js 20).
import { extractText, getDocumentProxy } from 'unpdf';
import { installPdfRuntime } from '../../src/lib/server/policy/import/pdf-runtime';

/** Each page's text, in the order it was drawn, and the size of the first page in points. */
export async function pdfPages(bytes: Uint8Array): Promise<{ pages: string[]; width: number; height: number }> {
	installPdfRuntime();
	const pdf = await getDocumentProxy(new Uint8Array(bytes));
	const { text } = await extractText(pdf, { mergePages: false });
	const [, , width, height] = (await pdf.getPage(1)).view;
	return { pages: text, width, height };
}

/**
 * Text as the PDF reader gives it, made comparable with the page's: compatibility forms, wave
 * dashes and middle dots folded (the font names ・ as the hyphenation point ‧), no spaces.
 */
export const flat = (text: string) =>
	text
		.normalize('NFKC')
		.replace(/\s+/g, '')
		.replace(/[〜～]/g, '~')
		.replace(/[・･‧]/g, '・');

// The PDF's fonts name some kanji by their radical's code point (⻑ for 長, ⺠ for 民), which no
// normalisation folds: such a character matches any.
const radical = (c: string) => c >= '\u2e80' && c <= '\u2eff';
const same = (a: string, b: string) => a === b || radical(a) || radical(b);
export function looseIncludes(haystack: string, needle: string): boolean {
	const h = Array.from(haystack);
	const n = Array.from(needle);
	for (let i = 0; i + n.length <= h.length; i++) if (n.every((c, j) => same(h[i + j], c))) return true;
	return false;
}
