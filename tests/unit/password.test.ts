import { describe, expect, it } from 'vitest';
import { checkNewPassword, generateTemporaryPassword, hashLoad, hashPassword, verifyPasswordHash } from '../../src/lib/server/auth/password';

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

describe('hashes at once', () => {
	it('runs at most one per core, queues the rest, and frees a slot when a check throws', async () => {
		const hash = await hashPassword('correct horse battery');
		const { slots } = hashLoad();
		const seen: number[] = [];
		const checks = Array.from({ length: slots * 3 }, (_, i) =>
			(i % 3 === 0 ? verifyPasswordHash('not a hash', 'x') : verifyPasswordHash(hash, i % 3 === 1 ? 'correct horse battery' : 'wrong')).then((ok) => {
				seen.push(hashLoad().running);
				return ok;
			})
		);
		expect(hashLoad()).toMatchObject({ running: slots, waiting: slots * 2 });
		const results = await Promise.all(checks);
		expect(results).toEqual(Array.from({ length: slots * 3 }, (_, i) => i % 3 === 1));
		expect(Math.max(...seen)).toBeLessThanOrEqual(slots);
		expect(hashLoad()).toMatchObject({ running: 0, waiting: 0 });
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
