// The sections of a policy's version in force, as the content sync and the coverage need them:
// from the database, or straight from content/policies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DbOrTx } from '../../db/client';
import { roles } from '../../db/schema';
import type { PolicyContent } from '../../policy/content';
import { parsePolicyText, type ParsedSection } from '../../policy/import';
import { decodeText, readableText } from '../../text/decode';
import { findPolicy, versionInForce, versionSections, type Policy, type PolicySection, type PolicyVersion } from '../../policy/policies';

/** Content cites every section, 非公開 ones included: read them as a viewer holding every role. */
const everyRole = (orgId: string) => ({ orgId, roles: [...roles] });

export interface PolicyInForce {
	policy: Policy;
	/** Null when no version is in force yet. */
	version: PolicyVersion | null;
	/** In document order, all levels. */
	sections: PolicySection[];
}

export async function policyInForce(db: DbOrTx, orgId: string, slug: string): Promise<PolicyInForce | null> {
	const policy = await findPolicy(db, everyRole(orgId), slug);
	if (!policy) return null;
	const version = await versionInForce(db, policy.id);
	const sections = version ? await versionSections(db, everyRole(orgId), version.id) : [];
	return { policy, version, sections };
}

/**
 * The same from content/policies without a database: the version in force is the newest one in
 * policy.json that has a text file, as the policy sync has it.
 */
export function policyInForceFromContent(
	contentDir: string,
	slug: string
): { slug: string; sortOrder: number; version: string | null; sections: ParsedSection[] } | null {
	const folder = path.join(contentDir, 'policies', slug);
	if (!existsSync(path.join(folder, 'policy.json'))) return null;
	const meta = JSON.parse(readFileSync(path.join(folder, 'policy.json'), 'utf8')) as PolicyContent;
	const inForce = [...meta.versions].reverse().find((v) => v.file);
	if (!inForce?.file) return { slug, sortOrder: meta.sortOrder ?? 0, version: null, sections: [] };
	const parsed = parsePolicyText(readableText(decodeText(readFileSync(path.join(folder, inForce.file))), inForce.file));
	if (!parsed.ok) throw new Error(`${slug} ${inForce.version}: ${parsed.message}`);
	return { slug, sortOrder: meta.sortOrder ?? 0, version: inForce.version, sections: parsed.sections };
}
