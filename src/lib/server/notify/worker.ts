/**
 * Runs `run` every `everyMs`, the first time shortly after start. A run that takes longer than the
 * interval delays the next one instead of overlapping it; a failing run is logged and the job
 * keeps going. The timer never keeps the process alive. Returns a function that stops the job.
 */
export function startPeriodicJob(name: string, everyMs: number, run: () => Promise<unknown>): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;

	const schedule = (delay: number) => {
		if (stopped) return;
		timer = setTimeout(tick, delay);
		timer.unref();
	};
	const tick = async () => {
		timer = undefined;
		try {
			await run();
		} catch (err) {
			console.error(`[mamori] ${name}:`, err instanceof Error ? err.message : err);
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
