// 名簿の取込: the staff roster import. Routes use this module's exports only.
export { parseCsv, type CsvRecord } from './csv';
export { readRoster, employmentTypeByLabel, rosterCodeMax, type RosterProblem, type RosterRow } from './rows';
export { planRoster, unconfirmedDepartmentProblems, type FieldChange, type RosterPlan, type UnknownDepartment } from './plan';
export {
	applyRosterImport,
	discardRosterImport,
	listRosterImports,
	loadRosterPreview,
	previewRosterFile,
	rosterListLimit,
	rosterMaxBytes,
	type RosterActor,
	type RosterApplyResult,
	type RosterCounts,
	type RosterImportSummary,
	type RosterPreview,
	type RosterPreviewLists,
	type RosterStatus,
	type RosterUploadResult
} from './import';
