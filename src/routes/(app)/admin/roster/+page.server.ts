import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/runtime';
import { clientAddress, formDataWithinLimit } from '$lib/server/http';
import { listRosterImports, previewRosterFile, rosterMaxBytes } from '$lib/server/org/roster';
import { readQuery } from '$lib/server/input/query';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, url, 'admin');
	const imports = await listRosterImports(getDb(), user.orgId);
	return {
		discarded: readQuery(url).flag('discarded'),
		imports: imports.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), appliedAt: i.appliedAt?.toISOString() ?? null }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event.locals, event.url, 'admin');
		const form = await formDataWithinLimit(event.request);
		if (!form) return fail(413, { error: 'roster.error.tooLarge' as const });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: 'roster.noFile' as const });
		// Checked before reading, so a huge file is not decoded at all.
		if (file.size > rosterMaxBytes) return fail(413, { error: 'roster.error.tooLarge' as const });
		const result = await previewRosterFile(
			getDb(),
			{ orgId: user.orgId, personId: user.id, ip: clientAddress(event) },
			{ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
		);
		if (!result.ok) {
			if (result.reason === 'too_large') return fail(413, { error: 'roster.error.tooLarge' as const });
			return fail(400, { error: 'roster.errors' as const, fileName: file.name, problems: result.problems, more: result.more });
		}
		redirect(303, `/admin/roster/${result.importId}`);
	}
};
