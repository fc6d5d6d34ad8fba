import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runContentCoverage } from '../../scripts/content-coverage';
import { coverageFromContent, thinSections, type CoverageReport } from '../../src/lib/server/learning/content/coverage';
import { formatContentError } from '../../src/lib/server/text/labelled';
import { policyInForceFromContent } from '../../src/lib/server/learning/content/policy-sections';
import { readCourseDir } from '../../src/lib/server/learning/content/read-course';

describe('coverageFromContent', () => {
	const sections = [
		{ key: '1', label: '1', heading: '目的' },
		{ key: '2', label: '2', heading: '定義' },
		{ key: '2.1', label: '(1)', heading: 'ネットワーク' }
	];
	const course = (slug: string, lessonKeys: string[][], questionKeys: string[][]) => ({
		course: { slug },
		lessons: lessonKeys.map((sectionKeys, i) => ({ slug: `0${i + 1}-l`, title: `L${i + 1}`, sectionKeys })),
		questions: questionKeys.map((sectionKeys, i) => ({ slug: `q${i + 1}`, sectionKeys }))
	});

	it('lists, for each section in document order, the lessons and questions citing exactly its key', () => {
		const coverage = coverageFromContent(sections, [course('b', [['2.1']], [['1', '2.1']]), course('a', [['1', '2']], [['9.9'], ['2.1']])]);
		expect(coverage).toEqual([
			{
				key: '1',
				label: '1',
				heading: '目的',
				lessons: [{ course: 'a', slug: '01-l', title: 'L1' }],
				questions: [{ course: 'b', slug: 'q1' }]
			},
			{ key: '2', label: '2', heading: '定義', lessons: [{ course: 'a', slug: '01-l', title: 'L1' }], questions: [] },
			{
				key: '2.1',
				label: '(1)',
				heading: 'ネットワーク',
				lessons: [{ course: 'b', slug: '01-l', title: 'L1' }],
				questions: [
					{ course: 'a', slug: 'q2' },
					{ course: 'b', slug: 'q1' }
				]
			}
		]);
		expect(thinSections(coverage, 'questions', 2).map((s) => s.key)).toEqual(['1', '2']);
	});
});

// THE CHECK: the all-staff course tests every section of the policy in force at least twice and
// teaches all ten top-level sections. A failure names the sections that fall short.
describe('coverage of 基本方針 by the all-staff course', () => {
	const policy = policyInForceFromContent('content', 'basic-policy')!;
	const { course, errors } = readCourseDir('content/courses/basic-policy-training');
	const coverage = coverageFromContent(policy.sections, course ? [course] : []);

	it('reads the course and the policy in force', () => {
		expect(errors.map(formatContentError)).toEqual([]);
		expect(policy.version).toBe('5.0');
		expect(course!.course.policy).toBe('basic-policy');
	});

	it('has at least two questions for every section key of the policy', () => {
		const thin = thinSections(coverage, 'questions', 2).map((s) => `${s.key} ${s.heading} (${s.questions.length})`);
		expect(thin, `sections with fewer than two questions: ${thin.join(', ')}`).toEqual([]);
	});

	it('has lessons covering all ten top-level sections', () => {
		const top = policy.sections.filter((s) => s.level === 1);
		expect(top).toHaveLength(10);
		const taught = (key: string) => coverage.some((s) => (s.key === key || s.key.startsWith(`${key}.`)) && s.lessons.length > 0);
		const untaught = top.filter((s) => !taught(s.key)).map((s) => `${s.key} ${s.heading}`);
		expect(untaught, `top-level sections no lesson teaches: ${untaught.join(', ')}`).toEqual([]);
	});
});

describe('npm run content:coverage', () => {
	async function run(args: string[]) {
		let stdout = '';
		let stderr = '';
		const code = await runContentCoverage(args, {
			stdout: (t) => (stdout += t),
			stderr: (t) => (stderr += t),
			openDb: () => Promise.reject(new Error('no database in unit tests'))
		});
		return { code, stdout, stderr };
	}

	it('prints the coverage of the policy the courses cite, from the files alone', async () => {
		const { code, stdout, stderr } = await run([]);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const report = JSON.parse(stdout) as CoverageReport;
		expect(report.policy).toBe('basic-policy');
		expect(report.version).toBe('5.0');
		expect(report.sections[0]).toMatchObject({ key: '1', label: '1', heading: '目的' });
		expect(report.sections.find((s) => s.key === '6.3.2')!.label).toBe('②');
		// Both courses cite 基本方針.
		expect(new Set(report.sections.flatMap((s) => s.questions.map((q) => q.course)))).toEqual(new Set(['basic-policy-training', 'contractor-basics']));
		expect(stdout).toContain('"heading": "目的"');
	});

	it('exits 1 listing unknown section keys and format errors, with file and line', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mamori-coverage-'));
		cpSync('content', dir, { recursive: true });
		const questions = path.join(dir, 'courses/contractor-basics/questions.md');
		writeFileSync(questions, readFileSync(questions, 'utf8').replace('sections: ', 'sections: 99.1, '));
		const lesson = path.join(dir, 'courses/basic-policy-training/lessons/01-purpose-and-cia.md');
		writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('title: ', 'titel: '));
		const { code, stdout, stderr } = await run(['--content', dir]);
		expect(code).toBe(1);
		expect(stderr).toContain('01-purpose-and-cia.md:2: unexpected line in the front matter');
		expect(stderr).toMatch(/contractor-basics\/questions\.md:3: question "[a-z-]+" cites 99\.1, not a section of basic-policy 第5\.0版/);
		expect(JSON.parse(stdout).policy).toBe('basic-policy');
	});

	it('refuses bad arguments and unknown policies', async () => {
		expect((await run(['--org', 'x'])).code).toBe(1);
		expect((await run(['--nope'])).code).toBe(1);
		expect(await run(['--policy', 'no-such-policy'])).toMatchObject({ code: 1, stderr: 'there is no policy "no-such-policy"\n' });
		expect(await run(['--db'])).toMatchObject({ code: 1, stderr: 'error: no database in unit tests\n' });
	});
});
