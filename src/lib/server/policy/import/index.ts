// Importing a municipality's policy document (text, Markdown, Word or PDF) as sections. Pure: no database.
export { decodeText as decodePolicyBytes, lineList, type TextEncoding as PolicyEncoding } from '../../text/decode';
export { parsePolicyText, type ParseOptions } from './parse';
export {
	parseFailureKey,
	parseOptionsFor,
	parsePolicyOffThread,
	policyImportMaxBytes,
	previewPolicyFile,
	readPolicyDocumentOffThread,
	type PolicyImportPreview,
	type SourceEncoding
} from './preview';
export { policyDocumentMaxBytes, policyFileKind, policyFileMaxBytes, readPolicyDocument, type DocumentProblem, type PolicyFileKind } from './files';
export type { HistoryRow, ParsedPolicy, ParsedSection, ParseFailure } from './types';
