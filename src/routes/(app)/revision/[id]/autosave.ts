// Pending section saves of the editor page: a change of structure (add, move, remove) or leaving
// the page first lets every waiting save go out, so the reload that follows shows the typed text.
import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

const flushers = new Set<() => Promise<void>>();
const unsaved = new Set<string>();

/** Registers a section's "save now"; returns the function that unregisters it. */
export function registerFlush(flush: () => Promise<void>): () => void {
	flushers.add(flush);
	return () => flushers.delete(flush);
}

export async function flushAll(): Promise<void> {
	await Promise.all([...flushers].map((f) => f()));
}

/** Marks a section as having typed text not yet saved (or saved). */
export function markUnsaved(key: string, pending: boolean): void {
	if (pending) unsaved.add(key);
	else unsaved.delete(key);
}

export const hasUnsaved = (): boolean => unsaved.size > 0;

/** Posts to one of the page's form actions and reads its answer as `use:enhance` would. */
export async function postAction(action: string, body: FormData): Promise<ActionResult> {
	const response = await fetch(`?/${action}`, { method: 'POST', body, headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } });
	return deserialize(await response.text());
}

/** 14:05 in Japan time, for 「保存しました 14:05」. */
export function clockTime(at: string | Date): string {
	return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at));
}
