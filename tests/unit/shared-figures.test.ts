import { describe, expect, it } from 'vitest';
import { SharedFigures } from '../../src/lib/server/insight/shared-figures';

describe('SharedFigures', () => {
	it('shares one computation between requests for the same view, then reuses it until it is too old', async () => {
		const figures = new SharedFigures<number>(1000);
		let computed = 0;
		const compute = async () => ++computed;
		const [a, b] = await Promise.all([figures.get('org|2026', compute, 0), figures.get('org|2026', compute, 10)]);
		expect([a, b, computed]).toEqual([1, 1, 1]);
		expect(await figures.get('org|2026', compute, 999)).toBe(1);
		expect(await figures.get('org|2026', compute, 1000)).toBe(2);
		expect(await figures.get('org|2025', compute, 1000)).toBe(3);
	});

	it('does not keep a failed computation', async () => {
		const figures = new SharedFigures<number>(1000);
		await expect(figures.get('k', () => Promise.reject(new Error('database gone')), 0)).rejects.toThrow('database gone');
		expect(await figures.get('k', async () => 7, 1)).toBe(7);
	});

	it('forgets one organisation’s views and keeps at most its limit of views', async () => {
		const figures = new SharedFigures<string>(1000, 2);
		await figures.get('a|x', async () => 'a1', 0);
		await figures.get('b|x', async () => 'b1', 0);
		figures.forget('a|');
		expect(await figures.get('a|x', async () => 'a2', 1)).toBe('a2');
		expect(await figures.get('b|x', async () => 'b2', 1)).toBe('b1');
		// A third view pushes out the oldest one (b|x was stored before a|x's second computation).
		await figures.get('c|x', async () => 'c1', 2);
		expect(await figures.get('b|x', async () => 'b3', 3)).toBe('b3');
	});
});
