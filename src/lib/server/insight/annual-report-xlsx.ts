// 年度報告 as an Excel workbook for the committee's materials: one sheet per section of the report,
// counts as numbers, rates as fractions shown as percentages, dates as Excel dates in 和暦, so the
// figures can be pasted and summed. Text goes in as text, whatever it starts with: nothing a
// person typed (a campaign's or a person's name) can become a formula.
import { translate, type Locale, type MessageKey } from '../../i18n/core';
import { formatFiscalYear } from '../../format/wareki';
import { weakSectionMinAnswers, type AnnualReport } from './annual-report';
import { excelDate, headerRow, tablesWorkbook, type Column, type Kind, type SheetSpec } from './xlsx-tables';

export { excelDate, headerRow };

/** A share as the fraction Excel formats as a percentage; none for nobody. */
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The workbook of one report, in the reader's language. `origin` makes the 新旧対照表 links absolute. */
export async function annualReportWorkbook(report: AnnualReport, options: { locale: Locale; origin: string }): Promise<Uint8Array> {
	const { locale } = options;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
	const version = (v: string) => t('policy.version', { version: v });
	const department = (code: string | null, name: string | null) => (code === null ? [null, t('person.noDepartment')] : [code, name ?? '']);
	const date = (iso: string | null) => (iso ? excelDate(iso) : null);
	const yearTitle = locale === 'ja' ? formatFiscalYear(report.fiscalYear) : `FY${report.fiscalYear}`;
	const orgName = locale === 'en' && report.organisation.nameEn ? report.organisation.nameEn : report.organisation.name;
	const col = (key: MessageKey, kind: Kind, width: number): Column => ({ header: t(key), kind, width });
	const ins = report.inspection;

	const sheets: SheetSpec[] = [
		{
			name: t('report.sheet.campaigns'),
			heading: t('report.campaigns.heading'),
			columns: [
				col('report.campaigns.name', 'text', 36),
				col('report.campaigns.course', 'text', 32),
				col('report.campaigns.startsOn', 'date', 16),
				col('report.campaigns.dueOn', 'date', 16),
				col('report.assigned', 'count', 10),
				col('report.completed', 'count', 10),
				col('report.rate', 'rate', 10),
				col('report.overdue', 'count', 10)
			],
			rows: report.campaigns.map((c) => [
				c.title,
				c.courseTitle,
				date(c.startsOn),
				date(c.dueOn),
				c.assigned,
				c.completed,
				share(c.completed, c.assigned),
				c.overdue
			]),
			total: [
				t('report.total'),
				null,
				null,
				null,
				report.totals.assigned,
				report.totals.completed,
				share(report.totals.completed, report.totals.assigned),
				report.totals.overdue
			],
			note: report.campaigns.length === 0 ? t('report.campaigns.empty') : undefined
		},
		{
			name: t('report.sheet.departments'),
			heading: t('report.departments.heading'),
			columns: [
				col('report.xlsx.departmentCode', 'text', 10),
				col('report.departments.department', 'text', 28),
				col('report.assigned', 'count', 10),
				col('report.completed', 'count', 10),
				col('report.rate', 'rate', 10)
			],
			rows: report.byDepartment.map((d) => [...department(d.code, d.name), d.assigned, d.completed, share(d.completed, d.assigned)]),
			total: [t('report.total'), null, report.totals.assigned, report.totals.completed, share(report.totals.completed, report.totals.assigned)],
			note: report.totals.assigned === 0 ? t('report.noAssignments') : undefined
		},
		{
			name: t('report.sheet.employment'),
			heading: t('report.employment.heading'),
			columns: [
				col('report.employment.type', 'text', 20),
				col('report.assigned', 'count', 10),
				col('report.completed', 'count', 10),
				col('report.rate', 'rate', 10)
			],
			rows: report.byEmploymentType.map((e) => [t(`employment.${e.employmentType}`), e.assigned, e.completed, share(e.completed, e.assigned)]),
			total: [t('report.total'), report.totals.assigned, report.totals.completed, share(report.totals.completed, report.totals.assigned)],
			note: report.totals.assigned === 0 ? t('report.noAssignments') : undefined
		},
		{
			name: t('report.sheet.overdue'),
			heading: t('report.overdue.heading'),
			columns: [
				col('people.number', 'text', 12),
				col('people.name', 'text', 20),
				col('report.xlsx.left', 'text', 8),
				col('report.xlsx.departmentCode', 'text', 10),
				col('report.departments.department', 'text', 24),
				col('report.employment.type', 'text', 18),
				col('report.overdue.campaign', 'text', 36),
				col('report.overdue.dueOn', 'date', 16)
			],
			rows: report.overduePeople.map((p) => [
				p.employeeNumber,
				p.name,
				p.active ? null : t('report.overdue.left'),
				...department(p.departmentCode, p.departmentName),
				t(`employment.${p.employmentType}`),
				p.campaignTitle,
				date(p.dueOn)
			]),
			note:
				report.campaigns.length === 0
					? t('report.overdue.noCampaigns')
					: report.campaignsPastDue === 0
						? t('report.overdue.notYet')
						: report.overdueTotal === 0
							? t('report.overdue.none')
							: report.overduePeople.length < report.overdueTotal
								? t('report.xlsx.overdueLimited', { shown: report.overduePeople.length, count: report.overdueTotal })
								: undefined
		},
		{
			name: t('report.sheet.ack'),
			heading: t('report.ack.heading'),
			columns: [
				col('report.ack.policy', 'text', 36),
				col('report.ack.version', 'text', 10),
				col('report.xlsx.inForceFrom', 'date', 16),
				col('report.xlsx.inForceUntil', 'date', 16),
				col('report.ack.acknowledged', 'count', 10),
				col('report.ack.due', 'count', 10),
				col('report.ack.rate', 'rate', 10)
			],
			rows: report.acknowledgements.flatMap((a) =>
				a.versions.map((v) => [a.title, version(v.version), date(v.inForceFrom), date(v.inForceUntil), v.acknowledged, v.due, share(v.acknowledged, v.due)])
			),
			note: report.acknowledgements.length === 0 ? t('report.ack.empty') : t('report.ack.intro')
		},
		{
			name: t('report.sheet.ackDepartments'),
			heading: t('report.xlsx.ackByDepartment'),
			columns: [
				col('report.ack.policy', 'text', 36),
				col('report.ack.version', 'text', 10),
				col('report.xlsx.departmentCode', 'text', 10),
				col('report.departments.department', 'text', 24),
				col('report.ack.acknowledged', 'count', 10),
				col('report.ack.due', 'count', 10),
				col('report.ack.rate', 'rate', 10)
			],
			rows: report.acknowledgements.flatMap((a) =>
				a.versions.flatMap((v) =>
					v.byDepartment.map((d) => [a.title, version(v.version), ...department(d.code, d.name), d.acknowledged, d.due, share(d.acknowledged, d.due)])
				)
			),
			note: report.acknowledgements.length === 0 ? t('report.ack.empty') : undefined
		},
		{
			name: t('report.sheet.revisions'),
			heading: t('report.revisions.heading'),
			columns: [
				col('report.ack.policy', 'text', 36),
				col('history.version', 'text', 10),
				col('history.date', 'date', 16),
				col('report.xlsx.publishedOn', 'date', 16),
				col('history.kind', 'text', 10),
				col('history.reason', 'text', 48),
				col('report.revisions.kind.changed', 'count', 8),
				col('report.revisions.kind.added', 'count', 8),
				col('report.revisions.kind.removed', 'count', 8),
				col('report.revisions.kind.renumbered', 'count', 8),
				col('report.xlsx.diff', 'link', 60)
			],
			rows: report.revisions.map((v) => {
				const link = v.previousVersion
					? `${options.origin}/policy/${encodeURIComponent(v.slug)}/diff?from=${encodeURIComponent(v.previousVersion)}&to=${encodeURIComponent(v.version)}`
					: null;
				return [
					v.policyTitle,
					version(v.version),
					// The document's own words when it gives no day (平成17年3月).
					v.effectiveDate ? excelDate(v.effectiveDate) : v.dateLabel || null,
					date(v.publishedOn ?? v.effectiveDate),
					t(`history.kind.${v.changeKind}`),
					v.reason,
					v.summary?.changed ?? null,
					v.summary?.added ?? null,
					v.summary?.removed ?? null,
					v.summary?.renumbered ?? null,
					link ? { text: link, hyperlink: link } : null
				];
			}),
			note: report.revisions.length === 0 ? t('report.revisions.empty') : undefined
		},
		{
			name: t('report.sheet.revisionSections'),
			heading: t('report.xlsx.revisionSections'),
			columns: [
				col('report.ack.policy', 'text', 36),
				col('history.version', 'text', 10),
				col('report.xlsx.changeKind', 'text', 10),
				col('report.weak.section', 'text', 60),
				col('report.xlsx.fromCitation', 'text', 14)
			],
			rows: report.revisions.flatMap((v) =>
				v.sections.map((s) => [
					v.policyTitle,
					version(v.version),
					t(`report.revisions.kind.${s.kind}`),
					s.title,
					s.kind === 'added' || s.kind === 'removed' ? null : (s.fromCitation ?? null)
				])
			),
			note: report.revisions.length === 0 ? t('report.revisions.empty') : undefined
		},
		{
			name: t('report.sheet.weak'),
			heading: t('report.weak.heading'),
			columns: [
				col('report.weak.section', 'text', 60),
				col('report.ack.policy', 'text', 24),
				col('report.ack.version', 'text', 10),
				col('report.weak.answers', 'count', 10),
				col('report.weak.errors', 'count', 10),
				col('report.weak.rate', 'rate', 10)
			],
			rows: report.weakSections.map((s) => [s.name.title, s.policyTitle, version(s.name.version), s.answers, s.errors, share(s.errors, s.answers)]),
			note: report.weakSections.length === 0 ? t('report.weak.empty', { min: weakSectionMinAnswers }) : undefined
		},
		{
			name: t('report.sheet.inspectionCompletion'),
			heading: `${t('report.inspection.heading')} ${t('report.inspection.completion')}`,
			columns: [
				col('report.xlsx.departmentCode', 'text', 10),
				col('report.departments.department', 'text', 28),
				col('report.assigned', 'count', 10),
				col('report.completed', 'count', 10),
				col('report.rate', 'rate', 10)
			],
			rows: (ins?.byDepartment ?? []).map((d) => [...department(d.code, d.name), d.assigned, d.completed, share(d.completed, d.assigned)]),
			total: ins ? [t('report.total'), null, ins.totals.assigned, ins.totals.completed, share(ins.totals.completed, ins.totals.assigned)] : undefined,
			note: !ins ? t('report.inspection.empty') : ins.totals.assigned === 0 ? t('report.noAssignments') : undefined
		},
		{
			name: t('report.sheet.inspectionItems'),
			heading: `${t('report.inspection.heading')} ${t('report.inspection.least', { count: ins?.leastFollowed.length ?? 0 })}`,
			columns: [
				col('evidence.col.checklist', 'text', 24),
				col('evidence.col.number', 'count', 6),
				col('evidence.col.item', 'text', 48),
				col('evidence.col.sections', 'text', 16),
				col('evidence.col.auditItem', 'text', 12),
				col('evidence.col.yes', 'count', 8),
				col('evidence.col.no', 'count', 8),
				col('evidence.col.na', 'count', 10),
				col('evidence.col.rate', 'rate', 10)
			],
			rows: (ins?.leastFollowed ?? []).map((i) => [i.checklistTitle, i.number, i.text, i.citations, i.auditItem, i.yes, i.no, i.na, share(i.no, i.yes + i.no)]),
			note: !ins
				? t('report.inspection.empty')
				: [
						t('report.inspection.leastIntro', { k: ins.minGroupPeople }),
						...(ins.withheldChecklists.length ? [`${t('evidence.itemWithheld', { k: ins.minGroupPeople })}: ${ins.withheldChecklists.join(', ')}`] : []),
						...(ins.leastFollowed.length === 0 ? [t('report.inspection.leastEmpty')] : [])
					].join(' ')
		},
		{
			name: t('report.sheet.inspectionPlans'),
			heading: `${t('report.inspection.heading')} ${t('report.inspection.plans')}`,
			columns: [
				col('report.xlsx.departmentCode', 'text', 10),
				col('report.departments.department', 'text', 20),
				col('evidence.col.checklist', 'text', 24),
				col('evidence.col.item', 'text', 40),
				col('improvement.plan', 'text', 40),
				col('improvement.assignee', 'text', 16),
				col('improvement.dueOn', 'date', 16),
				col('improvement.statusLabel', 'text', 10)
			],
			rows: (ins?.openPlans ?? []).map((p) => [
				p.departmentCode,
				p.departmentName,
				p.checklistTitle,
				p.itemText,
				p.plan,
				p.assignee,
				date(p.dueOn),
				t(`improvement.status.${p.status}`)
			]),
			note: !ins ? t('report.inspection.empty') : ins.openPlans.length === 0 ? t('report.inspection.plansEmpty') : undefined
		}
	];

	return tablesWorkbook(sheets, {
		creator: orgName,
		title: `${orgName} ${t('report.title', { fiscalYear: yearTitle })}`,
		preparedLabel: t('report.preparedOn'),
		preparedOn: report.today,
		locale
	});
}

/** The file's name: 令和8年度_情報セキュリティ研修実施報告_北杜市.xlsx, and an ASCII one for old clients. */
export function annualReportFileName(report: AnnualReport, locale: Locale): { name: string; fallback: string } {
	const yearTitle = locale === 'ja' ? formatFiscalYear(report.fiscalYear) : `FY${report.fiscalYear}`;
	const org = (locale === 'en' && report.organisation.nameEn) || report.organisation.name;
	return {
		name: `${translate(locale, 'report.xlsx.fileName', { fiscalYear: yearTitle, organisation: org })}.xlsx`,
		fallback: `annual-report-FY${report.fiscalYear}.xlsx`
	};
}
