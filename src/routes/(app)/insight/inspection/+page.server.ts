import type { PageServerLoad } from './$types';
import { loadEvidence } from './view.server';

// A report with no script of its own, like the weak-spot pages.
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { filter, figures, rounds, years } = await loadEvidence(locals, url);
	return { filter, figures, rounds, years };
};
