import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { people } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit/log';
import { checkNewPassword, hashPassword, verifyPasswordHash, type PasswordProblem } from './password';
import { invalidatePersonSessions } from './session';

export type ChangePasswordProblem = PasswordProblem | 'wrong_current' | 'mismatch' | 'same_as_current';

export interface ChangePasswordInput {
	current: string;
	next: string;
	confirm: string;
}

/**
 * Changes the caller's own password. Other sessions of the person end; the one in use stays.
 */
export async function changeOwnPassword(
	db: Db,
	actor: AuditActor & { personId: string; orgId: string },
	sessionId: string,
	input: ChangePasswordInput
): Promise<{ ok: true } | { ok: false; problem: ChangePasswordProblem }> {
	const [person] = await db
		.select({ hash: people.passwordHash, number: people.employeeNumber })
		.from(people)
		.where(eq(people.id, actor.personId));
	if (!person?.hash || !(await verifyPasswordHash(person.hash, input.current))) {
		return { ok: false, problem: 'wrong_current' };
	}
	if (input.next !== input.confirm) return { ok: false, problem: 'mismatch' };
	const problem = checkNewPassword(input.next, person.number);
	if (problem) return { ok: false, problem };
	if (input.next === input.current) return { ok: false, problem: 'same_as_current' };

	const hash = await hashPassword(input.next);
	await db.transaction(async (tx) => {
		await tx
			.update(people)
			.set({ passwordHash: hash, mustChangePassword: false, updatedAt: new Date() })
			.where(eq(people.id, actor.personId));
		await invalidatePersonSessions(tx, actor.personId, sessionId);
		await recordAudit(tx, actor, { action: 'password.change', targetType: 'person', targetId: actor.personId });
	});
	return { ok: true };
}
