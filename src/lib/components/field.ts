// Shared by the form controls: the ids a control's hint and error text get, and the
// aria-describedby that names them, so a screen reader reads them with the control.

export function hintId(id: string): string {
	return `${id}-hint`;
}

export function errorId(id: string): string {
	return `${id}-error`;
}

/** The aria-describedby of a control with this hint and error (undefined when it has neither). */
export function describedBy(id: string, hint: unknown, error: unknown, extra?: string): string | undefined {
	return [hint ? hintId(id) : '', error ? errorId(id) : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
}

export interface ChoiceOption {
	value: string;
	label: string;
	/** A line under the option's label (checkbox and radio groups only). */
	hint?: string;
	disabled?: boolean;
	/** The input's own id, when a link or a test needs a stable one (default: the group's id and the index). */
	id?: string;
}
