// Reads content/courses/<slug>/ from disk into parsed courses, with every error of every file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { shownPath, type ContentError } from '../../text/labelled';
import { parseCourseJson, parseLesson, parseQuestions, type CourseMeta, type ParsedLesson, type ParsedQuestion } from './parse-course';

export interface ParsedCourse {
	course: CourseMeta;
	/** In file-name order. */
	lessons: ParsedLesson[];
	/** In file order. */
	questions: ParsedQuestion[];
	/** File names as messages show them. */
	files: { course: string; questions: string; lessons: Record<string, string> };
}

export function readCourseDir(dir: string): { course: ParsedCourse | null; errors: ContentError[] } {
	const errors: ContentError[] = [];
	const files = { course: shownPath(path.join(dir, 'course.json')), questions: shownPath(path.join(dir, 'questions.md')), lessons: {} as Record<string, string> };
	if (!existsSync(path.join(dir, 'course.json'))) {
		return { course: null, errors: [{ file: files.course, line: 0, message: 'missing: every course folder needs a course.json' }] };
	}
	const meta = parseCourseJson(readFileSync(path.join(dir, 'course.json'), 'utf8'), files.course);
	errors.push(...meta.errors);
	if (meta.value && meta.value.slug !== path.basename(dir)) {
		errors.push({ file: files.course, line: 0, message: `"slug" is "${meta.value.slug}" but the folder is ${path.basename(dir)}; they must be the same` });
	}

	const lessons: ParsedLesson[] = [];
	const lessonDir = path.join(dir, 'lessons');
	if (existsSync(lessonDir)) {
		const names = readdirSync(lessonDir)
			.filter((n) => n.endsWith('.md'))
			.sort();
		for (const name of names) {
			const file = shownPath(path.join(lessonDir, name));
			const lesson = parseLesson(readFileSync(path.join(lessonDir, name), 'utf8'), file);
			errors.push(...lesson.errors);
			if (lesson.value) {
				lessons.push(lesson.value);
				files.lessons[lesson.value.slug] = file;
			}
		}
	}

	let questions: ParsedQuestion[] = [];
	if (existsSync(path.join(dir, 'questions.md'))) {
		const parsed = parseQuestions(readFileSync(path.join(dir, 'questions.md'), 'utf8'), files.questions);
		errors.push(...parsed.errors);
		questions = parsed.value;
	}
	if (meta.value && !errors.length && meta.value.drawCount > questions.length) {
		errors.push({ file: files.course, line: 0, message: `"drawCount" is ${meta.value.drawCount} but questions.md holds ${questions.length} questions` });
	}
	if (!meta.value || errors.length) return { course: null, errors };
	return { course: { course: meta.value, lessons, questions, files }, errors };
}

/** Every course folder under <contentDir>/courses, in folder-name order. */
export function readCourses(contentDir: string): { courses: ParsedCourse[]; errors: ContentError[] } {
	const dir = path.join(contentDir, 'courses');
	if (!existsSync(dir)) return { courses: [], errors: [] };
	const courses: ParsedCourse[] = [];
	const errors: ContentError[] = [];
	const names = readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name)
		.sort();
	for (const name of names) {
		const read = readCourseDir(path.join(dir, name));
		errors.push(...read.errors);
		if (read.course) courses.push(read.course);
	}
	return { courses, errors };
}

/** Keys cited by lessons and questions that the policy does not have. */
export function unknownSectionKeys(course: ParsedCourse, policyKeys: ReadonlySet<string>, policyLabel: string): ContentError[] {
	const errors: ContentError[] = [];
	const check = (keys: readonly string[], file: string, line: number, what: string) => {
		const unknown = keys.filter((k) => !policyKeys.has(k));
		if (unknown.length) errors.push({ file, line, message: `${what} cites ${unknown.join(', ')}, not a section of ${policyLabel}` });
	};
	for (const l of course.lessons) check(l.sectionKeys, course.files.lessons[l.slug], l.sectionsLine, 'the lesson');
	for (const q of course.questions) check(q.sectionKeys, course.files.questions, q.sectionsLine, `question "${q.slug}"`);
	return errors;
}
