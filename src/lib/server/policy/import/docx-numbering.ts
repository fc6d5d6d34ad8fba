// Word's automatic numbering, as Word would print it. A numbered paragraph in a .docx holds no
// number in its text: only a list id (numId) and a level, which numbering.xml turns into "(3)",
// "②" or "第5条" by counting. The Word reader keeps only "ordered or not" and the level, so the
// numbers are counted here, from the three parts read by one pass each (a tokenizer over the
// tags, linear in the part's length), the way Word counts them:
// - lists that share an abstract definition share their counters, unless a list restarts a level
//   with a startOverride (at its first paragraph);
// - numbering a level resets the levels below it;
// - the level's text ("(%1)", "%1-%2", "第%1条") takes each %n from level n's counter in its format.

export interface NumberedParagraph {
	/** The paragraph's text as written (w:t runs), for matching with the reader's paragraphs. */
	text: string;
	/** The number as Word shows it; '' for a bullet or a level without a number; null when not in a list. */
	label: string | null;
	bullet: boolean;
}

interface Level {
	start: number;
	format: string;
	text: string;
	legal: boolean;
}

interface Num {
	abstractId: string;
	starts: Map<number, number>;
}

interface Abstract {
	levels: Map<number, Level>;
	styleLink?: string;
}

// A tag's attributes hold no `<` in well-formed XML: stopping there keeps a crafted part linear.
const tag = /<(\/?)([A-Za-z][\w.-]*:[\w.-]+|[A-Za-z][\w.-]*)([^<>]*)>/g;

export function attribute(attributes: string, name: string): string | undefined {
	const at = attributes.indexOf(`${name}="`);
	if (at < 0) return undefined;
	const from = at + name.length + 2;
	const to = attributes.indexOf('"', from);
	return to < 0 ? undefined : decodeEntities(attributes.slice(from, to));
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
		if (name[0] !== '#') return entities[name];
		const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
		return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
	});
}

/** Each tag of an XML part in order: closing, name, attributes, self-closing. */
export function* tags(xml: string): Generator<{ closing: boolean; name: string; attributes: string; empty: boolean; end: number }> {
	// The caller may move `tag.lastIndex` past text it read itself (a w:t run).
	tag.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = tag.exec(xml))) {
		const attributes = m[3];
		yield { closing: m[1] === '/', name: m[2], attributes, empty: attributes.endsWith('/'), end: tag.lastIndex };
	}
}

function readNumbering(xml: string): { nums: Map<string, Num>; abstracts: Map<string, Abstract> } {
	const nums = new Map<string, Num>();
	const abstracts = new Map<string, Abstract>();
	let abstract: Abstract | null = null;
	let level: Level | null = null;
	let num: Num | null = null;
	let override: number | null = null;
	for (const t of tags(xml)) {
		const val = () => attribute(t.attributes, 'w:val') ?? '';
		if (t.closing) {
			if (t.name === 'w:abstractNum') abstract = null;
			else if (t.name === 'w:lvl') level = null;
			else if (t.name === 'w:num') num = null;
			else if (t.name === 'w:lvlOverride') override = null;
			continue;
		}
		if (t.name === 'w:abstractNum') {
			abstract = { levels: new Map() };
			abstracts.set(attribute(t.attributes, 'w:abstractNumId') ?? '', abstract);
		} else if (t.name === 'w:num' && !t.empty) {
			num = { abstractId: '', starts: new Map() };
			nums.set(attribute(t.attributes, 'w:numId') ?? '', num);
		} else if (t.name === 'w:lvl' && abstract && !num) {
			level = { start: 1, format: 'decimal', text: '', legal: false };
			abstract.levels.set(Number(attribute(t.attributes, 'w:ilvl') ?? 0), level);
		} else if (level) {
			if (t.name === 'w:start') level.start = Number(val()) || 0;
			else if (t.name === 'w:numFmt') level.format = val();
			else if (t.name === 'w:lvlText') level.text = val();
			else if (t.name === 'w:isLgl') level.legal = val() !== '0' && val() !== 'false';
		} else if (abstract && (t.name === 'w:numStyleLink' || t.name === 'w:styleLink')) {
			if (t.name === 'w:numStyleLink') abstract.styleLink = val();
		} else if (num) {
			if (t.name === 'w:abstractNumId') num.abstractId = val();
			else if (t.name === 'w:lvlOverride') override = Number(attribute(t.attributes, 'w:ilvl') ?? 0);
			else if (t.name === 'w:startOverride' && override !== null) num.starts.set(override, Number(val()) || 0);
		}
	}
	return { nums, abstracts };
}

interface StyleNumbering {
	numId?: string;
	level?: number;
	basedOn?: string;
}

function readStyles(xml: string): Map<string, StyleNumbering> {
	const styles = new Map<string, StyleNumbering>();
	let style: StyleNumbering | null = null;
	for (const t of tags(xml)) {
		if (t.closing) {
			if (t.name === 'w:style') style = null;
			continue;
		}
		if (t.name === 'w:style') {
			style = {};
			styles.set(attribute(t.attributes, 'w:styleId') ?? '', style);
		} else if (style) {
			if (t.name === 'w:basedOn') style.basedOn = attribute(t.attributes, 'w:val');
			else if (t.name === 'w:numId') style.numId = attribute(t.attributes, 'w:val');
			else if (t.name === 'w:ilvl') style.level = Number(attribute(t.attributes, 'w:val') ?? 0);
		}
	}
	return styles;
}

interface RawParagraph {
	text: string;
	numId?: string;
	level?: number;
	style?: string;
}

/** The paragraphs of document.xml in the order they start, with their text and numbering properties. */
function readParagraphs(xml: string): RawParagraph[] {
	const out: RawParagraph[] = [];
	const open: RawParagraph[] = [];
	let inProperties = false;
	// The properties before a tracked change (w:pPrChange) are history, not the paragraph's.
	let inChange = 0;
	for (const t of tags(xml)) {
		const current = open.at(-1);
		if (t.closing) {
			if (t.name === 'w:p') open.pop();
			else if (t.name === 'w:pPr') inProperties = false;
			else if (t.name === 'w:pPrChange') inChange--;
			continue;
		}
		if (t.name === 'w:p' && !t.empty) {
			const paragraph: RawParagraph = { text: '' };
			out.push(paragraph);
			open.push(paragraph);
			inProperties = false;
		} else if (t.name === 'w:p') out.push({ text: '' });
		else if (!current) continue;
		else if (t.name === 'w:pPr' && !t.empty) inProperties = true;
		else if (t.name === 'w:pPrChange' && !t.empty) inChange++;
		else if (inProperties && inChange === 0) {
			if (t.name === 'w:pStyle') current.style = attribute(t.attributes, 'w:val');
			else if (t.name === 'w:numId') current.numId = attribute(t.attributes, 'w:val');
			else if (t.name === 'w:ilvl') current.level = Number(attribute(t.attributes, 'w:val') ?? 0);
		} else if (t.name === 'w:t' && !t.empty) {
			const close = xml.indexOf('</w:t>', t.end);
			if (close < 0) break;
			current.text += decodeEntities(xml.slice(t.end, close));
			tag.lastIndex = close + 6;
		}
	}
	return out;
}

const aiueo = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
const iroha = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス';
const kanjiDigits = '〇一二三四五六七八九';
const stems = '甲乙丙丁戊己庚辛壬癸';

/** 1 → 一, 10 → 十, 21 → 二十一, 105 → 百五. */
export function kanjiCount(n: number): string {
	if (n <= 0 || n >= 10000) return String(n);
	let out = '';
	for (const [unit, size] of [
		['千', 1000],
		['百', 100],
		['十', 10]
	] as const) {
		const digit = Math.floor(n / size) % 10;
		if (digit > 0) out += (digit > 1 ? kanjiDigits[digit] : '') + unit;
	}
	return out + (n % 10 > 0 ? kanjiDigits[n % 10] : '');
}

export function circled(n: number): string {
	if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
	if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
	if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
	return `(${n})`;
}

const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const cyclic = (letters: string, n: number) => (n >= 1 ? letters[(n - 1) % letters.length] : String(n));

function roman(n: number): string {
	if (n <= 0 || n >= 4000) return String(n);
	const parts: [number, string][] = [
		[1000, 'm'],
		[900, 'cm'],
		[500, 'd'],
		[400, 'cd'],
		[100, 'c'],
		[90, 'xc'],
		[50, 'l'],
		[40, 'xl'],
		[10, 'x'],
		[9, 'ix'],
		[5, 'v'],
		[4, 'iv'],
		[1, 'i']
	];
	let out = '';
	for (const [value, letters] of parts) {
		while (n >= value) {
			out += letters;
			n -= value;
		}
	}
	return out;
}

/** A counter in one of Word's number formats (ST_NumberFormat); unknown formats count in digits. */
export function formatNumber(n: number, format: string): string {
	switch (format) {
		case 'decimalZero':
			return n < 10 ? `0${n}` : String(n);
		case 'decimalFullWidth':
		case 'decimalFullWidth2':
			return fullWidth(String(n));
		case 'decimalEnclosedCircle':
		case 'decimalEnclosedCircleChinese':
			return circled(n);
		case 'decimalEnclosedParen':
			return `(${n})`;
		case 'decimalEnclosedFullstop':
			return `${n}.`;
		case 'aiueo':
		case 'aiueoFullWidth':
			return cyclic(aiueo, n);
		case 'iroha':
		case 'irohaFullWidth':
			return cyclic(iroha, n);
		case 'japaneseCounting':
		case 'japaneseLegal':
		case 'chineseCounting':
		case 'chineseCountingThousand':
		case 'chineseLegalSimplified':
		case 'taiwaneseCounting':
		case 'taiwaneseCountingThousand':
		case 'koreanCounting':
			return kanjiCount(n);
		case 'ideographDigital':
		case 'japaneseDigitalTenThousand':
		case 'taiwaneseDigital':
			return [...String(n)].map((d) => kanjiDigits[Number(d)]).join('');
		case 'ideographTraditional':
			return cyclic(stems, n);
		case 'lowerLetter':
			return cyclic('abcdefghijklmnopqrstuvwxyz', n);
		case 'upperLetter':
			return cyclic('ABCDEFGHIJKLMNOPQRSTUVWXYZ', n);
		case 'lowerRoman':
			return roman(n);
		case 'upperRoman':
			return roman(n).toUpperCase();
		case 'none':
			return '';
		default:
			return String(n);
	}
}

/**
 * Every paragraph of the document with the number Word would show beside it. Parts that are
 * missing (a document without lists has no numbering.xml) count as empty.
 */
export function numberParagraphs(documentXml: string, numberingXml = '', stylesXml = ''): NumberedParagraph[] {
	const { nums, abstracts } = readNumbering(numberingXml);
	const styles = readStyles(stylesXml);
	const counters = new Map<string, (number | undefined)[]>();
	const restarted = new Set<string>();

	/** The list a style gives its paragraphs, through its basedOn chain. */
	function styleNumbering(styleId: string | undefined): { numId?: string; level?: number } {
		for (let hops = 0, id = styleId; id !== undefined && hops < 10; hops++) {
			const style = styles.get(id);
			if (!style) break;
			if (style.numId !== undefined) return { numId: style.numId, level: style.level };
			id = style.basedOn;
		}
		return {};
	}

	/** The abstract definition a list uses, following a numbering style's link. */
	function abstractOf(numId: string): { id: string; abstract: Abstract } | null {
		let id = nums.get(numId)?.abstractId;
		for (let hops = 0; id !== undefined && hops < 5; hops++) {
			const abstract = abstracts.get(id);
			if (!abstract) return null;
			if (!abstract.styleLink) return { id, abstract };
			const linked = styleNumbering(abstract.styleLink).numId;
			id = linked === undefined ? undefined : nums.get(linked)?.abstractId;
		}
		return null;
	}

	return readParagraphs(documentXml).map(({ text, numId: ownNum, level: ownLevel, style }) => {
		const fromStyle = styleNumbering(style);
		const numId = ownNum ?? fromStyle.numId;
		const level = ownLevel ?? fromStyle.level ?? 0;
		// numId 0 takes a numbered style's number away.
		if (numId === undefined || numId === '0') return { text, label: null, bullet: false };
		const found = abstractOf(numId);
		const definition = found?.abstract.levels.get(level);
		if (!found || !definition) return { text, label: null, bullet: false };
		if (definition.format === 'bullet') return { text, label: '', bullet: true };

		const count = counters.get(found.id) ?? [];
		counters.set(found.id, count);
		const num = nums.get(numId)!;
		// A list that restarts its levels does so at its first paragraph.
		if (!restarted.has(numId)) {
			restarted.add(numId);
			for (const at of num.starts.keys()) count[at] = undefined;
		}
		const startOf = (at: number) => num.starts.get(at) ?? found.abstract.levels.get(at)?.start ?? 1;
		count[level] = (count[level] ?? startOf(level) - 1) + 1;
		count.length = level + 1;
		const label = definition.text.replace(/%([1-9])/g, (_, digit: string) => {
			const at = Number(digit) - 1;
			const value = count[at] ?? startOf(at);
			const format = definition.legal ? 'decimal' : (found.abstract.levels.get(at)?.format ?? 'decimal');
			return formatNumber(value, format);
		});
		return { text, label, bullet: false };
	});
}
