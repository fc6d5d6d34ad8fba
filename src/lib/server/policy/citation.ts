/**
 * How the document cites a section: the labels of the section and its ancestors from the top down
 * (6(3)② for key 6.3.2), or the key itself when no labels are known.
 */
export function sectionCitation(key: string, labelOf: (key: string) => string | undefined): string {
	const parts = key.split('.').map((_, i, all) => labelOf(all.slice(0, i + 1).join('.')) ?? '');
	return parts.join('') || key;
}
