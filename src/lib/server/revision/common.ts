// What the revision modules share: who acts, which states allow what, the row lock on a draft,
// and refusals that end a transaction without writing anything.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { policyVersions, type PolicyVersionStatus, type Role } from '../db/schema';
import type { AuditActor } from '../audit/log';
import { isUuid } from '../db/ids';

/** The person acting, with the roles the workflow checks. */
export interface RevisionActor extends AuditActor {
	orgId: string;
	personId: string;
	roles: readonly Role[];
}

/** A revision still on its way: at most one per policy. */
export const openStatuses = ['draft', 'in_review', 'returned', 'approved'] as const satisfies readonly PolicyVersionStatus[];
/** Text and metadata change only before review, or after being sent back. */
export const editableStatuses = ['draft', 'returned'] as const satisfies readonly PolicyVersionStatus[];

export const isOpenStatus = (status: PolicyVersionStatus): boolean => (openStatuses as readonly string[]).includes(status);
export const isEditableStatus = (status: PolicyVersionStatus): boolean => (editableStatuses as readonly string[]).includes(status);

export const editorRoles: readonly Role[] = ['policy_owner', 'admin'];
export const reviewerRoles: readonly Role[] = ['approver', 'admin'];
export const revisionReaderRoles: readonly Role[] = ['policy_owner', 'approver', 'admin'];

export const holdsAny = (actor: { roles: readonly Role[] }, wanted: readonly Role[]): boolean => wanted.some((r) => actor.roles.includes(r));

export type VersionRow = typeof policyVersions.$inferSelect;

/**
 * The version, locked for the rest of the transaction: 'update' for a change of state or of the
 * section order, 'share' for a text save (many at once, but never beside a change of state).
 */
export async function lockVersion(tx: DbOrTx, orgId: string, versionId: string, mode: 'update' | 'share'): Promise<VersionRow | null> {
	if (!isUuid(versionId)) return null;
	const [row] = await tx
		.select()
		.from(policyVersions)
		.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.id, versionId)))
		.for(mode);
	return row ?? null;
}

export class RevisionRefused extends Error {
	constructor(
		readonly problem: string,
		readonly params?: Record<string, string>
	) {
		super(problem);
	}
}

export function refuse(problem: string, params?: Record<string, string>): never {
	throw new RevisionRefused(problem, params);
}

/** A refused step as callers see it: a problem code (an i18n key suffix) and its parameters. */
export interface Refusal<P extends string = string> {
	ok: false;
	problem: P;
	params?: Record<string, string>;
}

/** Runs a write; a refusal thrown inside rolls it back and comes out as a result. */
export async function refusable<T, P extends string>(work: () => Promise<T>): Promise<T | Refusal<P>> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof RevisionRefused) return { ok: false, problem: err.problem as P, params: err.params };
		throw err;
	}
}
