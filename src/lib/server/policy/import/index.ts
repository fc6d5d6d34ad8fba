// Importing a municipality's policy document (text or Markdown) as sections. Pure: no database.
export { decodeText as decodePolicyBytes, lineList, type TextEncoding as PolicyEncoding } from '../../text/decode';
export { parsePolicyText } from './parse';
export { isPolicyTextFile, parseFailureKey, parsePolicyOffThread, policyImportMaxBytes, previewPolicyImport, type PolicyImportPreview } from './preview';
export type { HistoryRow, ParsedPolicy, ParsedSection, ParseFailure } from './types';
