// Comparing two versions of a policy: which sections were added, removed, changed or moved, and
// inside a changed section a character diff. Japanese has no spaces between words, so the diff
// works on characters (grapheme clusters, never half a surrogate pair) and is then tidied so a
// reader sees phrases replaced rather than confetti of single kana.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policySections, policyVersions, type PolicyVersionStatus } from '../db/schema';
import { compareVersions, findPolicy, findVersion, versionSections, type Policy, type PolicyVersion, type Viewer } from './policies';

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
	op: DiffOp;
	text: string;
}

// ---------------------------------------------------------------------------------------------
// Character diff

const graphemes = new Intl.Segmenter('ja', { granularity: 'grapheme' });
// Code points that join the one before: combining marks (゙ U+3099), variation selectors (IVS for
// 異体字 such as 葛󠄀), ZWJ, emoji skin tones, flags and tags. Text without them splits by code point.
// eslint-disable-next-line no-misleading-character-class -- each code point on its own is what joins
const joining = /[\p{M}\u200d\u{1f3fb}-\u{1f3ff}\u{1f1e6}-\u{1f1ff}\u{e0020}-\u{e007f}]/u;

/** The characters of a text as a reader counts them. */
function characters(text: string): string[] {
	return joining.test(text) ? Array.from(graphemes.segment(text), (s) => s.segment) : Array.from(text);
}

/** Characters as small integers, so the inner loop compares numbers. */
function intern(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
	const ids = new Map<string, number>();
	const id = (c: string) => {
		let n = ids.get(c);
		if (n === undefined) ids.set(c, (n = ids.size));
		return n;
	};
	return [Int32Array.from(a, id), Int32Array.from(b, id)];
}

const noPath = -1;

/**
 * Which move reaches diagonal k at step d: 'insert' (down from k+1), 'delete' (right from k-1) or
 * null. Moves that would leave the grid are not taken, so every path stays within both texts.
 */
function moveInto(left: number, right: number, k: number, d: number, n: number, m: number): 'insert' | 'delete' | null {
	const canDelete = k > -d && left !== noPath && left < n;
	const canInsert = k < d && right !== noPath && right - k <= m;
	if (canInsert && (!canDelete || right > left)) return 'insert';
	return canDelete ? 'delete' : null;
}

/**
 * Myers' O(ND) shortest edit script, or null when it needs more than maxEdits insertions and
 * deletions. Keeps the furthest-reaching x of every diagonal per step to walk back the path.
 */
function shortestEdit(a: Int32Array, b: Int32Array, maxEdits: number): DiffOp[] | null {
	const n = a.length;
	const m = b.length;
	const max = Math.min(n + m, maxEdits);
	const offset = max + 1;
	const v = new Int32Array(2 * max + 3).fill(noPath);
	const trace: Int32Array[] = [];
	for (let d = 0; d <= max; d++) {
		for (let k = -d; k <= d; k += 2) {
			let x: number;
			if (d === 0) x = 0;
			else {
				const move = moveInto(v[offset + k - 1], v[offset + k + 1], k, d, n, m);
				if (!move) {
					v[offset + k] = noPath;
					continue;
				}
				x = move === 'insert' ? v[offset + k + 1] : v[offset + k - 1] + 1;
			}
			let y = x - k;
			while (x < n && y < m && a[x] === b[y]) {
				x++;
				y++;
			}
			v[offset + k] = x;
			if (x === n && y === m) {
				trace.push(v.slice(offset - d, offset + d + 1));
				return walkBack(trace, n, m);
			}
		}
		trace.push(v.slice(offset - d, offset + d + 1));
	}
	return null;
}

function walkBack(trace: readonly Int32Array[], n: number, m: number): DiffOp[] {
	const ops: DiffOp[] = [];
	let x = n;
	let y = m;
	for (let d = trace.length - 1; d > 0; d--) {
		const prev = trace[d - 1];
		const k = x - y;
		// prev holds diagonals -(d-1)..(d-1).
		const at = (kk: number) => (kk >= -(d - 1) && kk <= d - 1 ? prev[kk + d - 1] : noPath);
		const move = moveInto(at(k - 1), at(k + 1), k, d, n, m)!;
		const prevK = move === 'insert' ? k + 1 : k - 1;
		const prevX = at(prevK);
		const startX = move === 'insert' ? prevX : prevX + 1;
		for (; x > startX; x--, y--) ops.push('equal');
		ops.push(move);
		x = prevX;
		y = prevX - prevK;
	}
	for (; x > 0; x--) ops.push('equal');
	return ops.reverse();
}

/** Edits beyond this many characters read as a rewrite anyway; the cap bounds time and memory. */
const defaultMaxEdits = 1500;
/** Rough bound on comparisons per diff, so a huge section cannot stall a request. */
const workBudget = 30_000_000;

interface RawDiff {
	parts: DiffPart[];
	/** Characters inserted plus deleted; Infinity when the cap was hit. */
	edits: number;
}

function rawDiff(a: readonly string[], b: readonly string[], maxEdits: number): RawDiff {
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
		endA--;
		endB--;
	}
	const parts: DiffPart[] = [];
	const push = (op: DiffOp, chars: readonly string[]) => chars.length && parts.push({ op, text: chars.join('') });
	push('equal', a.slice(0, start));
	const midA = a.slice(start, endA);
	const midB = b.slice(start, endB);
	const cap = Math.min(maxEdits, Math.max(64, Math.floor(workBudget / (midA.length + midB.length + 1))));
	const [ia, ib] = intern(midA, midB);
	const ops = midA.length && midB.length ? shortestEdit(ia, ib, cap) : null;
	let edits = midA.length + midB.length;
	if (ops) {
		edits = 0;
		let i = 0;
		let j = 0;
		for (const op of ops) {
			if (op === 'equal') {
				parts.push({ op, text: midA[i++] });
				j++;
			} else if (op === 'delete') {
				parts.push({ op, text: midA[i++] });
				edits++;
			} else {
				parts.push({ op, text: midB[j++] });
				edits++;
			}
		}
	} else {
		if (midA.length && midB.length) edits = Infinity;
		push('delete', midA);
		push('insert', midB);
	}
	push('equal', a.slice(endA));
	return { parts: coalesce(parts), edits };
}

/** Joins neighbours of one kind; inside a run of edits, the deletion comes before the insertion. */
function coalesce(parts: readonly DiffPart[]): DiffPart[] {
	const out: DiffPart[] = [];
	let del = '';
	let ins = '';
	const flush = () => {
		if (del) out.push({ op: 'delete', text: del });
		if (ins) out.push({ op: 'insert', text: ins });
		del = ins = '';
	};
	for (const p of parts) {
		if (!p.text) continue;
		if (p.op === 'delete') del += p.text;
		else if (p.op === 'insert') ins += p.text;
		else {
			flush();
			const last = out.at(-1);
			if (last?.op === 'equal') last.text += p.text;
			else out.push({ ...p });
		}
	}
	flush();
	return out;
}

const length = (text: string) => characters(text).length;

/** The size of the run of edits on one side of parts[i]: the longer of its deletion and insertion. */
function editSize(parts: readonly DiffPart[], from: number, step: 1 | -1): number {
	let del = 0;
	let ins = 0;
	for (let i = from; i >= 0 && i < parts.length && parts[i].op !== 'equal'; i += step) {
		if (parts[i].op === 'delete') del += length(parts[i].text);
		else ins += length(parts[i].text);
	}
	return Math.max(del, ins);
}

/**
 * Folds short equal runs caught between edits into the edits: one or two characters always (a
 * lone が or する between two changes), longer ones when they are no longer than the edits on both
 * sides (scattered common characters of a rewritten sentence).
 */
function foldShortEqualities(parts: DiffPart[]): DiffPart[] {
	for (;;) {
		let changed = false;
		const next: DiffPart[] = [];
		for (let i = 0; i < parts.length; i++) {
			const p = parts[i];
			const between = p.op === 'equal' && i > 0 && i < parts.length - 1;
			if (between) {
				const size = length(p.text);
				if (size <= 2 || (size <= editSize(parts, i - 1, -1) && size <= editSize(parts, i + 1, 1))) {
					next.push({ op: 'delete', text: p.text }, { op: 'insert', text: p.text });
					changed = true;
					continue;
				}
			}
			next.push(p);
		}
		parts = coalesce(next);
		if (!changed) return parts;
	}
}

type Script = 'han' | 'hiragana' | 'katakana' | 'latin' | 'digit' | 'other';
function scriptOf(c: string): Script {
	if (/[\p{Script=Han}々〆ヶ]/u.test(c)) return 'han';
	if (/\p{Script=Hiragana}/u.test(c)) return 'hiragana';
	if (/[\p{Script=Katakana}ー]/u.test(c)) return 'katakana';
	if (/[0-9０-９]/.test(c)) return 'digit';
	if (/\p{L}/u.test(c)) return 'latin';
	return 'other';
}

/** How good a place between two characters is for an edit to start or end. */
function boundaryScore(left: string | undefined, right: string | undefined): number {
	if (left === undefined || right === undefined) return 6;
	if (left.includes('\n') || right.includes('\n')) return 5;
	if (/[。．！？!?]/.test(left)) return 4;
	if (/[、，,；;：:）」』】〕)\]]/.test(left) || /[（「『【〔([]/.test(right)) return 3;
	if (/\s/.test(left) || /\s/.test(right)) return 2;
	return scriptOf(left) !== scriptOf(right) ? 1 : 0;
}

/**
 * Slides a lone insertion or deletion along the equal text around it to where it reads best:
 * 「、及び可用性」 rather than 「及び可用性、」 when either is the same edit.
 */
function alignToBoundaries(parts: DiffPart[]): DiffPart[] {
	for (let i = 1; i < parts.length - 1; i++) {
		if (parts[i].op === 'equal' || parts[i - 1].op !== 'equal' || parts[i + 1].op !== 'equal') continue;
		let before = characters(parts[i - 1].text);
		let edit = characters(parts[i].text);
		let after = characters(parts[i + 1].text);
		// Leftmost position first.
		while (before.length && before.at(-1) === edit.at(-1)) {
			after = [before.at(-1)!, ...after];
			edit = [before.at(-1)!, ...edit.slice(0, -1)];
			before = before.slice(0, -1);
		}
		const score = () => boundaryScore(before.at(-1), edit[0]) + boundaryScore(edit.at(-1), after[0]);
		let best = { score: score(), before, edit, after };
		while (after.length && edit[0] === after[0]) {
			before = [...before, edit[0]];
			edit = [...edit.slice(1), after[0]];
			after = after.slice(1);
			const s = score();
			if (s >= best.score) best = { score: s, before, edit, after };
		}
		parts[i - 1] = { op: 'equal', text: best.before.join('') };
		parts[i] = { op: parts[i].op, text: best.edit.join('') };
		parts[i + 1] = { op: 'equal', text: best.after.join('') };
	}
	return coalesce(parts);
}

/**
 * Character diff of two texts for reading: equal / delete / insert runs in order, deletions
 * before insertions. Past a few thousand edits the changed middle is shown as replaced whole.
 */
export function diffText(a: string, b: string): DiffPart[] {
	if (a === b) return a ? [{ op: 'equal', text: a }] : [];
	const { parts } = rawDiff(characters(a), characters(b), defaultMaxEdits);
	return alignToBoundaries(foldShortEqualities(parts));
}

/**
 * 1 for equal texts, 0 for nothing in common: 1 − (characters inserted + deleted) / (both
 * lengths). Below `atLeast` the answer is 0, which lets dissimilar pairs stop early.
 */
export function textSimilarity(a: string, b: string, atLeast = 0): number {
	if (a === b) return 1;
	const ca = characters(a);
	const cb = characters(b);
	const total = ca.length + cb.length;
	const allowed = Math.floor((1 - atLeast) * total);
	if (Math.abs(ca.length - cb.length) > allowed) return 0;
	// Characters in common bound the longest common subsequence from above.
	const counts = new Map<string, number>();
	for (const c of ca) counts.set(c, (counts.get(c) ?? 0) + 1);
	let shared = 0;
	for (const c of cb) {
		const left = counts.get(c);
		if (left) {
			counts.set(c, left - 1);
			shared++;
		}
	}
	if (total - 2 * shared > allowed) return 0;
	const { edits } = rawDiff(ca, cb, allowed);
	return edits > allowed ? 0 : 1 - edits / total;
}

// ---------------------------------------------------------------------------------------------
// Section diff

export interface SectionLike {
	key: string;
	level: number;
	label: string;
	heading: string;
	body: string;
	position?: number;
}

export const sectionChangeKinds = ['added', 'removed', 'changed', 'moved', 'unchanged'] as const;
export type SectionChangeKind = (typeof sectionChangeKinds)[number];

export interface SectionText {
	heading: string;
	body: string;
}

export interface SectionChange {
	kind: SectionChangeKind;
	/** The key in the version compared to (in the earlier one for a removed section). */
	key: string;
	/** For a moved section: its key in the version compared from, when that differs. */
	fromKey?: string;
	level: number;
	label: string;
	/** The labels from the top down, `6 (3) ②`, to tell apart items that share a label. */
	path: string;
	/** For a moved section: where it stood before. */
	fromPath?: string;
	heading: string;
	before?: SectionText;
	after?: SectionText;
	/** Present when the heading differs. */
	headingParts?: DiffPart[];
	/** Present when the body differs. */
	bodyParts?: DiffPart[];
}

/** Sections whose text is this similar are the same clause renumbered or moved. */
export const movedSimilarity = 0.9;
/** Under the same heading, a body this similar is still the same clause. */
const sameHeadingSimilarity = 0.5;
/** Beyond this many candidate pairs only identical texts are paired, to keep a full rewrite fast. */
const maxFuzzyPairs = 40_000;

interface OutlineNode {
	section: SectionLike;
	index: number;
	parent: string | null;
	path: string;
	text: string;
}

function outlineOf(sections: readonly SectionLike[]): OutlineNode[] {
	const ordered = sections.some((s) => s.position !== undefined) ? [...sections].sort((x, y) => (x.position ?? 0) - (y.position ?? 0)) : sections;
	// The parent is the nearest section above with a lower level: keys such as 第5条 under 第1章
	// do not nest by prefix, levels always do.
	const stack: OutlineNode[] = [];
	return ordered.map((section, index) => {
		while (stack.length && stack.at(-1)!.section.level >= section.level) stack.pop();
		const path = [...stack.map((n) => n.section.label), section.label].filter(Boolean).join(' ');
		const node = { section, index, parent: stack.at(-1)?.section.key ?? null, path, text: `${section.heading}\n${section.body}` };
		stack.push(node);
		return node;
	});
}

/** Positions that keep their relative order: the longest increasing run of `values`. */
function longestIncreasing(values: readonly number[]): Set<number> {
	const tails: number[] = [];
	const tailAt: number[] = [];
	const prev: number[] = new Array(values.length).fill(-1);
	values.forEach((value, i) => {
		let lo = 0;
		let hi = tails.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (tails[mid] < value) lo = mid + 1;
			else hi = mid;
		}
		tails[lo] = value;
		tailAt[lo] = i;
		prev[i] = lo > 0 ? tailAt[lo - 1] : -1;
	});
	const keep = new Set<number>();
	for (let i = tails.length ? tailAt[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(i);
	return keep;
}

const sameHeading = (f: OutlineNode, t: OutlineNode) => !!f.section.heading.trim() && f.section.heading === t.section.heading;

/** Pairs sections across versions: by key, then clauses that kept their text under another key. */
function matchSections(from: readonly OutlineNode[], to: readonly OutlineNode[]): Map<OutlineNode, OutlineNode> {
	const toByKey = new Map(to.map((n) => [n.section.key, n]));
	const match = new Map<OutlineNode, OutlineNode>();
	const weak = new Map<OutlineNode, OutlineNode>();
	for (const f of from) {
		const t = toByKey.get(f.section.key);
		if (!t) continue;
		if (sameHeading(f, t) || textSimilarity(f.text, t.text, movedSimilarity) >= movedSimilarity) match.set(f, t);
		else weak.set(f, t);
	}
	const taken = new Set(match.values());
	const freeFrom = from.filter((f) => !match.has(f));
	const freeTo = to.filter((t) => !taken.has(t));
	const candidates: { f: OutlineNode; t: OutlineNode; score: number }[] = [];
	const fuzzy = freeFrom.length * freeTo.length <= maxFuzzyPairs;
	const toByText = new Map<string, OutlineNode[]>();
	for (const t of freeTo) toByText.set(t.text, [...(toByText.get(t.text) ?? []), t]);
	for (const f of freeFrom) {
		if (!f.text.trim()) continue;
		const pool = fuzzy ? freeTo : (toByText.get(f.text) ?? []);
		for (const t of pool) {
			if (t.section.key === f.section.key) continue;
			let score = textSimilarity(f.text, t.text, movedSimilarity);
			// A clause renumbered and amended at once keeps its heading.
			if (!score && sameHeading(f, t) && textSimilarity(f.section.body, t.section.body, sameHeadingSimilarity)) {
				score = textSimilarity(f.text, t.text);
			}
			if (score) candidates.push({ f, t, score });
		}
	}
	// Most similar first; among equals the same level, then the nearest place.
	const distance = (c: (typeof candidates)[number]) => Math.abs(c.f.index - c.t.index);
	candidates.sort(
		(x, y) =>
			y.score - x.score || Number(y.f.section.level === y.t.section.level) - Number(x.f.section.level === x.t.section.level) || distance(x) - distance(y)
	);
	for (const { f, t } of candidates) {
		if (match.has(f) || taken.has(t)) continue;
		match.set(f, t);
		taken.add(t);
	}
	// A clause rewritten in place keeps its key.
	for (const [f, t] of weak) {
		if (match.has(f) || taken.has(t)) continue;
		match.set(f, t);
		taken.add(t);
	}
	return match;
}

/**
 * Section-by-section changes from one version to another, in the order of the version compared
 * to, with removed sections where they stood. A section is moved when its key, its parent or its
 * order among its siblings changed — a clause renumbered by an insertion above it is moved, not
 * removed and added.
 */
export function diffSections(from: readonly SectionLike[], to: readonly SectionLike[]): SectionChange[] {
	const fromNodes = outlineOf(from);
	const toNodes = outlineOf(to);
	const match = matchSections(fromNodes, toNodes);
	const fromByKey = new Map(fromNodes.map((n) => [n.section.key, n]));
	const matchedFrom = new Map([...match].map(([f, t]) => [t, f]));

	// Siblings that kept their parent but not their order: the fewest that moved.
	const displaced = new Set<OutlineNode>();
	const siblings = new Map<string, OutlineNode[]>();
	for (const t of toNodes) {
		const f = matchedFrom.get(t);
		if (!f) continue;
		const fromParent = f.parent === null ? null : match.get(fromByKey.get(f.parent)!)?.section.key;
		if (fromParent !== t.parent) {
			displaced.add(t);
			continue;
		}
		const group = siblings.get(t.parent ?? '') ?? [];
		group.push(t);
		siblings.set(t.parent ?? '', group);
	}
	for (const group of siblings.values()) {
		const keep = longestIncreasing(group.map((t) => matchedFrom.get(t)!.index));
		group.forEach((t, i) => keep.has(i) || displaced.add(t));
	}

	const changeOf = (t: OutlineNode, f: OutlineNode): SectionChange => {
		const before = { heading: f.section.heading, body: f.section.body };
		const after = { heading: t.section.heading, body: t.section.body };
		const moved = displaced.has(t) || f.section.key !== t.section.key;
		const same = before.heading === after.heading && before.body === after.body;
		const change: SectionChange = {
			kind: moved ? 'moved' : same ? 'unchanged' : 'changed',
			...placeOf(t),
			before,
			after
		};
		if (moved) {
			if (f.section.key !== t.section.key) change.fromKey = f.section.key;
			change.fromPath = f.path;
		}
		if (before.heading !== after.heading) change.headingParts = diffText(before.heading, after.heading);
		if (before.body !== after.body) change.bodyParts = diffText(before.body, after.body);
		return change;
	};

	// A removed section goes just before the next section of the old version that kept its place.
	const removedBefore = new Map<OutlineNode, OutlineNode[]>();
	let pending: OutlineNode[] = [];
	for (const f of fromNodes) {
		const t = match.get(f);
		if (!t) pending.push(f);
		else if (pending.length && !displaced.has(t)) {
			removedBefore.set(t, pending);
			pending = [];
		}
	}
	const removed = (f: OutlineNode): SectionChange => ({
		kind: 'removed',
		...placeOf(f),
		before: { heading: f.section.heading, body: f.section.body }
	});

	const changes: SectionChange[] = [];
	for (const t of toNodes) {
		for (const f of removedBefore.get(t) ?? []) changes.push(removed(f));
		const f = matchedFrom.get(t);
		changes.push(f ? changeOf(t, f) : { kind: 'added', ...placeOf(t), after: { heading: t.section.heading, body: t.section.body } });
	}
	for (const f of pending) changes.push(removed(f));
	return changes;
}

function placeOf(n: OutlineNode) {
	return { key: n.section.key, level: n.section.level, label: n.section.label, path: n.path, heading: n.section.heading };
}

export type DiffSummary = Record<SectionChangeKind, number>;

export function diffSummary(changes: readonly Pick<SectionChange, 'kind'>[]): DiffSummary {
	const summary = Object.fromEntries(sectionChangeKinds.map((k) => [k, 0])) as DiffSummary;
	for (const c of changes) summary[c.kind]++;
	return summary;
}

// ---------------------------------------------------------------------------------------------
// Versions of a policy

const draftReaders = new Set(['policy_owner', 'approver', 'admin']);
const historyStatuses: readonly PolicyVersionStatus[] = ['published', 'superseded'];

/** Published and superseded text is for everyone; drafts only for those who write and approve them. */
function canRead(version: PolicyVersion | null, viewer: Viewer): version is PolicyVersion {
	if (!version || !version.textHeld) return false;
	return historyStatuses.includes(version.status) || viewer.roles.some((r) => draftReaders.has(r));
}

export interface ComparableVersions {
	policy: Policy;
	/** Versions with text the viewer may read, oldest first. */
	versions: PolicyVersion[];
	/** What a reader compares first: always an earlier text against a later one (see `defaultComparison`). */
	defaultFrom: string | null;
	defaultTo: string | null;
}

/**
 * Which two versions to compare when none are named, as `[from, to]` (versions oldest first):
 * while a revision is open, the version in force against it, as 例規審査 reads a 新旧対照表;
 * otherwise the version in force against the one before it; never a later text against an
 * earlier one.
 */
export function defaultComparison<V extends Pick<PolicyVersion, 'version' | 'status'>>(versions: readonly V[]): [V, V] | null {
	if (versions.length < 2) return null;
	const inForce = versions.findIndex((v) => v.status === 'published');
	const open = versions.findLastIndex((v) => !historyStatuses.includes(v.status));
	if (inForce >= 0 && open >= 0) return [versions[inForce], versions[open]];
	const to = inForce > 0 ? inForce : inForce === 0 ? 1 : versions.length - 1;
	return [versions[to - 1], versions[to]];
}

/** The versions of a policy that can be compared; null when the policy is not there for the viewer. */
export async function comparableVersions(db: DbOrTx, viewer: Viewer, slug: string): Promise<ComparableVersions | null> {
	const policy = await findPolicy(db, viewer, slug);
	if (!policy) return null;
	const rows = await db
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.orgId, viewer.orgId), eq(policyVersions.policyId, policy.id), eq(policyVersions.textHeld, true)));
	const versions = rows.filter((v) => canRead(v, viewer)).sort((a, b) => compareVersions(a.version, b.version));
	const pair = defaultComparison(versions);
	if (!pair) return { policy, versions, defaultFrom: null, defaultTo: versions[0]?.version ?? null };
	return { policy, versions, defaultFrom: pair[0].version, defaultTo: pair[1].version };
}

export interface VersionComparison {
	policy: Policy;
	from: PolicyVersion;
	to: PolicyVersion;
	changes: SectionChange[];
	summary: DiffSummary;
}

/** All section keys of a version, seen or not, to know which ones the viewer may not see. */
async function sectionKeys(db: DbOrTx, orgId: string, versionId: string): Promise<string[]> {
	const rows = await db
		.select({ key: policySections.key })
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId)));
	return rows.map((r) => r.key);
}

/**
 * Two versions of a policy compared section by section, as the viewer may see them; null when
 * the policy or either version is not there for the viewer or has no text.
 */
export async function comparePolicyVersions(
	db: DbOrTx,
	viewer: Viewer,
	slug: string,
	fromVersion: string,
	toVersion: string
): Promise<VersionComparison | null> {
	const policy = await findPolicy(db, viewer, slug);
	if (!policy) return null;
	const [from, to] = await Promise.all([findVersion(db, policy.id, fromVersion), findVersion(db, policy.id, toVersion)]);
	if (!canRead(from, viewer) || !canRead(to, viewer)) return null;
	const [fromSections, toSections, fromKeys, toKeys] = await Promise.all([
		versionSections(db, viewer, from.id),
		versionSections(db, viewer, to.id),
		sectionKeys(db, viewer.orgId, from.id),
		sectionKeys(db, viewer.orgId, to.id)
	]);
	// A section 非公開 in either version stays out of both: otherwise it would show as removed or
	// added to someone who may not know it exists.
	const unseen = (keys: string[], seen: { key: string }[]) => {
		const visible = new Set(seen.map((s) => s.key));
		return keys.filter((k) => !visible.has(k));
	};
	const hidden = [...unseen(fromKeys, fromSections), ...unseen(toKeys, toSections)];
	const shown = (s: { key: string }) => !hidden.some((h) => s.key === h || s.key.startsWith(h + '.'));
	const changes = diffSections(fromSections.filter(shown), toSections.filter(shown));
	return { policy, from, to, changes, summary: diffSummary(changes) };
}
