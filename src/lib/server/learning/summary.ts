import type { LearnerAssignment } from './assignments';
import type { LearnerRound } from '../inspection/rounds';

/** What a learner's training card shows, as plain data for the page. */
export function assignmentSummary(a: LearnerAssignment) {
	return {
		id: a.id,
		courseTitle: a.courseTitle,
		campaignTitle: a.campaignTitle,
		dueOn: a.dueOn,
		status: a.status,
		daysLeft: a.daysLeft,
		lessonsViewed: a.lessonsViewed,
		lessonsTotal: a.lessonsTotal,
		quizPassed: a.quizPassed,
		completedAt: a.completedAt?.toISOString() ?? null
	};
}

/** An inspection round as the same card shows it: items answered instead of lessons and a quiz. */
export function roundSummary(r: LearnerRound) {
	return {
		id: r.id,
		courseTitle: r.checklistTitle,
		campaignTitle: r.campaignTitle,
		dueOn: r.dueOn,
		status: r.status,
		daysLeft: r.daysLeft,
		lessonsViewed: 0,
		lessonsTotal: 0,
		quizPassed: false,
		completedAt: r.completedAt?.toISOString() ?? null,
		inspection: { answered: r.answered, total: r.itemsTotal }
	};
}

type CardSummary = ReturnType<typeof assignmentSummary> & { inspection?: { answered: number; total: number } };
const statusRank: Record<CardSummary['status'], number> = { overdue: 0, in_progress: 1, not_started: 1, completed: 2 };

/** Courses and inspection rounds in one list, in the order a learner works through them. */
export function learnerCards(courses: readonly LearnerAssignment[], rounds: readonly LearnerRound[]): CardSummary[] {
	return [...courses.map(assignmentSummary), ...rounds.map(roundSummary)].sort(
		(a, b) =>
			statusRank[a.status] - statusRank[b.status] ||
			(a.status === 'completed' ? (b.completedAt ?? '').localeCompare(a.completedAt ?? '') : a.dueOn.localeCompare(b.dueOn)) ||
			a.campaignTitle.localeCompare(b.campaignTitle, 'ja')
	);
}
