// How large a request body each route takes, and how long one of its fields may be. The hooks
// refuse anything larger before a load or action runs (see body.ts); `scripts/serve.js` sets the
// server's outer bound, which must stay at least the largest limit here.
//
// A limit is the largest form the page itself sends, in the encoding it sends it in, plus room for
// the form's own "too long" message: a plain form sends Japanese text url-encoded at nine bytes a
// character (%E3%81%82), multipart at three.
import { rosterListLimit, rosterMaxBytes } from '../org/roster/import';
import { rosterCodeMax } from '../org/roster/rows';
import { policyDocumentMaxBytes, policyImportMaxBytes } from '../policy/import/files';
import { reasonMax, sectionBodyMax } from '../revision/drafts';
import { commentMax } from '../revision/workflow';
import { courseEditMaxBytes } from '../learning/editor';
import { itemsMax } from '../inspection/content/parse';
import { commentMax as inspectionCommentMax } from '../inspection/rounds';
import { assigneeMax, planMax } from '../inspection/improvements';
import { checklistDescriptionMax, itemsTextMax } from '../inspection/editor';

export interface BodyLimit {
	/** The most bytes the body may hold. */
	bytes: number;
	/** The most characters one text field may hold. */
	fieldChars: number;
	/**
	 * The action reads its form through `formDataWithinLimit` and answers a body over the limit with
	 * its own message, keeping the page: the hooks then refuse only when the form is read.
	 */
	ownMessage?: true;
}

const KB = 1024;

/** Login, the language switch, logout and every form not named below: a few short fields. */
export const defaultBodyLimit: BodyLimit = { bytes: 16 * KB, fieldChars: 1000 };

/** Forms with a list of checkboxes (departments, people, answers). */
const lists: BodyLimit = { bytes: 64 * KB, fieldChars: 1000 };
/** A text of at most `max` characters, url-encoded; twice as many ASCII ones still get the form's own message. */
const text = (max: number): BodyLimit => ({ bytes: max * 9 + 8 * KB, fieldChars: 2 * max });
/** A file upload (multipart). */
const upload = (bytes: number): BodyLimit => ({ bytes: bytes + 64 * KB, fieldChars: 1000, ownMessage: true });
/** A text pasted or carried back in a multipart form, at three bytes a character. */
const textUpload = (chars: number): BodyLimit => ({ bytes: chars * 3 + 64 * KB, fieldChars: 2 * chars, ownMessage: true });
/** A file and a pasted text beside it in one multipart form (the page sends both fields). */
const fileOrText = (fileBytes: number, chars: number): BodyLimit => ({ ...textUpload(chars), bytes: fileBytes + chars * 3 + 64 * KB });

/** By route id, then by action (`default` for a page's only action and for an endpoint). */
const limits: Record<string, Record<string, BodyLimit>> = {
	// The login form answers over-long fields itself, within the body limit.
	'/login': { default: { bytes: 4 * KB, fieldChars: 4 * KB } },
	'/lang': { default: { bytes: 4 * KB, fieldChars: 2048 } },
	'/(app)/learn/[assignmentId]/quiz': { save: lists, submit: lists },
	'/(app)/team': { remind: lists, remindAll: lists },
	// Every item of the longest checklist with its answer and a full comment, url-encoded.
	'/(app)/inspection/[assignmentId]': {
		save: { bytes: itemsMax * (inspectionCommentMax * 9 + 256) + 16 * KB, fieldChars: 2 * inspectionCommentMax }
	},
	'/(app)/inspection/improvements': { save: { ...text(planMax + assigneeMax), fieldChars: 2 * planMax } },
	'/(app)/admin/campaigns/new': { preview: lists, create: lists },
	'/(app)/admin/campaigns/[id]': { preview: lists, update: lists },
	'/(app)/admin/roster': { default: upload(rosterMaxBytes) },
	// One checkbox per unknown 所属コード offered as a new department, each code url-encoded.
	'/(app)/admin/roster/[id]': { apply: { bytes: rosterListLimit * (rosterCodeMax * 9 + 32) + 16 * KB, fieldChars: 1000 } },
	'/(app)/admin/courses/[id]': { importGift: upload(courseEditMaxBytes) },
	'/(app)/admin/courses/[id]/lesson/[lessonId]': { preview: textUpload(courseEditMaxBytes), save: textUpload(courseEditMaxBytes) },
	'/(app)/admin/courses/[id]/question/[questionId]': { preview: textUpload(courseEditMaxBytes), save: textUpload(courseEditMaxBytes) },
	// A whole checklist's items (up to 200) and its description, url-encoded.
	'/(app)/admin/inspections/[id]': { save: text(itemsTextMax + checklistDescriptionMax) },
	// A Word file or PDF of up to 20 MB, or text of up to 2 MB, with the pasted text field beside it.
	// The save names the previewed document kept on the server; it carries only the save fields.
	'/(app)/policy/import': { preview: fileOrText(policyDocumentMaxBytes, policyImportMaxBytes), save: textUpload(4 * reasonMax) },
	'/(app)/revision/[id]': {
		// A section's text from the editor without script: url-encoded.
		saveSection: text(sectionBodyMax),
		previewSection: text(sectionBodyMax),
		addSection: text(sectionBodyMax),
		saveMeta: text(reasonMax),
		submit: text(commentMax)
	},
	'/(app)/revision/[id]/review': { comment: text(commentMax), approve: text(commentMax), sendBack: text(commentMax) }
};

export function bodyLimitFor(routeId: string | null, action: string): BodyLimit {
	return (routeId && limits[routeId]?.[action]) || defaultBodyLimit;
}

/** The largest body any route takes: the server's outer bound must not be below it. */
export function largestBodyLimit(): number {
	return Math.max(defaultBodyLimit.bytes, ...Object.values(limits).flatMap((byAction) => Object.values(byAction).map((l) => l.bytes)));
}

/** The action a POST names: `?/name`, or `default`. */
export function actionName(url: URL): string {
	for (const [name] of url.searchParams) if (name.startsWith('/')) return name.slice(1) || 'default';
	return 'default';
}
