// The jobs that run on the text worker (off-thread.ts): pure functions of text, nothing that
// needs the database.
import { renderEach } from '../policy/render';

export const offThreadTasks = {
	'markdown.render': (texts: string[]) => renderEach(texts),
	/** A job that never ends, for the tests of the time budget. */
	'test.spin': (ms: number) => {
		const until = Date.now() + ms;
		while (Date.now() < until);
		return ms;
	}
};
export type OffThreadTasks = typeof offThreadTasks;
