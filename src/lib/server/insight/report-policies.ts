// The policy side of the 年度報告, over the whole 年度 rather than the version in force today: which
// versions were in force during the year and who acknowledged each, the revisions published in
// it with what they changed, and the names of sections as the version they were answered under
// gives them. 非公開 policies and sections are left out: the report is printed and handed round.
import { and, asc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { acknowledgements, departments, people, policies, policySections, policyVersions, type ChangeKind } from '../db/schema';
import { compareVersions } from '../policy/policies';
import { comparePolicyVersions } from '../policy/diff';
import { citationOfPath, sectionCitation, sectionTitle } from '../policy/citation';
import { canSeeRestricted } from '../policy/visibility';
import { formatIsoDate } from '../../format/wareki';
import { addDays, japanMidnight } from '../../format/calendar';

/** A 年度 as instants: from 1 April 00:00 Japan time up to (not including) the next 1 April. */
export interface YearWindow {
	start: Date;
	end: Date;
}

export function fiscalYearWindow(fiscalYear: number): YearWindow {
	return { start: japanMidnight(`${fiscalYear}-04-01`), end: japanMidnight(`${fiscalYear + 1}-04-01`) };
}

/** The end of `today` in Japan: figures of the year so far stop there. */
export function endOfJapanDay(today: string): Date {
	return japanMidnight(addDays(today, 1));
}

const earlier = (a: Date, b: Date) => (a < b ? a : b);

interface TimelineVersion {
	id: string;
	version: string;
	status: 'published' | 'superseded';
	changeKind: ChangeKind;
	reason: string;
	dateLabel: string;
	effectiveDate: string | null;
	textHeld: boolean;
	/** When it came into force in the app: its publication, or its 施行日 for a version imported. */
	from: Date | null;
	/** When the next version replaced it; null while in force, or when the next one has no date. */
	until: Date | null;
}

interface PolicyTimeline {
	id: string;
	slug: string;
	title: string;
	/** The 改訂履歴, oldest first. */
	versions: TimelineVersion[];
}

/** Every policy staff may see, with its published and superseded versions and when each was in force. */
async function policyTimelines(db: DbOrTx, orgId: string): Promise<PolicyTimeline[]> {
	const policyRows = await db
		.select({ id: policies.id, slug: policies.slug, title: policies.title, restrictedTo: policies.restrictedTo })
		.from(policies)
		.where(eq(policies.orgId, orgId))
		.orderBy(asc(policies.sortOrder), asc(policies.title));
	const shown = policyRows.filter((p) => canSeeRestricted(p.restrictedTo, []));
	if (shown.length === 0) return [];
	const versionRows = await db
		.select({
			id: policyVersions.id,
			policyId: policyVersions.policyId,
			version: policyVersions.version,
			status: policyVersions.status,
			changeKind: policyVersions.changeKind,
			reason: policyVersions.reason,
			dateLabel: policyVersions.dateLabel,
			effectiveDate: policyVersions.effectiveDate,
			textHeld: policyVersions.textHeld,
			publishedAt: policyVersions.publishedAt
		})
		.from(policyVersions)
		.where(
			and(
				eq(policyVersions.orgId, orgId),
				inArray(
					policyVersions.policyId,
					shown.map((p) => p.id)
				),
				inArray(policyVersions.status, ['published', 'superseded'])
			)
		);
	return shown.map((p) => {
		const mine = versionRows.filter((v) => v.policyId === p.id).sort((a, b) => compareVersions(a.version, b.version));
		const from = (v: (typeof mine)[number]) => v.publishedAt ?? (v.effectiveDate ? japanMidnight(v.effectiveDate) : null);
		return {
			id: p.id,
			slug: p.slug,
			title: p.title,
			versions: mine.map((v, i) => ({
				id: v.id,
				version: v.version,
				status: v.status as TimelineVersion['status'],
				changeKind: v.changeKind,
				reason: v.reason,
				dateLabel: v.dateLabel,
				effectiveDate: v.effectiveDate,
				textHeld: v.textHeld,
				from: from(v),
				until: i + 1 < mine.length ? from(mine[i + 1]) : null
			}))
		};
	});
}

/** In force at some moment of [start, end): a superseded version whose end is unknown never counts. */
function inForceDuring(v: TimelineVersion, start: Date, end: Date): boolean {
	if (v.from && v.from >= end) return false;
	if (v.status === 'published') return true;
	return v.until !== null && v.until > start;
}

/** The version in force at `at`: the newest one that had come into force by then. */
function versionAt(timeline: PolicyTimeline, at: Date): TimelineVersion | null {
	const started = timeline.versions.filter((v) => !v.from || v.from < at);
	return started.at(-1) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements

export interface AcknowledgementFigures {
	acknowledged: number;
	/** People the version was due from (see `versionAcknowledgement`). */
	due: number;
	/** Percent, one decimal; null when nobody was due. */
	rate: number | null;
}

export interface VersionAcknowledgement extends AcknowledgementFigures {
	versionId: string;
	version: string;
	/** YYYY-MM-DD in Japan: the day it came into force, when known. */
	inForceFrom: string | null;
	/** The day it was replaced; null while still in force (or, for a past year, after its end). */
	inForceUntil: string | null;
	byDepartment: (AcknowledgementFigures & { departmentId: string | null; code: string | null; name: string | null })[];
}

export interface PolicyAcknowledgement {
	policyId: string;
	slug: string;
	title: string;
	/** Each version in force during the year, oldest first. */
	versions: VersionAcknowledgement[];
}

/** 87.5 for 7 of 8; null for 0 of 0, so an empty group reads as "nobody", not as 0%. */
export function percent(part: number, whole: number): number | null {
	return whole > 0 ? Math.round((part * 1000) / whole) / 10 : null;
}

const iso = (d: Date) => d.toISOString();

/**
 * Who acknowledged one version, per department (their department now). Due: everyone active who
 * was registered before the version was replaced (and before the year's end), and anybody who
 * acknowledged it during the year, leavers included — they were evidently there. Acknowledged:
 * of those, who had acknowledged it by the year's end, in this year or before.
 */
async function versionAcknowledgement(db: DbOrTx, orgId: string, v: TimelineVersion, start: Date, end: Date): Promise<VersionAcknowledgement> {
	const dueBefore = v.until ? earlier(v.until, end) : end;
	const rows = await db
		.select({
			departmentId: people.departmentId,
			code: departments.code,
			name: departments.name,
			due: sql<number>`count(*)::int`,
			acknowledged: sql<number>`(count(${acknowledgements.personId}) filter (where ${acknowledgements.at} < ${iso(end)}::timestamptz))::int`
		})
		.from(people)
		.leftJoin(departments, eq(departments.id, people.departmentId))
		.leftJoin(acknowledgements, and(eq(acknowledgements.personId, people.id), eq(acknowledgements.versionId, v.id)))
		.where(
			and(
				eq(people.orgId, orgId),
				or(and(eq(people.active, true), lt(people.createdAt, dueBefore)), and(gte(acknowledgements.at, start), lt(acknowledgements.at, end)))
			)
		)
		.groupBy(people.departmentId, departments.code, departments.name)
		.orderBy(sql`${departments.code} asc nulls last`);
	const due = rows.reduce((s, r) => s + r.due, 0);
	const acknowledged = rows.reduce((s, r) => s + r.acknowledged, 0);
	const until = v.until && v.until < end ? v.until : null;
	return {
		versionId: v.id,
		version: v.version,
		inForceFrom: v.from ? formatIsoDate(v.from) : null,
		inForceUntil: until ? formatIsoDate(until) : null,
		acknowledged,
		due,
		rate: percent(acknowledged, due),
		byDepartment: rows.map((r) => ({ ...r, rate: percent(r.acknowledged, r.due) }))
	};
}

// ---------------------------------------------------------------------------------------------
// Revisions

export type RevisionChangeKind = 'changed' | 'added' | 'removed' | 'renumbered';

export interface RevisionSectionChange {
	kind: RevisionChangeKind;
	/** As `sectionTitle` names it: 「6(3)③ インターネット接続系においては…」. */
	title: string;
	/** For a section renumbered (with or without changes): its citation before. */
	fromCitation?: string;
}

export interface ReportRevision {
	policyId: string;
	slug: string;
	policyTitle: string;
	versionId: string;
	version: string;
	changeKind: ChangeKind;
	reason: string;
	/** The 改訂履歴's date: YYYY-MM-DD when known, else the document's own words (dateLabel). */
	effectiveDate: string | null;
	dateLabel: string;
	/** The day it was published in the app, when that is not its 施行日. */
	publishedOn: string | null;
	/** The version it replaced, with text to compare; null for a first version or one without text. */
	previousVersion: string | null;
	/** Section counts; null when there is nothing to compare with. */
	summary: Record<RevisionChangeKind, number> | null;
	sections: RevisionSectionChange[];
}

/** The section changes of a revision as staff see them, named; unchanged and merely moved ones left out. */
async function revisionChanges(db: DbOrTx, orgId: string, slug: string, from: string, to: string) {
	const compared = await comparePolicyVersions(db, { orgId, roles: [] }, slug, from, to);
	if (!compared) return null;
	const sections: RevisionSectionChange[] = [];
	for (const c of compared.changes) {
		const text = c.after ?? c.before;
		if (!text) continue;
		const title = sectionTitle({ citation: citationOfPath(c.path), heading: text.heading, body: text.body });
		const textChanged = !!(c.headingParts || c.bodyParts);
		if (c.kind === 'added' || c.kind === 'removed') sections.push({ kind: c.kind, title });
		else if (c.kind === 'changed') sections.push({ kind: 'changed', title });
		else if (c.kind === 'moved') {
			const fromCitation = c.fromPath !== undefined ? citationOfPath(c.fromPath) : undefined;
			// A clause only moved among its siblings, under the same number, is no change to report.
			if (textChanged) sections.push({ kind: 'changed', title, fromCitation });
			else if (fromCitation !== undefined && fromCitation !== citationOfPath(c.path)) sections.push({ kind: 'renumbered', title, fromCitation });
		}
	}
	const summary: Record<RevisionChangeKind, number> = { changed: 0, added: 0, removed: 0, renumbered: 0 };
	for (const s of sections) summary[s.kind]++;
	return { summary, sections };
}

/** Versions that came into force in [start, end), in the order they did. */
async function yearRevisions(db: DbOrTx, orgId: string, timelines: PolicyTimeline[], start: Date, end: Date): Promise<ReportRevision[]> {
	const published = timelines
		.flatMap((p) => p.versions.map((v, i) => ({ p, v, previous: i > 0 ? p.versions[i - 1] : null })))
		.filter(({ v }) => v.from && v.from >= start && v.from < end)
		.sort((a, b) => a.v.from!.getTime() - b.v.from!.getTime());
	const out: ReportRevision[] = [];
	for (const { p, v, previous } of published) {
		const comparable = previous && previous.textHeld && v.textHeld ? previous : null;
		const changes = comparable ? await revisionChanges(db, orgId, p.slug, comparable.version, v.version) : null;
		const publishedOn = formatIsoDate(v.from!);
		out.push({
			policyId: p.id,
			slug: p.slug,
			policyTitle: p.title,
			versionId: v.id,
			version: v.version,
			changeKind: v.changeKind,
			reason: v.reason,
			effectiveDate: v.effectiveDate,
			dateLabel: v.dateLabel,
			publishedOn: publishedOn === v.effectiveDate ? null : publishedOn,
			previousVersion: changes && comparable ? comparable.version : null,
			summary: changes?.summary ?? null,
			sections: changes?.sections ?? []
		});
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Section names

export interface SectionName {
	/** As `sectionTitle` gives it, from the version named below. */
	title: string;
	versionId: string;
	version: string;
	/** False when the version in force at the report's date no longer has the section. */
	inForce: boolean;
}

/**
 * Names for section keys of each policy, from the version in force at `at` when it has the key,
 * otherwise from the newest version before it that had it (the one the answers were given under),
 * otherwise from a later one. A key hidden (非公開) where it is found, or found nowhere, gets no name.
 */
async function sectionNames(db: DbOrTx, orgId: string, timelines: PolicyTimeline[], wanted: { policyId: string; key: string }[], at: Date) {
	const names = new Map<string, SectionName>();
	for (const p of timelines) {
		const keys = new Set(wanted.filter((w) => w.policyId === p.id).map((w) => w.key));
		if (keys.size === 0) continue;
		const current = versionAt(p, at);
		const held = p.versions.filter((v) => v.textHeld);
		const currentIndex = current ? held.findIndex((v) => v.id === current.id) : -1;
		const before = currentIndex >= 0 ? held.slice(0, currentIndex + 1).reverse() : held.filter((v) => !v.from || v.from < at).reverse();
		const candidates = [...before, ...held.filter((v) => !before.includes(v))];
		if (candidates.length === 0) continue;
		const rows = await db
			.select({
				versionId: policySections.versionId,
				key: policySections.key,
				label: policySections.label,
				heading: policySections.heading,
				body: policySections.body,
				restrictedTo: policySections.restrictedTo
			})
			.from(policySections)
			.where(
				and(
					eq(policySections.orgId, orgId),
					inArray(
						policySections.versionId,
						candidates.map((v) => v.id)
					)
				)
			);
		const byVersion = new Map<string, Map<string, (typeof rows)[number]>>();
		for (const r of rows) {
			const map = byVersion.get(r.versionId) ?? new Map();
			map.set(r.key, r);
			byVersion.set(r.versionId, map);
		}
		for (const key of keys) {
			for (const v of candidates) {
				const sections = byVersion.get(v.id);
				const s = sections?.get(key);
				if (!sections || !s) continue;
				const parts = key.split('.');
				const hidden = parts.some((_, i) => !canSeeRestricted(sections.get(parts.slice(0, i + 1).join('.'))?.restrictedTo, []));
				if (!hidden) {
					const citation = sectionCitation(key, (k) => sections.get(k)?.label);
					names.set(`${p.id} ${key}`, {
						title: sectionTitle({ citation, heading: s.heading, body: s.body }),
						versionId: v.id,
						version: v.version,
						inForce: v.id === current?.id
					});
				}
				break;
			}
		}
	}
	return names;
}

// ---------------------------------------------------------------------------------------------

export interface PolicyYear {
	acknowledgements: PolicyAcknowledgement[];
	revisions: ReportRevision[];
	/** Names of the section keys asked for, by `${policyId} ${key}`; a key without one is not to be shown. */
	names: Map<string, SectionName>;
	/** Short titles of the policies by id, for tables naming sections of several policies. */
	policyTitles: Map<string, string>;
}

/**
 * The policy figures of a 年度 as of `today` (YYYY-MM-DD, Japan): for a year still running they
 * stop at the end of today. Queries run one after another: `db` may be a transaction.
 */
export async function policyYear(
	db: DbOrTx,
	orgId: string,
	fiscalYear: number,
	today: string,
	sectionKeys: { policyId: string; key: string }[]
): Promise<PolicyYear> {
	const year = fiscalYearWindow(fiscalYear);
	const end = earlier(year.end, endOfJapanDay(today));
	const timelines = await policyTimelines(db, orgId);
	const acknowledgementsOut: PolicyAcknowledgement[] = [];
	for (const p of timelines) {
		const versions: VersionAcknowledgement[] = [];
		for (const v of p.versions) {
			// A version known only from the document's history table was never there to acknowledge.
			if (!v.textHeld || !inForceDuring(v, year.start, end)) continue;
			versions.push(await versionAcknowledgement(db, orgId, v, year.start, end));
		}
		if (versions.length) acknowledgementsOut.push({ policyId: p.id, slug: p.slug, title: p.title, versions });
	}
	return {
		acknowledgements: acknowledgementsOut,
		revisions: year.start < end ? await yearRevisions(db, orgId, timelines, year.start, end) : [],
		names: await sectionNames(db, orgId, timelines, sectionKeys, end),
		policyTitles: new Map(timelines.map((p) => [p.id, p.title]))
	};
}
