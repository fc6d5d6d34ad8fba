// Reads a .docx back the way a word processor does: the zip's entries (central directory, deflate
// or stored), word/document.xml parsed as XML, and the parts a 新旧対照表 test looks at — page
// size and orientation, tables with their header rows, cells, paragraphs and underlined runs, the
// footer's fields. Written against the file format, not against the library that wrote it.
import { inflateRawSync } from 'node:zlib';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

/** The files of a zip archive by name. */
export function unzip(bytes: Uint8Array): Map<string, Buffer> {
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
	let end = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			end = i;
			break;
		}
	}
	if (end < 0) throw new Error('not a zip archive');
	const count = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const files = new Map<string, Buffer>();
	for (let n = 0; n < count; n++) {
		if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
		const method = buf.readUInt16LE(at + 10);
		const compressed = buf.readUInt32LE(at + 20);
		const nameLength = buf.readUInt16LE(at + 28);
		const extraLength = buf.readUInt16LE(at + 30);
		const commentLength = buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
		const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(dataStart, dataStart + compressed);
		files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
		at += 46 + nameLength + extraLength + commentLength;
	}
	return files;
}

const isElement = (n: ChildNode): n is Element => n.type === 'tag';
const children = (e: Element, name: string) => e.children.filter(isElement).filter((c) => c.name === name);
function descendants(e: Element | { children: ChildNode[] }, name: string): Element[] {
	const out: Element[] = [];
	for (const c of e.children.filter(isElement)) {
		if (c.name === name) out.push(c);
		out.push(...descendants(c, name));
	}
	return out;
}
const textOf = (e: Element): string =>
	e.children.map((c) => (c.type === 'text' ? (c as unknown as { data: string }).data : isElement(c) ? textOf(c) : '')).join('');
const decode = (s: string) =>
	s
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');

export interface DocxRun {
	text: string;
	underline: boolean;
}
export interface DocxParagraph {
	text: string;
	runs: DocxRun[];
}
export interface DocxCell {
	paragraphs: DocxParagraph[];
	text: string;
}
export interface DocxRow {
	header: boolean;
	cantSplit: boolean;
	cells: DocxCell[];
}
export interface DocxFile {
	files: Map<string, Buffer>;
	/** w:pgSz of the body's section, in twips. */
	page: { width: number; height: number; orient: string | null };
	/** Paragraphs of the body outside tables, in order. */
	paragraphs: DocxParagraph[];
	tables: DocxRow[][];
	/** Every font named for East Asian text, in the styles and the document. */
	eastAsiaFonts: string[];
	/** Field instructions in the footers (PAGE, NUMPAGES). */
	footerFields: string[];
}

function paragraph(p: Element): DocxParagraph {
	const runs = descendants(p, 'w:r').map((r) => {
		const underline = children(r, 'w:rpr')
			.flatMap((pr) => children(pr, 'w:u'))
			.some((u) => (u.attribs['w:val'] ?? 'single') !== 'none');
		return { text: decode(children(r, 'w:t').map(textOf).join('')), underline };
	});
	return { runs: runs.filter((r) => r.text), text: runs.map((r) => r.text).join('') };
}

export function readDocx(bytes: Uint8Array): DocxFile {
	const files = unzip(bytes);
	const xml = (name: string) => {
		const file = files.get(name);
		if (!file) throw new Error(`${name} is missing`);
		// htmlparser2 lower-cases names in xmlMode only when asked; keep one case to look them up.
		return parseDocument(file.toString('utf8'), { xmlMode: true, lowerCaseTags: true, lowerCaseAttributeNames: false });
	};
	const doc = xml('word/document.xml');
	const body = descendants(doc, 'w:body')[0];
	const size = descendants(body, 'w:pgsz').at(-1)!;
	const tables = children(body, 'w:tbl').map((tbl) =>
		children(tbl, 'w:tr').map((tr) => {
			const props = children(tr, 'w:trpr');
			const flag = (name: string) => props.some((p) => children(p, name).some((e) => (e.attribs['w:val'] ?? 'true') !== 'false' && e.attribs['w:val'] !== '0'));
			const cells = children(tr, 'w:tc').map((tc) => {
				const paragraphs = children(tc, 'w:p').map(paragraph);
				return { paragraphs, text: paragraphs.map((p) => p.text).join('\n') };
			});
			return { header: flag('w:tblheader'), cantSplit: flag('w:cantsplit'), cells };
		})
	);
	const fontsIn = (name: string) =>
		files.has(name)
			? descendants(xml(name), 'w:rfonts')
					.map((f) => f.attribs['w:eastAsia'])
					.filter(Boolean)
			: [];
	const footerFields = [...files.keys()]
		.filter((name) => /^word\/footer\d*\.xml$/.test(name))
		.flatMap((name) => descendants(xml(name), 'w:instrtext').map((e) => decode(textOf(e)).trim()));
	return {
		files,
		page: { width: Number(size.attribs['w:w']), height: Number(size.attribs['w:h']), orient: size.attribs['w:orient'] ?? null },
		paragraphs: children(body, 'w:p').map(paragraph),
		tables,
		eastAsiaFonts: [...fontsIn('word/styles.xml'), ...fontsIn('word/document.xml')],
		footerFields
	};
}

/** The text of a cell with its underlined runs in [brackets]. */
export function markedText(cell: DocxCell): string[] {
	return cell.paragraphs.map((p) => p.runs.map((r) => (r.underline ? `[${r.text}]` : r.text)).join(''));
}
