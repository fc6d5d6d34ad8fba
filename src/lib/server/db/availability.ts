// Telling a database that is away (stopped, restarting, unreachable) from a query that is wrong,
// so the first becomes a 503 "try again shortly" and the second stays a bug report. Also the one
// log line per outage, instead of one per failed request.
import { DrizzleQueryError, sql } from 'drizzle-orm';
import type { DbOrTx } from './client';

/** Socket errors of a connection that could not be made or was cut. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is not serving: class 08 (connection exception), 57P01 admin
 * shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down),
 * 53300 too many connections.
 */
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300']);

/** What the driver says, without a code, when a connection ends under it or cannot be had in time. */
const driverMessages = [
	'Connection terminated unexpectedly',
	'Connection terminated due to connection timeout',
	'timeout exceeded when trying to connect',
	'Client has encountered a connection error and is not queryable'
];

/**
 * Whether `error` (or what it wraps: the query builder puts the driver's error in `cause`, a
 * connection to several addresses fails with all of them) means the database could not be reached.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
	if (!(error instanceof Error) || depth > 5) return false;
	const { code, syscall } = error as Error & { code?: unknown; syscall?: unknown };
	if (typeof code === 'string') {
		if (networkCodes.has(code) || serverCodes.has(code) || code.startsWith('08')) return true;
		// A Unix socket that is gone while the server is down.
		if (code === 'ENOENT' && syscall === 'connect') return true;
	}
	if (driverMessages.some((m) => error.message.startsWith(m))) return true;
	if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
	return isDatabaseUnavailable(error.cause, depth + 1);
}

/** A round trip that throws when the database is away. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
	await db.execute(sql`select 1`);
}

let outageSince: number | null = null;

/** Logs the start of an outage once; later failures of the same outage stay quiet. */
export function reportDatabaseUnavailable(error: unknown): void {
	if (outageSince !== null) return;
	outageSince = Date.now();
	console.error(`[db] database unavailable (${reasonOf(error)}): answering 503 until it is back.`);
}

/** A new connection was made: the end of an outage, if there was one. */
export function reportDatabaseConnected(): void {
	if (outageSince === null) return;
	const seconds = Math.round((Date.now() - outageSince) / 1000);
	outageSince = null;
	console.log(`[db] database reachable again after ${seconds} s.`);
}

/** The driver's message, not the query builder's "Failed query: …" with the whole SQL. */
export function reasonOf(error: unknown): string {
	let e = error;
	while (e instanceof DrizzleQueryError && e.cause instanceof Error) e = e.cause;
	if (e instanceof AggregateError && e.errors[0] instanceof Error) e = e.errors[0];
	if (!(e instanceof Error)) return String(e);
	const code = (e as Error & { code?: unknown }).code;
	return e.message || (typeof code === 'string' ? code : e.name);
}
