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
