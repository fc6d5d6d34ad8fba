// Retraining after a revision is published: lessons and questions that teach a changed section are
// flagged 要見直し for their owners, and a short 「改訂のポイント」 course shows every member of
// staff what changed, before and after, then asks them to confirm they have read it.
//
// Which sections count as changed. Lessons and questions cite section keys, so what matters to
// them is whether the text a key points at changed: a key counts when its heading or body differs
// between the two versions, or when it exists in only one of them (新設, 削除). A clause moved
// without a word changed under the same key does not count. A clause renumbered (6.3.2 → 6.3.3)
// does count, under both numbers: whatever cites either number now reads other text and needs its
// keys put right, even though the rule itself did not change. The course teaches only real
// changes of text (from the section diff: added, removed, changed, and moved with changes);
// renumbering is listed in its first lesson.
//
// How the course is completed. A course completes when its lessons have been opened and a quiz
// attempt has passed (completeIfReady); a course without questions can never complete, and the
// 修了証 points at the passing attempt. Completion through the policy acknowledgement instead
// would need the quiz engine, the course, lesson and certificate pages all to learn a second way.
// So the last step is a one-question ○× quiz (「改訂のポイントを確認しました」, pass mark 100, one
// question drawn): it runs through the same pages, works without JavaScript, and the assignment
// completes exactly as any other. Its question cites no section, so confirmations do not enter the
// weak-spot figures.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { citationOfPath, plainText, sectionCitation, sectionWords, truncateText, withoutLineMarkers } from '../policy/citation';
import type { Db, DbOrTx } from '../db/client';
import {
	campaigns,
	courses,
	lessons,
	organizations,
	policies,
	policySections,
	policyVersions,
	questions,
	type ChangeKind,
	type PolicyVersionStatus,
	type Role
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { isUuid } from '../db/ids';
import { createCampaign } from '../learning/campaigns';
import { japanToday } from '../../format/calendar';
import { trueFalseChoices } from '../learning/content/parse-course';
import { canSeeRestricted } from '../policy/visibility';
import { compareVersions } from '../policy/policies';
import { diffSections, type DiffPart, type SectionChange, type SectionText } from '../policy/diff';
import { renderStored } from '../policy/render';
import { fiscalYearOf, formatFiscalYear, formatWareki, parseJapaneseDate, titleWithYear } from '../../format/wareki';

export interface PublishedRevision {
	orgId: string;
	policyId: string;
	versionId: string;
	previousVersionId: string | null;
	actorId: string;
}

export interface AfterPublishResult {
	changedSectionKeys: string[];
	flaggedLessons: number;
	flaggedQuestions: number;
	courseId: string | null;
}

type SectionRow = typeof policySections.$inferSelect;

const historyStatuses: readonly PolicyVersionStatus[] = ['published', 'superseded'];

const changeKindLabel: Record<ChangeKind, string> = { enacted: '新規制定', partial: '一部改訂', full: '全部改訂' };

async function sectionsOf(db: DbOrTx, orgId: string, versionId: string): Promise<SectionRow[]> {
	return db
		.select()
		.from(policySections)
		.where(and(eq(policySections.orgId, orgId), eq(policySections.versionId, versionId)))
		.orderBy(asc(policySections.position));
}

const sectionText = (s: Pick<SectionRow, 'heading' | 'body'>) => `${s.heading}\n${s.body}`;

/** Keys whose text differs between the versions, or that only one of them has; in document order. */
export function changedKeys(
	from: readonly Pick<SectionRow, 'key' | 'heading' | 'body'>[],
	to: readonly Pick<SectionRow, 'key' | 'heading' | 'body'>[]
): string[] {
	const before = new Map(from.map((s) => [s.key, sectionText(s)]));
	const after = new Map(to.map((s) => [s.key, sectionText(s)]));
	const keys: string[] = [];
	for (const s of to) if (before.get(s.key) !== sectionText(s)) keys.push(s.key);
	for (const s of from) if (!after.has(s.key)) keys.push(s.key);
	return keys;
}

/** Keys hidden from a viewer (非公開 to their roles), with everything under them. */
function hiddenKeys(sections: readonly SectionRow[], roles: readonly Role[]): (key: string) => boolean {
	const hidden = sections.filter((s) => !canSeeRestricted(s.restrictedTo, roles)).map((s) => s.key);
	return (key) => hidden.some((h) => key === h || key.startsWith(h + '.'));
}

const changedText = (c: SectionChange) => !!(c.headingParts || c.bodyParts);

interface RevisionChanges {
	changedSectionKeys: string[];
	/** Changes of text a learner may see: each becomes a lesson. */
	points: SectionChange[];
	/** Clauses a learner may see that only took another number. */
	renumbered: SectionChange[];
	/** The nearest heading at or above each key, to name items such as ① that have none. */
	headings: Map<string, string>;
	/** Keys of the new version. */
	newKeys: Set<string>;
}

function nearestHeadings(sections: readonly SectionRow[]): Map<string, string> {
	const byKey = new Map(sections.map((s) => [s.key, s.heading]));
	const nearest = (key: string): string => {
		for (let parts = key.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
			const heading = byKey.get(parts.join('.'));
			if (heading) return heading;
		}
		return '';
	};
	return new Map(sections.map((s) => [s.key, nearest(s.key)]));
}

async function revisionChanges(db: DbOrTx, orgId: string, fromVersionId: string, toVersionId: string): Promise<RevisionChanges> {
	const from = await sectionsOf(db, orgId, fromVersionId);
	const to = await sectionsOf(db, orgId, toVersionId);
	// Staff see what a person without a role sees: a 非公開 section in either version stays out.
	const hiddenBefore = hiddenKeys(from, []);
	const hiddenAfter = hiddenKeys(to, []);
	const shown = (key: string | undefined) => key === undefined || (!hiddenBefore(key) && !hiddenAfter(key));
	const changes = diffSections(from, to).filter((c) => shown(c.key) && shown(c.fromKey));
	return {
		changedSectionKeys: changedKeys(from, to),
		points: changes.filter((c) => c.kind === 'added' || c.kind === 'removed' || c.kind === 'changed' || (c.kind === 'moved' && changedText(c))),
		renumbered: changes.filter((c) => c.kind === 'moved' && !changedText(c) && c.fromKey !== undefined),
		headings: new Map([...nearestHeadings(from), ...nearestHeadings(to)]),
		newKeys: new Set(to.map((s) => s.key))
	};
}

/** The name staff use: 「基本方針」 for 「北杜市情報セキュリティ基本方針」. */
export function shortPolicyTitle(title: string, orgName = ''): string {
	let rest = orgName && title.startsWith(orgName) ? title.slice(orgName.length) : title;
	const i = rest.indexOf('情報セキュリティ');
	if (i >= 0 && rest.length > i + '情報セキュリティ'.length) rest = rest.slice(i + '情報セキュリティ'.length);
	return rest.trim() || title;
}

export const revisionPointsTitle = (policyShortTitle: string, version: string) => `${policyShortTitle} 第${version}版 改訂のポイント`;

const citationOf = citationOfPath;

/** Markdown quoting a section's text, line by line, so it reads as cited policy text. */
function quoteSection(text: SectionText): string {
	const lines = [...(text.heading.trim() ? [`**${text.heading.trim()}**`, ''] : []), ...text.body.trim().split(/\r?\n/)];
	return lines.map((l) => (l.trim() ? `> ${l}` : '>')).join('\n');
}

const pointKind = (c: SectionChange) => (c.kind === 'added' ? '新設' : c.kind === 'removed' ? '削除' : '改正');

function pointTitle(c: SectionChange, headings: Map<string, string>): string {
	// An item without a heading (③, ア) is named by the start of its own text, not its parent's heading.
	const heading = sectionWords(c.after ?? c.before ?? { heading: c.heading, body: '' }) || headings.get(c.key);
	return `【${pointKind(c)}】${[citationOf(c.path), heading].filter(Boolean).join(' ')}`;
}

interface VersionFacts {
	version: string;
	changeKind: ChangeKind;
	reason: string;
	effectiveDate: string | null;
}

function introMarkdown(version: VersionFacts, renumbered: readonly SectionChange[]): string {
	const facts = [`区分：${changeKindLabel[version.changeKind]}`];
	if (version.effectiveDate) facts.push(`施行：${formatWareki(version.effectiveDate)}`);
	const parts = [`## 改訂の理由及び内容`, '', `第${version.version}版（${facts.join('、')}）`, ''];
	if (version.reason.trim()) parts.push(quoteSection({ heading: '', body: version.reason }), '');
	if (renumbered.length > 0) {
		parts.push('## 番号だけが変わった項目', '', '次の項目は、内容は変わらず、番号が変わりました。', '');
		for (const c of renumbered)
			parts.push(
				`- ${citationOf(c.fromPath ?? c.fromKey ?? '')} → ${citationOf(c.path)} ${literal(sectionWords(c.after ?? { heading: c.heading, body: '' }))}`.trimEnd()
			);
		parts.push('');
	}
	return parts.join('\n');
}

/** One lesson's Markdown: 改正前 and 改正後 as quoted text; 「新設」 or 「削除」 where one side is empty. */
export function pointMarkdown(c: SectionChange): string {
	const before = c.kind === 'added' || !c.before ? '（新設）' : quoteSection(c.before);
	const after = c.kind === 'removed' || !c.after ? '（削除）' : quoteSection(c.after);
	const amendments = [
		...(c.headingParts && c.before?.heading && c.after?.heading
			? [`見出しを「${fragment(c.before.heading)}」から「${fragment(c.after.heading)}」に改めました。`]
			: []),
		...(c.bodyParts ? amendmentLines(c.bodyParts) : [])
	];
	const changed = amendments.length > 0 ? ['## 変わったところ', '', ...amendments.map((a) => `- ${a}`), ''] : [];
	return [...changed, '## 改正前', '', before, '', '## 改正後', '', after, ''].join('\n');
}

/** Text as Markdown that reads literally: no emphasis, links, HTML or line breaks. */
const literal = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/[\\`*_[\]<>#|~!&]/g, (ch) => `\\${ch}`);

const fragment = (text: string, max = 60) => {
	// Quoted words, not Markdown: a list marker at the start of a changed line is not part of them.
	const chars = Array.from(withoutLineMarkers(text).trim());
	return literal(chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join(''));
};

/** More places than this read better as the two texts side by side. */
const maxAmendments = 6;

/**
 * The body's edits in the words of an amending text (改め文): 「A」を「B」に改めた, 「C」を加えた,
 * 「D」を削った — plain sentences a screen reader reads as they are, unlike struck-through text.
 */
export function amendmentLines(parts: readonly DiffPart[]): string[] {
	// Nothing kept: a rewrite, which the two texts show better than one long sentence.
	if (!parts.some((p) => p.op === 'equal' && p.text.trim())) return [];
	const lines: string[] = [];
	for (let i = 0; i < parts.length; i++) {
		if (parts[i].op === 'equal') continue;
		const deleted = parts[i].op === 'delete' ? parts[i].text : '';
		const inserted = parts[i].op === 'insert' ? parts[i].text : parts[i + 1]?.op === 'insert' ? parts[++i].text : '';
		if (!deleted.trim() && !inserted.trim()) continue;
		if (deleted.trim() && inserted.trim()) lines.push(`「${fragment(deleted)}」を「${fragment(inserted)}」に改めました。`);
		else if (inserted.trim()) lines.push(`「${fragment(inserted)}」を加えました。`);
		else lines.push(`「${fragment(deleted)}」を削りました。`);
	}
	return lines.length <= maxAmendments ? lines : [];
}

/**
 * What a lesson cites: its section; for a removed one the nearest section above it that remains,
 * so the lesson links to where the clause stood and the editor accepts the lesson as it is.
 */
function lessonKeys(c: SectionChange, newKeys: Set<string>): string[] {
	if (c.kind !== 'removed') return [c.key];
	for (let parts = c.key.split('.').slice(0, -1); parts.length > 0; parts = parts.slice(0, -1)) {
		if (newKeys.has(parts.join('.'))) return [parts.join('.')];
	}
	return [];
}

/** The Markdown of the 「改訂のポイント」 lessons: one per change, the reason at the top of the first. */
export function revisionPointLessons(version: VersionFacts, changes: RevisionChanges): { slug: string; title: string; body: string; sectionKeys: string[] }[] {
	return changes.points.map((c, i) => ({
		slug: `point-${String(i + 1).padStart(2, '0')}`,
		title: pointTitle(c, changes.headings),
		body: (i === 0 ? introMarkdown(version, changes.renumbered) + '\n' : '') + pointMarkdown(c),
		sectionKeys: lessonKeys(c, changes.newKeys)
	}));
}

async function versionWithPolicy(db: DbOrTx, orgId: string, versionId: string) {
	if (!isUuid(versionId)) return null;
	const [row] = await db
		.select({
			id: policyVersions.id,
			policyId: policyVersions.policyId,
			version: policyVersions.version,
			status: policyVersions.status,
			changeKind: policyVersions.changeKind,
			reason: policyVersions.reason,
			effectiveDate: policyVersions.effectiveDate,
			textHeld: policyVersions.textHeld,
			policySlug: policies.slug,
			policyTitle: policies.title,
			policyRestrictedTo: policies.restrictedTo,
			orgName: organizations.name
		})
		.from(policyVersions)
		.innerJoin(policies, eq(policies.id, policyVersions.policyId))
		.innerJoin(organizations, eq(organizations.id, policyVersions.orgId))
		.where(and(eq(policyVersions.orgId, orgId), eq(policyVersions.id, versionId.toLowerCase())));
	return row ?? null;
}

/**
 * The version this one revised: the published or superseded version with text just before it in
 * the 改訂履歴 (what was in force when it was published, as versions are published in order).
 */
async function previousVersion(db: DbOrTx, orgId: string, policyId: string, version: string): Promise<{ id: string; version: string } | null> {
	const rows = await db
		.select({ id: policyVersions.id, version: policyVersions.version })
		.from(policyVersions)
		.where(
			and(
				eq(policyVersions.orgId, orgId),
				eq(policyVersions.policyId, policyId),
				eq(policyVersions.textHeld, true),
				inArray(policyVersions.status, [...historyStatuses])
			)
		);
	const earlier = rows.filter((r) => compareVersions(r.version, version) < 0).sort((a, b) => compareVersions(b.version, a.version));
	return earlier[0] ?? null;
}

/** Active lessons or questions of the policy's own courses (not generated ones) citing any of the keys. */
function citing(table: typeof lessons | typeof questions, orgId: string, policyId: string, keys: readonly string[]) {
	return and(
		eq(table.orgId, orgId),
		eq(table.active, true),
		sql`${table.sectionKeys} && ${sql.param([...keys])}::text[]`,
		sql`${table.courseId} in (select ${courses.id} from ${courses} where ${courses.orgId} = ${orgId} and ${courses.policyId} = ${policyId} and ${courses.revisionVersionId} is null)`
	)!;
}

async function findRevisionCourse(db: DbOrTx, orgId: string, versionId: string) {
	const [row] = await db
		.select()
		.from(courses)
		.where(and(eq(courses.orgId, orgId), eq(courses.revisionVersionId, versionId)))
		.limit(1);
	return row ?? null;
}

/** A slug no other course of the organisation has: `revision-points-5-1`, with the policy's slug on a clash. */
async function revisionCourseSlug(db: DbOrTx, orgId: string, policySlug: string, version: string): Promise<string> {
	const base = `revision-points-${version.replace(/[^0-9A-Za-z]+/g, '-')}`;
	for (const slug of [base, `${base}-${policySlug}`]) {
		const [taken] = await db
			.select({ id: courses.id })
			.from(courses)
			.where(and(eq(courses.orgId, orgId), eq(courses.slug, slug)));
		if (!taken) return slug;
	}
	return `${base}-${policySlug}-${Date.now().toString(36)}`;
}

/**
 * Called inside the publish transaction. A second call for the same version makes no second course;
 * it flags the citing lessons and questions again, as a publish would.
 */
export async function afterPublish(tx: DbOrTx, revision: PublishedRevision): Promise<AfterPublishResult> {
	const { orgId, policyId, versionId } = revision;
	const none: AfterPublishResult = { changedSectionKeys: [], flaggedLessons: 0, flaggedQuestions: 0, courseId: null };
	const version = await versionWithPolicy(tx, orgId, versionId);
	if (!version || version.policyId !== policyId || !revision.previousVersionId) return none;
	const previous = await versionWithPolicy(tx, orgId, revision.previousVersionId);
	// Compared with a version known only from the history table, every section would look new.
	if (!previous || previous.policyId !== policyId || !previous.textHeld || !version.textHeld) return none;

	const changes = await revisionChanges(tx, orgId, previous.id, version.id);
	const keys = changes.changedSectionKeys;
	let flaggedLessonIds: string[] = [];
	let flaggedQuestionIds: string[] = [];
	if (keys.length > 0) {
		flaggedLessonIds = (
			await tx
				.update(lessons)
				.set({ needsReview: true })
				.where(citing(lessons, orgId, policyId, keys))
				.returning({ id: lessons.id })
		).map((r) => r.id);
		flaggedQuestionIds = (
			await tx
				.update(questions)
				.set({ needsReview: true })
				.where(citing(questions, orgId, policyId, keys))
				.returning({ id: questions.id })
		).map((r) => r.id);
	}

	// A 非公開 policy is not taught to everyone; with nothing staff may read changed, there is nothing to teach.
	let course = await findRevisionCourse(tx, orgId, version.id);
	let created = false;
	if (!course && changes.points.length > 0 && !version.policyRestrictedTo?.length) {
		course = await createRevisionCourse(tx, orgId, version, changes);
		created = true;
	}

	await recordAudit(
		tx,
		{ orgId, personId: revision.actorId },
		{
			action: 'revision.retraining',
			targetType: 'policy_version',
			targetId: version.id,
			detail: {
				previousVersionId: previous.id,
				changedSectionKeys: keys,
				flaggedLessons: flaggedLessonIds,
				flaggedQuestions: flaggedQuestionIds,
				courseId: course?.id ?? null,
				courseCreated: created
			}
		}
	);
	return { changedSectionKeys: keys, flaggedLessons: flaggedLessonIds.length, flaggedQuestions: flaggedQuestionIds.length, courseId: course?.id ?? null };
}

async function createRevisionCourse(tx: DbOrTx, orgId: string, version: NonNullable<Awaited<ReturnType<typeof versionWithPolicy>>>, changes: RevisionChanges) {
	const shortTitle = shortPolicyTitle(version.policyTitle, version.orgName);
	const points = revisionPointLessons(version, changes);
	const [course] = await tx
		.insert(courses)
		.values({
			orgId,
			slug: await revisionCourseSlug(tx, orgId, version.policySlug, version.version),
			title: revisionPointsTitle(shortTitle, version.version),
			description: `${shortTitle}第${version.version}版で変わった${points.length}項目を、改正前と改正後の文で確かめます。すべてのレッスンを読んだ後、「改訂のポイントを確認しました」に○で答えると修了です。`,
			policyId: version.policyId,
			passMark: 100,
			drawCount: 1,
			maxAttempts: null,
			requireAllLessons: true,
			revisionVersionId: version.id
		})
		.returning();
	await tx.insert(lessons).values(points.map((p, i) => ({ orgId, courseId: course.id, position: i + 1, ...p })));
	await tx.insert(questions).values({
		orgId,
		courseId: course.id,
		slug: 'confirm-revision-points',
		position: 1,
		type: 'truefalse',
		stem: `${shortTitle}第${version.version}版の改訂のポイントを確認しました。改正後の${shortTitle}に従って業務を行います。`,
		choices: trueFalseChoices(true),
		explanation: `改正後の全文は[${version.policyTitle}](/policy/${encodeURIComponent(version.policySlug)})で読めます。`,
		sectionKeys: []
	});
	return course;
}

/** A due date as typed (2026-05-31, 令和8年5月31日 …): today or later. */
export function checkRevisionDueOn(
	value: string,
	today: string
): { ok: true; dueOn: string } | { ok: false; problem: 'retraining.error.dueOn' | 'retraining.error.dueInPast' } {
	const dueOn = parseJapaneseDate(value);
	if (!dueOn) return { ok: false, problem: 'retraining.error.dueOn' };
	if (dueOn < today) return { ok: false, problem: 'retraining.error.dueInPast' };
	return { ok: true, dueOn };
}

/** 「改訂のポイントを全職員に割り当てる」: one step, a campaign for everyone; returns null when there is no such course. */
export async function assignRevisionPoints(
	db: Db,
	actor: { orgId: string; personId: string; ip?: string | null },
	versionId: string,
	options: { dueOn: string; today?: string }
): Promise<{ campaignId: string; added: number } | null> {
	if (!isUuid(versionId)) return null;
	const today = options.today ?? japanToday();
	const due = checkRevisionDueOn(options.dueOn, today);
	if (!due.ok) throw new Error(`due date ${options.dueOn}: ${due.problem}`);
	return db.transaction(async (tx) => {
		// The course row's lock makes two clicks at once create one campaign.
		const [course] = await tx
			.select({ id: courses.id, title: courses.title })
			.from(courses)
			.where(and(eq(courses.orgId, actor.orgId), eq(courses.revisionVersionId, versionId.toLowerCase())))
			.limit(1)
			.for('update');
		if (!course) return null;
		const [existing] = await tx
			.select({ id: campaigns.id })
			.from(campaigns)
			.where(and(eq(campaigns.orgId, actor.orgId), eq(campaigns.courseId, course.id)))
			.orderBy(asc(campaigns.createdAt))
			.limit(1);
		if (existing) return { campaignId: existing.id, added: 0 };
		const created = await createCampaign(
			tx,
			actor,
			{
				subjectId: course.id,
				title: titleWithYear(course.title, formatFiscalYear(fiscalYearOf(today))),
				startsOn: today,
				dueOn: due.dueOn,
				audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
			},
			{ today }
		);
		if (!created.ok) throw new Error(`campaign refused: ${created.problems.map((p) => p.key).join(', ')}`);
		await recordAudit(tx, actor, {
			action: 'revision.retraining_assign',
			targetType: 'campaign',
			targetId: created.id,
			detail: { versionId: versionId.toLowerCase(), courseId: course.id, added: created.added }
		});
		return { campaignId: created.id, added: created.added };
	});
}

async function flaggedCounts(db: DbOrTx, orgId: string, policyId: string, keys: readonly string[]) {
	if (keys.length === 0) return { flaggedLessons: 0, flaggedQuestions: 0 };
	const count = async (table: typeof lessons | typeof questions) => {
		const [row] = await db
			.select({ n: sql<number>`count(*)::int` })
			.from(table)
			.where(and(citing(table, orgId, policyId, keys), eq(table.needsReview, true)));
		return row.n;
	};
	return { flaggedLessons: await count(lessons), flaggedQuestions: await count(questions) };
}

/** The changes of a published version against the one before it; null when it revised nothing. */
async function publishedChanges(db: DbOrTx, orgId: string, versionId: string) {
	const version = await versionWithPolicy(db, orgId, versionId);
	if (!version || !historyStatuses.includes(version.status) || !version.textHeld) return null;
	const previous = await previousVersion(db, orgId, version.policyId, version.version);
	if (!previous) return null;
	return { version, previous, changes: await revisionChanges(db, orgId, previous.id, version.id) };
}

export async function revisionPointsStatus(
	db: DbOrTx,
	orgId: string,
	versionId: string
): Promise<{ courseId: string | null; campaignId: string | null; changedSectionKeys: string[]; flaggedLessons: number; flaggedQuestions: number }> {
	const found = await publishedChanges(db, orgId, versionId);
	const course = found ? await findRevisionCourse(db, orgId, found.version.id) : null;
	const [campaign] = course
		? await db
				.select({ id: campaigns.id })
				.from(campaigns)
				.where(and(eq(campaigns.orgId, orgId), eq(campaigns.courseId, course.id)))
				.orderBy(asc(campaigns.createdAt))
				.limit(1)
		: [];
	const keys = found?.changes.changedSectionKeys ?? [];
	return {
		courseId: course?.id ?? null,
		campaignId: campaign?.id ?? null,
		changedSectionKeys: keys,
		...(found ? await flaggedCounts(db, orgId, found.version.policyId, keys) : { flaggedLessons: 0, flaggedQuestions: 0 })
	};
}

// ---------------------------------------------------------------------------------------------
// For the retraining page

/** Enough of a question's text to recognise it in a list. */
const questionNameLength = 60;

export interface RetrainingViewer {
	orgId: string;
	roles: readonly Role[];
}

export type ChangedSectionKind = 'added' | 'removed' | 'changed';

export interface ChangedSection {
	key: string;
	/** 6(3)② */
	citation: string;
	heading: string;
	kind: ChangedSectionKind;
}

export interface FlaggedItem {
	id: string;
	courseId: string;
	courseTitle: string;
	/** A lesson's title, or the start of a question's text. */
	name: string;
	sectionKeys: string[];
	/** The sections it cites, as the document cites them (6(3)②). */
	sections: string[];
}

export interface RetrainingOverview {
	policy: { slug: string; title: string };
	version: { id: string; version: string; status: PolicyVersionStatus; changeKind: ChangeKind; reason: string; effectiveDate: string | null };
	/** The version it revised, for the link to the full comparison. */
	previousVersion: string;
	changedSections: ChangedSection[];
	/** Changed keys the viewer may not see (非公開), counted only. */
	hiddenChanges: number;
	flaggedLessons: FlaggedItem[];
	flaggedQuestions: FlaggedItem[];
	course: { id: string; title: string; lessons: { slug: string; title: string }[] } | null;
	campaign: { id: string; title: string; dueOn: string; fiscalYear: number } | null;
}

/** The document's citation for each key of a version (labels from the top down: 6(3)②), with the section's own words. */
function citations(sections: readonly SectionRow[]): Map<string, { citation: string; heading: string }> {
	const byKey = new Map(sections.map((s) => [s.key, s]));
	return new Map(sections.map((s) => [s.key, { citation: sectionCitation(s.key, (k) => byKey.get(k)?.label), heading: sectionWords(s) }]));
}

/**
 * What a published revision changed, what it flagged and its 改訂のポイント course and campaign;
 * null when the version is not a published revision of the viewer's organisation.
 */
export async function retrainingOverview(db: DbOrTx, viewer: RetrainingViewer, versionId: string): Promise<RetrainingOverview | null> {
	const found = await publishedChanges(db, viewer.orgId, versionId);
	if (!found || !canSeeRestricted(found.version.policyRestrictedTo, viewer.roles)) return null;
	const { version, previous, changes } = found;
	const from = await sectionsOf(db, viewer.orgId, previous.id);
	const to = await sectionsOf(db, viewer.orgId, version.id);
	const hidden = [hiddenKeys(from, viewer.roles), hiddenKeys(to, viewer.roles)];
	const before = citations(from);
	const after = citations(to);
	const changedSections: ChangedSection[] = [];
	for (const key of changes.changedSectionKeys) {
		if (hidden.some((h) => h(key))) continue;
		const place = after.get(key) ?? before.get(key)!;
		changedSections.push({ key, ...place, kind: !before.has(key) ? 'added' : !after.has(key) ? 'removed' : 'changed' });
	}

	const items = async (table: typeof lessons | typeof questions) => {
		const keys = changes.changedSectionKeys;
		if (keys.length === 0) return [];
		const rows = await db
			.select({
				id: table.id,
				courseId: courses.id,
				courseTitle: courses.title,
				name: table === lessons ? lessons.title : questions.stem,
				sectionKeys: table.sectionKeys,
				position: table.position
			})
			.from(table)
			.innerJoin(courses, eq(courses.id, table.courseId))
			.where(and(citing(table, viewer.orgId, version.policyId, keys), eq(table.needsReview, true)))
			.orderBy(asc(courses.title), asc(table.position));
		// Cited as the document cites them, newest wording first; a question by the start of its text.
		const cite = (key: string) => {
			const place = after.get(key) ?? before.get(key);
			return place ? place.citation : key;
		};
		return rows.map(({ position: _position, ...r }) => ({
			...r,
			name: table === lessons ? r.name : truncateText(plainText(r.name), questionNameLength),
			sections: r.sectionKeys.map(cite)
		}));
	};

	const courseRow = await findRevisionCourse(db, viewer.orgId, version.id);
	const courseLessons = courseRow
		? await db
				.select({ slug: lessons.slug, title: lessons.title })
				.from(lessons)
				.where(and(eq(lessons.courseId, courseRow.id), eq(lessons.active, true)))
				.orderBy(asc(lessons.position))
		: [];
	const [campaign] = courseRow
		? await db
				.select({ id: campaigns.id, title: campaigns.title, dueOn: campaigns.dueOn, fiscalYear: campaigns.fiscalYear })
				.from(campaigns)
				.where(and(eq(campaigns.orgId, viewer.orgId), eq(campaigns.courseId, courseRow.id)))
				.orderBy(asc(campaigns.createdAt))
				.limit(1)
		: [];
	return {
		policy: { slug: version.policySlug, title: version.policyTitle },
		version: {
			id: version.id,
			version: version.version,
			status: version.status,
			changeKind: version.changeKind,
			reason: version.reason,
			effectiveDate: version.effectiveDate
		},
		previousVersion: previous.version,
		changedSections,
		hiddenChanges: changes.changedSectionKeys.length - changedSections.length,
		flaggedLessons: await items(lessons),
		flaggedQuestions: await items(questions),
		course: courseRow ? { id: courseRow.id, title: courseRow.title, lessons: courseLessons } : null,
		campaign: campaign ?? null
	};
}

export interface RevisionPointsPreview {
	version: { id: string; version: string };
	course: { id: string; title: string; description: string; passMark: number };
	lessons: { slug: string; title: string; html: string }[];
	questions: { id: string; stem: string; choices: string[]; explanationHtml: string }[];
}

/** Sanitised HTML with its headings one level down, for a page that puts each lesson under its own h2. */
const headingsDown = (html: string) => html.replace(/<(\/?)h([2-5])(?=[\s>])/g, (_, slash: string, n: string) => `<${slash}h${Number(n) + 1}`);

/** The 改訂のポイント course as learners will read it, for those who publish and assign it. */
export async function revisionPointsPreview(db: DbOrTx, viewer: RetrainingViewer, versionId: string): Promise<RevisionPointsPreview | null> {
	const version = await versionWithPolicy(db, viewer.orgId, versionId);
	if (!version || !historyStatuses.includes(version.status) || !canSeeRestricted(version.policyRestrictedTo, viewer.roles)) return null;
	const course = await findRevisionCourse(db, viewer.orgId, version.id);
	if (!course) return null;
	const lessonRows = await db
		.select({ slug: lessons.slug, title: lessons.title, body: lessons.body })
		.from(lessons)
		.where(and(eq(lessons.courseId, course.id), eq(lessons.active, true)))
		.orderBy(asc(lessons.position));
	const questionRows = await db
		.select({ id: questions.id, stem: questions.stem, choices: questions.choices, explanation: questions.explanation })
		.from(questions)
		.where(and(eq(questions.courseId, course.id), eq(questions.active, true)))
		.orderBy(asc(questions.position));
	const lessonHtml = await renderStored(lessonRows.map((l) => l.body));
	const explanationHtml = await renderStored(questionRows.map((q) => q.explanation));
	return {
		version: { id: version.id, version: version.version },
		course: { id: course.id, title: course.title, description: course.description, passMark: course.passMark },
		lessons: lessonRows.map((l, i) => ({ slug: l.slug, title: l.title, html: headingsDown(lessonHtml[i].html) })),
		questions: questionRows.map((q, i) => ({ id: q.id, stem: q.stem, choices: q.choices.map((c) => c.text), explanationHtml: explanationHtml[i].html }))
	};
}
