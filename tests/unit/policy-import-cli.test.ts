import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPolicyImport } from '../../scripts/policy-import';

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/policies/${name}`, import.meta.url));

function run(args: string[]) {
	let stdout = '';
	let stderr = '';
	const code = runPolicyImport(args, {
		stdout: (text) => (stdout += text),
		stderr: (text) => (stderr += text),
		readFile: (path) => readFileSync(path)
	});
	return { code, stdout, stderr };
}

describe('scripts/policy-import.ts', () => {
	it('--dry-run prints title and sections as pretty JSON', () => {
		const { code, stdout } = run(['--dry-run', fixturePath('youryou-sakuragawa.sjis.txt')]);
		expect(code).toBe(0);
		expect(stdout).toContain('\n  "title": "桜川町情報機器等管理要領"');
		const json = JSON.parse(stdout);
		expect(json.title).toBe('桜川町情報機器等管理要領');
		expect(json.sections[2]).toEqual({ key: '2.1', level: 2, heading: '', body: '機器の名称及び型番' });
		expect(Object.keys(json.sections[0])).toEqual(['key', 'level', 'heading', 'body']);
	});

	it('prints warnings to stderr, keeping stdout pure JSON', () => {
		const { code, stdout, stderr } = run(['--dry-run', fixturePath('youryou-sakuragawa.utf8.txt')]);
		expect(code).toBe(0);
		expect(() => JSON.parse(stdout)).not.toThrow();
		expect(stderr).toBe('');
	});

	it('exits 1 with the message on stderr when there is no structure', () => {
		const { code, stdout, stderr } = run(['--dry-run', fixturePath('no-structure-memo.txt')]);
		expect(code).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toContain('節の見出しが見つからない');
	});

	it('exits 1 on bad arguments or a missing file', () => {
		expect(run([]).code).toBe(1);
		expect(run(['--dry-run', '--force', 'x.txt']).code).toBe(1);
		expect(run(['--dry-run', fixturePath('missing.txt')])).toMatchObject({ code: 1, stderr: expect.stringContaining('missing.txt') });
	});

	it('exits 2 without --dry-run: saving needs the database layer', () => {
		const { code, stdout, stderr } = run([fixturePath('kijun-mitsumine-fullwidth.txt')]);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toContain('database');
	});

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
