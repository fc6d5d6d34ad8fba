import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { getLearnerAssignment } from '$lib/server/learning/assignments';
import { getDocumentSettings } from '$lib/server/org/document-settings';
import { contractOf } from '$lib/server/org/people';
import { getDb } from '$lib/server/runtime';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = getDb();
	const a = await getLearnerAssignment(db, user.orgId, user.id, params.assignmentId);
	if (!a) error(404, { message: 'Not found', key: 'error.notFound' });
	const [settings, contract] = await Promise.all([getDocumentSettings(db, user.orgId), contractOf(db, user.orgId, user.id)]);
	return {
		completed: a.status === 'completed' && !!a.completedAt,
		certificate: {
			number: `${a.fiscalYear}-${a.id.slice(0, 8).toUpperCase()}`,
			orgName: user.orgName,
			issuerTitle: settings.certificateIssuerTitle,
			issuerName: settings.certificateIssuerName,
			name: user.name,
			departmentName: user.departmentName,
			company: contract?.company || null,
			courseTitle: a.course.title,
			campaignTitle: a.campaignTitle,
			fiscalYear: a.fiscalYear,
			completedAt: a.completedAt?.toISOString() ?? null,
			score: a.bestScore
		},
		assignmentId: a.id
	};
};
