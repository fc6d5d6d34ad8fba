// Hand-built ZIP and PDF files for the tests of hostile and damaged uploads: what a Word or PDF
// writer would never produce, byte by byte.
import { deflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	data: Uint8Array | string;
	/** Deflate the entry (the default) or store it. */
	deflate?: boolean;
	/** Sizes the directory states instead of the true ones. */
	claimedSize?: number;
	encrypted?: boolean;
}

/** A ZIP file: local headers, data, central directory, end record. CRCs are left 0 (readers here do not check them first). */
export function zip(entries: readonly ZipEntry[]): Uint8Array {
	const parts: Buffer[] = [];
	const directory: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const raw = Buffer.from(typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data);
		const deflate = entry.deflate ?? true;
		const body = deflate ? deflateRawSync(raw) : raw;
		const name = Buffer.from(entry.name, 'utf8');
		const size = entry.claimedSize ?? raw.byteLength;
		const flags = entry.encrypted ? 1 : 0;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(flags, 6);
		local.writeUInt16LE(deflate ? 8 : 0, 8);
		local.writeUInt32LE(body.byteLength, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.byteLength, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(flags, 8);
		central.writeUInt16LE(deflate ? 8 : 0, 10);
		central.writeUInt32LE(body.byteLength, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.byteLength, 28);
		central.writeUInt32LE(offset, 42);
		parts.push(local, name, body);
		directory.push(central, name);
		offset += local.byteLength + name.byteLength + body.byteLength;
	}
	const directoryBytes = Buffer.concat(directory);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directoryBytes.byteLength, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...parts, directoryBytes, end]));
}

/** The parts a Word reader needs, around the given body XML. */
export function minimalDocx(bodyXml: string, extra: ZipEntry[] = []): ZipEntry[] {
	return [
		{
			name: '[Content_Types].xml',
			data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
		},
		{
			name: '_rels/.rels',
			data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
		},
		{
			name: 'word/document.xml',
			data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${bodyXml}</w:body></w:document>`
		},
		...extra
	];
}

/** A PDF from its objects' bodies (numbered from 1, object 1 the catalog), with a correct cross-reference table. */
export function pdf(objects: readonly string[]): Uint8Array {
	let out = '%PDF-1.7\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A PDF of `count` empty pages, or one whose page tree claims `claimed` pages. */
export function pagesPdf(count: number, claimed = count): Uint8Array {
	const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(' ');
	const pages = Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
	return pdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${claimed} >>`, ...pages]);
}

/** One page whose text is drawn by the given content stream. */
export function textPdf(content: string): Uint8Array {
	return pdf([
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	]);
}
