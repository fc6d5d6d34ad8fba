// Answer statistics kept current at submit: increments only, so no submit reads other attempts and
// weak spots read a few summary rows.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { japanDay } from '../../../format/calendar';
import { questionAnswerStats, sectionAnswerStats, sectionDailyStats, type EmploymentType } from '../../db/schema';

/** Whose answers these are: the assignment's campaign, department and employment type. */
export interface AnswerGroup {
	orgId: string;
	campaignId: string;
	departmentId: string | null;
	employmentType: EmploymentType;
}

export interface GradedQuestion {
	questionId: string;
	sectionKeys: readonly string[];
	/** An unanswered question counts as a wrong answer. */
	correct: boolean;
	score: number;
}

const byText =
	<T>(key: (item: T) => string) =>
	(a: T, b: T) =>
		key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** A whole array as one parameter. */
const array = (values: unknown[]) => sql.param(values);

/**
 * Per section key: one answer per question citing it (errors when not correct), for the group and
 * for the submit's day; per question: one answer with the item-analysis sums, where x is the
 * question's score and y the attempt's total (the sum of `graded` scores). Rows are summed first
 * (one statement may not touch a row twice) and sorted, so two submits in one department lock the
 * shared rows in the same order; the tables are always written in the same order too.
 */
export async function addAnswerStats(tx: DbOrTx, group: AnswerGroup, graded: readonly GradedQuestion[], submittedAt: Date): Promise<void> {
	const bySection = new Map<string, { answers: number; errors: number }>();
	for (const q of graded) {
		for (const key of new Set(q.sectionKeys)) {
			const row = bySection.get(key) ?? { answers: 0, errors: 0 };
			row.answers += 1;
			if (!q.correct) row.errors += 1;
			bySection.set(key, row);
		}
	}
	const sectionRows = [...bySection].map(([sectionKey, n]) => ({ sectionKey, ...n })).sort(byText((r) => r.sectionKey));
	// Each table gets one statement with one array per column, in the sorted order: the statement
	// stays the same size however many questions and sections an attempt has (built value by value,
	// these three were most of a submit's work in the app process).
	if (sectionRows.length > 0) {
		await tx.execute(sql`
			insert into ${sectionAnswerStats} (org_id, campaign_id, section_key, department_id, employment_type, answers, errors)
			select ${group.orgId}::uuid, ${group.campaignId}::uuid, t.section_key, ${group.departmentId}::uuid, ${group.employmentType}::employment_type, t.answers, t.errors
			from unnest(${array(sectionRows.map((r) => r.sectionKey))}::text[], ${array(sectionRows.map((r) => r.answers))}::int[], ${array(sectionRows.map((r) => r.errors))}::int[])
				with ordinality as t(section_key, answers, errors, n)
			order by t.n
			on conflict (campaign_id, section_key, department_id, employment_type) do update set
				answers = section_answer_stats.answers + excluded.answers,
				errors = section_answer_stats.errors + excluded.errors`);
	}
	const total = graded.reduce((sum, q) => sum + q.score, 0);
	const questionRows = [...graded].sort(byText((q) => q.questionId));
	if (questionRows.length > 0) {
		const scores = questionRows.map((q) => q.score);
		await tx.execute(sql`
			insert into ${questionAnswerStats} (org_id, campaign_id, question_id, answers, errors, score_sum, score_sq_sum, total_sum, total_sq_sum, cross_sum)
			select ${group.orgId}::uuid, ${group.campaignId}::uuid, t.question_id, 1, t.errors, t.x, t.x2, ${total}::float8, ${total * total}::float8, t.xy
			from unnest(${array(questionRows.map((q) => q.questionId))}::uuid[], ${array(questionRows.map((q) => (q.correct ? 0 : 1)))}::int[], ${array(scores)}::real[],
				${array(scores.map((x) => x * x))}::float8[], ${array(scores.map((x) => x * total))}::float8[]) with ordinality as t(question_id, errors, x, x2, xy, n)
			order by t.n
			on conflict (campaign_id, question_id) do update set
				answers = question_answer_stats.answers + excluded.answers,
				errors = question_answer_stats.errors + excluded.errors,
				score_sum = question_answer_stats.score_sum + excluded.score_sum,
				score_sq_sum = question_answer_stats.score_sq_sum + excluded.score_sq_sum,
				total_sum = question_answer_stats.total_sum + excluded.total_sum,
				total_sq_sum = question_answer_stats.total_sq_sum + excluded.total_sq_sum,
				cross_sum = question_answer_stats.cross_sum + excluded.cross_sum`);
	}
	// The same section counts by day, so an error rate can be compared before and after a revision.
	if (sectionRows.length > 0) {
		await tx.execute(sql`
			insert into ${sectionDailyStats} (org_id, campaign_id, section_key, day, answers, errors)
			select ${group.orgId}::uuid, ${group.campaignId}::uuid, t.section_key, ${japanDay(submittedAt)}::date, t.answers, t.errors
			from unnest(${array(sectionRows.map((r) => r.sectionKey))}::text[], ${array(sectionRows.map((r) => r.answers))}::int[], ${array(sectionRows.map((r) => r.errors))}::int[])
				with ordinality as t(section_key, answers, errors, n)
			order by t.n
			on conflict (campaign_id, section_key, day) do update set
				answers = section_daily_stats.answers + excluded.answers,
				errors = section_daily_stats.errors + excluded.errors`);
	}
}
