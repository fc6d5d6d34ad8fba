// Reading the bytes of a roster CSV: encoding detection and an RFC 4180 parser.

export interface CsvRecord {
	/** Physical line (1-based) where the record starts; a quoted newline makes a record span lines. */
	line: number;
	fields: string[];
}

export interface CsvParseResult {
	records: CsvRecord[];
	/** Line of the record whose quoted field never closes; it swallowed the rest of the file. */
	unterminatedQuoteLine: number | null;
}

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF and a lone CR are accepted too),
 * quoted fields may hold commas, newlines and "" for a quote. A final line break adds no record.
 * Lenient where Excel never writes otherwise: text after a closing quote is kept as it is.
 */
export function parseCsv(text: string): CsvParseResult {
	const records: CsvRecord[] = [];
	const n = text.length;
	let i = 0;
	let line = 1;
	while (i < n) {
		const start = line;
		const fields: string[] = [];
		for (;;) {
			let field = '';
			if (text.charCodeAt(i) === 34 /* " */) {
				i++;
				let closed = false;
				let from = i;
				while (i < n) {
					const c = text.charCodeAt(i);
					if (c === 34) {
						field += text.slice(from, i);
						if (text.charCodeAt(i + 1) === 34) {
							field += '"';
							i += 2;
							from = i;
							continue;
						}
						i++;
						closed = true;
						break;
					}
					if (c === 13 /* \r */) {
						line++;
						if (text.charCodeAt(i + 1) === 10) i++;
					} else if (c === 10 /* \n */) {
						line++;
					}
					i++;
				}
				if (!closed) {
					fields.push(field + text.slice(from, i));
					records.push({ line: start, fields });
					return { records, unterminatedQuoteLine: start };
				}
			}
			const from = i;
			while (i < n) {
				const c = text.charCodeAt(i);
				if (c === 44 /* , */ || c === 13 || c === 10) break;
				i++;
			}
			fields.push(field + text.slice(from, i));
			if (i >= n) break;
			const c = text.charCodeAt(i);
			i++;
			if (c === 44) continue;
			if (c === 13 && text.charCodeAt(i) === 10) i++;
			line++;
			break;
		}
		records.push({ line: start, fields });
	}
	return { records, unterminatedQuoteLine: null };
}
