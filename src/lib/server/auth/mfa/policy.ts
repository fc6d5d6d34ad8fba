import { roles, type Role } from '../../db/schema';

/** Who must have a second factor, and how fresh a check the most sensitive actions want. */
export interface SecondFactorPolicy {
	requiredRoles: Role[];
	/** Publishing a policy or changing a person's roles asks for a code again when the last one is older. */
	stepUpMs: number;
	/** A login that proved the password but not yet the code ends after this long. */
	pendingMs: number;
}

/** The roles that can change what everyone is taught and what the policy says. */
export const powerfulRoles: Role[] = ['admin', 'policy_owner', 'approver'];

/**
 * MFA_REQUIRED_ROLES: the roles (comma-separated) that must enrol, or `none`. Unset, it is the
 * powerful roles — except in the demo, where the seeded logins must keep working with a password
 * alone (enrolled people are still asked for their code).
 * MFA_STEP_UP_MINUTES: how old the last check may be before a sensitive action (default 15).
 */
export function secondFactorPolicyFromEnv(env: Record<string, string | undefined> = process.env, demo = false): SecondFactorPolicy {
	const listed = env.MFA_REQUIRED_ROLES?.trim();
	let requiredRoles: Role[];
	if (listed === undefined || listed === '') requiredRoles = demo ? [] : powerfulRoles;
	else if (listed.toLowerCase() === 'none') requiredRoles = [];
	else {
		const names = listed.split(',').map((s) => s.trim());
		const unknown = names.filter((n) => !(roles as readonly string[]).includes(n));
		if (unknown.length) throw new Error(`MFA_REQUIRED_ROLES: unknown role ${unknown.join(', ')} (use ${roles.join(', ')} or none)`);
		requiredRoles = names as Role[];
	}
	const minutes = Number(env.MFA_STEP_UP_MINUTES ?? 15);
	return {
		requiredRoles,
		stepUpMs: (Number.isFinite(minutes) && minutes >= 0 ? minutes : 15) * 60_000,
		pendingMs: 10 * 60_000
	};
}

export function secondFactorRequired(policy: SecondFactorPolicy, userRoles: readonly Role[]): boolean {
	return userRoles.some((r) => policy.requiredRoles.includes(r));
}
