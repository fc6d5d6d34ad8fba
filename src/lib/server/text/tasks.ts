// The jobs that run on the text worker (off-thread.ts): pure functions of text or of a file's
// bytes, nothing that needs the database.
import { renderEach } from '../policy/render';
import { checkRosterFile } from '../org/roster/plan';
import { parsePolicyText } from '../policy/import/parse';
import { readPolicyDocument } from '../policy/import/files';
import { importGift } from '../learning/gift';
import { parseQuestions } from '../learning/content/parse-course';
import { parseInspectionItems } from '../inspection/content/parse';

export const offThreadTasks = {
	'markdown.render': (texts: string[]) => renderEach(texts),
	'roster.check': (input: Parameters<typeof checkRosterFile>[0]) => checkRosterFile(input),
	'policy.parse': (text: string) => parsePolicyText(text),
	'policy.parseParagraphs': (text: string) => parsePolicyText(text, { paragraphLines: true }),
	/** A Word file or a PDF → text: asynchronous, within the job's time budget like the others. */
	'policy.readDocument': (input: Parameters<typeof readPolicyDocument>[0]) => readPolicyDocument(input),
	'gift.import': (text: string) => importGift(text),
	'questions.parse': (text: string) => parseQuestions(text, 'question'),
	/** A checklist's items as the editor posts them. */
	'inspection.parse': (text: string) => parseInspectionItems(text, 'items'),
	/** A job that never ends, for the tests of the time budget. */
	'test.spin': (ms: number) => {
		const until = Date.now() + ms;
		while (Date.now() < until);
		return ms;
	}
};
export type OffThreadTasks = typeof offThreadTasks;
