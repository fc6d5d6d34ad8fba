// Answer statistics kept current at submit: increments only, so no submit reads other attempts and
// weak spots read a few summary rows.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
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

/** The calendar day in Japan (UTC+9, no daylight saving) of an instant, as YYYY-MM-DD. */
export function japanDay(at: Date): string {
	return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

const byText = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Per section key: one answer per question citing it (errors when not correct), for the group and
 * for the submit's day; per question: one answer with the item-analysis sums, where x is the
 * question's score and y the attempt's total (the sum of `graded` scores). Rows are summed first
 * (one statement may not touch a row twice) and sorted, so two submits in one department lock the
 * shared rows in the same order; the tables are always written in the same order too.
 */
export async function addAnswerStats(
	tx: DbOrTx,
	group: AnswerGroup,
	graded: readonly GradedQuestion[],
	submittedAt: Date
): Promise<void> {
	const bySection = new Map<string, { answers: number; errors: number }>();
	for (const q of graded) {
		for (const key of new Set(q.sectionKeys)) {
			const row = bySection.get(key) ?? { answers: 0, errors: 0 };
			row.answers += 1;
			if (!q.correct) row.errors += 1;
			bySection.set(key, row);
		}
	}
	const sectionRows = [...bySection]
		.map(([sectionKey, n]) => ({
			orgId: group.orgId,
			campaignId: group.campaignId,
			departmentId: group.departmentId,
			employmentType: group.employmentType,
			sectionKey,
			...n
		}))
		.sort(byText((r) => r.sectionKey));
	if (sectionRows.length > 0) {
		await tx
			.insert(sectionAnswerStats)
			.values(sectionRows)
			.onConflictDoUpdate({
				target: [sectionAnswerStats.campaignId, sectionAnswerStats.sectionKey, sectionAnswerStats.departmentId, sectionAnswerStats.employmentType],
				set: {
					answers: sql.raw('section_answer_stats.answers + excluded.answers'),
					errors: sql.raw('section_answer_stats.errors + excluded.errors')
				}
			});
	}
	const total = graded.reduce((sum, q) => sum + q.score, 0);
	const questionRows = graded
		.map((q) => ({
			orgId: group.orgId,
			campaignId: group.campaignId,
			questionId: q.questionId,
			answers: 1,
			errors: q.correct ? 0 : 1,
			scoreSum: q.score,
			scoreSqSum: q.score * q.score,
			totalSum: total,
			totalSqSum: total * total,
			crossSum: q.score * total
		}))
		.sort(byText((r) => r.questionId));
	if (questionRows.length > 0) {
		await tx
			.insert(questionAnswerStats)
			.values(questionRows)
			.onConflictDoUpdate({
				target: [questionAnswerStats.campaignId, questionAnswerStats.questionId],
				set: {
					answers: sql.raw('question_answer_stats.answers + excluded.answers'),
					errors: sql.raw('question_answer_stats.errors + excluded.errors'),
					scoreSum: sql.raw('question_answer_stats.score_sum + excluded.score_sum'),
					scoreSqSum: sql.raw('question_answer_stats.score_sq_sum + excluded.score_sq_sum'),
					totalSum: sql.raw('question_answer_stats.total_sum + excluded.total_sum'),
					totalSqSum: sql.raw('question_answer_stats.total_sq_sum + excluded.total_sq_sum'),
					crossSum: sql.raw('question_answer_stats.cross_sum + excluded.cross_sum')
				}
			});
	}
	// The same section counts by day, so an error rate can be compared before and after a revision.
	const day = japanDay(submittedAt);
	const dailyRows = sectionRows.map((r) => ({ orgId: r.orgId, campaignId: r.campaignId, sectionKey: r.sectionKey, day, answers: r.answers, errors: r.errors }));
	if (dailyRows.length > 0) {
		await tx
			.insert(sectionDailyStats)
			.values(dailyRows)
			.onConflictDoUpdate({
				target: [sectionDailyStats.campaignId, sectionDailyStats.sectionKey, sectionDailyStats.day],
				set: {
					answers: sql.raw('section_daily_stats.answers + excluded.answers'),
					errors: sql.raw('section_daily_stats.errors + excluded.errors')
				}
			});
	}
}
