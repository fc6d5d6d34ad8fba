// The sections figures are named by, as the viewer may see them: from the version in force, or
// for a key it no longer has, the newest version that had it.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { excerptOf, sectionCitation, titlesOf } from '../../policy/citation';
import type { DbOrTx } from '../../db/client';
import { policySections, policyVersions, type Role } from '../../db/schema';
import { canSeeRestricted } from '../../policy/visibility';
import { compareVersions } from '../../policy/policies';

interface SectionInfo {
	label: string;
	/** As the document cites it: 6(3)②. */
	citation: string;
	heading: string;
	body: string;
	excerpt: string | null;
	hidden: boolean;
}

/**
 * The sections of each policy's published version by key, with 非公開 applied as the reader does:
 * a hidden section hides its sub-items. `visible(policyId, key)` also answers for keys the version
 * no longer has, by their nearest hidden ancestor.
 */
export async function publishedSections(db: DbOrTx, orgId: string, policyIds: string[], roles: readonly Role[]) {
	const rows = policyIds.length
		? await db
				.select({
					policyId: policyVersions.policyId,
					key: policySections.key,
					label: policySections.label,
					heading: policySections.heading,
					body: policySections.body,
					restrictedTo: policySections.restrictedTo
				})
				.from(policySections)
				.innerJoin(policyVersions, eq(policyVersions.id, policySections.versionId))
				.where(and(eq(policySections.orgId, orgId), eq(policyVersions.status, 'published'), inArray(policyVersions.policyId, policyIds)))
				.orderBy(asc(policySections.position))
		: [];
	const info = new Map<string, SectionInfo>();
	const hiddenKeys = new Map<string, string[]>();
	for (const r of rows) {
		const hiddenHere = hiddenKeys.get(r.policyId) ?? [];
		const hidden = hiddenHere.some((k) => r.key.startsWith(k + '.')) || !canSeeRestricted(r.restrictedTo, roles);
		if (hidden) hiddenHere.push(r.key);
		hiddenKeys.set(r.policyId, hiddenHere);
		const labelOf = (key: string) => info.get(`${r.policyId} ${key}`)?.label ?? (key === r.key ? r.label : undefined);
		info.set(`${r.policyId} ${r.key}`, {
			label: r.label,
			citation: sectionCitation(r.key, labelOf),
			heading: r.heading,
			body: r.body,
			excerpt: r.heading.trim() ? null : excerptOf(r.body),
			hidden
		});
	}
	const visible = (policyId: string, key: string) => {
		const known = info.get(`${policyId} ${key}`);
		if (known) return !known.hidden;
		return !(hiddenKeys.get(policyId) ?? []).some((k) => key === k || key.startsWith(k + '.')) && !earlier.get(`${policyId} ${key}`)?.hidden;
	};
	// Keys answered under an earlier version that the one in force no longer has: named as the
	// newest version that had them cites them, so no figure is left without a name.
	const earlier = await earlierSectionTitles(db, orgId, policyIds, roles, (policyId, key) => info.has(`${policyId} ${key}`));
	return {
		info: (policyId: string, key: string) => info.get(`${policyId} ${key}`) ?? null,
		earlier: (policyId: string, key: string) => earlier.get(`${policyId} ${key}`) ?? null,
		visible
	};
}

/**
 * Titles of the sections of superseded versions whose keys the version in force lacks, from the
 * newest version that had each; a 非公開 section (or one under it) is marked hidden.
 */
async function earlierSectionTitles(
	db: DbOrTx,
	orgId: string,
	policyIds: string[],
	roles: readonly Role[],
	inForce: (policyId: string, key: string) => boolean
): Promise<Map<string, { title: string; citation: string; hidden: boolean }>> {
	if (!policyIds.length) return new Map();
	const rows = await db
		.select({
			policyId: policyVersions.policyId,
			versionId: policyVersions.id,
			version: policyVersions.version,
			key: policySections.key,
			label: policySections.label,
			heading: policySections.heading,
			body: policySections.body,
			restrictedTo: policySections.restrictedTo
		})
		.from(policySections)
		.innerJoin(policyVersions, eq(policyVersions.id, policySections.versionId))
		.where(and(eq(policySections.orgId, orgId), eq(policyVersions.status, 'superseded'), inArray(policyVersions.policyId, policyIds)))
		.orderBy(asc(policySections.position));
	const byVersion = new Map<string, typeof rows>();
	for (const r of rows) byVersion.set(r.versionId, [...(byVersion.get(r.versionId) ?? []), r]);
	const versions = [...byVersion.values()].sort((a, b) => compareVersions(b[0].version, a[0].version));
	const found = new Map<string, { title: string; citation: string; hidden: boolean }>();
	const labelsOf = (list: typeof rows) => new Map(list.map((r) => [r.key, r.label]));
	for (const sections of versions) {
		const titles = titlesOf(sections);
		const labels = labelsOf(sections);
		const hiddenHere: string[] = [];
		for (const r of sections) {
			const hidden = hiddenHere.some((k) => r.key.startsWith(k + '.')) || !canSeeRestricted(r.restrictedTo, roles);
			if (hidden) hiddenHere.push(r.key);
			const id = `${r.policyId} ${r.key}`;
			if (inForce(r.policyId, r.key) || found.has(id)) continue;
			found.set(id, { title: titles.get(r.key)!, citation: sectionCitation(r.key, (k) => labels.get(k)), hidden });
		}
	}
	return found;
}

export type PublishedSections = Awaited<ReturnType<typeof publishedSections>>;
