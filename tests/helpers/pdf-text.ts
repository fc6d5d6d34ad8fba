// The text of a PDF, page by page, read with the PDF reader library. Its PDF engine uses the
// iterator helpers of newer JavaScript (`map().filter()` on a Map's keys); on an older Node they
// are added here first, only where missing.
import { extractText, getDocumentProxy } from 'unpdf';

type Iter = Iterator<unknown> & Iterable<unknown>;
type Fn = (value: unknown, index: number) => unknown;

function addIteratorHelpers(): void {
	const proto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as Record<string, unknown>;
	const g = globalThis as { Iterator?: unknown };
	if (!g.Iterator) {
		const Iterator = function Iterator() {};
		Iterator.prototype = proto;
		g.Iterator = Iterator;
	}
	const helpers: Record<string, (this: Iter, ...args: never[]) => unknown> = {
		*map(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) yield fn(v, i++);
		},
		*filter(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) if (fn(v, i++)) yield v;
		},
		*flatMap(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) yield* fn(v, i++) as Iterable<unknown>;
		},
		*take(this: Iter, n: number) {
			if (n <= 0) return;
			let i = 0;
			for (const v of this) {
				yield v;
				if (++i >= n) return;
			}
		},
		*drop(this: Iter, n: number) {
			let i = 0;
			for (const v of this) if (i++ >= n) yield v;
		},
		find(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) if (fn(v, i++)) return v;
			return undefined;
		},
		some(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) if (fn(v, i++)) return true;
			return false;
		},
		every(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) if (!fn(v, i++)) return false;
			return true;
		},
		forEach(this: Iter, fn: Fn) {
			let i = 0;
			for (const v of this) fn(v, i++);
		},
		reduce(this: Iter, fn: (acc: unknown, value: unknown, index: number) => unknown, ...initial: unknown[]) {
			let i = 0;
			let acc = initial.length ? initial[0] : undefined;
			let first = initial.length === 0;
			for (const v of this) {
				if (first) (acc = v), (first = false);
				else acc = fn(acc, v, i);
				i++;
			}
			return acc;
		},
		toArray(this: Iter) {
			return [...this];
		}
	};
	for (const [name, fn] of Object.entries(helpers)) {
		if (!(name in proto)) Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
	}
}

/** Each page's text, in the order it was drawn, and the size of the first page in points. */
export async function pdfPages(bytes: Uint8Array): Promise<{ pages: string[]; width: number; height: number }> {
	addIteratorHelpers();
	const pdf = await getDocumentProxy(new Uint8Array(bytes));
	const { text } = await extractText(pdf, { mergePages: false });
	const [, , width, height] = (await pdf.getPage(1)).view;
	return { pages: text, width, height };
}
