import { describe, expect, it } from 'vitest';
import { ja } from '../../src/lib/i18n/ja';
import { en } from '../../src/lib/i18n/en';
import { translate } from '../../src/lib/i18n/core';
import { navFor } from '../../src/lib/navigation';

describe('message catalogues', () => {
	it('have the same keys and the same placeholders in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
		for (const key of Object.keys(ja) as (keyof typeof ja)[]) {
			const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
			expect(placeholders(en[key]), key).toEqual(placeholders(ja[key]));
			expect(en[key].trim(), key).not.toBe('');
		}
	});

	it('fills placeholders', () => {
		expect(translate('ja', 'home.welcome', { name: '北杜 花子' })).toBe('北杜 花子 さん、こんにちは。');
		expect(translate('en', 'home.welcome', { name: 'Hanako' })).toBe('Hello, Hanako.');
	});
});

describe('navigation', () => {
	it('shows each role only its own wings', () => {
		const hrefs = (roles: string[]) => navFor(roles).map((i) => i.href);
		expect(hrefs([])).toEqual(['/', '/learn', '/policy', '/guide/staff', '/account/password']);
		expect(hrefs(['supervisor'])).toContain('/team');
		expect(hrefs(['supervisor'])).not.toContain('/admin');
		expect(hrefs(['policy_owner'])).toContain('/revision');
		expect(hrefs(['admin'])).toEqual([
			'/',
			'/learn',
			'/policy',
			'/team',
			'/insight',
			'/report',
			'/revision',
			'/admin/campaigns',
			'/admin/courses',
			'/admin/inspections',
			'/admin',
			'/guide/admin',
			'/account/password'
		]);
	});
});
