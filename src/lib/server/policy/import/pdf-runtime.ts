// The PDF reader is built for a newer JavaScript runtime than the Node.js 20 this app runs on: it
// calls iterator helpers (`map.keys().filter(…)`), ArrayBuffer.transferToFixedLength and
// Set.intersection, which Node.js 20 does not have. They are added here, only where missing, and
// only in the thread that reads a PDF (loaded with the reader, never by the app's main thread).

type Helper = (this: Iterator<unknown>, ...args: never[]) => unknown;

function installIteratorHelpers() {
	const prototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as Record<string, unknown>;
	const g = globalThis as Record<string, unknown>;
	if (g.Iterator === undefined) {
		// `Iterator.prototype` is the one object every built-in iterator inherits from.
		function Iterator() {}
		Iterator.prototype = prototype;
		g.Iterator = Iterator;
	}
	const each = function* (iterator: Iterator<unknown>) {
		let i = 0;
		for (let next = iterator.next(); !next.done; next = iterator.next()) yield [next.value, i++] as const;
	};
	const helpers: Record<string, Helper> = {
		map: function* (this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) yield f(v, i);
		} as Helper,
		filter: function* (this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) if (f(v, i)) yield v;
		} as Helper,
		toArray(this: Iterator<unknown>) {
			return [...each(this)].map(([v]) => v);
		},
		some(this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) if (f(v, i)) return true;
			return false;
		},
		every(this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) if (!f(v, i)) return false;
			return true;
		},
		find(this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) if (f(v, i)) return v;
			return undefined;
		},
		forEach(this: Iterator<unknown>, f: (v: unknown, i: number) => unknown) {
			for (const [v, i] of each(this)) f(v, i);
		},
		reduce(this: Iterator<unknown>, f: (acc: unknown, v: unknown, i: number) => unknown, ...initial: unknown[]) {
			let started = initial.length > 0;
			let acc = initial[0];
			for (const [v, i] of each(this)) {
				acc = started ? f(acc, v, i) : v;
				started = true;
			}
			return acc;
		}
	};
	for (const [name, value] of Object.entries(helpers)) {
		if (typeof prototype[name] !== 'function') Object.defineProperty(prototype, name, { value, writable: true, configurable: true });
	}
}

export function installPdfRuntime(): void {
	installIteratorHelpers();
	const buffer = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (length?: number) => ArrayBuffer };
	if (typeof buffer.transferToFixedLength !== 'function') {
		Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
			value(this: ArrayBuffer, length = this.byteLength) {
				const copy = new ArrayBuffer(length);
				new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
				return copy;
			},
			writable: true,
			configurable: true
		});
	}
	const set = Set.prototype as Set<unknown> & { intersection?: (other: Set<unknown>) => Set<unknown> };
	if (typeof set.intersection !== 'function') {
		Object.defineProperty(Set.prototype, 'intersection', {
			value(this: Set<unknown>, other: { has(v: unknown): boolean }) {
				return new Set([...this].filter((v) => other.has(v)));
			},
			writable: true,
			configurable: true
		});
	}
}
