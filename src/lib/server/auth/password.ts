import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { commonPasswords } from './common-passwords';

// argon2id with at least 19 MiB, t=2, p=1.
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

// At most one hash per core at a time: more would not finish sooner, and each holds 19 MiB, so a
// rush of logins at 8:30 (or someone guessing passwords) would otherwise grow the server's memory.
const hashSlots = availableParallelism();
let hashesRunning = 0;
const waitingForSlot: (() => void)[] = [];

/** Hashes running now, waiting, and the most that may run at once (for tests). */
export const hashLoad = () => ({ running: hashesRunning, waiting: waitingForSlot.length, slots: hashSlots });

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
	if (hashesRunning >= hashSlots) await new Promise<void>((resolve) => waitingForSlot.push(resolve));
	else hashesRunning++;
	try {
		return await work();
	} finally {
		// The slot passes straight to the next waiter, so the count stays as it is.
		const next = waitingForSlot.shift();
		if (next) next();
		else hashesRunning--;
	}
}

export const passwordMinLength = 8;
export const passwordMaxLength = 64;

export function hashPassword(password: string): Promise<string> {
	return withHashSlot(() => hash(password, argonOptions));
}

export async function verifyPasswordHash(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await withHashSlot(() => verify(passwordHash, password));
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown account cannot be told apart by timing. */
export async function verifyAgainstNothing(password: string): Promise<false> {
	dummyHash ??= hashPassword('mamori-no-such-account');
	await verifyPasswordHash(await dummyHash, password);
	return false;
}

export type PasswordProblem = 'blank' | 'too_short' | 'too_long' | 'too_common' | 'same_as_login' | 'too_predictable';

/** What a guesser knows about the account: its login id, the organisation's and the person's names. */
export interface PasswordContext {
	loginId?: string;
	words?: readonly (string | null | undefined)[];
}

/** Length limits, a common-password list and no password guessable from context; no composition rules. */
export function checkNewPassword(password: string, context: PasswordContext = {}): PasswordProblem | null {
	if (password.normalize('NFKC').trim() === '') return 'blank';
	const length = [...password].length;
	if (length < passwordMinLength) return 'too_short';
	if (length > passwordMaxLength) return 'too_long';
	const lower = password.toLowerCase();
	if (commonPasswords.has(lower)) return 'too_common';
	if (context.loginId && lower === context.loginId.toLowerCase()) return 'same_as_login';
	if (guessableCharacters(password, [context.loginId, ...(context.words ?? [])]) < minimumUnguessable) return 'too_predictable';
	return null;
}

/** Characters a password needs beyond names, years, keyboard rows and repeats (北杜市2026年 has one). */
const minimumUnguessable = 4;

// Rows and columns of a Japanese keyboard, the alphabet and the digits; three in a row either way
// is a pattern, not a choice.
const sequences = [
	'1234567890',
	'qwertyuiop',
	'asdfghjkl',
	'zxcvbnm',
	'abcdefghijklmnopqrstuvwxyz',
	'1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
	'!"#$%&\'()',
	'あいうえおかきくけこさしすせそたちつてとなにぬねの'
];
const sequenceTriples = new Set(
	sequences.flatMap((row) => {
		const triples: string[] = [];
		for (const line of [row, [...row].reverse().join('')]) for (let i = 0; i + 3 <= line.length; i++) triples.push(line.slice(i, i + 3));
		return triples;
	})
);
// Words every town hall's staff would try, beside the organisation's own names.
const localWords = ['市役所', '役所', '役場', '庁舎', '年度', '市', '町', '村', '区', '県', 'city', 'town', 'village', 'ward', 'prefecture', 'mamori', '守り'];
const yearPattern = /(?:19|20)\d\d|(?:令和|平成|昭和)\d{1,2}|(?<![a-z])[rh]\d{1,2}(?!\d)/g;

/**
 * How many characters of the password are left once the guessable parts are taken out: the
 * context's words (and their parts), years, keyboard and alphabet runs, one character repeated,
 * spaces and symbols. Runs over at most 64 characters.
 */
export function guessableCharacters(password: string, context: readonly (string | null | undefined)[]): number {
	const text = password.normalize('NFKC').toLowerCase();
	const taken = new Array<boolean>(text.length).fill(false);
	const take = (from: number, length: number) => taken.fill(true, from, from + length);
	const words = new Set<string>(localWords);
	for (const entry of context) {
		const normal = (entry ?? '').normalize('NFKC').toLowerCase().trim();
		if (!normal) continue;
		words.add(normal.replace(/[\s\-_.・]+/g, ''));
		for (const part of normal.split(/[\s\-_.・@:/]+/)) if ([...part].length >= 2) words.add(part);
		// 北杜市 → 北杜: the name without its 市・町・村
		const stem = normal.replace(/(市役所|市|町|村|区|県|city|town|village)$/u, '');
		if ([...stem].length >= 2) words.add(stem);
	}
	for (const word of words) {
		if (!word) continue;
		for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) take(at, word.length);
	}
	for (const match of text.matchAll(yearPattern)) take(match.index, match[0].length);
	for (let i = 0; i + 3 <= text.length; i++) {
		const triple = text.slice(i, i + 3);
		if (sequenceTriples.has(triple) || (triple[0] === triple[1] && triple[1] === triple[2])) take(i, 3);
	}
	let left = 0;
	for (let i = 0; i < text.length; i++) if (!taken[i] && !/[\s\p{P}\p{S}]/u.test(text[i])) left++;
	return left;
}

const temporaryAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
/** A temporary password that reads unambiguously when shown once on screen. */
export function generateTemporaryPassword(length = 12): string {
	const limit = 256 - (256 % temporaryAlphabet.length); // rejection sampling: no modulo bias
	let out = '';
	while (out.length < length) {
		const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
		for (const b of bytes) {
			if (b < limit && out.length < length) out += temporaryAlphabet[b % temporaryAlphabet.length];
		}
	}
	return out.replace(/(.{4})(?!$)/g, '$1-');
}
