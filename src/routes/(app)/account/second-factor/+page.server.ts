import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getDb, getFactorContext, getSecondFactorPolicy } from '$lib/server/runtime';
import { confirmEnrolment, enrolmentSecret, markSessionVerified, secondFactorCodeMaxLength, secondFactorStatus } from '$lib/server/auth/mfa/factors';
import { secondFactorRequired } from '$lib/server/auth/mfa/policy';
import { secretForManualEntry, totpKeyUri } from '$lib/server/auth/mfa/totp';
import { qrSvg } from '$lib/server/auth/mfa/qr';
import { clientAddress, formString } from '$lib/server/http';

/** What an authenticator app lists the account as. */
const issuer = 'Mamori';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const status = await secondFactorStatus(db, user.orgId, user.id);
	const required = secondFactorRequired(getSecondFactorPolicy(), user.roles);
	if (status.enrolled) {
		return { required, enrolled: { confirmedAt: status.confirmedAt!.toISOString(), recoveryCodesLeft: status.recoveryCodesLeft }, enrolment: null };
	}
	// The secret offered until it is confirmed; once confirmed it is never shown again.
	const secret = (await enrolmentSecret(db, getFactorContext().key, user))!;
	return {
		required,
		enrolled: null,
		enrolment: { qr: await qrSvg(totpKeyUri(issuer, `${user.employeeNumber} ${user.orgName}`, secret)), manualKey: secretForManualEntry(secret) }
	};
};

export const actions: Actions = {
	confirm: async (event) => {
		const user = requireUser(event.locals, event.url);
		const form = await event.request.formData();
		const code = formString(form, 'code').trim();
		if (code.length > secondFactorCodeMaxLength) return fail(400, { error: 'secondFactor.tooLong' as const });
		if (!code) return fail(400, { error: 'secondFactor.required' as const });
		const db = getDb();
		const result = await confirmEnrolment(db, getFactorContext(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, code);
		if (!result.ok) {
			if (result.reason === 'locked') return fail(429, { error: 'secondFactor.locked' as const, until: result.until.toISOString() });
			if (result.reason === 'not_started') return fail(409, { error: 'secondFactor.notStarted' as const });
			return fail(400, { error: 'secondFactor.invalid' as const });
		}
		// Enrolling proved the factor: this session counts as checked now.
		if (event.locals.sessionId) await markSessionVerified(db, event.locals.sessionId);
		return { recoveryCodes: result.recoveryCodes };
	}
};
