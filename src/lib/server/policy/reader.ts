import type { DbOrTx } from '../db/client';
import { linkGlossaryTerms, renderMarkdown, type GlossaryTerm } from './render';
import { findPolicy, findVersion, versionInForce, versionSections, type Policy, type PolicySection, type PolicyVersion, type Viewer } from './policies';

export interface RenderedSection {
	key: string;
	level: number;
	label: string;
	heading: string;
	/** Sanitised HTML of the body, with glossary terms linked. */
	html: string;
	anchor: string;
}

export interface PolicyDocument {
	policy: Policy;
	version: PolicyVersion;
	inForce: PolicyVersion | null;
	sections: RenderedSection[];
	preambleHtml: string;
	glossary: { term: string; anchor: string; key: string }[];
}

export const sectionAnchor = (key: string): string => `s-${key}`;

const definitionHeadings = /^(定義|用語の定義|用語の意義)$/;

/**
 * Terms defined by the document: the items of its 定義 section. A heading such as
 * マイナンバー利用事務系（個人番号利用事務系） gives both names.
 */
export function glossaryOf(sections: readonly Pick<PolicySection, 'key' | 'heading'>[]): { term: string; anchor: string; key: string }[] {
	const parents = sections.filter((s) => definitionHeadings.test(s.heading.trim())).map((s) => s.key);
	const terms: { term: string; anchor: string; key: string }[] = [];
	for (const s of sections) {
		const parent = s.key.slice(0, s.key.lastIndexOf('.'));
		if (!parents.includes(parent) || !s.heading) continue;
		const m = /^(.+?)（(.+?)）$/.exec(s.heading.trim());
		const names = m ? [m[1], m[2]] : [s.heading.trim()];
		for (const term of names) terms.push({ term, anchor: sectionAnchor(s.key), key: s.key });
	}
	return terms;
}

// Published text never changes, so its rendering is kept; drafts are rendered each time.
const renderCache = new Map<string, string>();
const renderCacheLimit = 5000;

function renderBody(versionId: string, cacheable: boolean, section: PolicySection, terms: GlossaryTerm[]): string {
	const cacheKey = `${versionId}:${section.key}`;
	const cached = cacheable ? renderCache.get(cacheKey) : undefined;
	if (cached !== undefined) return cached;
	const html = linkGlossaryTerms(renderMarkdown(section.body), terms, `#${sectionAnchor(section.key)}`);
	if (cacheable) {
		if (renderCache.size >= renderCacheLimit) renderCache.clear();
		renderCache.set(cacheKey, html);
	}
	return html;
}

/** A version of a policy laid out for reading; null when the viewer may not see it or it has no text. */
export async function readPolicy(db: DbOrTx, viewer: Viewer, slug: string, version?: string): Promise<PolicyDocument | null> {
	const policy = await findPolicy(db, viewer, slug);
	if (!policy) return null;
	const inForce = await versionInForce(db, policy.id);
	const chosen = version ? await findVersion(db, policy.id, version) : inForce;
	if (!chosen || !chosen.textHeld) return null;
	// Drafts are read only by those who write and approve them.
	if (!['published', 'superseded'].includes(chosen.status) && !viewer.roles.some((r) => r === 'policy_owner' || r === 'approver' || r === 'admin')) {
		return null;
	}
	const sections = await versionSections(db, viewer, chosen.id);
	const glossary = glossaryOf(sections);
	const terms = glossary.map((g) => ({ term: g.term, href: `#${g.anchor}` }));
	const cacheable = chosen.status === 'published' || chosen.status === 'superseded';
	return {
		policy,
		version: chosen,
		inForce,
		preambleHtml: chosen.preamble ? renderMarkdown(chosen.preamble) : '',
		glossary,
		sections: sections.map((s) => ({
			key: s.key,
			level: s.level,
			label: s.label,
			heading: s.heading,
			anchor: sectionAnchor(s.key),
			html: renderBody(chosen.id, cacheable, s, terms)
		}))
	};
}
