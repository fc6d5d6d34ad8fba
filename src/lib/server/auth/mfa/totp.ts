// TOTP (RFC 6238) over the library's HOTP (RFC 4226): SHA-1, 30-second steps, six digits — what
// every authenticator app reads from an otpauth:// address.
import { generateHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';

export const totpPeriodSeconds = 30;
export const totpDigits = 6;
/** A code of the step before or after is accepted too: a phone's clock a little off, a code typed as it changed. */
export const totpDriftSteps = 1;

/** A new 160-bit secret (the size RFC 4226 recommends for SHA-1). */
export function generateTotpSecret(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(20));
}

export function timeStep(at: Date, periodSeconds = totpPeriodSeconds): number {
	return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/** The code of one time step. */
export function totpAt(secret: Uint8Array, step: number, digits = totpDigits): string {
	return generateHOTP(secret, BigInt(step), digits);
}

/**
 * The time step whose code this is, within the allowed drift around `now`, or null. The caller
 * refuses a step it has already accepted, so a code cannot be used twice.
 */
export function matchTotp(secret: Uint8Array, code: string, now: Date, digits = totpDigits): number | null {
	if (!/^\d+$/.test(code) || code.length !== digits) return null;
	const typed = new TextEncoder().encode(code);
	const current = timeStep(now);
	let found: number | null = null;
	// Every candidate is computed and compared, so the time taken does not say which one matched.
	for (let step = current - totpDriftSteps; step <= current + totpDriftSteps; step++) {
		if (constantTimeEqual(typed, new TextEncoder().encode(totpAt(secret, step, digits))) && found === null) found = step;
	}
	return found;
}

/** The secret as typed into an app by hand: base32 in groups of four. */
export function secretForManualEntry(secret: Uint8Array): string {
	return encodeBase32NoPadding(secret)
		.replace(/(.{4})/g, '$1 ')
		.trim();
}

export function secretFromBase32(text: string): Uint8Array {
	return decodeBase32IgnorePadding(text.replace(/\s+/g, '').toUpperCase());
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpKeyUri(issuer: string, accountName: string, secret: Uint8Array): string {
	return createTOTPKeyURI(issuer, accountName, secret, totpPeriodSeconds, totpDigits);
}
