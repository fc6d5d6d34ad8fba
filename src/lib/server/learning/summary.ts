import type { LearnerAssignment } from './assignments';

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
