/** How an uploaded file's encoding is named to the person who uploaded it. */
export const encodingLabel: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 (BOM)', shift_jis: 'Shift_JIS' };
