import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPolicyImport } from '../../scripts/policy-import';

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/policies/${name}`, import.meta.url));

async function run(args: string[]) {
	let stdout = '';
	let stderr = '';
	let opened = false;
	const code = await runPolicyImport(args, {
		stdout: (text) => (stdout += text),
		stderr: (text) => (stderr += text),
		readFile: (path) => readFileSync(path),
		openDb: async () => {
			opened = true;
			throw new Error('no database in unit tests');
		}
	});
	return { code, stdout, stderr, opened };
}

describe('scripts/policy-import.ts', () => {
	it('--dry-run prints title and sections as pretty JSON', async () => {
		const { code, stdout, opened } = await run(['--dry-run', fixturePath('youryou-sakuragawa.sjis.txt')]);
		expect(code).toBe(0);
		expect(stdout).toContain('\n  "title": "桜川町情報機器等管理要領"');
		const json = JSON.parse(stdout);
		expect(json.title).toBe('桜川町情報機器等管理要領');
		expect(json.sections[2]).toEqual({ key: '2.1', level: 2, label: '①', heading: '', body: '機器の名称及び型番' });
		expect(Object.keys(json.sections[0])).toEqual(['key', 'level', 'label', 'heading', 'body']);
		expect(opened).toBe(false);
	});

	it('prints warnings to stderr, keeping stdout pure JSON', async () => {
		const { code, stdout, stderr } = await run(['--dry-run', fixturePath('youryou-sakuragawa.utf8.txt')]);
		expect(code).toBe(0);
		expect(() => JSON.parse(stdout)).not.toThrow();
		expect(stderr).toBe('');
	});

	it('exits 1 with the message on stderr when there is no structure', async () => {
		const { code, stdout, stderr } = await run(['--dry-run', fixturePath('no-structure-memo.txt')]);
		expect(code).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toContain('節の見出しが見つからない');
	});

	it('exits 1 on bad arguments or a missing file', async () => {
		expect((await run([])).code).toBe(1);
		expect((await run(['--dry-run', '--force', 'x.txt'])).code).toBe(1);
		expect(await run(['--dry-run', fixturePath('missing.txt')])).toMatchObject({ code: 1, stderr: expect.stringContaining('missing.txt') });
	});

	it('checks the save options before reading the file or opening the database', async () => {
		const file = fixturePath('kijun-mitsumine-fullwidth.txt');
		const cases: [string[], string][] = [
			[[file], '--slug SLUG'],
			[[file, '--slug', 'kijun', '--draft-of', 'kijun'], 'not both'],
			[[file, '--draft-of', 'kijun'], '--draft-of needs --version'],
			[[file, '--draft-of', 'kijun', '--version', '5.1', '--publish'], 'new policy only'],
			[[file, '--slug', 'kijun', '--kind', 'revised'], '--kind must be'],
			[[file, 'other.txt', '--slug', 'kijun'], 'one FILE']
		];
		for (const [args, message] of cases) {
			const result = await run(args);
			expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '', opened: false });
			expect(result.stderr).toContain(message);
			expect(result.stderr).toContain('usage:');
		}
	});

	it('does not open the database for a file without structure', async () => {
		expect(await run([fixturePath('no-structure-memo.txt'), '--slug', 'memo'])).toMatchObject({ code: 1, opened: false });
	});

	it('reports a database that cannot be opened on stderr with exit code 1', async () => {
		const { code, stdout, stderr, opened } = await run([fixturePath('kijun-mitsumine-fullwidth.txt'), '--slug', 'kijun']);
		expect({ code, stdout, opened }).toEqual({ code: 1, stdout: '', opened: true });
		expect(stderr).toContain('no database in unit tests');
	});

	it('reads a Word file and a PDF given as FILE, and refuses a scanned PDF with its message', async () => {
		const document = (name: string) => fileURLToPath(new URL(`../fixtures/policy-documents/${name}`, import.meta.url));
		const text = JSON.parse((await run(['--dry-run', document('youkou-minamisawa.txt')])).stdout);
		for (const name of ['youkou-minamisawa.docx', 'youkou-minamisawa.pdf']) {
			const { code, stdout, stderr } = await run(['--dry-run', document(name)]);
			expect({ code, stderr }, name).toEqual({ code: 0, stderr: '' });
			expect(JSON.parse(stdout), name).toEqual(text);
		}
		expect(text.sections[2]).toEqual({ key: '2.1', level: 2, label: '', heading: '情報システム', body: expect.stringContaining('をいう。') });
		const scanned = await run(['--dry-run', document('scanned.pdf')]);
		expect(scanned).toMatchObject({ code: 1, stdout: '', opened: false });
		expect(scanned.stderr).toContain('スキャンした画像で、文字を読み取れません');
	}, 30_000);

	it('runs as a command under tsx', () => {
		const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
		const script = fileURLToPath(new URL('../../scripts/policy-import.ts', import.meta.url));
		const ok = spawnSync(tsx, [script, '--dry-run', fixturePath('kijun-mitsumine-fullwidth.txt')], { encoding: 'utf-8' });
		expect(ok.status).toBe(0);
		expect(JSON.parse(ok.stdout).sections).toHaveLength(28);
		const failed = spawnSync(tsx, [script, '--dry-run', fixturePath('no-structure-memo.txt')], { encoding: 'utf-8' });
		expect(failed.status).toBe(1);
	}, 30_000);
});
