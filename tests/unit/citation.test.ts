import { describe, expect, it } from 'vitest';
import { sectionCitation } from '../../src/lib/server/policy/citation';

describe('sectionCitation', () => {
	const labels = new Map([
		['6', '6'],
		['6.3', '(3)'],
		['6.3.2', '②'],
		['4.2.1', '①']
	]);
	it('joins the labels from the top down, as the document cites a clause', () => {
		expect(sectionCitation('6.3.2', (k) => labels.get(k))).toBe('6(3)②');
		expect(sectionCitation('6.3', (k) => labels.get(k))).toBe('6(3)');
	});
	it('leaves out unknown ancestors and falls back to the key', () => {
		expect(sectionCitation('4.2.1', (k) => labels.get(k))).toBe('①');
		expect(sectionCitation('9.9', () => undefined)).toBe('9.9');
	});
});
