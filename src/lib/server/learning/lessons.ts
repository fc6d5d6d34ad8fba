import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { courses, lessons } from '../db/schema';
import { renderStoredOne } from '../policy/render';
import { sectionReferences } from '../policy/references';

/** A lesson of a course laid out for reading: sanitised HTML and links to the sections it teaches. */
export async function readLesson(db: DbOrTx, orgId: string, courseId: string, slug: string) {
	const [row] = await db
		.select({ id: lessons.id, slug: lessons.slug, title: lessons.title, body: lessons.body, sectionKeys: lessons.sectionKeys, policyId: courses.policyId })
		.from(lessons)
		.innerJoin(courses, eq(courses.id, lessons.courseId))
		.where(and(eq(lessons.orgId, orgId), eq(lessons.courseId, courseId), eq(lessons.slug, slug), eq(lessons.active, true)));
	if (!row) return null;
	const body = await renderStoredOne(row.body);
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		html: body.html,
		/** Why the body is shown as plain text, when it is: for the notice to course editors. */
		problem: body.problem ?? null,
		sections: await sectionReferences(db, orgId, row.policyId, row.sectionKeys)
	};
}
