// Free-text search helpers every domain's list pages share: the words of a query, and LIKE
// patterns that match them literally.

const maxTerms = 5;

/** ひらがな → カタカナ, so a kana search typed in hiragana finds the katakana 氏名カナ. */
export function toKatakana(text: string): string {
	return text.replace(/[\u3041-\u3096\u309d\u309e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

/** Escapes LIKE wildcards so a typed % or _ matches itself. */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The words of a search: NFKC (full-width digits and letters, half-width kana), split on any
 * space. Names are matched with their spaces removed, so 山田太郎 finds 山田　太郎 and back.
 */
export function searchTerms(q: string | undefined): string[] {
	if (!q) return [];
	return q
		.normalize('NFKC')
		.split(/\s+/)
		.filter(Boolean)
		.slice(0, maxTerms)
		.map((term) => term.slice(0, 100));
}
