// Effect of revisions: a changed section's error rate before and after each revision.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { citationOfPath, excerptOf, sectionTitle } from '../../policy/citation';
import type { DbOrTx } from '../../db/client';
import { campaigns, completionCounts, courses, policies, policyVersions, sectionDailyStats, type ChangeKind, type Role } from '../../db/schema';
import { isUuid } from '../../db/ids';
import { canSeeRestricted } from '../../policy/visibility';
import { compareVersions } from '../../policy/policies';
import { comparePolicyVersions } from '../../policy/diff';
import { japanDay } from '../../../format/calendar';
import { wilsonInterval, type Interval } from '../statistics';
import { sum } from './model';
import { minGroupPeople } from './withholding';

/** Fewer answers than this in a period before or after a revision are not compared. */
export const effectMinAnswers = 20;

export interface PeriodFigures {
	/** First day counted (Japan time), or null from the beginning. */
	from: string | null;
	/** First day no longer counted, or null up to today. */
	until: string | null;
	answers: number;
	/** Withheld (null) unless `enough`. */
	errors: number | null;
	errorRate: number | null;
	interval: Interval | null;
	/** Enough answers (and people) to compare. */
	enough: boolean;
}

export interface SectionEffect {
	key: string;
	/** The key before the revision, when it was renumbered. */
	fromKey: string | null;
	/** …and how the earlier version cited it. */
	fromCitation: string | null;
	label: string;
	/** 「6(3)③ インターネット接続系においては…」 */
	title: string;
	heading: string;
	excerpt: string | null;
	before: PeriodFigures;
	after: PeriodFigures;
}

export interface VersionEffect {
	versionId: string;
	version: string;
	previousVersion: string;
	changeKind: ChangeKind;
	/** Japan day of publication: answers from this day on count as after. */
	publishedOn: string;
	sections: SectionEffect[];
}

export interface RevisionEffects {
	policyId: string;
	/** People who submitted in any campaign of a course on this policy (延べ). */
	people: number;
	shown: boolean;
	minAnswers: number;
	/** Newest first. */
	versions: VersionEffect[];
}

/**
 * For each published revision of a policy (一部改訂 or 全部改訂, with a publication time and a
 * previous version with text): the sections whose text changed, and their error rate over every
 * campaign on the policy before and from the publication day. Each period runs only while the
 * version concerned was in force, so a later revision does not blur an earlier one's effect.
 * Null when the policy is not there for the viewer.
 */
export async function revisionEffects(
	db: DbOrTx,
	orgId: string,
	policyId: string,
	options: { roles: readonly Role[]; minAnswers?: number; minGroupPeople?: number }
): Promise<RevisionEffects | null> {
	if (!isUuid(policyId)) return null;
	const minAnswers = options.minAnswers ?? effectMinAnswers;
	const [policy] = await db
		.select()
		.from(policies)
		.where(and(eq(policies.orgId, orgId), eq(policies.id, policyId)));
	if (!policy || !canSeeRestricted(policy.restrictedTo, options.roles)) return null;
	const history = (
		await db
			.select()
			.from(policyVersions)
			.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.policyId, policyId), inArray(policyVersions.status, ['published', 'superseded'])))
			.orderBy(desc(policyVersions.createdAt))
	).sort((a, b) => compareVersions(a.version, b.version));
	const [{ people }] = await db
		.select({ people: sql<number>`coalesce(sum(${completionCounts.attempted}), 0)::int` })
		.from(completionCounts)
		.innerJoin(campaigns, eq(campaigns.id, completionCounts.campaignId))
		.innerJoin(courses, eq(courses.id, campaigns.courseId))
		.where(and(eq(completionCounts.orgId, orgId), eq(campaigns.orgId, orgId), eq(courses.policyId, policyId)));
	const shown = people >= (options.minGroupPeople ?? minGroupPeople);

	const viewer = { orgId, roles: options.roles };
	const revised: Omit<VersionEffect, 'sections'>[] = [];
	const changed = new Map<string, Omit<SectionEffect, 'before' | 'after'>[]>();
	for (let i = 1; i < history.length; i++) {
		const v = history[i];
		const prev = history[i - 1];
		if (v.changeKind === 'enacted' || !v.publishedAt || !v.textHeld || !prev.textHeld) continue;
		const comparison = await comparePolicyVersions(db, viewer, policy.slug, prev.version, v.version);
		if (!comparison) continue;
		revised.push({ versionId: v.id, version: v.version, previousVersion: prev.version, changeKind: v.changeKind, publishedOn: japanDay(v.publishedAt) });
		changed.set(
			v.id,
			comparison.changes
				.filter((c) => c.kind === 'changed' || (c.kind === 'moved' && (c.headingParts || c.bodyParts)))
				.map((c) => ({
					key: c.key,
					fromKey: c.fromKey ?? null,
					fromCitation: c.fromPath ? citationOfPath(c.fromPath) : null,
					label: c.label,
					heading: c.heading,
					excerpt: c.heading.trim() ? null : excerptOf(c.after?.body ?? ''),
					title: sectionTitle({ citation: citationOfPath(c.path), heading: c.heading, body: c.after?.body ?? '' })
				}))
		);
	}
	const keys = [...new Set([...changed.values()].flatMap((list) => list.flatMap((c) => (c.fromKey ? [c.key, c.fromKey] : [c.key]))))];
	const daily = keys.length
		? await db
				.select({
					key: sectionDailyStats.sectionKey,
					day: sectionDailyStats.day,
					answers: sql<number>`sum(${sectionDailyStats.answers})::int`,
					errors: sql<number>`sum(${sectionDailyStats.errors})::int`
				})
				.from(sectionDailyStats)
				.innerJoin(campaigns, eq(campaigns.id, sectionDailyStats.campaignId))
				.innerJoin(courses, eq(courses.id, campaigns.courseId))
				.where(and(eq(sectionDailyStats.orgId, orgId), eq(campaigns.orgId, orgId), eq(courses.policyId, policyId), inArray(sectionDailyStats.sectionKey, keys)))
				.groupBy(sectionDailyStats.sectionKey, sectionDailyStats.day)
		: [];

	// Publication days of every version in the history, to bound each period to one version in force.
	const publishedDays = history.flatMap((v) => (v.publishedAt ? [japanDay(v.publishedAt)] : [])).sort();
	const period = (key: string, from: string | null, until: string | null): PeriodFigures => {
		const rows = daily.filter((d) => d.key === key && (from === null || d.day >= from) && (until === null || d.day < until));
		const answers = sum(rows.map((r) => r.answers));
		const enough = shown && answers >= minAnswers;
		const errors = sum(rows.map((r) => r.errors));
		return {
			from,
			until,
			answers,
			errors: enough ? errors : null,
			errorRate: enough ? errors / answers : null,
			interval: enough ? wilsonInterval(errors, answers) : null,
			enough
		};
	};
	const versions: VersionEffect[] = revised.map((v) => {
		const previousDay = publishedDays.filter((d) => d < v.publishedOn).at(-1) ?? null;
		const nextDay = publishedDays.find((d) => d > v.publishedOn) ?? null;
		return {
			...v,
			sections: (changed.get(v.versionId) ?? []).map((c) => ({
				...c,
				before: period(c.fromKey ?? c.key, previousDay, v.publishedOn),
				after: period(c.key, v.publishedOn, nextDay)
			}))
		};
	});
	return { policyId, people, shown, minAnswers, versions: versions.reverse() };
}
