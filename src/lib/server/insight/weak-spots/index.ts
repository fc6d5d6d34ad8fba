// 弱点分析: which clauses of a policy staff get wrong, where, and whether a revision helped. Read
// only from the summary rows kept at submit and at inspection answers (section_answer_stats, question_answer_stats,
// section_daily_stats) and by the assignment trigger (completion_counts), never from answers.
export * from './model';
export { minGroupPeople, suppressedGroups, type SuppressionGroup } from './withholding';
export { forgetRecentWeakSpots, recentWeakSpots, stemLength, weakSpotChoices, weakSpots, weakSpotsReuseMs } from './figures';
export { weakSpotEvidence, type WeakSpotEvidence } from './evidence';
export { effectMinAnswers, revisionEffects, type PeriodFigures, type RevisionEffects, type SectionEffect, type VersionEffect } from './effects';
export { departmentChoices, sectionsOfDepartment, type DepartmentChoice, type DepartmentSections } from './by-department';
export {
	mergePractice,
	practiceAsSpots,
	practiceThresholds,
	quizThresholds,
	readingMinAnswers,
	recentSideBySide,
	sectionReading,
	sideBySide,
	type PracticeFigures,
	type PracticeView,
	type SectionReading,
	type SideBySide,
	type SideBySideSection
} from './practice';
