// Request bodies within the limit of their route (limits.ts), refused before any load or action
// runs and without holding more than the limit in memory: a declared Content-Length is checked
// before a byte is read, a chunked body is cut off as it passes the limit. A body that is not a
// form, or a form that cannot be parsed or has a field longer than the route takes, is a 4xx.
//
// The hooks hand the route a Request of their own in its place (SvelteKit's actions and endpoints
// read `event.request`): for most routes the form already read and checked; for the routes that
// answer an oversized upload with their own message, the body still to be read, through a counter.
import type { RequestEvent } from '@sveltejs/kit';
import { actionName, bodyLimitFor, type BodyLimit } from './limits';
import { fieldTooLong, malformedBody, refuse, tooLarge, unsupportedType, type Refusal } from './refusal';

/** What is read and dropped of a refused body so the refusal reaches a client still sending it. */
const drainBudget = 32 * 1024 * 1024;

const formTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export type BodyCheck = { ok: true; request: Request } | { ok: false; refusal: Refusal };

type BodyEvent = Pick<RequestEvent, 'request' | 'url'> & { route: { id: string | null } };

/** The request a route may read, or why its body is refused. Anything but a post passes as it is. */
export async function checkBody(event: BodyEvent): Promise<BodyCheck> {
	const { request } = event;
	// Forms are posted; SvelteKit answers other methods (405, or an endpoint's own) without reading.
	if (request.method !== 'POST') return { ok: true, request };
	// No route: SvelteKit answers 404 without reading the body.
	if (!event.route.id) return { ok: true, request };
	const limit = bodyLimitFor(event.route.id, actionName(event.url));
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!formTypes.has(type)) return refuseUnread(request, unsupportedType);

	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > limit.bytes) {
		if (limit.ownMessage) return { ok: true, request: new RefusedBodyRequest(request, tooLarge(limit.bytes)) };
		return refuseUnread(request, tooLarge(limit.bytes));
	}
	if (limit.ownMessage) return { ok: true, request: new CountedBodyRequest(request, limit) };

	const read = await readAtMost(request.body, limit.bytes);
	if (!read) return { ok: false, refusal: tooLarge(limit.bytes) };
	const form = await parseForm(read, request.headers.get('content-type')!);
	if (!form) return { ok: false, refusal: malformedBody };
	const long = longFieldRefusal(form, limit);
	if (long) return { ok: false, refusal: long };
	return { ok: true, request: new ReadFormRequest(request, form) };
}

function refuseUnread(request: Request, refusal: Refusal): BodyCheck {
	discard(request.body);
	return { ok: false, refusal };
}

/** The form of `bytes`, or null when they are not one (no boundary, unterminated, not a form). */
async function parseForm(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData | null> {
	try {
		return await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
	} catch {
		return null;
	}
}

function longFieldRefusal(form: FormData, limit: BodyLimit): Refusal | null {
	for (const [, value] of form) if (typeof value === 'string' && value.length > limit.fieldChars) return fieldTooLong(limit.fieldChars);
	return null;
}

/** The body's bytes, or null as soon as there are more than `limit` (the rest is read and dropped). */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
	if (!body) return new Uint8Array(0);
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let next: ReadableStreamReadResult<Uint8Array>;
		try {
			next = await reader.read();
		} catch {
			// The server's own bound or a broken connection: either way, more than this route takes or nothing.
			return null;
		}
		if (next.done) break;
		size += next.value.byteLength;
		if (size > limit) {
			drain(reader, size);
			return null;
		}
		chunks.push(next.value);
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

function discard(body: ReadableStream<Uint8Array> | null) {
	if (body && !body.locked) drain(body.getReader(), 0);
}

/**
 * After the answer: a body nobody read (a redirect to the login page, a refusal, a form the action
 * never opened) is read and dropped, or the connection would stall on it and be reset instead of
 * carrying the client's next request.
 */
export function discardUnread(request: Request): void {
	discard(request.body);
}

/**
 * Reads and drops the rest of a refused body in the background, so a client still sending it
 * reads the refusal instead of a reset; past the budget the connection is closed instead.
 */
function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number) {
	void (async () => {
		let seen = alreadyRead;
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				seen += value.byteLength;
				if (seen > drainBudget) return await reader.cancel();
			}
		} catch {
			// The body ended badly: nothing more to drop.
		}
	})();
}

/** The request with its form already read and checked. */
class ReadFormRequest extends Request {
	readonly #form: FormData;
	constructor(original: Request, form: FormData) {
		super(original.url, { method: original.method, headers: original.headers, signal: original.signal });
		this.#form = form;
	}
	override formData(): Promise<FormData> {
		return Promise.resolve(this.#form);
	}
}

/** A body declared larger than the route takes, for a route that says so itself: reading it refuses, unread. */
class RefusedBodyRequest extends Request {
	readonly #refusal: Refusal;
	constructor(original: Request, refusal: Refusal) {
		super(original.url, { method: original.method, headers: original.headers, signal: original.signal });
		discard(original.body);
		this.#refusal = refusal;
	}
	override async formData(): Promise<FormData> {
		refuse(this.#refusal);
	}
}

class BodyOverLimit extends Error {}

/** An upload read when the action asks for it, cut off past the limit; its form checked like the others. */
class CountedBodyRequest extends Request {
	readonly #limit: BodyLimit;
	constructor(original: Request, limit: BodyLimit) {
		super(original.url, {
			method: original.method,
			headers: original.headers,
			signal: original.signal,
			body: counted(original.body, limit.bytes),
			duplex: 'half'
		} as RequestInit);
		this.#limit = limit;
	}
	override async formData(): Promise<FormData> {
		let form: FormData;
		try {
			form = await super.formData();
		} catch (error) {
			refuse(error instanceof BodyOverLimit ? tooLarge(this.#limit.bytes) : malformedBody);
		}
		const long = longFieldRefusal(form, this.#limit);
		if (long) refuse(long);
		return form;
	}
}

/** `body` passed through a byte counter that fails past `limit` and drops the rest. */
function counted(body: ReadableStream<Uint8Array> | null, limit: number): ReadableStream<Uint8Array> | null {
	if (!body) return null;
	// Taken when first read: an action that never reads leaves the body to `discardUnread`.
	let taken: ReadableStreamDefaultReader<Uint8Array> | undefined;
	const source = () => (taken ??= body.getReader());
	let size = 0;
	const counter: UnderlyingDefaultSource<Uint8Array> = {
		async pull(controller) {
			const reader = source();
			let next: ReadableStreamReadResult<Uint8Array>;
			try {
				next = await reader.read();
			} catch (error) {
				// The server's outer bound (a 413 of its own) or a broken connection.
				controller.error((error as { status?: unknown }).status === 413 ? new BodyOverLimit() : error);
				return;
			}
			if (next.done) return controller.close();
			size += next.value.byteLength;
			if (size > limit) {
				controller.error(new BodyOverLimit());
				drain(reader, size);
				return;
			}
			controller.enqueue(next.value);
		},
		cancel() {
			drain(source(), size);
		}
	};
	// Nothing is pulled before the action reads.
	return new ReadableStream(counter, { highWaterMark: 0 });
}
