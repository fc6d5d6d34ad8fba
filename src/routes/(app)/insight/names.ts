// How the 弱点分析 pages name what they show, and the addresses between them.
import { t } from '$lib/i18n';
import type { WeakSpotFilter } from '$lib/server/insight/weak-spots/model';
import { rateParts, type Rate } from './format';

type SectionLike = { key: string; heading: string | null; title: string };

/** 6(3)② and its heading, or the start of its text for an item without one (①, ア); marked when the version in force no longer has it. */
export const sectionName = (s: SectionLike): string => (s.heading === null ? `${s.title} ${t('insight.notInForce')}` : s.title);

/** The section in the policy reader, when the version in force has it. */
export const sectionHref = (slug: string | undefined, s: SectionLike): string | null => (s.heading !== null && slug ? `/policy/${slug}#s-${s.key}` : null);

/** 「12.3%（95%信頼区間 8.1–17.9%）」, or a dash without answers. */
export function rateText(r: Rate): string {
	const parts = rateParts(r);
	return parts ? t('insight.rate', parts) : '—';
}

export const num = (n: number): string => n.toLocaleString('ja-JP');

/** The address of a 弱点分析 page for the same campaign or 年度, with more parameters. */
export function insightHref(path: string, filter: WeakSpotFilter, more: Record<string, string | null> = {}): string {
	const params = new URLSearchParams('campaignId' in filter ? { campaign: filter.campaignId } : { year: String(filter.fiscalYear) });
	for (const [name, value] of Object.entries(more)) if (value !== null) params.set(name, value);
	return `${path}?${params}`;
}
