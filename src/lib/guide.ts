// The 操作マニュアル per role (docs/guide/<slug>.md): which exist, and which one is a person's own.
// Shared by the header (client) and the guide pages (server).

export const guideSlugs = ['staff', 'supervisor', 'owner', 'approver', 'admin'] as const;
export type GuideSlug = (typeof guideSlugs)[number];

export function isGuideSlug(value: string): value is GuideSlug {
	return (guideSlugs as readonly string[]).includes(value);
}

/** The guide for the role a person mostly works in: the widest role they hold, else a learner's. */
export function guideSlugFor(roles: readonly string[]): GuideSlug {
	if (roles.includes('admin')) return 'admin';
	if (roles.includes('approver')) return 'approver';
	if (roles.includes('policy_owner')) return 'owner';
	if (roles.includes('supervisor')) return 'supervisor';
	return 'staff';
}
