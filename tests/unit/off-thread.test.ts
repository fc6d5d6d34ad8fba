import { describe, expect, it } from 'vitest';
import { OffThreadTimeout, runOffThread } from '../../src/lib/server/text/off-thread';

describe('text worker', () => {
	it('runs a task on another thread and returns its value', async () => {
		await expect(runOffThread('markdown.render', ['**太字**'])).resolves.toEqual(['<p><strong>太字</strong></p>\n']);
	});

	it('ends a job that overruns its budget, and the next job gets a fresh worker', async () => {
		const started = Date.now();
		await expect(runOffThread('test.spin', 60_000, { budgetMs: 300 })).rejects.toBeInstanceOf(OffThreadTimeout);
		expect(Date.now() - started).toBeLessThan(30_000);
		await expect(runOffThread('test.spin', 1)).resolves.toBe(1);
	});
});
