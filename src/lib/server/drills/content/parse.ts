// Drill templates (標的型攻撃メール訓練) as plain text: content/drills/<slug>/drill.md
// (docs/content-format.md). A header of labelled lines, the mail's plain-text and HTML bodies,
// and its 見破るポイント, each pointing at a place in the mail by text that must stand there as
// written. Pure: returns what it read with every error, each naming its line.
import {
	blocksOf,
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

/** The kinds of mail municipalities meet, one template each in the shipped content. */
export const drillCategories = ['delivery', 'payroll', 'council', 'mynumber', 'invoice', 'account'] as const;
export type DrillCategory = (typeof drillCategories)[number];

/** Where a point is in the mail: the sender, the subject, the text, or the link. */
export const pointPlaces = ['sender', 'subject', 'body', 'link'] as const;
export type PointPlace = (typeof pointPlaces)[number];

export interface DrillPoint {
	where: PointPlace;
	/** Text that stands in that place as written, so the teaching page can mark it. */
	quote: string;
	explanation: string;
	line: number;
}

export interface ParsedDrill {
	slug: string;
	category: DrillCategory;
	senderName: string;
	senderAddress: string;
	subject: string;
	sectionKeys: string[];
	text: string;
	html: string;
	points: DrillPoint[];
	sectionsLine: number;
}

/** Where the link goes, in both bodies. */
export const linkPlaceholder = '{{link}}';
export const bodyMax = 20_000;
export const quoteMax = 200;
export const minPoints = 3;
export const maxPoints = 20;

const headerLabels = ['id', 'category', 'sender-name', 'sender-address', 'subject', 'sections'] as const;
const pointLabels = ['where', 'quote', 'explanation'] as const;
/** A mailbox as a gateway's allowlist would read it: ASCII local part and domain. */
const addressPattern = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** What the HTML body may not hold: it is shown inside the app, so nothing that runs or loads. */
const unsafeHtml: [RegExp, string][] = [
	[/<\s*(script|iframe|object|embed|img|link|meta|style|form|input|svg)\b/i, 'scripts, frames, images, styles and forms'],
	[/\son[a-z]+\s*=/i, 'event attributes (onclick=…)'],
	[/javascript:/i, 'javascript: addresses']
];

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** Where the next </a> (in either case) starts, or -1. */
function closingTag(html: string, from: number): number {
	const found = ['</a>', '</A>'].map((tag) => html.indexOf(tag, from)).filter((i) => i >= 0);
	return found.length ? Math.min(...found) : -1;
}

/** The visible text of each <a href="{{link}}">…</a>, found by scanning (linear in the body). */
function linkTexts(html: string): string {
	const out: string[] = [];
	const marker = `"${linkPlaceholder}"`;
	for (let at = html.indexOf(marker); at >= 0; at = html.indexOf(marker, at + marker.length)) {
		const open = html.indexOf('>', at);
		const close = open < 0 ? -1 : closingTag(html, open);
		if (close < 0) break;
		out.push(html.slice(open + 1, close).replace(/<[^>]*>/g, ''));
	}
	return out.join('\n');
}

function parseHeader(block: Block, errors: ErrorList) {
	const fields = new LabelledFields<(typeof headerLabels)[number]>(errors);
	block.lines.forEach((text, i) => {
		const n = block.first + i;
		if (!text.trim()) return;
		const labelled = readLabelled(text, headerLabels);
		if (labelled) fields.set(labelled.label, labelled.value, n);
		else if (unknownLabel(text)) errors.add(n, `unknown label \`${unknownLabel(text)}:\` (known: ${headerLabels.join(', ')})`);
		else errors.add(n, 'unexpected line in the header: each line is `label: value`');
	});
	fields.require(headerLabels, block.first, 'the header');
	return fields;
}

/** The body of a `text` or `html` part: everything after its first line, trimmed. */
const bodyOf = (block: Block) => block.lines.slice(block.lines.findIndex((l) => l.trim()) + 1).join('\n').trim();

export function parseDrill(source: string, file: string): { value: ParsedDrill | null; errors: ContentError[] } {
	const errors = new ErrorList(file);
	const blocks = blocksOf(splitLines(source)).filter((b) => b.lines.some((l) => l.trim()));
	if (blocks.length === 0) {
		errors.add(1, 'empty: a drill is a header, a `text` part, an `html` part and its `point` parts, separated by lines `---`');
		return { value: null, errors: errors.sorted() };
	}
	const header = parseHeader(blocks[0], errors);
	const slug = header.get('id')?.value.trim() ?? '';
	if (slug && !contentIdPattern.test(slug)) errors.add(header.get('id')!.line, 'the id must be lower-case letters, digits and hyphens');
	const category = header.get('category');
	if (category?.value.trim() && !(drillCategories as readonly string[]).includes(category.value.trim())) {
		errors.add(category.line, `unknown category "${category.value.trim()}" (${drillCategories.join(', ')})`);
	}
	const address = header.get('sender-address');
	if (address?.value.trim() && !addressPattern.test(address.value.trim())) {
		errors.add(address.line, `"${address.value.trim()}" is not a mail address (ASCII, such as info@example.jp)`);
	}
	for (const label of ['sender-name', 'subject'] as const) {
		const field = header.get(label);
		if (field && field.value.trim().length > 200) errors.add(field.line, `\`${label}:\` is longer than 200 characters`);
	}
	const sections = header.get('sections');
	const sectionKeys = splitList(sections?.value ?? '');
	if (sections?.value.trim()) checkSectionList(sectionKeys, sections.line, errors);

	let text: { body: string; line: number } | null = null;
	let html: { body: string; line: number } | null = null;
	const pointBlocks: Block[] = [];
	for (const block of blocks.slice(1)) {
		const start = block.first + Math.max(0, block.lines.findIndex((l) => l.trim()));
		const kind = block.lines.find((l) => l.trim())!.trim();
		if (kind === 'text' || kind === 'html') {
			const seen = kind === 'text' ? text : html;
			if (seen) errors.add(start, `a second \`${kind}\` part (the first is on line ${seen.line})`);
			else if (kind === 'text') text = { body: bodyOf(block), line: start };
			else html = { body: bodyOf(block), line: start };
		} else if (kind === 'point') pointBlocks.push(block);
		else errors.add(start, 'a part starts with a line `text`, `html` or `point`');
	}
	if (!text) errors.add(blocks[0].first, 'the mail has no `text` part (its plain-text body)');
	if (!html) errors.add(blocks[0].first, 'the mail has no `html` part (its HTML body)');
	for (const [kind, part] of [
		['text', text],
		['html', html]
	] as const) {
		if (!part) continue;
		if (!part.body) errors.add(part.line, `the \`${kind}\` part is empty`);
		if (part.body.length > bodyMax) errors.add(part.line, `the \`${kind}\` part is longer than ${bodyMax.toLocaleString('en')} characters`);
		const links = count(part.body, linkPlaceholder);
		if (links !== 1) errors.add(part.line, `the \`${kind}\` part must hold ${linkPlaceholder} exactly once, where the link goes (it holds it ${links} times)`);
	}
	if (html) {
		for (const [pattern, what] of unsafeHtml) if (pattern.test(html.body)) errors.add(html.line, `the \`html\` part may not hold ${what}`);
		const hrefs = [...html.body.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
		if (hrefs.some((h) => h !== linkPlaceholder)) errors.add(html.line, `every link of the \`html\` part is <a href="${linkPlaceholder}">: no other address`);
		if (!hrefs.includes(linkPlaceholder)) errors.add(html.line, `the \`html\` part's link is written <a href="${linkPlaceholder}">…</a>`);
	}

	const sender = `${header.get('sender-name')?.value ?? ''}\n${header.get('sender-address')?.value ?? ''}`;
	const linkText = html ? linkTexts(html.body) : '';
	const places: Record<PointPlace, string> = { sender, subject: header.get('subject')?.value ?? '', body: text?.body ?? '', link: linkText };
	const points: DrillPoint[] = [];
	for (const block of pointBlocks) {
		const before = errors.errors.length;
		const start = block.first + Math.max(0, block.lines.findIndex((l) => l.trim()));
		const fields = new LabelledFields<(typeof pointLabels)[number]>(errors);
		let open = false;
		block.lines.forEach((line, i) => {
			const n = block.first + i;
			if (n === start || !line.trim()) return;
			const labelled = readLabelled(line, pointLabels);
			if (labelled) {
				fields.set(labelled.label, labelled.value, n);
				open = labelled.label === 'explanation';
			} else if (unknownLabel(line)) errors.add(n, `unknown label \`${unknownLabel(line)}:\` (known: ${pointLabels.join(', ')})`);
			else if (open) fields.append('explanation', line.trimEnd());
			else errors.add(n, 'unexpected line in a point: `where:`, `quote:` and `explanation:`');
		});
		fields.require(pointLabels, start, 'the point');
		const where = fields.get('where');
		const quote = fields.get('quote');
		const place = where?.value.trim() as PointPlace;
		if (where?.value.trim() && !(pointPlaces as readonly string[]).includes(place)) {
			errors.add(where.line, `\`where:\` is one of ${pointPlaces.join(', ')}, not "${where.value.trim()}"`);
		} else if (quote?.value.trim()) {
			const q = quote.value.trim();
			if (q.length > quoteMax) errors.add(quote.line, `\`quote:\` is longer than ${quoteMax} characters`);
			else if (!places[place].includes(q)) errors.add(quote.line, `\`quote:\` "${q}" does not stand as written in the mail's ${place}`);
		}
		if (errors.errors.length > before) continue;
		points.push({ where: place, quote: quote!.value.trim(), explanation: fields.get('explanation')!.value.trim(), line: start });
	}
	if (pointBlocks.length < minPoints || pointBlocks.length > maxPoints) {
		errors.add(blocks[0].first, `a drill has ${minPoints} to ${maxPoints} 見破るポイント (\`point\` parts); this one has ${pointBlocks.length}`);
	}
	if (errors.errors.length) return { value: null, errors: errors.sorted() };
	return {
		value: {
			slug,
			category: category!.value.trim() as DrillCategory,
			senderName: header.get('sender-name')!.value.trim(),
			senderAddress: address!.value.trim(),
			subject: header.get('subject')!.value.trim(),
			sectionKeys,
			text: text!.body,
			html: html!.body,
			points,
			sectionsLine: sections!.line
		},
		errors: []
	};
}
