import type { DbOrTx } from '../db/client';
import { linkGlossaryTerms, renderStored, type GlossaryTerm, type RenderedText } from './render';
import { findPolicy, findVersion, versionInForce, versionSections, type Policy, type PolicySection, type PolicyVersion, type Viewer } from './policies';

export interface RenderedSection {
	key: string;
	level: number;
	label: string;
	heading: string;
	/** Sanitised HTML of the body, with glossary terms linked. */
	html: string;
	anchor: string;
	/** Why the body is shown as plain text, when it is (for its owners' notice). */
	problem: RenderedText['problem'] | null;
}

export interface PolicyDocument {
	policy: Policy;
	version: PolicyVersion;
	inForce: PolicyVersion | null;
	sections: RenderedSection[];
	preambleHtml: string;
	preambleProblem: RenderedText['problem'] | null;
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

// Published text never changes, so its rendering (glossary links included) is kept; drafts are
// rendered each time.
const renderCache = new Map<string, { html: string; problem: RenderedText['problem'] | null }>();
const renderCacheLimit = 5000;

async function renderBodies(versionId: string, cacheable: boolean, sections: readonly PolicySection[], terms: GlossaryTerm[]) {
	const cacheKey = (s: PolicySection) => `${versionId}:${s.key}`;
	const missing = sections.filter((s) => !cacheable || !renderCache.has(cacheKey(s)));
	const rendered = await renderStored(missing.map((s) => s.body));
	const fresh = new Map(
		missing.map((s, i) => [s.key, { html: linkGlossaryTerms(rendered[i].html, terms, `#${sectionAnchor(s.key)}`), problem: rendered[i].problem ?? null }])
	);
	return sections.map((s) => {
		const result = fresh.get(s.key) ?? renderCache.get(cacheKey(s))!;
		if (cacheable && fresh.has(s.key)) {
			if (renderCache.size >= renderCacheLimit) renderCache.clear();
			renderCache.set(cacheKey(s), result);
		}
		return result;
	});
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
	const [preamble] = chosen.preamble ? await renderStored([chosen.preamble]) : [null];
	const bodies = await renderBodies(chosen.id, cacheable, sections, terms);
	return {
		policy,
		version: chosen,
		inForce,
		preambleHtml: preamble?.html ?? '',
		preambleProblem: preamble?.problem ?? null,
		glossary,
		sections: sections.map((s, i) => ({
			key: s.key,
			level: s.level,
			label: s.label,
			heading: s.heading,
			anchor: sectionAnchor(s.key),
			html: bodies[i].html,
			problem: bodies[i].problem
		}))
	};
}
