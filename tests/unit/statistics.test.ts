import { describe, expect, it } from 'vitest';
import { interpretItem, itemAnalysis, wilsonInterval, type ItemSums } from '../../src/lib/server/insight/statistics';

describe('wilsonInterval', () => {
	it('matches the textbook figures', () => {
		// 3 of 10: p = 0.3, z² / n = 0.38416 → centre 0.35551, half-width 0.24772.
		const i = wilsonInterval(3, 10)!;
		expect(i.low).toBeCloseTo(0.1078, 4);
		expect(i.high).toBeCloseTo(0.6032, 4);
	});

	it('stays inside 0–1 at the edges and is symmetric', () => {
		const none = wilsonInterval(0, 10)!;
		expect(none.low).toBe(0);
		expect(none.high).toBeCloseTo(0.2775, 4);
		const all = wilsonInterval(10, 10)!;
		expect(all.low).toBeCloseTo(0.7225, 4);
		expect(all.high).toBe(1);
		// 50 of 100: 0.5 ± 0.0962 (nearly the normal interval at this size).
		const half = wilsonInterval(50, 100)!;
		expect(half.low).toBeCloseTo(0.4038, 4);
		expect(half.high).toBeCloseTo(0.5962, 4);
	});

	it('has no interval without answers, and a wider one for a larger z', () => {
		expect(wilsonInterval(0, 0)).toBeNull();
		const z99 = wilsonInterval(3, 10, 2.576)!;
		expect(z99.low).toBeLessThan(0.1078);
		expect(z99.high).toBeGreaterThan(0.6032);
	});
});

/** Item sums of one column of a person × item score matrix, as the submit adds them up. */
function sumsOf(matrix: number[][], item: number): ItemSums {
	const s = { n: 0, sumX: 0, sumX2: 0, sumY: 0, sumY2: 0, sumXY: 0 };
	for (const row of matrix) {
		const x = row[item];
		const y = row.reduce((a, b) => a + b, 0);
		s.n++;
		s.sumX += x;
		s.sumX2 += x * x;
		s.sumY += y;
		s.sumY2 += y * y;
		s.sumXY += x * y;
	}
	return s;
}

describe('itemAnalysis', () => {
	// Four people, three items: totals 3, 2, 1, 1.
	const matrix = [
		[1, 1, 1],
		[1, 0, 1],
		[0, 1, 0],
		[0, 1, 0]
	];

	it('gives the sums the submit keeps', () => {
		expect(sumsOf(matrix, 0)).toEqual({ n: 4, sumX: 2, sumX2: 2, sumY: 7, sumY2: 15, sumXY: 5 });
		expect(sumsOf(matrix, 1)).toEqual({ n: 4, sumX: 3, sumX2: 3, sumY: 7, sumY2: 15, sumXY: 5 });
	});

	it('correlates each item with the rest of the attempt, not with itself', () => {
		// Item 1: x = 1 1 0 0, rest = 2 1 1 1. Deviations .5 .5 −.5 −.5 and .75 −.25 −.25 −.25:
		// covariance sum .5, variance sums 1 and .75, r = .5 / √.75 = 0.57735.
		expect(itemAnalysis(sumsOf(matrix, 0)).facility).toBe(0.5);
		expect(itemAnalysis(sumsOf(matrix, 0)).discrimination).toBeCloseTo(0.57735, 5);
		// Item 2: x = 1 0 1 1, rest = 2 2 0 0. Deviations .25 −.75 .25 .25 and 1 1 −1 −1:
		// covariance sum −1, variance sums .75 and 4, r = −1 / √3 = −0.57735.
		expect(itemAnalysis(sumsOf(matrix, 1)).facility).toBe(0.75);
		expect(itemAnalysis(sumsOf(matrix, 1)).discrimination).toBeCloseTo(-0.57735, 5);
		// Item 3 scores like item 1, and so has the same rest.
		expect(itemAnalysis(sumsOf(matrix, 2)).discrimination).toBeCloseTo(0.57735, 5);
	});

	it('handles partial credit: the same r as Pearson on the raw columns', () => {
		const partial = [
			[1, 0.5, 1, 0],
			[0.5, 1, 1, 1],
			[0, 0.5, 0, 1],
			[1, 0, 0.5, 0],
			[0, 0, 1, 0.5]
		];
		const pearson = (a: number[], b: number[]) => {
			const ma = a.reduce((s, v) => s + v, 0) / a.length;
			const mb = b.reduce((s, v) => s + v, 0) / b.length;
			let c = 0;
			let va = 0;
			let vb = 0;
			a.forEach((v, i) => {
				c += (v - ma) * (b[i] - mb);
				va += (v - ma) ** 2;
				vb += (b[i] - mb) ** 2;
			});
			return c / Math.sqrt(va * vb);
		};
		for (let item = 0; item < 4; item++) {
			const x = partial.map((r) => r[item]);
			const rest = partial.map((r) => r.reduce((a, b) => a + b, 0) - r[item]);
			expect(itemAnalysis(sumsOf(partial, item)).discrimination).toBeCloseTo(pearson(x, rest), 10);
		}
	});

	it('has no discrimination when a side does not vary or there is one answer', () => {
		// Everyone right: the item does not vary.
		expect(
			itemAnalysis(
				sumsOf(
					[
						[1, 1],
						[1, 0],
						[1, 1]
					],
					0
				)
			)
		).toEqual({ facility: 1, discrimination: null });
		// The rest does not vary.
		expect(
			itemAnalysis(
				sumsOf(
					[
						[1, 1],
						[0, 1],
						[1, 1]
					],
					0
				)
			).discrimination
		).toBeNull();
		expect(itemAnalysis(sumsOf([[1, 0]], 0))).toEqual({ facility: 1, discrimination: null });
		expect(itemAnalysis({ n: 0, sumX: 0, sumX2: 0, sumY: 0, sumY2: 0, sumXY: 0 })).toEqual({ facility: null, discrimination: null });
	});

	it('is not fooled by rounding in large sums of equal values', () => {
		const n = 100_000;
		const y = 13.7;
		// Everyone scored 0.3 on the item and 13.7 in total: no spread at all, however the floats round.
		const r = itemAnalysis({ n, sumX: 0.3 * n, sumX2: 0.09 * n, sumY: y * n, sumY2: y * y * n, sumXY: 0.3 * y * n });
		expect(r.discrimination).toBeNull();
		expect(r.facility).toBeCloseTo(0.3, 10);
	});
});

describe('interpretItem', () => {
	it('needs enough answers', () => {
		expect(interpretItem(0.3, 0.5, 9)).toBe('too_few');
		expect(interpretItem(null, null, 0)).toBe('too_few');
		expect(interpretItem(0.3, 0.5, 4, 4)).toBe('misunderstood');
	});

	it('tells a misunderstood clause from a badly written question', () => {
		// Most get it wrong, and those who know the policy get it right.
		expect(interpretItem(0.3, 0.2, 50)).toBe('misunderstood');
		// Most get it wrong, and knowing the policy does not help.
		expect(interpretItem(0.3, 0.05, 50)).toBe('badly_written');
		expect(interpretItem(0.6, 0.09, 50)).toBe('badly_written');
		expect(interpretItem(0.6, null, 50)).toBe('badly_written');
		// The stronger answer it worse: even when most get it right.
		expect(interpretItem(0.95, -0.2, 50)).toBe('badly_written');
	});

	it('calls near-universal right answers easy, the rest good', () => {
		expect(interpretItem(0.9, 0.05, 50)).toBe('easy');
		expect(interpretItem(1, null, 50)).toBe('easy');
		expect(interpretItem(0.7, 0.1, 50)).toBe('good');
		expect(interpretItem(0.45, 0.15, 50)).toBe('good');
	});
});
