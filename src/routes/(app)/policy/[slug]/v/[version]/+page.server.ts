import type { PageServerLoad } from './$types';
import { loadDocument } from '../../load-document';

export const load: PageServerLoad = ({ locals, url, params }) => loadDocument(locals, url, params.slug, params.version);
