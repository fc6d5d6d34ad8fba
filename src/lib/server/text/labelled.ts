// Small readers shared by the plain-text content parsers (courses, checklists) and the GIFT importer: errors that name a
// file and a line, `label: value` lines, comma-separated lists, blocks between `---` lines.
import path from 'node:path';

/** A problem in a content file. `line` is 1-based; 0 when it concerns the file as a whole. */
export interface ContentError {
	file: string;
	line: number;
	message: string;
}

export function formatContentError(e: ContentError): string {
	return e.line > 0 ? `${e.file}:${e.line}: ${e.message}` : `${e.file}: ${e.message}`;
}

/** Thrown when content cannot be loaded; `errors` holds every problem found, not only the first. */
export class ContentErrors extends Error {
	constructor(
		readonly errors: ContentError[],
		title = 'course content has errors'
	) {
		super(`${title}:\n${errors.map((e) => `  ${formatContentError(e)}`).join('\n')}`);
		this.name = 'ContentErrors';
	}
}

/** Collects errors for one file so parsers can report every problem and carry on. */
export class ErrorList {
	readonly errors: ContentError[] = [];
	constructor(readonly file: string) {}
	add(line: number, message: string): void {
		this.errors.push({ file: this.file, line, message });
	}
	/** In line order, as an author works through the file. */
	sorted(): ContentError[] {
		return [...this.errors].sort((a, b) => a.line - b.line);
	}
}

/** Lines without a byte order mark or carriage returns. */
export function splitLines(text: string): string[] {
	return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Content ids (question ids, lesson and course slugs): lower-case letters, digits and hyphens. */
export const contentIdPattern = /^[a-z0-9-]+$/;
/** Policy section keys as the importer builds them: `6.3.2`, `ch1.s1`, `10-2`, `suppl`. */
export const sectionKeyPattern = /^[A-Za-z0-9._-]+$/;

/** `label: value` for one of the known labels (a full-width colon as an IME types it is accepted too). */
export function readLabelled<L extends string>(line: string, labels: readonly L[]): { label: L; value: string } | null {
	const m = /^([a-z][a-z-]*)[:：][ \t]*(.*)$/.exec(line);
	if (!m || !(labels as readonly string[]).includes(m[1])) return null;
	return { label: m[1] as L, value: m[2].trimEnd() };
}

/** A line that looks like a label but is none of the known ones: most likely a typo. */
export function unknownLabel(line: string): string | null {
	const m = /^([a-z][a-z-]*)[:：](?:[ \t]|$)/.exec(line);
	return m ? m[1] : null;
}

/** `6.3.1, 2.8` → keys; Japanese commas are accepted as authors type them. */
export function splitList(value: string): string[] {
	return value
		.split(/[,，、]/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Checks a `sections:` list: at least one key, each well formed, none twice. */
export function checkSectionList(keys: readonly string[], line: number, errors: ErrorList): void {
	if (keys.length === 0) errors.add(line, '`sections:` needs at least one policy section key, such as `6.3.1`');
	const seen = new Set<string>();
	for (const key of keys) {
		if (!sectionKeyPattern.test(key)) errors.add(line, `"${key}" is not a section key (write keys such as 6.3.1, separated by commas)`);
		else if (seen.has(key)) errors.add(line, `section key ${key} is listed twice`);
		seen.add(key);
	}
}

/** The labels of one block, each once; a repeated label is an error. */
export class LabelledFields<L extends string> {
	private readonly values = new Map<L, { value: string; line: number }>();
	constructor(private readonly errors: ErrorList) {}

	set(label: L, value: string, line: number): void {
		const before = this.values.get(label);
		if (before) this.errors.add(line, `\`${label}:\` appears twice (first on line ${before.line})`);
		else this.values.set(label, { value, line });
	}

	/** Adds a continuation line to a multi-line value. */
	append(label: L, text: string): void {
		const field = this.values.get(label);
		if (field) field.value += `\n${text}`;
	}

	get(label: L): { value: string; line: number } | undefined {
		return this.values.get(label);
	}

	/** Reports each missing label at `line` (the start of the block). */
	require(labels: readonly L[], line: number, where: string): void {
		for (const label of labels) {
			if (!this.values.has(label) || !this.values.get(label)!.value.trim()) this.errors.add(line, `${where}: \`${label}:\` is missing or empty`);
		}
	}
}

/** A block of lines between separators `---`; `first` is the 1-based line number of lines[0]. */
export interface Block {
	lines: string[];
	first: number;
}

/** Splits at lines `---` (the question and checklist formats' separator). */
export function blocksOf(lines: readonly string[]): Block[] {
	const blocks: Block[] = [];
	let current: Block = { lines: [], first: 1 };
	lines.forEach((line, i) => {
		if (line.trim() === '---') {
			blocks.push(current);
			current = { lines: [], first: i + 2 };
		} else current.lines.push(line);
	});
	blocks.push(current);
	return blocks;
}

/** The line of a JSON text on which `"field":` stands (1 when not found). */
export function lineOfField(text: string, field: string): number {
	const at = text.search(new RegExp(`"${field}"\\s*:`));
	return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

/** The line a JSON.parse error points at (V8 says "position N" or "line L column C"). */
export function lineOfSyntaxError(text: string, message: string): number {
	const line = /line (\d+)/.exec(message);
	if (line) return Number(line[1]);
	const position = /position (\d+)/.exec(message);
	return position ? text.slice(0, Number(position[1])).split('\n').length : 1;
}

/** A path as messages show it: relative to the working directory when it lies below it. */
export function shownPath(file: string): string {
	const relative = path.relative(process.cwd(), file);
	return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * A content file's JSON object (course.json, checklist.json), read with every problem at its line:
 * not JSON, not one object, a field that is not `known`. `check` adds a field's problem at the
 * line the field stands on. Null when there is no object to look into.
 */
export function readJsonObject(
	text: string,
	errors: ErrorList,
	shape: { file: string; example: string; known: readonly string[] }
): { o: Record<string, unknown>; check: (field: string, ok: boolean, expected: string) => void } | null {
	let raw: unknown;
	try {
		raw = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		const message = (error as Error).message;
		errors.add(lineOfSyntaxError(text, message), `not valid JSON: ${message}`);
		return null;
	}
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		errors.add(1, `${shape.file} must hold one object: ${shape.example}`);
		return null;
	}
	const o = raw as Record<string, unknown>;
	for (const field of Object.keys(o)) {
		if (!shape.known.includes(field)) errors.add(lineOfField(text, field), `unknown field "${field}" (known: ${shape.known.join(', ')})`);
	}
	return {
		o,
		check: (field, ok, expected) => {
			if (!ok) errors.add(lineOfField(text, field), `"${field}" must be ${expected}`);
		}
	};
}
