// Import a municipality's policy document: text or Markdown (UTF-8 or Shift_JIS), Word (.docx) or
// a PDF with text. The kind is told by the file's first bytes and its name.
//
//   npm run --silent policy:import -- --dry-run FILE
//       print the structure found as JSON; nothing is saved
//   npm run --silent policy:import -- FILE --slug SLUG [--title TITLE] [--version 5.0] [--kind KIND]
//                                          [--reason TEXT] [--publish] [--org ORG]
//       save as a new policy; older 改訂履歴 rows of the document become history without text.
//       With --publish the version is in force, else a draft. The version defaults to the
//       last history row's (else 1.0), the title to the document's.
//   npm run --silent policy:import -- FILE --draft-of POLICY_SLUG --version 5.1 [--kind KIND] [--reason TEXT] [--org ORG]
//       save as the draft of a new version of an existing policy
//
// KIND is enacted (新規制定), partial (一部改訂) or full (全部改訂). ORG is the organisation's slug;
// it may be left out when the database holds one organisation. The database is DATABASE_URL, else
// the embedded one in PGLITE_DIR (default data/pglite): stop the app first in that case, as the
// embedded database admits one process at a time.
//
// Exit codes: 0 done; 1 bad arguments, unreadable file (a scanned PDF, a damaged Word file), no
// structure, or the save was refused.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { and, asc, eq } from 'drizzle-orm';
import { createDb, type Db, type DbHandle } from '../src/lib/server/db/client';
import { migrate } from '../src/lib/server/db/migrate';
import { changeKinds, organizations, policies, type ChangeKind } from '../src/lib/server/db/schema';
import { translate, type MessageKey } from '../src/lib/i18n/core';
import { previewPolicyFile, type ParsedPolicy } from '../src/lib/server/policy/import/index';
import { savePolicyImport, type ImportField, type ImportTarget } from '../src/lib/server/policy/save-import';

export interface CliIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	readFile: (path: string) => Uint8Array;
	/** The database to save into; by default the app's own, migrated. */
	openDb?: () => Promise<DbHandle>;
}

const usage = `usage: npm run --silent policy:import -- --dry-run FILE
       npm run --silent policy:import -- FILE --slug SLUG [--title TITLE] [--version V] [--kind enacted|partial|full] [--reason TEXT] [--publish] [--org ORG]
       npm run --silent policy:import -- FILE --draft-of POLICY_SLUG --version V [--kind enacted|partial|full] [--reason TEXT] [--org ORG]
`;

const options = {
	'dry-run': { type: 'boolean' },
	help: { type: 'boolean' },
	org: { type: 'string' },
	slug: { type: 'string' },
	title: { type: 'string' },
	version: { type: 'string' },
	kind: { type: 'string' },
	reason: { type: 'string' },
	publish: { type: 'boolean' },
	'draft-of': { type: 'string' }
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** The option that set the field a refusal names. */
const optionOf: Record<ImportField, string> = { slug: '--slug', title: '--title', version: '--version', policy: '--draft-of' };

class CliError extends Error {}

/** Checks the save options before anything is read, so a typo costs nothing. */
function checkSaveOptions(o: Options): void {
	if ((o.slug === undefined) === (o['draft-of'] === undefined)) {
		throw new CliError('give --slug SLUG to save a new policy, or --draft-of POLICY_SLUG to save a draft of a new version (not both)');
	}
	if (o['draft-of'] !== undefined && !o.version) throw new CliError('--draft-of needs --version, such as --version 5.1');
	if (o['draft-of'] !== undefined && (o.publish || o.title !== undefined)) throw new CliError('--publish and --title apply to a new policy only');
	if (o.kind !== undefined && !(changeKinds as readonly string[]).includes(o.kind)) throw new CliError('--kind must be enacted, partial or full');
}

async function openAppDb(): Promise<DbHandle> {
	const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.PGLITE_DIR || 'data/pglite' });
	try {
		await migrate(handle);
	} catch (error) {
		await handle.close();
		throw error;
	}
	return handle;
}

async function findOrganization(db: Db, slug: string | undefined) {
	if (slug !== undefined) {
		const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
		if (!org) throw new CliError(`--org: there is no organisation "${slug}"`);
		return org;
	}
	const all = await db.select().from(organizations).orderBy(asc(organizations.createdAt));
	if (all.length === 0) throw new CliError('the database holds no organisation yet: start the app once, or create one first');
	// Several municipalities share this database: guessing one could put the policy in the wrong one.
	if (all.length > 1) throw new CliError(`the database holds several organisations; choose one with --org (${all.map((o) => o.slug).join(', ')})`);
	return all[0];
}

async function targetFor(db: Db, orgId: string, o: Options, parsed: ParsedPolicy): Promise<ImportTarget> {
	const changeKind = o.kind as ChangeKind | undefined;
	if (o.slug !== undefined) {
		return { mode: 'new', slug: o.slug, title: o.title ?? parsed.title, version: o.version ?? '', changeKind, reason: o.reason, publish: o.publish ?? false };
	}
	const slug = o['draft-of'] ?? '';
	const [policy] = await db
		.select({ id: policies.id })
		.from(policies)
		.where(and(eq(policies.orgId, orgId), eq(policies.slug, slug)));
	if (!policy) throw new CliError(`--draft-of: there is no policy "${slug}" in this organisation`);
	return { mode: 'draft', policyId: policy.id, version: o.version ?? '', changeKind: changeKind ?? 'partial', reason: o.reason ?? '' };
}

async function save(o: Options, parsed: ParsedPolicy, io: CliIo): Promise<number> {
	const handle = await (io.openDb ?? openAppDb)();
	try {
		const org = await findOrganization(handle.db, o.org);
		const target = await targetFor(handle.db, org.id, o, parsed);
		// No person runs the command: the audit event records the organisation and no actor.
		const result = await savePolicyImport(handle.db, { orgId: org.id, personId: null, ip: null }, parsed, target);
		if (!result.ok) {
			io.stderr(`${optionOf[result.field]}: ${translate('ja', `policyImport.error.${result.problem}` as MessageKey, result.params)}\n`);
			return 1;
		}
		const saved = {
			organisation: org.slug,
			policy: result.slug,
			version: result.version,
			status: result.status,
			sections: result.sections,
			history: result.historyVersions,
			path: result.status === 'published' ? `/policy/${result.slug}` : `/policy/${result.slug}/v/${result.version}`
		};
		io.stdout(`${JSON.stringify(saved, null, 2)}\n`);
		return 0;
	} finally {
		await handle.close();
	}
}

/** The whole command, minus process handling: resolves to the exit code. */
export async function runPolicyImport(args: readonly string[], io: CliIo): Promise<number> {
	let o: Options;
	let files: string[];
	try {
		({ values: o, positionals: files } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }));
		if (o.help) {
			io.stdout(usage);
			return 0;
		}
		if (files.length !== 1) throw new CliError(files.length === 0 ? 'no FILE given' : 'give one FILE');
		if (!o['dry-run']) checkSaveOptions(o);
	} catch (error) {
		io.stderr(`${(error as Error).message}\n${usage}`);
		return 1;
	}
	let bytes: Uint8Array;
	try {
		bytes = io.readFile(files[0]);
	} catch (error) {
		io.stderr(`${files[0]}: ${(error as Error).message}\n`);
		return 1;
	}
	const preview = await previewPolicyFile(bytes, files[0]);
	if (!preview.ok) {
		io.stderr(`${preview.message}\n`);
		return 1;
	}
	for (const warning of preview.policy.warnings) io.stderr(`warning: ${warning}\n`);
	if (o['dry-run']) {
		io.stdout(preview.json);
		return 0;
	}
	try {
		return await save(o, preview.policy, io);
	} catch (error) {
		io.stderr(`${error instanceof CliError ? '' : 'error: '}${(error as Error).message}\n`);
		return 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = await runPolicyImport(process.argv.slice(2), {
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text),
		readFile: (path) => readFileSync(path)
	});
}
