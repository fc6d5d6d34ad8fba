// Load the organisation's courses (content/courses) and self-inspection checklists
// (content/inspections) into the database.
//
//   npm run --silent content:sync -- [--org ORG] [--content DIR]
//
// Prints one summary a course (and one a checklist) as JSON: lessons and questions added, updated and unchanged, and
// those deactivated because they left the content. Nothing is written when any file has an error;
// every error is listed with its file and line. ORG is the organisation's slug; it may be left out
// when the database holds one. The database is DATABASE_URL, else the embedded one in PGLITE_DIR
// (default data/pglite): stop the app first in that case, as it admits one process at a time.
//
// Exit codes: 0 done; 1 bad arguments, content errors, or no such organisation.
import { pathToFileURL } from 'node:url';
import { CliError, readOptions, withOrganization, type ContentCliIo } from '../src/lib/server/learning/content/cli-db';
import { ContentErrors } from '../src/lib/server/text/labelled';
import { syncCourseContent } from '../src/lib/server/learning/content/sync';
import { syncInspectionContent } from '../src/lib/server/inspection/content/sync';
import { defaultContentDir } from '../src/lib/server/policy/content';

const usage = 'usage: npm run --silent content:sync -- [--org ORG] [--content DIR]\n';

const options = { org: { type: 'string' }, content: { type: 'string' }, help: { type: 'boolean' } } as const;

export async function runContentSync(args: readonly string[], io: ContentCliIo): Promise<number> {
	const values = readOptions(args, options, usage, io);
	if (typeof values === 'number') return values;
	try {
		const printed = await withOrganization(io, values.org, async (db, org) => ({
			organisation: org.slug,
			courses: await syncCourseContent(db, org.id, values.content ?? defaultContentDir),
			// Checklists cite the policy too; they load after the courses, each in its own transaction.
			checklists: await syncInspectionContent(db, org.id, values.content ?? defaultContentDir)
		}));
		io.stdout(`${JSON.stringify(printed, null, 2)}\n`);
		return 0;
	} catch (error) {
		const known = error instanceof CliError || error instanceof ContentErrors;
		io.stderr(`${known ? '' : 'error: '}${(error as Error).message}\n`);
		return 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = await runContentSync(process.argv.slice(2), {
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text)
	});
}
