import { isDatabaseUnavailable, reasonOf } from '../db/availability';

/**
 * Runs `run` every `everyMs`, the first time shortly after start. A run that takes longer than the
 * interval delays the next one instead of overlapping it; a failing run is logged and the job
 * keeps going. While the database is away the job says so once, not every run, and says when it
 * runs again. The timer never keeps the process alive. Returns a function that stops the job.
 */
export function startPeriodicJob(name: string, everyMs: number, run: () => Promise<unknown>): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let waitingForDatabase = false;

	const schedule = (delay: number) => {
		if (stopped) return;
		timer = setTimeout(tick, delay);
		timer.unref();
	};
	const tick = async () => {
		timer = undefined;
		try {
			await run();
			if (waitingForDatabase) console.log(`[mamori] ${name}: the database is back; running again.`);
			waitingForDatabase = false;
		} catch (err) {
			if (!isDatabaseUnavailable(err)) {
				console.error(`[mamori] ${name}:`, err instanceof Error ? err.message : err);
			} else if (!waitingForDatabase) {
				waitingForDatabase = true;
				console.error(`[mamori] ${name}: database unavailable (${reasonOf(err)}); trying again every ${everyMs / 1000} s.`);
			}
		}
		schedule(everyMs);
	};

	// Soon, but not inside start-up itself.
	schedule(Math.min(1000, everyMs));
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
	};
}
