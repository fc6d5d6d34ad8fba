// The answer form as the round's page sends it: `answer-<item id>` (yes, no, na) and
// `comment-<item id>` for each item. Read before any work: unknown values and over-long comments
// are refused with the item they belong to, and what was typed goes back to the page.
import { inspectionAnswers, type InspectionAnswer } from '../db/schema';
import { isUuid } from '../db/ids';
import { withoutNul } from '../text/decode';
import { itemsMax } from './content/parse';
import { commentMax, type AnswerInput } from './rounds';

export type AnswerFormValues = Record<string, { answer: string; comment: string }>;

export type AnswerFormResult =
	| { ok: true; answers: AnswerInput[]; values: AnswerFormValues }
	| {
			ok: false;
			error: 'inspection.error.invalid' | 'inspection.error.commentTooLong' | 'inspection.error.commentWithoutAnswer';
			itemId: string | null;
			values: AnswerFormValues;
	  };

export function readAnswerForm(form: FormData): AnswerFormResult {
	const values: AnswerFormValues = {};
	for (const [name, raw] of form) {
		const m = /^(answer|comment)-(.+)$/.exec(name);
		if (!m || typeof raw !== 'string') continue;
		if (!isUuid(m[2])) return { ok: false, error: 'inspection.error.invalid', itemId: null, values: {} };
		const id = m[2].toLowerCase();
		if (!values[id]) {
			if (Object.keys(values).length >= itemsMax) return { ok: false, error: 'inspection.error.invalid', itemId: null, values: {} };
			values[id] = { answer: '', comment: '' };
		}
		if (m[1] === 'answer') values[id].answer = raw;
		else values[id].comment = withoutNul(raw).slice(0, commentMax * 2);
	}
	const answers: AnswerInput[] = [];
	for (const [itemId, v] of Object.entries(values)) {
		if (v.answer && !(inspectionAnswers as readonly string[]).includes(v.answer)) return { ok: false, error: 'inspection.error.invalid', itemId, values };
		if (v.comment.length > commentMax) return { ok: false, error: 'inspection.error.commentTooLong', itemId, values };
		if (!v.answer) {
			if (v.comment.trim()) return { ok: false, error: 'inspection.error.commentWithoutAnswer', itemId, values };
			continue;
		}
		answers.push({ itemId, answer: v.answer as InspectionAnswer, comment: v.comment });
	}
	return { ok: true, answers, values };
}
