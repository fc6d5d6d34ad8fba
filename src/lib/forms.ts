import type { SubmitFunction } from '@sveltejs/kit';

/** For use:enhance: marks the form busy while it is sent, and ignores a second submit meanwhile. */
export function whileBusy(state: { busy: boolean }): SubmitFunction {
	return ({ cancel }) => {
		if (state.busy) return cancel();
		state.busy = true;
		return async ({ update }) => {
			await update();
			state.busy = false;
		};
	};
}

/**
 * For an action's result notice (use:revealResult={form}): when it appears, or the result
 * changes, it scrolls into view and takes focus, so the person sees and hears what happened
 * where they are. Without JavaScript the form's action names the notice's anchor instead.
 */
export function revealResult(node: HTMLElement, _result?: unknown) {
	const reveal = () => {
		if (!node.hasAttribute('tabindex')) node.tabIndex = -1;
		node.scrollIntoView({ block: 'nearest' });
		node.focus({ preventScroll: true });
	};
	reveal();
	return { update: reveal };
}
