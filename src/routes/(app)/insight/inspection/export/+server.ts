import type { RequestHandler } from './$types';
import { encodeCsv, fileDownload, parseCsvEncoding, csvEncodingNames } from '$lib/server/insight/csv';
import { evidenceCsvRows, evidenceFileName, evidenceWorkbook } from '$lib/server/inspection/evidence-export';
import { readQuery } from '$lib/server/input/query';
import { loadEvidence } from '../view.server';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The evidence file: `?round=<id>` or `?year=<yyyy>`, `format=csv|xlsx` (CSV by default), `encoding=` for CSV. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const { figures, organisation, today } = await loadEvidence(locals, url);
	const query = readQuery(url);
	const format = query.choice('format', ['csv', 'xlsx'] as const) ?? 'csv';
	const encoding = parseCsvEncoding(query.choice('encoding', csvEncodingNames));
	const orgName = (locals.locale === 'en' && organisation.nameEn) || organisation.name;
	const { name, fallback } = evidenceFileName(figures, locals.locale, orgName, format);
	if (format === 'xlsx') {
		return fileDownload(await evidenceWorkbook(figures, { locale: locals.locale, organisation: orgName, today }), name, xlsxType, fallback);
	}
	return fileDownload(
		encodeCsv(evidenceCsvRows(figures, locals.locale), encoding),
		name,
		`text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`,
		fallback
	);
};
