// ディレクトリ同期: people and departments from the town hall's directory, through the roster import.
export { readDirectory, directoryMaxPeople, type DirectoryRoster } from './read';
export {
	directoryFileName,
	directoryOrgId,
	listDirectorySyncs,
	previewDirectorySync,
	runScheduledDirectorySync,
	type DirectoryPreviewResult,
	type DirectorySyncSummary,
	type ScheduledSyncResult
} from './sync';
