// What the content commands share: their options, and the database and organisation they work
// on outside the running app.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { asc, eq } from 'drizzle-orm';
import { createDb, type Db, type DbHandle } from '../../db/client';
import { migrate } from '../../db/migrate';
import { organizations } from '../../db/schema';

export interface ContentCliIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** The database to use; by default the app's own, migrated. */
	openDb?: () => Promise<DbHandle>;
}

/** A mistake of the person running the command: shown without a stack. */
export class CliError extends Error {}

/** The app's own database (DATABASE_URL, else the embedded one in PGLITE_DIR), migrated. */
export async function openAppDb(env: Record<string, string | undefined> = process.env): Promise<DbHandle> {
	const handle = await createDb({ url: env.DATABASE_URL || undefined, dataDir: env.PGLITE_DIR || 'data/pglite' });
	try {
		await migrate(handle);
	} catch (error) {
		await handle.close();
		throw error;
	}
	return handle;
}

/** The organisation named by --org, or the only one in the database. */
export async function findOrganization(db: Db, slug: string | undefined) {
	if (slug !== undefined) {
		const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
		if (!org) throw new CliError(`--org: there is no organisation "${slug}"`);
		return org;
	}
	const all = await db.select().from(organizations).orderBy(asc(organizations.createdAt));
	if (all.length === 0) throw new CliError('the database holds no organisation yet: start the app once, or create one first');
	// Guessing among several could write one municipality's courses into another's.
	if (all.length > 1) throw new CliError(`the database holds several organisations; choose one with --org (${all.map((o) => o.slug).join(', ')})`);
	return all[0];
}

type Options = NonNullable<ParseArgsConfig['options']>;
export type OptionValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O }>>['values'];

/**
 * The options given, or the exit code when the command has nothing more to do: 0 after --help,
 * 1 after a bad option (the message and the usage go to stderr).
 */
export function readOptions<O extends Options>(
	args: readonly string[],
	options: O,
	usage: string,
	io: ContentCliIo,
	check: (values: OptionValues<O>) => void = () => {}
): OptionValues<O> | number {
	try {
		const { values } = parseArgs({ args: [...args], options, strict: true });
		// Every command has --help; the generic type cannot see it.
		if ((values as { help?: boolean }).help) {
			io.stdout(usage);
			return 0;
		}
		check(values);
		return values;
	} catch (error) {
		io.stderr(`${(error as Error).message}\n${usage}`);
		return 1;
	}
}

/** Runs `work` on the database for the organisation named by --org, closing the database after. */
export async function withOrganization<T>(io: ContentCliIo, orgSlug: string | undefined, work: (db: Db, org: { id: string; slug: string }) => Promise<T>): Promise<T> {
	const handle = await (io.openDb ?? openAppDb)();
	try {
		return await work(handle.db, await findOrganization(handle.db, orgSlug));
	} finally {
		await handle.close();
	}
}
