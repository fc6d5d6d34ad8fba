// Step-up: the most sensitive actions (publishing a policy revision, changing a person's roles)
// want a second-factor check younger than MFA_STEP_UP_MINUTES from anyone who has a factor. When
// it is older the action answers with a prompt that carries the form as it was posted, so the
// page can send it again with the code and nothing typed is lost.
import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { getDb, getFactorContext, getSecondFactorPolicy } from '../../runtime';
import { clientAddress } from '../../http';
import { markSessionVerified, verifySecondFactor } from './factors';

export const stepUpCodeField = 'secondFactorCode';

export interface StepUpPrompt {
	/** The form action to post to again (`?/publish`). */
	action: string;
	/** The posted form's text fields, to send again unchanged. */
	fields: [string, string][];
	error: 'secondFactor.stepUpNeeded' | 'secondFactor.invalid' | 'secondFactor.locked';
	until?: string;
}

/** A form is carried back whole; these bounds only stop a crafted one from growing the page. */
const keptFieldsMax = 200;

export function keptFields(form: FormData): [string, string][] {
	const kept: [string, string][] = [];
	for (const [name, value] of form) {
		if (name === stepUpCodeField || typeof value !== 'string') continue;
		if (kept.length >= keptFieldsMax) break;
		kept.push([name, value]);
	}
	return kept;
}

/** Whether the session's last check is recent enough (always, for a person without a factor). */
export function stepUpFresh(user: { hasSecondFactor: boolean }, checkedAt: Date | null, stepUpMs: number, now = new Date()): boolean {
	if (!user.hasSecondFactor) return true;
	return !!checkedAt && now.getTime() - checkedAt.getTime() < stepUpMs;
}

/**
 * Null when the action may go on — no factor, a fresh check, or a right code in the form (which
 * freshens the session) — else the failure to return, with the prompt under `stepUp`.
 */
export async function requireFreshSecondFactor(
	event: Pick<RequestEvent, 'locals' | 'getClientAddress'>,
	form: FormData,
	action: string,
	now = new Date()
): Promise<ActionFailure<{ stepUp: StepUpPrompt }> | null> {
	const { locals } = event;
	const user = locals.user;
	if (!user || !locals.sessionId) return null; // the hooks and the role check came first
	if (stepUpFresh(user, locals.secondFactorAt ?? null, getSecondFactorPolicy().stepUpMs, now)) return null;
	const fields = keptFields(form);
	const code = form.get(stepUpCodeField);
	if (typeof code !== 'string' || !code.trim()) {
		return fail(403, { stepUp: { action, fields, error: 'secondFactor.stepUpNeeded' as const } });
	}
	const db = getDb();
	const result = await verifySecondFactor(db, getFactorContext(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, code, now);
	if (!result.ok) {
		if (result.reason === 'locked') {
			return fail(429, { stepUp: { action, fields, error: 'secondFactor.locked' as const, until: result.until.toISOString() } });
		}
		return fail(400, { stepUp: { action, fields, error: 'secondFactor.invalid' as const } });
	}
	await markSessionVerified(db, locals.sessionId, now);
	locals.secondFactorAt = now;
	return null;
}
