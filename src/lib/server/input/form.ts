// Reading one field of a posted form. The hooks have already refused a form with any field longer
// than its route takes (limits.ts); these give a field its own, tighter bound, checked before any
// work is done with it.
import { withoutNul } from '../text/decode';

/**
 * The field's text without NUL ('' when absent or a file), or null when it is longer than `max`
 * characters: the caller refuses it with its own message before hashing, querying or logging it.
 */
export function formText(form: FormData, name: string, max: number): string | null {
	const value = form.get(name);
	if (typeof value !== 'string') return '';
	return value.length > max ? null : withoutNul(value);
}
