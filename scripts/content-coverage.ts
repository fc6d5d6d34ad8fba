// Which lessons and questions cite each section of the policy in force.
//
//   npm run --silent content:coverage [-- --policy SLUG] [--content DIR]
//       from the files alone: content/courses and the policy text in content/policies
//       (no database, no running app)
//   npm run --silent content:coverage -- --db [--org ORG] [--policy SLUG]
//       from the database (active lessons and questions), as the app sees them
//
// Prints { policy, version, sections: [{ key, label, heading, lessons, questions }] } as JSON,
// sections in document order. Without --policy, the policy the courses cite. Content errors
// (format, unknown section keys) go to stderr.
//
// Exit codes: 0 done; 1 bad arguments, content errors, or no such policy or organisation.
import { pathToFileURL } from 'node:url';
import { CliError, readOptions, withOrganization, type ContentCliIo } from '../src/lib/server/learning/content/cli-db';
import { contentCoverage, courseCoverage, type CoverageReport } from '../src/lib/server/learning/content/coverage';
import { formatContentError } from '../src/lib/server/text/labelled';
import { defaultContentDir } from '../src/lib/server/policy/content';

const usage = `usage: npm run --silent content:coverage [-- --policy SLUG] [--content DIR]
       npm run --silent content:coverage -- --db [--org ORG] [--policy SLUG]
`;

const options = {
	db: { type: 'boolean' },
	org: { type: 'string' },
	policy: { type: 'string' },
	content: { type: 'string' },
	help: { type: 'boolean' }
} as const;

export async function runContentCoverage(args: readonly string[], io: ContentCliIo): Promise<number> {
	const values = readOptions(args, options, usage, io, (v) => {
		if (!v.db && v.org !== undefined) throw new CliError('--org applies with --db only');
	});
	if (typeof values === 'number') return values;
	let report: CoverageReport | null;
	let failed = false;
	try {
		if (values.db) report = await withOrganization(io, values.org, (db, org) => courseCoverage(db, org.id, values.policy));
		else {
			const found = contentCoverage(values.content ?? defaultContentDir, values.policy);
			for (const e of found.errors) io.stderr(`${formatContentError(e)}\n`);
			failed = found.errors.length > 0;
			report = found.report;
		}
	} catch (error) {
		io.stderr(`${error instanceof CliError ? '' : 'error: '}${(error as Error).message}\n`);
		return 1;
	}
	if (!report) {
		io.stderr(values.policy ? `there is no policy "${values.policy}"\n` : 'no course cites a policy\n');
		return 1;
	}
	io.stdout(`${JSON.stringify(report, null, 2)}\n`);
	return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = await runContentCoverage(process.argv.slice(2), {
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text)
	});
}
