// Log lines carry no unbounded request data: a path or an error (whose message may hold a failed
// query's parameters, typed by anyone) is cut to a bounded length, control characters shown as `?`
// so a line cannot forge another.

const pathMax = 200;
const lineMax = 300;
const linesMax = 30;

function printable(text: string): string {
	return text.replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, '?');
}

function cut(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…(${text.length - max} more)` : text;
}

export function pathForLog(path: string): string {
	return cut(printable(path), pathMax);
}

/** An error's stack (or message) and its cause's, at most 30 lines of at most 300 characters. */
export function errorForLog(error: unknown): string {
	const text = (e: unknown) => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
	let all = text(error);
	const cause = error instanceof Error ? error.cause : undefined;
	if (cause !== undefined) all += `\ncause: ${text(cause)}`;
	const lines = all.split('\n').map((line) => cut(printable(line), lineMax));
	return lines.length > linesMax ? [...lines.slice(0, linesMax), `…(${lines.length - linesMax} more lines)`].join('\n') : lines.join('\n');
}
