// Revision drafts: the next version of a policy, started from the version in force, edited section
// by section. Two people may edit at once: every section carries a revision counter, a save names
// the one it started from, and a save that lost the race gets the stored text back instead of
// overwriting it. Structure changes (add, remove, move) lock the draft for their short moment.
// Callers import from here; the parts: start.ts (start, discard), load.ts (reading), sections.ts
// and metadata.ts (edits), shared.ts (what they share, and who wrote a draft).
export { draftWriters, metadataToken, type PersonRef } from './shared';
export { discardRevision, startRevision, type DiscardProblem, type StartInput, type StartProblem, type StartResult } from './start';
export { listRevisions, loadRevision, startablePolicies, type DraftSection, type LoadedRevision, type RevisionListItem, type RevisionSummary } from './load';
export {
	addSection,
	moveSection,
	removeSection,
	saveSection,
	sectionBodyMax,
	sectionHeadingMax,
	sectionKeyMax,
	sectionLabelMax,
	sectionLevelMax,
	type AddSectionProblem,
	type MoveProblem,
	type NewSection,
	type RemoveSectionProblem,
	type SaveSectionResult,
	type SectionProblem,
	type SectionText,
	type StoredSection
} from './sections';
export { reasonMax, saveMetadata, type MetadataEdit, type MetadataProblem, type SaveMetadataResult, type StoredMetadata } from './metadata';
