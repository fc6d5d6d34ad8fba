// Which lessons and questions cite each section of a policy: the check that every section is
// taught and tested, from the content files or from the database.
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { courses, lessons, policies, questions } from '../../db/schema';
import type { ContentError } from '../../text/labelled';
import { policyInForce, policyInForceFromContent } from './policy-sections';
import { readCourses, unknownSectionKeys } from './read-course';

export interface SectionHead {
	key: string;
	label: string;
	heading: string;
}

export interface SectionCoverage extends SectionHead {
	lessons: { course: string; slug: string; title: string }[];
	questions: { course: string; slug: string }[];
}

export interface CoverageReport {
	policy: string;
	/** The version in force; null when the policy has none. */
	version: string | null;
	sections: SectionCoverage[];
}

/** What coverage needs of a course: parsed files and database rows both fit. */
export interface CoverageCourse {
	course: { slug: string };
	lessons: readonly { slug: string; title: string; sectionKeys: readonly string[] }[];
	questions: readonly { slug: string; sectionKeys: readonly string[] }[];
}

/** For each section, in the order given (document order), the lessons and questions citing its key. */
export function coverageFromContent(policySections: readonly SectionHead[], courseList: readonly CoverageCourse[]): SectionCoverage[] {
	const bySection = new Map<string, SectionCoverage>(
		policySections.map((s) => [s.key, { key: s.key, label: s.label, heading: s.heading, lessons: [], questions: [] }])
	);
	// Courses by slug, so files and database give the same order.
	const sorted = [...courseList].sort((a, b) => (a.course.slug < b.course.slug ? -1 : a.course.slug > b.course.slug ? 1 : 0));
	for (const c of sorted) {
		for (const l of c.lessons) {
			for (const key of l.sectionKeys) bySection.get(key)?.lessons.push({ course: c.course.slug, slug: l.slug, title: l.title });
		}
		for (const q of c.questions) {
			for (const key of q.sectionKeys) bySection.get(key)?.questions.push({ course: c.course.slug, slug: q.slug });
		}
	}
	return [...bySection.values()];
}

/** The policy the organisation's courses cite (the first in the policy order when several). */
async function linkedPolicySlug(db: DbOrTx, orgId: string): Promise<string | null> {
	const [row] = await db
		.select({ slug: policies.slug })
		.from(courses)
		.innerJoin(policies, eq(policies.id, courses.policyId))
		.where(eq(courses.orgId, orgId))
		.orderBy(asc(policies.sortOrder), asc(policies.slug))
		.limit(1);
	return row?.slug ?? null;
}

/**
 * Coverage of the policy in force over the active lessons and questions of the courses linked to
 * it. Without a slug, the policy the courses cite. Null when there is no such policy.
 */
export async function courseCoverage(db: DbOrTx, orgId: string, policySlug?: string): Promise<CoverageReport | null> {
	const slug = policySlug ?? (await linkedPolicySlug(db, orgId));
	if (!slug) return null;
	const found = await policyInForce(db, orgId, slug);
	if (!found) return null;
	const linked = await db
		.select({ id: courses.id, slug: courses.slug })
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.policyId, found.policy.id)));
	const courseList: CoverageCourse[] = [];
	for (const c of linked) {
		courseList.push({
			course: { slug: c.slug },
			lessons: await db
				.select({ slug: lessons.slug, title: lessons.title, sectionKeys: lessons.sectionKeys })
				.from(lessons)
				.where(and(eq(lessons.courseId, c.id), eq(lessons.active, true)))
				.orderBy(asc(lessons.position)),
			questions: await db
				.select({ slug: questions.slug, sectionKeys: questions.sectionKeys })
				.from(questions)
				.where(and(eq(questions.courseId, c.id), eq(questions.active, true)))
				.orderBy(asc(questions.position))
		});
	}
	return { policy: slug, version: found.version?.version ?? null, sections: coverageFromContent(found.sections, courseList) };
}

/** Sections with fewer than `min` questions (or lessons): the gaps the content check reports. */
export function thinSections(coverage: readonly SectionCoverage[], what: 'questions' | 'lessons', min: number): SectionCoverage[] {
	return coverage.filter((s) => s[what].length < min);
}

/**
 * Coverage computed from the files alone: content/courses and the policy text in
 * content/policies. Without a slug, the policy the courses cite. Errors are the content's format
 * errors and section keys the policy does not have.
 */
export function contentCoverage(contentDir: string, policySlug?: string): { report: CoverageReport | null; errors: ContentError[] } {
	const { courses: parsed, errors } = readCourses(contentDir);
	const cited = [...new Set(parsed.map((c) => c.course.policy).filter((s): s is string => !!s))]
		.map((slug) => policyInForceFromContent(contentDir, slug))
		.filter((p) => p !== null)
		.sort((a, b) => a.sortOrder - b.sortOrder || (a.slug < b.slug ? -1 : 1));
	const policy = policySlug ? policyInForceFromContent(contentDir, policySlug) : (cited[0] ?? null);
	if (!policy) return { report: null, errors };
	const linked = parsed.filter((c) => c.course.policy === policy.slug);
	if (policy.version) {
		const keys = new Set(policy.sections.map((s) => s.key));
		for (const c of linked) errors.push(...unknownSectionKeys(c, keys, `${policy.slug} 第${policy.version}版`));
	}
	return { report: { policy: policy.slug, version: policy.version, sections: coverageFromContent(policy.sections, linked) }, errors };
}
