import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryDelay } from '../../src/lib/server/notify/deliver';
import { startPeriodicJob } from '../../src/lib/server/notify/worker';

describe('retryDelay', () => {
	it('starts at a minute and grows with every failed attempt', () => {
		expect(retryDelay(1)).toBe(60_000);
		expect(retryDelay(2)).toBe(5 * 60_000);
		expect(retryDelay(3)).toBe(15 * 60_000);
		expect(retryDelay(4)).toBe(3_600_000);
		for (let n = 1; n < 30; n++) expect(retryDelay(n + 1)).toBeGreaterThanOrEqual(retryDelay(n));
	});

	it('is capped', () => {
		const cap = retryDelay(1000);
		expect(cap).toBeLessThanOrEqual(24 * 3_600_000);
		for (let n = 1; n < 100; n++) expect(retryDelay(n)).toBeLessThanOrEqual(cap);
		expect(retryDelay(7)).toBe(cap);
	});

	it('treats odd input as the first attempt', () => {
		expect(retryDelay(0)).toBe(60_000);
		expect(retryDelay(-3)).toBe(60_000);
	});
});

describe('startPeriodicJob', () => {
	afterEach(() => {
		vi.useRealTimers();
		vi.restoreAllMocks();
	});

	it('runs soon after start, then every interval, never overlapping itself', async () => {
		vi.useFakeTimers();
		let running = 0;
		let overlapped = false;
		let runs = 0;
		const stop = startPeriodicJob('test job', 10_000, async () => {
			if (running) overlapped = true;
			running++;
			runs++;
			// Slower than the interval: the next run must wait for this one.
			await new Promise((r) => setTimeout(r, 25_000));
			running--;
		});
		await vi.advanceTimersByTimeAsync(1000);
		expect(runs).toBe(1);
		// The first run ends at 26 s; the next starts an interval later, at 36 s.
		await vi.advanceTimersByTimeAsync(34_999);
		expect(runs).toBe(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(runs).toBe(2);
		await vi.advanceTimersByTimeAsync(35_000);
		expect(runs).toBe(3);
		expect(overlapped).toBe(false);
		stop();
		await vi.advanceTimersByTimeAsync(100_000);
		expect(runs).toBe(3);
	});

	it('logs a failing run and keeps going', async () => {
		vi.useFakeTimers();
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		let runs = 0;
		const stop = startPeriodicJob('flaky', 5000, async () => {
			runs++;
			if (runs === 1) throw new Error('database away');
		});
		await vi.advanceTimersByTimeAsync(1000 + 5000);
		expect(runs).toBe(2);
		expect(errors).toHaveBeenCalledWith('[mamori] flaky:', 'database away');
		stop();
	});

	it('says once that the database is away, not every run, and says when it runs again', async () => {
		vi.useFakeTimers();
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
		let databaseUp = false;
		let runs = 0;
		const stop = startPeriodicJob('reminders', 1000, async () => {
			runs++;
			if (!databaseUp) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
		});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(runs).toBe(10);
		expect(errors).toHaveBeenCalledTimes(1);
		expect(errors).toHaveBeenCalledWith('[mamori] reminders: database unavailable (connect ECONNREFUSED 127.0.0.1:5432); trying again every 1 s.');
		databaseUp = true;
		await vi.advanceTimersByTimeAsync(3000);
		expect(logs).toHaveBeenCalledTimes(1);
		expect(logs).toHaveBeenCalledWith('[mamori] reminders: the database is back; running again.');
		// A later outage is reported again.
		databaseUp = false;
		await vi.advanceTimersByTimeAsync(3000);
		expect(errors).toHaveBeenCalledTimes(2);
		stop();
	});

	it('does not keep the process alive', () => {
		const unref = vi.spyOn(globalThis, 'setTimeout');
		const stop = startPeriodicJob('idle', 60_000, async () => {});
		const timer = unref.mock.results[0].value as NodeJS.Timeout;
		expect(timer.hasRef()).toBe(false);
		stop();
	});
});
