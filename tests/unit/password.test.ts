import { describe, expect, it } from 'vitest';
import { checkNewPassword, generateTemporaryPassword, hashPassword, verifyPasswordHash } from '../../src/lib/server/auth/password';

describe('checkNewPassword', () => {
	it('asks only for length, up to 64, and refuses common and login-equal passwords', () => {
		expect(checkNewPassword('1234567')).toBe('too_short');
		expect(checkNewPassword('ながいパスワード')).toBeNull(); // 8 Japanese characters are 8, not 24 bytes
		expect(checkNewPassword('あ'.repeat(64))).toBeNull();
		expect(checkNewPassword('a'.repeat(65))).toBe('too_long');
		expect(checkNewPassword('Password123')).toBe('too_common');
		expect(checkNewPassword('qwertyuiop')).toBe('too_common');
		expect(checkNewPassword('employee-0042', 'EMPLOYEE-0042')).toBe('same_as_login');
		expect(checkNewPassword('alllowercaseletters')).toBeNull(); // no composition rules
	});
});

describe('argon2id hashing', () => {
	it('verifies the right password only, with the parameters in the hash', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPasswordHash(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPasswordHash(hash, 'correct horse battery!')).toBe(false);
		expect(await verifyPasswordHash('not a hash', 'x')).toBe(false);
	});
});

describe('generateTemporaryPassword', () => {
	it('is long, unambiguous and different each time', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const p = generateTemporaryPassword();
			expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
			expect(checkNewPassword(p)).toBeNull();
			seen.add(p);
		}
		expect(seen.size).toBe(200);
	});
});
