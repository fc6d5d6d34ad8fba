/**
 * A refusal or failure that the person running a command can act on, said in Japanese and
 * English; the message holds both, one line each (and any detail after), for the terminal.
 */
export class OperatorError extends Error {
	constructor(
		readonly ja: string,
		readonly en: string,
		/** What a tool said, shown after both. */
		readonly detail = ''
	) {
		super(`${ja}\n${en}${detail ? `\n${detail}` : ''}`);
	}
}
