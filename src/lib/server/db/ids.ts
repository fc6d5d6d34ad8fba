// What every domain asks of ids and keys before and after it queries.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL rejects a malformed uuid with an error; callers treat it as "not found" instead. */
export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && uuidPattern.test(value);
}

/** True for a unique-key violation, whether or not drizzle wrapped the driver's error. */
export function isUniqueViolation(err: unknown): boolean {
	const e = err as { code?: string; cause?: { code?: string } } | null;
	return e?.code === '23505' || e?.cause?.code === '23505';
}
