import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { acknowledgedAt } from '$lib/server/policy/acknowledge';
import { readPolicy } from '$lib/server/policy/reader';
import { getDb } from '$lib/server/runtime';

/** The reader's data for the version in force (no `version`) or a given version. */
export async function loadDocument(locals: App.Locals, url: URL, slug: string, version?: string) {
	const user = requireUser(locals, url);
	const db = getDb();
	const doc = await readPolicy(db, { orgId: user.orgId, roles: user.roles }, slug, version);
	if (!doc) error(404, { message: 'Not found', key: 'error.notFound' });
	const isInForce = doc.inForce?.id === doc.version.id;
	const ackAt = isInForce ? await acknowledgedAt(db, user.id, doc.version.id) : null;
	const v = doc.version;
	const owns = user.roles.some((r) => r === 'policy_owner' || r === 'admin');
	return {
		policy: { slug: doc.policy.slug, title: doc.version.title || doc.policy.title, restricted: !!doc.policy.restrictedTo?.length },
		version: {
			id: v.id,
			version: v.version,
			status: v.status,
			effectiveDate: v.effectiveDate,
			dateLabel: v.dateLabel,
			changeKind: v.changeKind,
			isInForce
		},
		inForceVersion: doc.inForce?.version ?? null,
		preambleHtml: doc.preambleHtml,
		// Text shown as plain text is explained to those who can edit it; staff just read it.
		preambleNotice: owns ? doc.preambleProblem : null,
		sections: doc.sections.map(({ problem, ...s }) => ({ ...s, notice: owns ? problem : null })),
		glossary: doc.glossary,
		acknowledgedAt: ackAt?.toISOString() ?? null,
		canSeeAcknowledgements: user.roles.some((r) => ['supervisor', 'policy_owner', 'approver', 'admin'].includes(r))
	};
}
