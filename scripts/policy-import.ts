// Import a municipality's policy document (text or Markdown, UTF-8 or Shift_JIS).
//
//   npx tsx scripts/policy-import.ts --dry-run FILE   print the parsed sections as JSON
//
// Exit codes: 0 parsed; 1 bad arguments, unreadable file or no structure; 2 saving is not wired.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { previewPolicyImport } from '../src/lib/server/policy/import/index';

export interface CliIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	readFile: (path: string) => Uint8Array;
}

const usage = 'usage: npx tsx scripts/policy-import.ts --dry-run FILE\n';

/** The whole command, minus process handling: returns the exit code. */
export function runPolicyImport(args: readonly string[], io: CliIo): number {
	const dryRun = args.includes('--dry-run');
	const files = args.filter((a) => !a.startsWith('--'));
	const unknown = args.filter((a) => a.startsWith('--') && a !== '--dry-run');
	if (files.length !== 1 || unknown.length > 0) {
		io.stderr(usage);
		return 1;
	}
	let bytes: Uint8Array;
	try {
		bytes = io.readFile(files[0]);
	} catch (error) {
		io.stderr(`${files[0]}: ${(error as Error).message}\n`);
		return 1;
	}
	const preview = previewPolicyImport(bytes);
	if (!preview.ok) {
		io.stderr(`${preview.message}\n`);
		return 1;
	}
	for (const warning of preview.policy.warnings) io.stderr(`warning: ${warning}\n`);
	if (!dryRun) {
		io.stderr('Saving requires the database layer, which is not wired yet; use --dry-run to check the parse.\n');
		return 2;
	}
	io.stdout(preview.json);
	return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = runPolicyImport(process.argv.slice(2), {
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text),
		readFile: (path) => readFileSync(path)
	});
}
