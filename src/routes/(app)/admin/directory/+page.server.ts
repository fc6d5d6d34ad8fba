import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress } from '$lib/server/http';
import { directoryConfig } from '$lib/server/auth/directory/config';
import { directoryOrgId, listDirectorySyncs, previewDirectorySync } from '$lib/server/org/directory-sync';

/** The directory's settings when they serve the caller's organisation. */
async function configFor(orgId: string) {
	const config = directoryConfig();
	if (!config) return { config: null, state: 'not_configured' as const };
	if ((await directoryOrgId(getDb(), config)) !== orgId) return { config: null, state: 'other_organisation' as const };
	return { config, state: 'configured' as const };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const { config, state } = await configFor(user.orgId);
	const syncs = config ? await listDirectorySyncs(getDb(), user.orgId) : [];
	return {
		state,
		// What the admin may see of the settings: never the bind password.
		settings: config && {
			url: config.url,
			startTls: config.startTls,
			baseDn: config.baseDn,
			loginAttribute: config.loginAttribute,
			departments: config.sync.departments,
			departmentsDn: config.sync.departmentsDn,
			departmentCodeAttribute: config.sync.departmentCodeAttribute,
			departmentNameAttribute: config.sync.departmentNameAttribute,
			hour: config.sync.hour,
			maxLeaversPercent: config.sync.maxLeaversPercent,
			localPasswords: config.localPasswords
		},
		syncs: syncs.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), appliedAt: s.appliedAt?.toISOString() ?? null }))
	};
};

export const actions: Actions = {
	preview: async (event) => {
		const user = requireRole(event.locals, event.url, 'admin');
		const { config } = await configFor(user.orgId);
		if (!config) return fail(409, { error: 'directory.notConfigured' as const });
		const result = await previewDirectorySync(getDb(), { orgId: user.orgId, personId: user.id, ip: clientAddress(event) }, config);
		if (!result.ok) {
			if (result.reason === 'unavailable') return fail(503, { error: 'directory.unavailable' as const });
			return fail(400, { error: 'directory.problems' as const, problems: result.problems, more: result.more });
		}
		redirect(303, `/admin/roster/${result.importId}`);
	}
};
