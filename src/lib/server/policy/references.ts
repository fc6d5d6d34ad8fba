import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policies, policySections, policyVersions } from '../db/schema';
import { sectionAnchor } from './reader';
import { sectionCitation, sectionWords } from './citation';

export interface SectionReference {
	key: string;
	/** The document's own notation: 6(3)②. */
	citation: string;
	/** Its heading, or the start of its text when it has none. */
	heading: string;
	href: string;
}

/**
 * Links from lessons and questions to sections of the policy in force, cited the way the
 * document numbers them (6(3)②). Keys the version in force no longer has are left out.
 */
export async function sectionReferences(db: DbOrTx, orgId: string, policyId: string | null, keys: readonly string[]): Promise<SectionReference[]> {
	if (!policyId || keys.length === 0) return [];
	const [policy] = await db
		.select({ slug: policies.slug, versionId: policyVersions.id })
		.from(policies)
		.innerJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.status, 'published')))
		.where(and(eq(policies.id, policyId), eq(policies.orgId, orgId)));
	if (!policy) return [];
	// Ancestors too, to spell the citation out.
	const wanted = new Set(keys.flatMap((k) => k.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
	const rows = await db
		.select({
			key: policySections.key,
			label: policySections.label,
			heading: policySections.heading,
			body: policySections.body,
			restrictedTo: policySections.restrictedTo
		})
		.from(policySections)
		.where(and(eq(policySections.versionId, policy.versionId), inArray(policySections.key, [...wanted])));
	const byKey = new Map(rows.map((r) => [r.key, r]));
	return keys.flatMap((key) => {
		const section = byKey.get(key);
		if (!section || section.restrictedTo?.length) return [];
		const citation = sectionCitation(key, (k) => byKey.get(k)?.label);
		// An item without a heading (③, ア) is named by the start of its text.
		return [{ key, citation, heading: sectionWords(section), href: `/policy/${policy.slug}#${sectionAnchor(key)}` }];
	});
}
