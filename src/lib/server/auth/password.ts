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

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'same_as_login';

/** Length limits and a common-password list; no composition rules. */
export function checkNewPassword(password: string, loginId?: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < passwordMinLength) return 'too_short';
	if (length > passwordMaxLength) return 'too_long';
	const lower = password.toLowerCase();
	if (commonPasswords.has(lower)) return 'too_common';
	if (loginId && lower === loginId.toLowerCase()) return 'same_as_login';
	return null;
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
