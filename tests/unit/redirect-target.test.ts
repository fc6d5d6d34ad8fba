// Redirect targets taken from a request (?next= after login, the language switch's `back`) must stay
// on our origin however a browser reads them, and must always fit in a Location header.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeNextPath } from '../../src/lib/server/http';
import { hostileTargets } from '../fixtures/hostile/redirects';

const origin = 'https://mamori.city.example.lg.jp';

/** What a browser does with the Location header we would send. */
function browserTarget(location: string): URL {
	return new URL(location, `${origin}/login`);
}

describe('safeNextPath', () => {
	it.each(hostileTargets.map((v) => [JSON.stringify(v).slice(0, 60), v]))('sends %s home', (_, value) => {
		expect(safeNextPath(value)).toBe('/');
	});

	it('keeps paths on our origin, with their query and fragment', () => {
		expect(safeNextPath('/learn')).toBe('/learn');
		expect(safeNextPath('/team?dept=abc&page=2')).toBe('/team?dept=abc&page=2');
		expect(safeNextPath('/policy/basic#s-6.3')).toBe('/policy/basic#s-6.3');
		expect(safeNextPath('/@evil.example')).toBe('/@evil.example');
		expect(safeNextPath('/learn/../team')).toBe('/team');
	});

	it('encodes characters a Location header cannot carry instead of failing', () => {
		expect(safeNextPath('/policy/基本方針?q=ロック#改訂')).toBe(
			'/policy/%E5%9F%BA%E6%9C%AC%E6%96%B9%E9%87%9D?q=%E3%83%AD%E3%83%83%E3%82%AF#%E6%94%B9%E8%A8%82'
		);
		expect(() => new Headers({ location: safeNextPath('/policy/基本方針') })).not.toThrow();
	});

	it('drops tabs and newlines inside a path as a browser does', () => {
		expect(safeNextPath('/le\tarn\n')).toBe('/learn');
		// So a raw line break cannot start a header of its own.
		expect(safeNextPath('/foo\r\nSet-Cookie: taken=1')).toBe('/fooSet-Cookie:%20taken=1');
	});

	it('uses the fallback given for nothing at all', () => {
		expect(safeNextPath(null, '/team')).toBe('/team');
		expect(safeNextPath('', '/team')).toBe('/team');
		expect(safeNextPath(undefined)).toBe('/');
	});

	it('whatever it is given, answers a path a browser keeps on our origin and a header can carry', () => {
		const pieces = fc.constantFrom(
			'/',
			'\\',
			'//',
			'%2F',
			'%5C',
			'%25',
			'%2e',
			'.',
			'..',
			'\t',
			'\n',
			'\r',
			' ',
			'\u0000',
			'evil.example',
			':',
			'@',
			'?',
			'#',
			'http:',
			'javascript:',
			'あ',
			'\u3000',
			'%0d%0a'
		);
		fc.assert(
			fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 12 }), (parts) => {
				const result = safeNextPath(parts.join(''));
				expect(browserTarget(result).origin).toBe(origin);
				expect(result.startsWith('/') && !result.startsWith('//')).toBe(true);
				expect(result).toMatch(/^[\x21-\x7e]*$/);
				// A second decoding (a proxy, or a page that reads it again) must not leave the origin either.
				let decoded = result;
				try {
					decoded = decodeURIComponent(result).replace(/\\/g, '/');
				} catch {
					/* not decodable: nothing to read again */
				}
				expect(decoded.startsWith('//')).toBe(false);
			}),
			{ seed: 1407, numRuns: 5000 }
		);
	});
});
