// The 自己点検 evidence file an auditor takes away: per item the checklist, the practice asked
// about, the 監査項目番号 and the sections it supports, the はい / いいえ / 該当しない counts and the
// non-compliance rate, that rate per department (withheld as on the page), and the 改善計画 of the
// item. As CSV (one row per item) or as an Excel workbook (項目別, 所属別, 改善計画) whose counts
// are numbers, rates fractions shown as percentages and dates Excel dates in 和暦. Text goes in as
// text: nothing a person typed (a plan, a checklist item) can become a formula.
import { translate, type Locale, type MessageKey } from '../../i18n/core';
import { formatDate, formatFiscalYear } from '../../format/wareki';
import { excelDate, tablesWorkbook, type Column, type Kind, type SheetSpec } from '../insight/xlsx-tables';
import type { CsvCell } from '../insight/csv';
import type { InspectionDepartment, InspectionFigures, InspectionItemFigures } from './figures';
import type { ImprovementRow } from './improvements';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const translator =
	(locale: Locale): Translate =>
	(key, params) =>
		translate(locale, key, params);

/** A department column's name: 総務部, 総務部（直属）, or 所属なし. */
export function departmentLabel(d: Pick<InspectionDepartment, 'departmentId' | 'code' | 'name' | 'directOnly'>, t: Translate): string {
	if (d.departmentId === null) return t('person.noDepartment');
	const name = d.name ?? d.code ?? '';
	return d.directOnly ? t('team.directOnly', { name }) : name;
}

/** The cited sections as the document cites them: 6(5)、4(2)①. */
export const citations = (item: Pick<InspectionItemFigures, 'sections'>): string => item.sections.map((s) => s.citation).join('、');

/** A rate as a percentage with one decimal, for CSV (12.5); null without answers. */
const percentCell = (fraction: number | null | undefined): number | null =>
	fraction === null || fraction === undefined ? null : Math.round(fraction * 1000) / 10;

const plansOf = (figures: InspectionFigures, itemId: string) => figures.improvements.filter((p) => p.itemId === itemId);

function planLine(p: ImprovementRow, t: Translate, locale: Locale): string {
	return t('evidence.planLine', {
		department: p.departmentName,
		plan: p.plan || t('evidence.noPlan'),
		assignee: p.assignee || t('evidence.noPlan'),
		dueOn: p.dueOn ? formatDate(p.dueOn, locale) : t('evidence.noPlan'),
		status: t(`improvement.status.${p.status}`)
	});
}

/** What the figures are of: 令和8年度 or the round's title, for headings and file names. */
export function evidencePeriod(figures: InspectionFigures, locale: Locale): string {
	if ('fiscalYear' in figures.filter) return locale === 'ja' ? formatFiscalYear(figures.filter.fiscalYear) : `FY${figures.filter.fiscalYear}`;
	return figures.rounds[0]?.title ?? '';
}

/** The rows of the CSV: a header, then one row per item, least followed first. */
export function evidenceCsvRows(figures: InspectionFigures, locale: Locale): CsvCell[][] {
	const t = translator(locale);
	const withheld = t('evidence.withheld');
	const header: CsvCell[] = [
		t('evidence.col.checklist'),
		t('evidence.col.number'),
		t('evidence.col.item'),
		t('evidence.col.auditItem'),
		t('evidence.col.sections'),
		t('evidence.col.yes'),
		t('evidence.col.no'),
		t('evidence.col.na'),
		t('evidence.col.ratePercent'),
		t('evidence.col.lowPercent'),
		t('evidence.col.highPercent'),
		...figures.departments.map((d) => t('evidence.col.departmentRate', { department: departmentLabel(d, t) })),
		t('evidence.col.plans')
	];
	const rows = figures.items.map((item): CsvCell[] => [
		item.checklistTitle,
		item.number,
		item.text,
		item.auditItem ?? '',
		citations(item),
		...(item.suppressed
			? [withheld, withheld, withheld, withheld, withheld, withheld]
			: [item.yes, item.no, item.na, percentCell(item.rate), percentCell(item.interval?.low), percentCell(item.interval?.high)]),
		...item.byDepartment.map((c) => (c.suppressed ? withheld : percentCell(c.rate))),
		plansOf(figures, item.itemId)
			.map((p) => planLine(p, t, locale))
			.join('\n')
	]);
	return [header, ...rows];
}

/** The workbook: 項目別 (per item, with the per-department rates), 所属別 (completion) and 改善計画. */
export async function evidenceWorkbook(figures: InspectionFigures, options: { locale: Locale; organisation: string; today: string }): Promise<Uint8Array> {
	const { locale } = options;
	const t = translator(locale);
	const withheld = t('evidence.withheld');
	const col = (key: MessageKey, kind: Kind, width: number): Column => ({ header: t(key), kind, width });
	const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
	const k = figures.minGroupPeople;

	const sheets: SheetSpec[] = [
		{
			name: t('evidence.sheet.items'),
			heading: t('evidence.items.heading'),
			columns: [
				col('evidence.col.checklist', 'text', 28),
				col('evidence.col.number', 'count', 6),
				col('evidence.col.item', 'text', 48),
				col('evidence.col.auditItem', 'text', 12),
				col('evidence.col.sections', 'text', 16),
				col('evidence.col.yes', 'count', 8),
				col('evidence.col.no', 'count', 8),
				col('evidence.col.na', 'count', 10),
				col('evidence.col.rate', 'rate', 10),
				col('evidence.col.low', 'rate', 10),
				col('evidence.col.high', 'rate', 10),
				...figures.departments.map((d) => ({
					header: t('evidence.col.departmentRate', { department: departmentLabel(d, t) }),
					kind: 'rate' as const,
					width: 14
				})),
				col('evidence.col.openPlans', 'count', 10)
			],
			rows: figures.items.map((item) => [
				item.checklistTitle,
				item.number,
				item.text,
				item.auditItem,
				citations(item),
				...(item.suppressed
					? [withheld, withheld, withheld, withheld, withheld, withheld]
					: [item.yes, item.no, item.na, item.rate, item.interval?.low ?? null, item.interval?.high ?? null]),
				...item.byDepartment.map((c) => (c.suppressed ? withheld : c.rate)),
				plansOf(figures, item.itemId).filter((p) => p.status !== 'done').length
			]),
			note: figures.items.length === 0 ? t('evidence.noItems') : t('evidence.withheldNote', { k })
		},
		{
			name: t('evidence.sheet.departments'),
			heading: t('evidence.completion.heading'),
			columns: [
				col('report.xlsx.departmentCode', 'text', 10),
				col('evidence.col.department', 'text', 28),
				col('evidence.col.assigned', 'count', 10),
				col('evidence.col.completed', 'count', 10),
				col('evidence.col.completionRate', 'rate', 10)
			],
			rows: figures.departments.map((d) => [d.code, departmentLabel(d, t), d.assigned, d.completed, share(d.completed, d.assigned)]),
			note: figures.departments.length === 0 ? t('evidence.noAssignments') : undefined
		},
		{
			name: t('evidence.sheet.improvements'),
			heading: t('evidence.improvements.heading'),
			columns: [
				col('evidence.col.checklist', 'text', 24),
				col('evidence.col.item', 'text', 40),
				col('evidence.col.auditItem', 'text', 12),
				col('report.xlsx.departmentCode', 'text', 10),
				col('evidence.col.department', 'text', 20),
				col('evidence.col.fiscalYear', 'text', 12),
				col('improvement.finding', 'text', 30),
				col('improvement.plan', 'text', 40),
				col('improvement.assignee', 'text', 16),
				col('improvement.dueOn', 'date', 16),
				col('improvement.statusLabel', 'text', 10)
			],
			rows: figures.improvements.map((p) => [
				p.checklistTitle,
				p.itemText,
				p.auditItem,
				p.departmentCode,
				p.departmentName,
				locale === 'ja' ? formatFiscalYear(p.fiscalYear) : `FY${p.fiscalYear}`,
				p.finding,
				p.plan,
				p.assignee,
				p.dueOn ? excelDate(p.dueOn) : null,
				t(`improvement.status.${p.status}`)
			]),
			note: figures.improvements.length === 0 ? t('evidence.improvements.none') : undefined
		}
	];

	return tablesWorkbook(sheets, {
		creator: options.organisation,
		title: `${options.organisation} ${t('evidence.fileTitle', { period: evidencePeriod(figures, locale) })}`,
		preparedLabel: t('report.preparedOn'),
		preparedOn: options.today,
		locale
	});
}

/** 令和8年度_自己点検結果_北杜市.xlsx, and an ASCII name for old clients. */
export function evidenceFileName(
	figures: InspectionFigures,
	locale: Locale,
	organisation: string,
	extension: 'csv' | 'xlsx'
): { name: string; fallback: string } {
	const period = evidencePeriod(figures, locale).replace(/[\\/:*?"<>|\s]+/g, '_');
	const asciiPeriod = 'fiscalYear' in figures.filter ? `FY${figures.filter.fiscalYear}` : `round-${figures.filter.campaignId.slice(0, 8)}`;
	return {
		name: `${translate(locale, 'evidence.fileName', { period, organisation })}.${extension}`,
		fallback: `self-inspection-${asciiPeriod}.${extension}`
	};
}
