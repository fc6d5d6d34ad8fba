// A Word file (.docx) → the plain text the policy importer parses: one line per paragraph, the
// number Word prints beside a numbered paragraph written in front of it, a table as a Markdown
// table (so a 改訂履歴 table reads as the history). The Word reader gives the document's
// paragraphs, runs and tables; the numbers come from docx-numbering.ts, matched to the reader's
// paragraphs by their text.
import mammoth from 'mammoth';
import { readZip, type ZipBounds } from './zip';
import { attribute, circled, formatNumber, numberParagraphs, tags, type NumberedParagraph } from './docx-numbering';

/**
 * What a .docx may inflate to. A 100-page policy's document.xml is a few MB; the reader builds a
 * tree of it several times its size, within the text worker's memory.
 */
export const docxBounds: ZipBounds = { maxEntries: 2000, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

export type DocxProblem = 'docx_broken' | 'docx_too_large';

export type DocxText = { ok: true; text: string; warnings: string[] } | { ok: false; problem: DocxProblem };

/** The parts of the reader's document tree used here. */
interface Node {
	type: string;
	children?: Node[];
	value?: string;
	checked?: boolean;
	breakType?: string;
	numbering?: { level: string; isOrdered: boolean } | null;
}

/** The main part, as the package's relationships name it (word/document.xml when they do not). */
function documentPartName(rels: string): string {
	for (const t of tags(rels)) {
		if (t.closing || t.name !== 'Relationship' || !attribute(t.attributes, 'Type')?.endsWith('/officeDocument')) continue;
		const target = attribute(t.attributes, 'Target');
		if (target) return target.replace(/^\//, '');
	}
	return 'word/document.xml';
}

export async function readDocx(bytes: Uint8Array): Promise<DocxText> {
	// The XML parts are kept (all of them within the bounds); pictures are only measured.
	const zip = readZip(bytes, docxBounds, (name) => /\.(?:xml|rels)$/i.test(name));
	if (!zip.ok) return { ok: false, problem: zip.problem === 'too_large' ? 'docx_too_large' : 'docx_broken' };
	const part = (name: string) => new TextDecoder('utf-8').decode(zip.kept.get(name) ?? new Uint8Array(0));
	const documentPart = documentPartName(part('_rels/.rels'));
	if (!zip.kept.has(documentPart)) return { ok: false, problem: 'docx_broken' };

	let tree: Node | null = null;
	try {
		await mammoth.convertToHtml(
			{ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
			{
				// The tree is what is wanted; the HTML is made of an empty document, and no image is read.
				transformDocument: (document: Node) => {
					tree = document;
					return { ...document, children: [] };
				},
				convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
				externalFileAccess: false
			}
		);
	} catch {
		return { ok: false, problem: 'docx_broken' };
	}
	if (!tree) return { ok: false, problem: 'docx_broken' };
	try {
		const numbered = numberParagraphs(part(documentPart), part('word/numbering.xml'), part('word/styles.xml'));
		return { ok: true, ...documentText(tree, numbered) };
	} catch {
		// A tree nested deeper than the stack: no policy is written like that.
		return { ok: false, problem: 'docx_broken' };
	}
}

/** The text of a paragraph or cell: runs, hyperlinks, tabs and line breaks; notes and images left out. */
function inlineText(node: Node): string {
	switch (node.type) {
		case 'text':
			return node.value ?? '';
		case 'tab':
			return '\t';
		case 'break':
			return node.breakType === 'line' ? '\n' : '';
		case 'checkbox':
			return node.checked ? '☑' : '☐';
		case 'noteReference':
		case 'commentReference':
		case 'image':
			return '';
		default:
			return (node.children ?? []).map(inlineText).join('');
	}
}

const matchForm = (text: string) => text.replace(/\s+/g, '');

/** Paragraphs in document order, those in tables too: the order numberParagraphs reads them in. */
function paragraphsOf(node: Node, out: Node[] = []): Node[] {
	if (node.type === 'paragraph') out.push(node);
	else for (const child of node.children ?? []) paragraphsOf(child, out);
	return out;
}

// How far ahead a paragraph is looked for when the two readings skip different things (text boxes).
const matchWindow = 16;

/** Pairs each of the reader's paragraphs with the numbered paragraph of the same text, in order. */
function matchNumbers(paragraphs: readonly Node[], numbered: readonly NumberedParagraph[]): Map<Node, NumberedParagraph> {
	const forms = numbered.map((p) => matchForm(p.text));
	const matched = new Map<Node, NumberedParagraph>();
	let next = 0;
	for (const paragraph of paragraphs) {
		const form = matchForm(inlineText(paragraph));
		for (let k = next; k < Math.min(forms.length, next + matchWindow); k++) {
			if (forms[k] !== form) continue;
			matched.set(paragraph, numbered[k]);
			next = k + 1;
			break;
		}
	}
	return matched;
}

// A number for a list item whose definition could not be read: (1), ①, ア, (ア) by depth.
const fallbackFormats = [
	(n: number) => `(${n})`,
	circled,
	(n: number) => formatNumber(n, 'aiueoFullWidth'),
	(n: number) => `(${formatNumber(n, 'aiueoFullWidth')})`
];

function documentText(tree: Node, numbered: readonly NumberedParagraph[]): { text: string; warnings: string[] } {
	const matched = matchNumbers(paragraphsOf(tree), numbered);
	const lines: string[] = [];
	const warnings: string[] = [];
	let guessed = 0;
	// Counters for the numbers made up when Word's own could not be read, by depth.
	let fallback: number[] = [];

	function paragraphLines(paragraph: Node): string[] {
		const text = inlineText(paragraph)
			.split('\n')
			.map((line) => line.trimEnd())
			.join('\n');
		const found = matched.get(paragraph);
		const reader = paragraph.numbering ?? null;
		let prefix = '';
		if (found?.bullet || (reader && !reader.isOrdered && found?.label == null)) prefix = '・';
		else if (found?.label) prefix = `${found.label}\u3000`;
		else if (reader?.isOrdered && found?.label == null) {
			const depth = Math.min(Number(reader.level) || 0, fallbackFormats.length - 1);
			fallback = fallback.slice(0, depth + 1);
			fallback[depth] = (fallback[depth] ?? 0) + 1;
			prefix = `${fallbackFormats[depth](fallback[depth])}\u3000`;
			guessed++;
		}
		if (!reader && text.trim()) fallback = [];
		const [first, ...rest] = text.split('\n');
		return [prefix + first, ...rest];
	}

	function cellText(cell: Node): string {
		return paragraphsOf(cell)
			.map((p) => paragraphLines(p).join(' ').trim())
			.filter(Boolean)
			.join(' ')
			.replace(/\|/g, '｜');
	}

	function block(node: Node) {
		if (node.type === 'paragraph') {
			lines.push(...paragraphLines(node));
		} else if (node.type === 'table') {
			// A table on lines of its own, its first row the header, as a Markdown table.
			const rows = (node.children ?? []).filter((r) => r.type === 'tableRow');
			lines.push('');
			rows.forEach((row, i) => {
				const cells = (row.children ?? []).map(cellText);
				lines.push(`| ${cells.join(' | ')} |`);
				if (i === 0) lines.push(`|${cells.map(() => ' --- |').join('')}`);
			});
			lines.push('');
		} else {
			for (const child of node.children ?? []) block(child);
		}
	}

	block(tree);
	if (guessed > 0)
		warnings.push(`Word の自動番号の形を読み取れなかった箇条書きが ${guessed} 行あり、(1)・①・ア の順に番号を補いました。番号を確かめてください。`);
	return { text: lines.join('\n'), warnings };
}
