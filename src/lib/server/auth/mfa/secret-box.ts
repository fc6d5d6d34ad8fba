// TOTP secrets at rest. The server must read them back to check a code (unlike a password, they
// cannot be hashed), so they are sealed with AES-256-GCM under a key from the environment
// (MFA_SECRET_KEY: 32 bytes as 64 hex characters or base64). A copy of the database alone then
// does not let anyone make codes. Without the key (the demo) they are stored as they are, and the
// server says so at start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type SecretKey = Buffer | null;

/** The key from MFA_SECRET_KEY, null when unset; a key of the wrong size is an error at start. */
export function secretKeyFromEnv(env: Record<string, string | undefined> = process.env): SecretKey {
	const text = env.MFA_SECRET_KEY?.trim();
	if (!text) return null;
	const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
	if (key.length !== 32) throw new Error('MFA_SECRET_KEY must be 32 bytes: 64 hex characters or base64');
	return key;
}

const sealedPrefix = 'v1:';
const plainPrefix = 'plain:';

export function sealSecret(secret: Uint8Array, key: SecretKey): string {
	if (!key) return plainPrefix + Buffer.from(secret).toString('base64');
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const body = Buffer.concat([cipher.update(secret), cipher.final()]);
	return sealedPrefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The secret, or an error when it was sealed under a key the server no longer has. */
export function openSecret(stored: string, key: SecretKey): Uint8Array {
	if (stored.startsWith(plainPrefix)) return new Uint8Array(Buffer.from(stored.slice(plainPrefix.length), 'base64'));
	if (!stored.startsWith(sealedPrefix)) throw new Error('unknown second-factor secret format');
	if (!key) throw new Error('a second-factor secret is sealed but MFA_SECRET_KEY is not set');
	const raw = Buffer.from(stored.slice(sealedPrefix.length), 'base64');
	const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
	decipher.setAuthTag(raw.subarray(12, 28));
	return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
}

/**
 * The secret, or null when it cannot be read (sealed under a key this server does not have, or
 * damaged): the person's code is then refused as a wrong one, their recovery codes (hashed, not
 * sealed) still let them in, and an admin can reset the factor. Never a server error.
 */
export function readableSecret(stored: string, key: SecretKey): Uint8Array | null {
	try {
		return openSecret(stored, key);
	} catch (error) {
		console.error(`second factor: a stored secret cannot be read (${error instanceof Error ? error.message : 'unknown'}); check MFA_SECRET_KEY`);
		return null;
	}
}
