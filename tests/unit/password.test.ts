import { describe, expect, it } from 'vitest';
import { checkNewPassword, generateTemporaryPassword, hashLoad, hashPassword, verifyPasswordHash } from '../../src/lib/server/auth/password';

describe('checkNewPassword', () => {
	it('asks only for length, up to 64, and refuses common and login-equal passwords', () => {
		expect(checkNewPassword('1234567')).toBe('too_short');
		expect(checkNewPassword('ながいパスワード')).toBeNull(); // 8 Japanese characters are 8, not 24 bytes
		expect(checkNewPassword('いろはにほへと'.repeat(10).slice(0, 64))).toBeNull();
		expect(checkNewPassword('あ'.repeat(64))).toBe('too_predictable'); // one character repeated
		expect(checkNewPassword('a'.repeat(65))).toBe('too_long');
		expect(checkNewPassword('Password123')).toBe('too_common');
		expect(checkNewPassword('qwertyuiop')).toBe('too_common');
		expect(checkNewPassword('employee-0042', { loginId: 'EMPLOYEE-0042' })).toBe('same_as_login');
		expect(checkNewPassword('alllowercaseletters')).toBeNull(); // no composition rules
	});
});

describe('guessable passwords', () => {
	const hokuto = { loginId: 'H0123', words: ['北杜市', 'Hokuto City', 'hokuto', 'hokuto.example.lg.jp', '山田 太郎', 'やまだ たろう'] };

	it('refuses a password of spaces only, half- or full-width', () => {
		for (const p of [' '.repeat(8), '\u3000'.repeat(8), ' \t \u3000    ', '\u00a0'.repeat(9)])
			expect(checkNewPassword(p, hokuto), JSON.stringify(p)).toBe('blank');
	});

	it("refuses the organisation's names with years, keyboard rows and repeats", () => {
		const refused = [
			'hokuto2026',
			'Hokuto2026!',
			'HOKUTO-CITY-2025',
			'hokutocity2024',
			'北杜市2026年',
			'北杜市役所2026年度',
			'北杜2026北杜',
			'ｈｏｋｕｔｏ２０２６',
			'hokutor7hokuto',
			'令和8年度北杜市',
			'qwerty2026!',
			'1qaz2wsx3edc',
			'asdfghjkl;',
			'zxcvbnm,./',
			'abcdefgh2026',
			'98765432',
			'aaaaaaaa1',
			'あいうえおかきく',
			'hokuto@12345',
			'山田太郎1985',
			'やまだたろう2026',
			'H0123-2026'
		];
		for (const p of refused) expect(checkNewPassword(p, hokuto), p).toBe('too_predictable');
	});

	it('accepts passphrases that merely contain such parts', () => {
		const accepted = [
			'北杜の八ヶ岳は今日も晴れ',
			'hokuto-summer-kumo-2026',
			'correct horse battery staple',
			'ながいパスワード',
			'tsukimi-dango-42',
			'hokuto2026asagiri'
		];
		for (const p of accepted) expect(checkNewPassword(p, hokuto), p).toBeNull();
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
