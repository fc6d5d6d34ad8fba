import type { MessageKey } from '$lib/i18n';
import { guideSlugFor } from '$lib/guide';

type RoleName = 'supervisor' | 'policy_owner' | 'approver' | 'admin';

export interface NavItem {
	href: string;
	label: MessageKey;
	/** Shown when the viewer holds one of these roles; everyone when absent. */
	roles?: RoleName[];
	/** The person's own page: beside their name on a wide screen, so the menu keeps to one line. */
	personal?: boolean;
}

/** The site's main menu. The server checks the same roles again on every page. */
export const navItems: NavItem[] = [
	{ href: '/', label: 'nav.home' },
	{ href: '/learn', label: 'nav.learn' },
	{ href: '/policy', label: 'nav.policy' },
	{ href: '/team', label: 'nav.team', roles: ['supervisor', 'admin'] },
	// Owners and admins reach every department's plans from the 弱点分析 and the team page.
	{ href: '/inspection/improvements', label: 'nav.improvements', roles: ['supervisor'] },
	{ href: '/insight', label: 'nav.insight', roles: ['policy_owner', 'approver', 'admin'] },
	{ href: '/report', label: 'nav.report', roles: ['policy_owner', 'approver', 'admin'] },
	{ href: '/revision', label: 'nav.revision', roles: ['policy_owner', 'approver', 'admin'] },
	{ href: '/admin/campaigns', label: 'nav.campaigns', roles: ['policy_owner', 'admin'] },
	{ href: '/admin/courses', label: 'nav.courses', roles: ['policy_owner', 'admin'] },
	{ href: '/admin/inspections', label: 'nav.inspections', roles: ['policy_owner', 'admin'] },
	{ href: '/admin', label: 'nav.admin', roles: ['admin'] },
	// The person's own role's 操作マニュアル (navFor fills in which one).
	{ href: '/guide', label: 'nav.guide', personal: true },
	{ href: '/account/password', label: 'nav.account', personal: true }
];

export function navFor(roles: readonly string[]): NavItem[] {
	return navItems
		.filter((item) => !item.roles || item.roles.some((r) => roles.includes(r)))
		.map((item) => (item.href === '/guide' ? { ...item, href: `/guide/${guideSlugFor(roles)}` } : item));
}
