// Pure parsers for content/courses/<slug>/ (docs/content-format.md). Each returns what it could
// read together with every error found, each naming the file and line, so an author fixes all
// of them in one pass.
import path from 'node:path';
import { questionTypes, type QuestionChoice, type QuestionType } from '../../db/schema/learning';
import {
	blocksOf,
	readJsonObject,
	type Block,
	checkSectionList,
	contentIdPattern,
	ErrorList,
	LabelledFields,
	readLabelled,
	splitLines,
	splitList,
	unknownLabel,
	type ContentError
} from '../../text/labelled';
import { boundsMessage, markdownBoundsProblem } from '../../text/bounds';

/** course.json, with the database's defaults filled in. */
export interface CourseMeta {
	slug: string;
	title: string;
	description: string;
	/** Slug of the policy whose section keys lessons and questions cite. */
	policy: string | null;
	passMark: number;
	drawCount: number;
	maxAttempts: number | null;
	requireAllLessons: boolean;
}

export interface ParsedLesson {
	/** The file name without `.md`: `01-purpose-and-cia`. */
	slug: string;
	title: string;
	sectionKeys: string[];
	/** Markdown. */
	body: string;
	/** Line of `sections:`, for messages about the keys. */
	sectionsLine: number;
}

export interface ParsedQuestion {
	/** The content id, stable across edits. */
	slug: string;
	type: QuestionType;
	stem: string;
	/** `c1`, `c2` … in file order; ○× has `o` and `x`. */
	choices: QuestionChoice[];
	explanation: string;
	sectionKeys: string[];
	/** Where the question starts, and its `sections:` line, for messages. */
	line: number;
	sectionsLine: number;
}

export interface Parsed<T> {
	value: T;
	errors: ContentError[];
}

// ---------------------------------------------------------------------------------------------
// course.json

const courseDefaults: Omit<CourseMeta, 'slug' | 'title'> = {
	description: '',
	policy: null,
	passMark: 80,
	drawCount: 20,
	maxAttempts: null,
	requireAllLessons: true
};

const isInteger = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export function parseCourseJson(text: string, file: string): Parsed<CourseMeta | null> {
	const errors = new ErrorList(file);
	const read = readJsonObject(text, errors, {
		file: 'course.json',
		example: '{ "slug": …, "title": … }',
		known: ['slug', 'title', 'description', 'policy', 'passMark', 'drawCount', 'maxAttempts', 'requireAllLessons']
	});
	if (!read) return { value: null, errors: errors.sorted() };
	const { o, check } = read;
	check('slug', typeof o.slug === 'string' && contentIdPattern.test(o.slug), 'lower-case letters, digits and hyphens');
	check('title', typeof o.title === 'string' && o.title.trim() !== '', 'a non-empty text');
	if ('description' in o) check('description', typeof o.description === 'string', 'a text');
	if ('policy' in o) check('policy', o.policy === null || (typeof o.policy === 'string' && contentIdPattern.test(o.policy)), 'a policy slug or null');
	if ('passMark' in o) check('passMark', isInteger(o.passMark, 0, 100), 'a whole number from 0 to 100 (percent)');
	if ('drawCount' in o) check('drawCount', isInteger(o.drawCount, 1, 1000), 'a whole number of questions, at least 1');
	if ('maxAttempts' in o) check('maxAttempts', o.maxAttempts === null || isInteger(o.maxAttempts, 1, 1000), 'a whole number, at least 1, or null for unlimited');
	if ('requireAllLessons' in o) check('requireAllLessons', typeof o.requireAllLessons === 'boolean', 'true or false');
	if (errors.errors.length) return { value: null, errors: errors.sorted() };
	return { value: { ...courseDefaults, ...(o as Partial<CourseMeta>) } as CourseMeta, errors: [] };
}

// ---------------------------------------------------------------------------------------------
// lessons/NN-name.md

const lessonLabels = ['title', 'sections'] as const;

/** Lines outside fenced code blocks, with their line numbers. */
function linesOutsideFences(lines: readonly string[], firstLine: number): { text: string; line: number }[] {
	const out: { text: string; line: number }[] = [];
	let fence: string | null = null;
	lines.forEach((text, i) => {
		const marker = /^\s*(```|~~~)/.exec(text)?.[1];
		if (marker && (fence === null || fence === marker)) fence = fence ? null : marker;
		else if (!fence) out.push({ text, line: firstLine + i });
	});
	return out;
}

export function parseLesson(text: string, file: string): Parsed<ParsedLesson | null> {
	const errors = new ErrorList(file);
	const slug = path.basename(file).replace(/\.md$/i, '');
	if (!contentIdPattern.test(slug)) errors.add(0, `the file name "${slug}" must be lower-case letters, digits and hyphens, such as 01-purpose.md`);
	const lines = splitLines(text);
	if (lines[0]?.trim() !== '---') {
		errors.add(1, 'a lesson starts with front matter: a line `---`, then `title:` and `sections:`, then `---`');
		return { value: null, errors: errors.sorted() };
	}
	const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	if (close < 0) {
		errors.add(1, 'the front matter is not closed by a line `---`');
		return { value: null, errors: errors.sorted() };
	}
	const fields = new LabelledFields<(typeof lessonLabels)[number]>(errors);
	for (let i = 1; i < close; i++) {
		if (!lines[i].trim()) continue;
		const labelled = readLabelled(lines[i], lessonLabels);
		if (labelled) fields.set(labelled.label, labelled.value, i + 1);
		else errors.add(i + 1, `unexpected line in the front matter; expected \`title:\` or \`sections:\``);
	}
	fields.require(lessonLabels, 1, 'front matter');
	const sections = fields.get('sections');
	const sectionKeys = splitList(sections?.value ?? '');
	if (sections?.value.trim()) checkSectionList(sectionKeys, sections.line, errors);

	const bodyLines = lines.slice(close + 1);
	for (const { text: line, line: n } of linesOutsideFences(bodyLines, close + 2)) {
		if (/^#\s/.test(line)) errors.add(n, 'headings in a lesson start at `##` (the title is the lesson\'s `#`)');
	}
	const bounds = markdownBoundsProblem(bodyLines.join('\n'));
	if (bounds) errors.add(close + 1 + bounds.line, boundsMessage(bounds));
	const body = bodyLines.join('\n').trim();
	if (!body) errors.add(close + 1, 'the lesson has no text after the front matter');
	if (errors.errors.length) return { value: null, errors: errors.sorted() };
	return {
		value: { slug, title: fields.get('title')!.value.trim(), sectionKeys, body, sectionsLine: sections!.line },
		errors: []
	};
}

// ---------------------------------------------------------------------------------------------
// questions.md

const questionLabels = ['id', 'type', 'sections', 'question', 'answer', 'explanation'] as const;
type QuestionLabel = (typeof questionLabels)[number];
/** Labels whose value may continue on the following lines. */
const multiLine = new Set<QuestionLabel>(['question', 'explanation']);

export const minChoices = 2;
export const maxChoices = 8;

/** A choice as written, before it gets its id. */
export interface ChoiceDraft {
	text: string;
	correct: boolean;
	line: number;
}

/** The ○× pair; `true` means the statement is right (○). */
export function trueFalseChoices(statementTrue: boolean): QuestionChoice[] {
	return [
		{ id: 'o', text: '○', correct: statementTrue },
		{ id: 'x', text: '×', correct: !statementTrue }
	];
}

/** Ids by position, so a question's choices keep their ids while their text is edited. */
export function numberChoices(drafts: readonly ChoiceDraft[]): QuestionChoice[] {
	return drafts.map((c, i) => ({ id: `c${i + 1}`, text: c.text, correct: c.correct }));
}

/**
 * The rules every question follows, whichever format it came from: a well-formed id used once,
 * and for choice questions 2–8 distinct, non-empty choices with the right number marked right.
 */
export function checkQuestionRules(
	q: { slug: string; type: QuestionType; line: number; choices: readonly ChoiceDraft[] },
	seenIds: Map<string, number>,
	errors: ErrorList
): void {
	const name = q.slug ? `question "${q.slug}"` : 'question';
	if (q.slug) {
		if (!contentIdPattern.test(q.slug)) errors.add(q.line, `${name}: the id must be lower-case letters, digits and hyphens`);
		const first = seenIds.get(q.slug);
		if (first !== undefined) errors.add(q.line, `${name}: the id is already used by the question on line ${first}`);
		else seenIds.set(q.slug, q.line);
	}
	if (q.type === 'truefalse') return;
	const texts = new Map<string, number>();
	for (const c of q.choices) {
		if (!c.text) errors.add(c.line, `${name}: a choice has no text`);
		else if (texts.has(c.text)) errors.add(c.line, `${name}: the same choice as on line ${texts.get(c.text)}`);
		else texts.set(c.text, c.line);
	}
	if (q.choices.length < minChoices || q.choices.length > maxChoices) {
		errors.add(q.line, `${name}: needs ${minChoices} to ${maxChoices} choices, has ${q.choices.length}`);
	}
	const right = q.choices.filter((c) => c.correct).length;
	if (q.type === 'single' && right !== 1) errors.add(q.line, `${name}: a single-choice question needs exactly one right choice, has ${right}`);
	if (q.type === 'multiple' && right < 1) errors.add(q.line, `${name}: a multiple-choice question needs at least one right choice`);
}

const choicePattern = /^- \[([ xX])\][ \t]+(.*)$/;
/** ○ and 〇 look alike; both are accepted. */
const answerValues: Record<string, boolean> = { '○': true, '〇': true, '×': false };

function parseQuestionBlock(block: Block, seenIds: Map<string, number>, errors: ErrorList): ParsedQuestion | null {
	const before = errors.errors.length;
	const start = block.first + Math.max(0, block.lines.findIndex((l) => l.trim()));
	const fields = new LabelledFields<QuestionLabel>(errors);
	const choices: ChoiceDraft[] = [];
	let open: QuestionLabel | null = null;
	block.lines.forEach((text, i) => {
		const n = block.first + i;
		const labelled = readLabelled(text, questionLabels);
		if (labelled) {
			if (labelled.label === 'question' && choices.length) errors.add(n, '`question:` must come before the choice lines');
			fields.set(labelled.label, labelled.value, n);
			open = multiLine.has(labelled.label) ? labelled.label : null;
		} else if (/^\s*[-*]\s*\[/.test(text)) {
			const m = choicePattern.exec(text);
			if (!m) errors.add(n, 'a choice line is `- [x] text` (right) or `- [ ] text` (wrong)');
			else if (!fields.get('question')) errors.add(n, 'choice lines come after `question:`');
			else if (fields.get('explanation')) errors.add(n, 'choice lines come before `explanation:`');
			else choices.push({ text: m[2].trim(), correct: m[1] !== ' ', line: n });
			// The stem ends at the first choice line.
			open = null;
		} else if (!text.trim()) {
			if (open) fields.append(open, '');
		} else if (unknownLabel(text)) {
			errors.add(n, `unknown label \`${unknownLabel(text)}:\` (known: ${questionLabels.join(', ')})`);
		} else if (open) {
			fields.append(open, text.trimEnd());
		} else {
			errors.add(n, 'unexpected line: expected a label such as `explanation:` or a choice line `- [ ] …`');
		}
	});

	const slug = fields.get('id')?.value.trim() ?? '';
	fields.require(['id', 'type', 'sections', 'question', 'explanation'], start, slug ? `question "${slug}"` : 'question');
	const typeField = fields.get('type');
	const type = typeField?.value.trim() as QuestionType;
	if (typeField?.value.trim() && !questionTypes.includes(type)) {
		errors.add(typeField.line, `unknown type "${typeField.value.trim()}" (single, multiple or truefalse)`);
	}
	const sections = fields.get('sections');
	const sectionKeys = splitList(sections?.value ?? '');
	if (sections?.value.trim()) checkSectionList(sectionKeys, sections.line, errors);

	// The stem and the explanation are rendered as Markdown: their lines keep within the bounds.
	for (const label of ['question', 'explanation'] as const) {
		const field = fields.get(label);
		const bounds = field && markdownBoundsProblem(field.value);
		if (field && bounds) errors.add(field.line + bounds.line - 1, boundsMessage(bounds));
	}
	const answer = fields.get('answer');
	let questionChoices: QuestionChoice[] = [];
	if (type === 'truefalse') {
		if (choices.length) errors.add(choices[0].line, 'a truefalse question has no choice lines; write `answer: ○` or `answer: ×`');
		const value = answer?.value.trim() ?? '';
		if (!answer) errors.add(start, 'a truefalse question needs `answer: ○` or `answer: ×`');
		else if (!(value in answerValues)) errors.add(answer.line, `\`answer:\` must be ○ or ×, not "${value}"`);
		else questionChoices = trueFalseChoices(answerValues[value]);
	} else if (questionTypes.includes(type)) {
		if (answer) errors.add(answer.line, '`answer:` is for truefalse questions; mark right choices with `- [x]`');
		questionChoices = numberChoices(choices);
	}
	if (questionTypes.includes(type)) checkQuestionRules({ slug, type, line: start, choices }, seenIds, errors);

	if (errors.errors.length > before) return null;
	return {
		slug,
		type,
		stem: fields.get('question')!.value.trim(),
		choices: questionChoices,
		explanation: fields.get('explanation')!.value.trim(),
		sectionKeys,
		line: start,
		sectionsLine: sections!.line
	};
}

export function parseQuestions(text: string, file: string): Parsed<ParsedQuestion[]> {
	const errors = new ErrorList(file);
	const seenIds = new Map<string, number>();
	const questions: ParsedQuestion[] = [];
	for (const block of blocksOf(splitLines(text))) {
		// Blank blocks (a trailing or doubled `---`) carry nothing.
		if (!block.lines.some((l) => l.trim())) continue;
		const q = parseQuestionBlock(block, seenIds, errors);
		if (q) questions.push(q);
	}
	return { value: questions, errors: errors.sorted() };
}
