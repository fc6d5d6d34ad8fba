// Importing a municipality's policy document (text or Markdown) as sections. Pure: no database.
export { decodePolicyBytes, type PolicyEncoding } from './decode';
export { parsePolicyText } from './parse';
export { previewPolicyImport, type PolicyImportPreview } from './preview';
export type { HistoryRow, ParsedPolicy, ParsedSection, ParseFailure } from './types';
