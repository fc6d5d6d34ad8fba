// Pure parsers for content/inspections/<slug>/ (docs/content-format.md): checklist.json and
// items.md. Like the question parser, each returns what it could read with every error found,
// each naming the file and line, so an author fixes all of them in one pass. The same item parser
// reads what an owner types in the app's checklist editor.
import { inspectionTiers, type InspectionTier } from '../../db/schema/inspection';
import {
	blocksOf,
	readJsonObject,
	checkSectionList,
	contentIdPattern,
	ErrorList,
	LabelledFields,
	readLabelled,
	splitLines,
	splitList,
	unknownLabel,
	type Block,
	type ContentError
} from '../../text/labelled';
import { boundsMessage, markdownBoundsProblem } from '../../text/bounds';

export interface ChecklistMeta {
	slug: string;
	title: string;
	description: string;
	/** Slug of the policy whose section keys the items cite. */
	policy: string | null;
	tier: InspectionTier;
}

export interface ParsedItem {
	/** The content id, stable across edits. */
	slug: string;
	text: string;
	explanation: string;
	sectionKeys: string[];
	/** 監査項目番号; null when not given. */
	auditItem: string | null;
	/** Where the item starts, and its `sections:` line, for messages. */
	line: number;
	sectionsLine: number;
}

export interface Parsed<T> {
	value: T;
	errors: ContentError[];
}

/** Item ids are content ids of at most this length. */
export const itemIdMax = 64;
/** One item's practice statement: a sentence, not a lesson. */
export const itemTextMax = 400;
export const auditItemMax = 40;
/** 3.2.1, Ⅱ-1-(3), 4（2）ア: numbers, letters and the marks audit guidelines number their items with. */
const auditItemPattern = /^[\p{L}\p{N}.\-－ー‐()（）・ ]+$/u;
/** A checklist this long is no longer answered with care; it also bounds the answer form. */
export const itemsMax = 200;

export function parseChecklistJson(text: string, file: string): Parsed<ChecklistMeta | null> {
	const errors = new ErrorList(file);
	const read = readJsonObject(text, errors, {
		file: 'checklist.json',
		example: '{ "slug": …, "title": …, "tier": … }',
		known: ['slug', 'title', 'description', 'policy', 'tier']
	});
	if (!read) return { value: null, errors: errors.sorted() };
	const { o, check } = read;
	check('slug', typeof o.slug === 'string' && contentIdPattern.test(o.slug), 'lower-case letters, digits and hyphens');
	check('title', typeof o.title === 'string' && o.title.trim() !== '' && o.title.length <= 200, 'a non-empty text of at most 200 characters');
	if ('description' in o) check('description', typeof o.description === 'string' && o.description.length <= 2000, 'a text of at most 2,000 characters');
	if ('policy' in o) check('policy', o.policy === null || (typeof o.policy === 'string' && contentIdPattern.test(o.policy)), 'a policy slug or null');
	check('tier', typeof o.tier === 'string' && (inspectionTiers as readonly string[]).includes(o.tier), `one of ${inspectionTiers.join(', ')}`);
	if (errors.errors.length) return { value: null, errors: errors.sorted() };
	return {
		value: {
			slug: o.slug as string,
			title: (o.title as string).trim(),
			description: typeof o.description === 'string' ? o.description.trim() : '',
			policy: typeof o.policy === 'string' ? o.policy : null,
			tier: o.tier as InspectionTier
		},
		errors: []
	};
}

const itemLabels = ['id', 'sections', 'audit', 'item', 'explanation'] as const;
type ItemLabel = (typeof itemLabels)[number];
/** Only the explanation may continue on the following lines; an item is one sentence. */
const multiLine = new Set<ItemLabel>(['explanation']);

function parseItemBlock(block: Block, seenIds: Map<string, number>, errors: ErrorList): ParsedItem | null {
	const before = errors.errors.length;
	const start = block.first + Math.max(0, block.lines.findIndex((l) => l.trim()));
	const fields = new LabelledFields<ItemLabel>(errors);
	let open: ItemLabel | null = null;
	block.lines.forEach((text, i) => {
		const n = block.first + i;
		const labelled = readLabelled(text, itemLabels);
		if (labelled) {
			fields.set(labelled.label, labelled.value, n);
			open = multiLine.has(labelled.label) ? labelled.label : null;
		} else if (!text.trim()) {
			if (open) fields.append(open, '');
		} else if (unknownLabel(text)) {
			errors.add(n, `unknown label \`${unknownLabel(text)}:\` (known: ${itemLabels.join(', ')})`);
		} else if (open) {
			fields.append(open, text.trimEnd());
		} else {
			errors.add(n, 'unexpected line: an item is `id:`, `sections:`, `audit:` (optional), `item:` and `explanation:`; `item:` is one line');
		}
	});

	const slug = fields.get('id')?.value.trim() ?? '';
	const name = slug ? `item "${slug}"` : 'item';
	fields.require(['id', 'sections', 'item'], start, name);
	if (slug) {
		if (!contentIdPattern.test(slug) || slug.length > itemIdMax) errors.add(fields.get('id')!.line, `${name}: the id must be lower-case letters, digits and hyphens, at most ${itemIdMax}`);
		const first = seenIds.get(slug);
		if (first !== undefined) errors.add(fields.get('id')!.line, `${name}: the id is already used by the item on line ${first}`);
		else seenIds.set(slug, start);
	}
	const sections = fields.get('sections');
	const sectionKeys = splitList(sections?.value ?? '');
	if (sections?.value.trim()) checkSectionList(sectionKeys, sections.line, errors);
	const item = fields.get('item');
	if (item && item.value.trim().length > itemTextMax) errors.add(item.line, `${name}: \`item:\` is ${item.value.trim().length} characters; at most ${itemTextMax}`);
	const audit = fields.get('audit');
	const auditItem = audit?.value.trim() || null;
	if (audit && auditItem && (auditItem.length > auditItemMax || !auditItemPattern.test(auditItem))) {
		errors.add(audit.line, `${name}: \`audit:\` is the audit item's number, such as 3.2.1 (at most ${auditItemMax} characters)`);
	}
	const explanation = fields.get('explanation');
	const bounds = explanation && markdownBoundsProblem(explanation.value);
	if (explanation && bounds) errors.add(explanation.line + bounds.line - 1, boundsMessage(bounds));

	if (errors.errors.length > before) return null;
	return {
		slug,
		text: item!.value.trim(),
		explanation: explanation?.value.trim() ?? '',
		sectionKeys,
		auditItem,
		line: start,
		sectionsLine: sections!.line
	};
}

/** items.md, or the text of the app's editor: items separated by lines `---`. */
export function parseInspectionItems(text: string, file: string): Parsed<ParsedItem[]> {
	const errors = new ErrorList(file);
	const seenIds = new Map<string, number>();
	const items: ParsedItem[] = [];
	for (const block of blocksOf(splitLines(text))) {
		if (!block.lines.some((l) => l.trim())) continue;
		if (items.length + 1 > itemsMax) {
			errors.add(block.first, `a checklist holds at most ${itemsMax} items`);
			break;
		}
		const item = parseItemBlock(block, seenIds, errors);
		if (item) items.push(item);
	}
	if (items.length === 0 && errors.errors.length === 0) errors.add(1, 'the checklist has no items; write `id:`, `sections:` and `item:` for each');
	return { value: items, errors: errors.sorted() };
}

/** Items back in the file's format, for the editor and for export. */
export function formatInspectionItems(items: readonly { slug: string; sectionKeys: readonly string[]; auditItem: string | null; text: string; explanation: string }[]): string {
	return items
		.map((i) =>
			[`id: ${i.slug}`, `sections: ${i.sectionKeys.join(', ')}`, ...(i.auditItem ? [`audit: ${i.auditItem}`] : []), `item: ${i.text}`, ...(i.explanation ? [`explanation: ${i.explanation}`] : [])].join('\n')
		)
		.join('\n---\n');
}
