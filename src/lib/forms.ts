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
