/** How an uploaded file's encoding (or, for Word and PDF, its format) is named to the person who uploaded it. */
export const encodingLabel: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 (BOM)', shift_jis: 'Shift_JIS', docx: 'Word (.docx)', pdf: 'PDF' };
