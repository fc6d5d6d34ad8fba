// Runs one of the project's commands (scripts/*.ts) the way a person would, in its own process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** `tsx scripts/<script> ...args` from the project's root, with `env` added to this process's. */
export async function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, [tsx, `scripts/${script}`, ...args], {
			cwd: root,
			env: { ...process.env, ...env },
			encoding: 'utf-8'
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}
