// The GIFT question format, so a question pool can move between Mamori and other learning systems:
//
//   // type: single
//   // sections: 6.3.1, 2.8
//   ::usb-mynumber-terminal::Stem text{
//   	=right choice
//   	~wrong choice
//   	####explanation
//   }
//
// `::title::` is the question id; multiple choice weighs each right choice `~%50%` (summing to
// 100) and each wrong one the same, negative (`~%-50%`), so a learning system scores partial answers as
// Mamori does; true/false is `{TRUE}` or `{FALSE}`. The `// sections:` and
// `// type:` comments carry what GIFT has no place for; other systems ignore them. Special characters
// are escaped with a backslash and line breaks written `\n`, as GIFT exports usually do.
import type { QuestionType } from '../db/schema/learning';
import { checkSectionList, ErrorList, splitLines, splitList } from '../text/labelled';
import { checkQuestionRules, numberChoices, trueFalseChoices, type ChoiceDraft, type Parsed, type ParsedQuestion } from './content/parse-course';
import type { QuestionText } from './content/format-questions';
import { withoutNul } from '../text/decode';
import { boundsMessage, markdownBoundsProblem } from '../text/bounds';

// ---------------------------------------------------------------------------------------------
// Export

export function escapeGift(text: string): string {
	return text.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** 100 / n as GIFT grades are usually written: 50, 33.33333, 12.5. */
function weight(n: number): string {
	return String(Number((100 / n).toFixed(5)));
}

function exportQuestion(q: QuestionText): string {
	const head = [`// type: ${q.type}`, `// sections: ${q.sectionKeys.join(', ')}`, `::${escapeGift(q.slug)}::${escapeGift(q.stem)}`];
	const feedback = q.explanation ? `####${escapeGift(q.explanation)}` : '';
	if (q.type === 'truefalse') {
		// One line: TRUE/FALSE is recognised only when nothing but feedback follows.
		return `${head.join('\n')}{${q.choices.find((c) => c.id === 'o')?.correct ? 'TRUE' : 'FALSE'}${feedback}}`;
	}
	const right = q.choices.filter((c) => c.correct).length;
	const answers = q.choices.map((c) => {
		const text = escapeGift(c.text);
		if (q.type === 'single') return c.correct ? `=${text}` : `~${text}`;
		// Each wrong pick cancels one right pick, as Mamori grades (quiz/grade.ts).
		return `~%${c.correct ? '' : '-'}${weight(right)}%${text}`;
	});
	return `${head.join('\n')}{\n${[...answers, ...(feedback ? [feedback] : [])].map((a) => `\t${a}`).join('\n')}\n}`;
}

/** The questions as a GIFT file; a `$CATEGORY:` line first when a category is given. */
export function exportGift(questions: readonly QuestionText[], options: { category?: string } = {}): string {
	const parts = questions.map(exportQuestion);
	if (options.category) parts.unshift(`$CATEGORY: ${options.category}`);
	return `${parts.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Import

// Escaped characters stand in private-use code points while the structure is read.
const escapes: Record<string, string> = {
	'\\': '\uE000',
	'~': '\uE001',
	'=': '\uE002',
	'#': '\uE003',
	'{': '\uE004',
	'}': '\uE005',
	':': '\uE006',
	n: '\uE007'
};
const unescapes: Record<string, string> = Object.fromEntries(Object.entries(escapes).map(([c, p]) => [p, c === 'n' ? '\n' : c]));

const protect = (text: string) => text.replace(/\\([\\~=#{}:n])/g, (_, c: string) => escapes[c]);
const restore = (text: string) => text.replace(/[\uE000-\uE007]/g, (p) => unescapes[p]);

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A numeric character reference's character, or null when it names none (past U+10FFFF, a surrogate, NUL). */
function referencedCharacter(reference: string): string | null {
	const hex = reference[1] === 'x' || reference[1] === 'X';
	const digits = reference.slice(hex ? 2 : 1);
	// Long runs of digits are past U+10FFFF whatever they say; parsing them exactly is not needed.
	if (digits.replace(/^0+/, '').length > 7) return null;
	const code = hex ? parseInt(digits, 16) : Number(digits);
	if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
	return String.fromCodePoint(code);
}

/**
 * HTML questions as plain text: paragraphs and breaks become line breaks. A reference to
 * no character is left as written and reported through `onBadReference`.
 */
function htmlToText(html: string, onBadReference: (reference: string) => void): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>\s*<p[^>]*>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
			if (e[0] !== '#') return entities[e.toLowerCase()] ?? m;
			const character = referencedCharacter(e);
			if (character === null) onBadReference(m);
			return character ?? m;
		});
}

/** A text as Mamori keeps it: `[html]`, `[markdown]`, `[plain]`, `[moodle]` markers removed, escapes undone. */
function plainText(protectedText: string, onBadReference: (reference: string) => void = () => {}): string {
	const m = /^\s*\[(html|markdown|plain|moodle)\]/i.exec(protectedText);
	let text = restore(m ? protectedText.slice(m[0].length) : protectedText);
	if (m?.[1].toLowerCase() === 'html') text = htmlToText(text, onBadReference);
	return text.trim();
}

const badReference = (reference: string) =>
	`文字参照 ${reference} はどの文字も表していません / the character reference ${reference} names no character (write it as \\& or as the character itself)`;

interface GiftBlock {
	/** Question lines (comments removed) and their 1-based line numbers. */
	lines: string[];
	numbers: number[];
	comments: { text: string; line: number }[];
}

/** Questions are separated by blank lines; `//` lines are comments. */
function giftBlocks(text: string): GiftBlock[] {
	const blocks: GiftBlock[] = [];
	let current: GiftBlock = { lines: [], numbers: [], comments: [] };
	const close = () => {
		if (current.lines.length) blocks.push(current);
		current = { lines: [], numbers: [], comments: [] };
	};
	splitLines(text).forEach((line, i) => {
		if (!line.trim()) close();
		else if (line.trim().startsWith('//')) current.comments.push({ text: line.trim().slice(2).trim(), line: i + 1 });
		else {
			current.lines.push(line);
			current.numbers.push(i + 1);
		}
	});
	close();
	return blocks;
}

const unsupported = (kind: string) => `${kind} questions are not supported (single, multiple or true/false only)`;

/** The question's type, from the answer block as the GIFT format decides it. */
function answerType(answers: string): QuestionType | string {
	const trimmed = answers.trim();
	if (!trimmed) return unsupported('essay');
	if (trimmed.startsWith('#')) return unsupported('numerical');
	if (trimmed.includes('~')) return trimmed.includes('=') ? 'single' : 'multiple';
	if (trimmed.includes('=') && trimmed.includes('->')) return unsupported('matching');
	const head = trimmed.split('#')[0].trim().toUpperCase();
	if (['T', 'TRUE', 'F', 'FALSE'].includes(head)) return 'truefalse';
	return unsupported('short-answer');
}

/** `Q1 USB` → `q1-usb`: GIFT question names as ids where they can be. */
function idFromTitle(title: string): string {
	return title
		.trim()
		.toLowerCase()
		.replace(/[\s_]+/g, '-');
}

function importBlock(block: GiftBlock, seenIds: Map<string, number>, errors: ErrorList): ParsedQuestion | null {
	const before = errors.errors.length;
	const text = protect(block.lines.join('\n'));
	// Escapes never span lines, so the line breaks of the protected text find the line: where each
	// line starts, once, then a binary search (counting from the start for every choice was quadratic).
	const starts = [0];
	for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
	const lineAt = (offset: number) => {
		let low = 0;
		let high = starts.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (starts[mid] <= offset) low = mid;
			else high = mid - 1;
		}
		return block.numbers[low];
	};
	const start = block.numbers[0];

	let body = text.trimStart();
	let slug = '';
	const title = /^::([^]*?)::/.exec(body);
	if (title) {
		slug = idFromTitle(restore(title[1]));
		body = body.slice(title[0].length);
	} else errors.add(start, 'a question needs a title `::question-id::` (the id: lower-case letters, digits and hyphens)');
	const bodyOffset = text.length - body.length;

	const open = body.indexOf('{');
	const close = body.indexOf('}', open);
	if (open < 0) {
		errors.add(start, `no answer block \`{…}\`: ${unsupported('description')}`);
		return null;
	}
	if (close < 0) {
		errors.add(lineAt(bodyOffset + open), '`{` is not closed by `}` (write \\} for a literal brace)');
		return null;
	}
	const after = body.slice(close + 1).trim();
	// Text after the answers makes a "missing word" question, as GIFT defines it.
	const stem = plainText(after ? `${body.slice(0, open).trimEnd()} _____ ${after}` : body.slice(0, open), (r) => errors.add(start, badReference(r)));
	if (!stem) errors.add(start, 'the question has no text before `{`');

	let answers = body.slice(open + 1, close);
	let explanation = '';
	const general = answers.indexOf('####');
	if (general >= 0) {
		explanation = plainText(answers.slice(general + 4), (r) => errors.add(lineAt(bodyOffset + open + 1 + general), badReference(r)));
		answers = answers.slice(0, general);
	}
	const answersOffset = bodyOffset + open + 1;
	const type = answerType(answers);
	if (!['single', 'multiple', 'truefalse'].includes(type)) {
		errors.add(lineAt(answersOffset), type);
		return null;
	}
	const typeComment = block.comments.find((c) => /^type\s*:/.test(c.text));
	const declared = typeComment?.text.replace(/^type\s*:/, '').trim();
	if (typeComment && declared !== type) errors.add(typeComment.line, `\`// type: ${declared}\` does not match the answers, which make a ${type} question`);

	const drafts: ChoiceDraft[] = [];
	let choices: ParsedQuestion['choices'];
	if (type === 'truefalse') {
		choices = trueFalseChoices(answers.trim().toUpperCase().startsWith('T'));
	} else {
		const lead = answers.search(/[=~]/);
		if (answers.slice(0, lead).trim()) errors.add(lineAt(answersOffset), 'text before the first `=` or `~` in the answers');
		for (const m of answers.slice(lead).matchAll(/([=~])([^=~]*)/g)) {
			const line = lineAt(answersOffset + lead + m.index);
			let rest = m[2];
			let w: number | null = null;
			const weightMatch = /^\s*%([^%]*)%/.exec(rest);
			if (weightMatch) {
				w = Number(weightMatch[1]);
				if (!weightMatch[1].trim() || Number.isNaN(w)) errors.add(line, `the weight %${restore(weightMatch[1])}% is not a number`);
				rest = rest.slice(weightMatch[0].length);
			}
			// Per-choice feedback (after `#`) has no place in Mamori: dropped.
			const choiceText = plainText(rest.split('#')[0], (r) => errors.add(line, badReference(r)));
			drafts.push({ text: choiceText, correct: m[1] === '=' || (w !== null && w > 0), line });
		}
		choices = numberChoices(drafts);
	}

	// The stem and the explanation are rendered as Markdown: their lines keep within the bounds.
	for (const text of [stem, explanation]) {
		const bounds = markdownBoundsProblem(text);
		if (bounds) errors.add(start, boundsMessage(bounds));
	}
	const sectionsComment = block.comments.find((c) => /^sections\s*:/.test(c.text));
	const sectionKeys = sectionsComment ? splitList(sectionsComment.text.replace(/^sections\s*:/, '')) : [];
	if (sectionsComment) checkSectionList(sectionKeys, sectionsComment.line, errors);
	checkQuestionRules({ slug, type: type as QuestionType, line: start, choices: drafts }, seenIds, errors);

	if (errors.errors.length > before) return null;
	return { slug, type: type as QuestionType, stem, choices, explanation, sectionKeys, line: start, sectionsLine: sectionsComment?.line ?? start };
}

/**
 * Reads a GIFT file into questions shaped as parseQuestions gives them, with every error found.
 * `$CATEGORY:` lines are skipped; questions without `// sections:` cite no section yet.
 */
export function importGift(text: string, file = 'questions.gift'): Parsed<ParsedQuestion[]> {
	const errors = new ErrorList(file);
	const seenIds = new Map<string, number>();
	const questions: ParsedQuestion[] = [];
	for (const block of giftBlocks(withoutNul(text))) {
		// A category line says where the exporting system files the questions: nothing Mamori keeps.
		while (block.lines[0]?.trim().startsWith('$CATEGORY:')) {
			block.lines.shift();
			block.numbers.shift();
		}
		if (!block.lines.length) continue;
		const q = importBlock(block, seenIds, errors);
		if (q) questions.push(q);
	}
	return { value: questions, errors: errors.sorted() };
}
