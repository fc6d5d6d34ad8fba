/**
 * Figures that are costly to compute and change only as quizzes are submitted: requests for the
 * same view share one computation, and its result is reused for a short while. At a deadline many
 * owners and supervisors reload the same pages; computing once keeps both the time and the memory
 * of the server bounded. A failed computation is not kept.
 */
export class SharedFigures<T> {
	private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxEntries = 500
	) {}

	get(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
		const entry = this.entries.get(key);
		if (entry && now - entry.at < this.ttlMs) return entry.value;
		const value = compute();
		this.entries.delete(key);
		this.entries.set(key, { at: now, value });
		value.catch(() => {
			if (this.entries.get(key)?.value === value) this.entries.delete(key);
		});
		// Maps keep insertion order: the first key is the oldest.
		while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}

	/** Drops every entry whose key starts with `prefix` (an organisation's, after a publish). */
	forget(prefix: string): void {
		for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
	}
}
