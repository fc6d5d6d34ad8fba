// Drawing an attempt's questions and choice orders. Pure: the random source is passed in, so
// tests seed it and production seeds it from crypto.
import type { QuestionType } from '../../db/schema';

/** A source of numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: small, fast and good enough to shuffle a quiz; the same seed gives the same quiz. */
export function seededRng(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A seed nobody can predict, so learners cannot share "the order of attempt 2". */
export function randomSeed(): number {
	return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

function pick<T>(items: readonly T[], rng: Rng): T {
	return items[Math.floor(rng() * items.length)];
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

export interface DrawableQuestion {
	id: string;
	sectionKeys: readonly string[];
}

/**
 * Picks `count` questions (all of them when the pool is smaller) so that the course's section keys
 * are covered as far as the count allows: greedily a random one of the questions that cover the
 * most keys still uncovered, then random others; returned in random order. With `count` at least
 * the number of keys every key that some question cites is covered, since each greedy step adds one.
 */
export function drawQuestions<T extends DrawableQuestion>(pool: readonly T[], count: number, courseSectionKeys: readonly string[], rng: Rng): T[] {
	const wanted = Math.max(0, Math.min(Math.floor(count), pool.length));
	const uncovered = new Set(courseSectionKeys);
	let rest = [...pool];
	const picked: T[] = [];
	while (picked.length < wanted && uncovered.size > 0) {
		let best = 0;
		let candidates: T[] = [];
		for (const q of rest) {
			const gain = new Set(q.sectionKeys.filter((k) => uncovered.has(k))).size;
			if (gain > best) [best, candidates] = [gain, [q]];
			else if (gain === best && gain > 0) candidates.push(q);
		}
		if (best === 0) break;
		const chosen = pick(candidates, rng);
		picked.push(chosen);
		rest = rest.filter((q) => q !== chosen);
		for (const k of chosen.sectionKeys) uncovered.delete(k);
	}
	picked.push(...shuffle(rest, rng).slice(0, wanted - picked.length));
	return shuffle(picked, rng);
}

/** ○ and × always show in that order; every other question's choices are shuffled. */
export function shuffleChoices(choiceIds: readonly string[], rng: Rng, type: QuestionType = 'single'): string[] {
	if (type === 'truefalse') {
		const rank = (id: string) => (id === 'o' ? 0 : id === 'x' ? 1 : 2);
		return [...choiceIds].sort((a, b) => rank(a) - rank(b));
	}
	return shuffle(choiceIds, rng);
}

export interface LayoutQuestion extends DrawableQuestion {
	type: QuestionType;
	choices: readonly { id: string }[];
}

export type AttemptLayout = { questionId: string; choiceIds: string[] }[];

/** An attempt's fixed quiz: the drawn questions in order, each with its choice order. */
export function drawLayout(pool: readonly LayoutQuestion[], count: number, rng: Rng): AttemptLayout {
	const courseKeys = [...new Set(pool.flatMap((q) => q.sectionKeys))];
	return drawQuestions(pool, count, courseKeys, rng).map((q) => ({
		questionId: q.id,
		choiceIds: shuffleChoices(
			q.choices.map((c) => c.id),
			rng,
			q.type
		)
	}));
}
