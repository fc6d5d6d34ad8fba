import { describe, expect, it } from 'vitest';
import { matchTotp, secretForManualEntry, secretFromBase32, timeStep, totpAt, totpKeyUri } from '../../src/lib/server/auth/mfa/totp';
import { openSecret, sealSecret, secretKeyFromEnv } from '../../src/lib/server/auth/mfa/secret-box';
import { secondFactorPolicyFromEnv, secondFactorRequired } from '../../src/lib/server/auth/mfa/policy';
import { keptFields, stepUpFresh } from '../../src/lib/server/auth/mfa/step-up';
import { generateRecoveryCode, normaliseCode, recoveryCodeHash } from '../../src/lib/server/auth/mfa/factors';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII of "12345678901234567890", eight digits.
const rfcSecret = new TextEncoder().encode('12345678901234567890');
const rfcVectors: [number, string][] = [
	[59, '94287082'],
	[1111111109, '07081804'],
	[1111111111, '14050471'],
	[1234567890, '89005924'],
	[2000000000, '69279037'],
	[20000000000, '65353130']
];

describe('TOTP (RFC 6238)', () => {
	it.each(rfcVectors)('gives the test vector at T = %i s', (seconds, code) => {
		expect(totpAt(rfcSecret, timeStep(new Date(seconds * 1000)), 8)).toBe(code);
	});

	it('accepts the six-digit code of the current step and one step either side, and says which step', () => {
		const now = new Date(1111111109 * 1000);
		const step = timeStep(now);
		// The six-digit code is the vector's last six digits (the same HMAC truncation, mod 10^6).
		expect(totpAt(rfcSecret, step)).toBe('081804');
		expect(matchTotp(rfcSecret, '081804', now)).toBe(step);
		expect(matchTotp(rfcSecret, totpAt(rfcSecret, step - 1), now)).toBe(step - 1);
		expect(matchTotp(rfcSecret, totpAt(rfcSecret, step + 1), now)).toBe(step + 1);
		expect(matchTotp(rfcSecret, totpAt(rfcSecret, step - 2), now)).toBeNull();
		expect(matchTotp(rfcSecret, totpAt(rfcSecret, step + 2), now)).toBeNull();
	});

	it('refuses codes of the wrong shape', () => {
		const now = new Date(59 * 1000);
		for (const code of ['', '28708', '2870821', '28708a', ' 287082', '２８７０８２']) expect(matchTotp(rfcSecret, code, now)).toBeNull();
	});

	it('writes the key for manual entry in base32 that reads back to the same secret', () => {
		const manual = secretForManualEntry(rfcSecret);
		expect(manual).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
		expect(secretFromBase32(manual)).toEqual(rfcSecret);
		const uri = totpKeyUri('Mamori', 'A001 北杜市', rfcSecret);
		expect(uri).toMatch(/^otpauth:\/\/totp\/Mamori:A001%20/);
		expect(uri).toContain('secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
		expect(uri).toContain('period=30');
		expect(uri).toContain('digits=6');
	});
});

describe('secret box', () => {
	const key = secretKeyFromEnv({ MFA_SECRET_KEY: 'ab'.repeat(32) });

	it('seals a secret so that the stored text does not hold it, and opens it again', () => {
		const sealed = sealSecret(rfcSecret, key);
		expect(sealed.startsWith('v1:')).toBe(true);
		expect(sealed).not.toContain(Buffer.from(rfcSecret).toString('base64'));
		expect(openSecret(sealed, key)).toEqual(rfcSecret);
		// A fresh nonce each time: the same secret never seals to the same text.
		expect(sealSecret(rfcSecret, key)).not.toBe(sealed);
	});

	it('refuses a tampered text, another key, and a sealed secret without a key', () => {
		const sealed = sealSecret(rfcSecret, key);
		const raw = Buffer.from(sealed.slice(3), 'base64');
		raw[raw.length - 1] ^= 1;
		expect(() => openSecret('v1:' + raw.toString('base64'), key)).toThrow();
		expect(() => openSecret(sealed, secretKeyFromEnv({ MFA_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }))).toThrow();
		expect(() => openSecret(sealed, null)).toThrow(/MFA_SECRET_KEY/);
	});

	it('reads the key as hex or base64 and refuses another size', () => {
		expect(secretKeyFromEnv({})).toBeNull();
		expect(secretKeyFromEnv({ MFA_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') })?.length).toBe(32);
		expect(() => secretKeyFromEnv({ MFA_SECRET_KEY: 'abcd' })).toThrow(/32 bytes/);
	});

	it('keeps a secret unsealed only when there is no key', () => {
		expect(openSecret(sealSecret(rfcSecret, null), null)).toEqual(rfcSecret);
	});
});

describe('second-factor policy', () => {
	it('requires the powerful roles by default, nobody in the demo, and what MFA_REQUIRED_ROLES names', () => {
		expect(secondFactorPolicyFromEnv({}).requiredRoles).toEqual(['admin', 'policy_owner', 'approver']);
		expect(secondFactorPolicyFromEnv({}, true).requiredRoles).toEqual([]);
		expect(secondFactorPolicyFromEnv({ MFA_REQUIRED_ROLES: 'admin' }, true).requiredRoles).toEqual(['admin']);
		expect(secondFactorPolicyFromEnv({ MFA_REQUIRED_ROLES: 'none' }).requiredRoles).toEqual([]);
		expect(() => secondFactorPolicyFromEnv({ MFA_REQUIRED_ROLES: 'admin,root' })).toThrow(/root/);
		const policy = secondFactorPolicyFromEnv({});
		expect(secondFactorRequired(policy, ['supervisor'])).toBe(false);
		expect(secondFactorRequired(policy, ['supervisor', 'approver'])).toBe(true);
	});

	it('asks again when the last check is as old as the step-up time', () => {
		const policy = secondFactorPolicyFromEnv({ MFA_STEP_UP_MINUTES: '15' });
		const now = new Date('2026-12-07T10:00:00Z');
		const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
		expect(stepUpFresh({ hasSecondFactor: true }, minutesAgo(14), policy.stepUpMs, now)).toBe(true);
		expect(stepUpFresh({ hasSecondFactor: true }, minutesAgo(15), policy.stepUpMs, now)).toBe(false);
		expect(stepUpFresh({ hasSecondFactor: true }, null, policy.stepUpMs, now)).toBe(false);
		expect(stepUpFresh({ hasSecondFactor: false }, null, policy.stepUpMs, now)).toBe(true);
	});

	it('carries the posted form back without the code', () => {
		const form = new FormData();
		form.append('roles', 'admin');
		form.append('roles', 'approver');
		form.append('secondFactorCode', '123456');
		form.append('departmentId', '');
		expect(keptFields(form)).toEqual([
			['roles', 'admin'],
			['roles', 'approver'],
			['departmentId', '']
		]);
	});
});

describe('recovery codes', () => {
	it('are 80 random bits in groups of four, compared without case, spaces or hyphens', () => {
		const code = generateRecoveryCode();
		expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
		expect(generateRecoveryCode()).not.toBe(code);
		expect(normaliseCode(` ${code.toUpperCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''));
		expect(recoveryCodeHash(code.toUpperCase())).toBe(recoveryCodeHash(code));
		expect(recoveryCodeHash(code)).not.toContain(code.replace(/-/g, ''));
	});
});
