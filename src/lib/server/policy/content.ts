import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { policies, policyVersions, type Role } from '../db/schema';
import { decodeText, readableText } from '../text/decode';
import { parsePolicyText } from './import';
import { japanMidnight } from '../../format/calendar';
import { compareVersions } from './policies';
import { changeKindFromLabel, effectiveDateFromLabel, insertVersion, type SectionInput } from './versions';

/** content/policies/<slug>/policy.json: the policy, its 改訂履歴, and which versions have text. */
export interface PolicyContent {
	slug: string;
	title: string;
	sortOrder?: number;
	restrictedTo?: Role[] | null;
	/** Section keys marked 非公開, with the roles that may read them. */
	restrictedSections?: Record<string, Role[]>;
	versions: { version: string; date: string; kind: string; reason: string; file?: string }[];
}

export const defaultContentDir = path.resolve(process.env.MAMORI_CONTENT_DIR ?? 'content');

/**
 * Loads the organisation's policies from content/ into the database. Versions already there are
 * left as they are (a published text never changes); missing ones are added, and the newest
 * version with text becomes the one in force unless a later version is in force already (one
 * published in the app, which content/ does not know of).
 */
export async function syncPolicyContent(db: Db, orgId: string, contentDir = defaultContentDir): Promise<{ added: string[] }> {
	const dir = path.join(contentDir, 'policies');
	if (!existsSync(dir)) return { added: [] };
	const added: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		const folder = path.join(dir, entry.name);
		const meta = JSON.parse(readFileSync(path.join(folder, 'policy.json'), 'utf8')) as PolicyContent;
		await db.transaction(async (tx) => {
			let [policy] = await tx
				.select()
				.from(policies)
				.where(and(eq(policies.orgId, orgId), eq(policies.slug, meta.slug)));
			policy ??= (
				await tx
					.insert(policies)
					.values({ orgId, slug: meta.slug, title: meta.title, sortOrder: meta.sortOrder ?? 0, restrictedTo: meta.restrictedTo ?? null })
					.returning()
			)[0];
			const existing = new Set(
				(await tx.select({ version: policyVersions.version }).from(policyVersions).where(eq(policyVersions.policyId, policy.id))).map((v) => v.version)
			);
			const inForce = [...meta.versions].reverse().find((v) => v.file)?.version;
			for (const v of meta.versions) {
				if (existing.has(v.version)) continue;
				let sections: SectionInput[] = [];
				let title = meta.title;
				let preamble = '';
				if (v.file) {
					const parsed = parsePolicyText(readableText(decodeText(readFileSync(path.join(folder, v.file))), v.file));
					if (!parsed.ok) throw new Error(`${meta.slug} ${v.version}: ${parsed.message}`);
					title = parsed.title || title;
					preamble = parsed.preamble;
					sections = parsed.sections.map((s) => ({ ...s, restrictedTo: meta.restrictedSections?.[s.key] ?? null }));
				}
				// A version published since (in the app, by a revision) stays in force: content that
				// is behind it only fills in the history.
				let publish = v.version === inForce;
				if (publish) {
					const [current] = await tx
						.select({ version: policyVersions.version })
						.from(policyVersions)
						.where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.status, 'published')));
					if (current && compareVersions(current.version, v.version) > 0) publish = false;
					else
						await tx
							.update(policyVersions)
							.set({ status: 'superseded' })
							.where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.status, 'published')));
				}
				const effectiveDate = effectiveDateFromLabel(v.date);
				await insertVersion(
					tx,
					{
						orgId,
						policyId: policy.id,
						version: v.version,
						status: publish ? 'published' : 'superseded',
						changeKind: changeKindFromLabel(v.kind),
						reason: v.reason,
						dateLabel: v.date,
						effectiveDate,
						title,
						preamble,
						textHeld: !!v.file,
						publishedAt: effectiveDate ? japanMidnight(effectiveDate) : null
					},
					sections
				);
				added.push(`${meta.slug}@${v.version}`);
			}
		});
	}
	return { added };
}
