import type { Role } from '../db/schema';

/** 非公開: a restricted policy or section is seen only by the roles it names; others never learn it exists. */
export function canSeeRestricted(restrictedTo: readonly Role[] | null | undefined, viewerRoles: readonly Role[]): boolean {
	if (!restrictedTo || restrictedTo.length === 0) return true;
	return restrictedTo.some((r) => viewerRoles.includes(r));
}
