// What is waiting for a person on their home page, by role: one query per kind, scoped to the
// organisation and, for a supervisor, to their departments.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db/client';
import { courses, improvementActions, lessons, outbox, people, policies, policyVersions, questions, rosterImports } from '../db/schema';
import { hasRole, type CurrentUser } from '../auth/current-user';
import { campaignsInScope, completionScopeFor } from '../insight/completion';
import { outboxSummary } from '../notify/deliver';
import { canSeeRestricted } from '../policy/visibility';

/** A list shows this many; the rest is a count and the link to the full page. */
export const waitingListMax = 10;

export interface WaitingRevision {
	id: string;
	policyTitle: string;
	version: string;
}

export interface WaitingFlag {
	kind: 'lesson' | 'question';
	id: string;
	courseId: string;
	courseTitle: string;
	title: string;
}

export interface WaitingCampaign {
	id: string;
	title: string;
	dueOn: string;
	overdue: number;
	notStarted: number;
}

export interface WaitingAcknowledgements {
	slug: string;
	title: string;
	version: string;
	missing: number;
}

export interface WaitingMail {
	subject: string;
	createdAt: Date;
	/** The person the address belongs to, when one of the organisation has it. */
	personId: string | null;
	personName: string | null;
}

export interface WaitingImport {
	id: string;
	fileName: string;
	createdAt: Date;
}

export interface Waiting {
	approver?: { inReview: WaitingRevision[] };
	owner?: { drafts: WaitingRevision[]; returned: WaitingRevision[]; flagged: WaitingFlag[]; flaggedTotal: number };
	supervisor?: { campaigns: WaitingCampaign[]; acknowledgements: WaitingAcknowledgements[]; openImprovements: number };
	admin?: { failedMail: number; recentFailed: WaitingMail[]; imports: WaitingImport[] };
}

/** Everything waiting for the viewer, one part per role they hold; a learner alone gets `{}`. */
export async function waitingFor(db: DbOrTx, user: CurrentUser, today: string): Promise<Waiting> {
	const [approver, owner, supervisor, admin] = await Promise.all([
		hasRole(user, 'approver') ? revisionsInReview(db, user) : undefined,
		hasRole(user, 'policy_owner') ? ownerWork(db, user) : undefined,
		hasRole(user, 'supervisor') ? supervisorWork(db, user, today) : undefined,
		hasRole(user, 'admin') ? adminWork(db, user.orgId) : undefined
	]);
	const waiting: Waiting = {};
	if (approver) waiting.approver = { inReview: approver };
	if (owner) waiting.owner = owner;
	if (supervisor) waiting.supervisor = supervisor;
	if (admin) waiting.admin = admin;
	return waiting;
}

type RevisionRow = WaitingRevision & { status: string; createdBy: string | null };

/** Revisions in one of the given states, of policies the viewer may see. */
async function revisionsIn(db: DbOrTx, user: CurrentUser, statuses: ('draft' | 'in_review' | 'returned')[]): Promise<RevisionRow[]> {
	const rows = await db
		.select({
			id: policyVersions.id,
			version: policyVersions.version,
			status: policyVersions.status,
			createdBy: policyVersions.createdBy,
			policyTitle: policies.title,
			restrictedTo: policies.restrictedTo
		})
		.from(policyVersions)
		.innerJoin(policies, eq(policies.id, policyVersions.policyId))
		.where(and(eq(policyVersions.orgId, user.orgId), inArray(policyVersions.status, statuses)))
		.orderBy(asc(policies.sortOrder), asc(policyVersions.createdAt));
	return rows
		.filter((r) => canSeeRestricted(r.restrictedTo, user.roles))
		.map((r) => ({ id: r.id, version: r.version, status: r.status, createdBy: r.createdBy, policyTitle: r.policyTitle }));
}

const revisionItem = (r: RevisionRow): WaitingRevision => ({ id: r.id, policyTitle: r.policyTitle, version: r.version });

async function revisionsInReview(db: DbOrTx, user: CurrentUser): Promise<WaitingRevision[]> {
	return (await revisionsIn(db, user, ['in_review'])).map(revisionItem);
}

async function ownerWork(db: DbOrTx, user: CurrentUser): Promise<NonNullable<Waiting['owner']>> {
	// Own drafts; sent-back drafts are anyone's: any owner may take them up.
	const [revisions, flagged] = await Promise.all([revisionsIn(db, user, ['draft', 'returned']), flaggedContent(db, user.orgId)]);
	return {
		drafts: revisions.filter((r) => r.status === 'draft' && r.createdBy === user.id).map(revisionItem),
		returned: revisions.filter((r) => r.status === 'returned').map(revisionItem),
		...flagged
	};
}

/** Lessons and questions flagged 要見直し by a published revision, lessons first, in course order. */
async function flaggedContent(db: DbOrTx, orgId: string): Promise<{ flagged: WaitingFlag[]; flaggedTotal: number }> {
	const list = await rowsOf<{ kind: 'lesson' | 'question'; id: string; course_id: string; course_title: string; title: string; total: number }>(
		db,
		sql`
		SELECT f.kind, f.id, f.course_id, c.title AS course_title, f.title, count(*) OVER ()::int AS total
		FROM (
			SELECT 'lesson' AS kind, 0 AS rank, ${lessons.id} AS id, ${lessons.courseId} AS course_id, ${lessons.title} AS title, ${lessons.position} AS position
			FROM ${lessons} WHERE ${lessons.orgId} = ${orgId} AND ${lessons.needsReview} AND ${lessons.active}
			UNION ALL
			SELECT 'question', 1, ${questions.id}, ${questions.courseId}, ${questions.stem}, ${questions.position}
			FROM ${questions} WHERE ${questions.orgId} = ${orgId} AND ${questions.needsReview} AND ${questions.active}
		) f
		JOIN ${courses} c ON c.id = f.course_id AND c.org_id = ${orgId}
		ORDER BY c.title, f.rank, f.position
		LIMIT ${waitingListMax}`
	);
	return {
		flagged: list.map((r) => ({ kind: r.kind, id: r.id, courseId: r.course_id, courseTitle: r.course_title, title: r.title })),
		flaggedTotal: list[0]?.total ?? 0
	};
}

async function supervisorWork(db: DbOrTx, user: CurrentUser, today: string): Promise<NonNullable<Waiting['supervisor']>> {
	// Only the departments the person supervises, even when they are an admin too: the admin's
	// part of the home is the organisation's mail and roster.
	const scope = await completionScopeFor(db, { ...user, roles: user.roles.filter((r) => r !== 'admin') });
	if (scope.departmentIds !== null && scope.departmentIds.length === 0) return { campaigns: [], acknowledgements: [], openImprovements: 0 };
	const [campaigns, acknowledgements, openImprovements] = await Promise.all([
		campaignsInScope(db, scope, today),
		missingAcknowledgements(db, user, scope.departmentIds),
		openImprovementCount(db, user.orgId, scope.departmentIds)
	]);
	return {
		campaigns: campaigns
			.filter((c) => c.startsOn <= today && (c.counts.overdue > 0 || c.counts.notStarted > 0))
			.map((c) => ({ id: c.id, title: c.title, dueOn: c.dueOn, overdue: c.counts.overdue, notStarted: c.counts.notStarted })),
		acknowledgements,
		openImprovements
	};
}

/** 改善計画 not yet 完了 in the departments (all of them for null). */
async function openImprovementCount(db: DbOrTx, orgId: string, departmentIds: readonly string[] | null): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(improvementActions)
		.where(
			and(
				eq(improvementActions.orgId, orgId),
				sql`${improvementActions.status} <> 'done'`,
				departmentIds === null ? undefined : inArray(improvementActions.departmentId, [...departmentIds])
			)
		);
	return row?.n ?? 0;
}

/** Per policy in force: active people in the departments who have not acknowledged its version. */
async function missingAcknowledgements(db: DbOrTx, user: CurrentUser, departmentIds: readonly string[] | null): Promise<WaitingAcknowledgements[]> {
	const inDepartments =
		departmentIds === null
			? sql`true`
			: sql`p.department_id IN (${sql.join(
					departmentIds.map((id) => sql`${id}`),
					sql`, `
				)})`;
	const list = await rowsOf<{ slug: string; title: string; version: string; restricted_to: string[] | string | null; missing: number }>(
		db,
		sql`
		SELECT pol.slug, pol.title, v.version, pol.restricted_to, count(p.id)::int AS missing
		FROM ${policies} pol
		JOIN ${policyVersions} v ON v.policy_id = pol.id AND v.status = 'published' AND v.org_id = ${user.orgId}
		JOIN ${people} p ON p.org_id = ${user.orgId} AND p.active AND ${inDepartments}
		WHERE pol.org_id = ${user.orgId}
			AND NOT EXISTS (SELECT 1 FROM acknowledgements a WHERE a.person_id = p.id AND a.version_id = v.id)
		GROUP BY pol.id, pol.slug, pol.title, pol.sort_order, v.version, pol.restricted_to
		ORDER BY pol.sort_order, pol.title`
	);
	return list
		.filter((r) => canSeeRestricted(roleArray(r.restricted_to), user.roles))
		.map((r) => ({ slug: r.slug, title: r.title, version: r.version, missing: r.missing }));
}

/** A role[] column read through raw SQL: an array, or its text form `{a,b}` from some drivers. */
function roleArray(value: string[] | string | null): CurrentUser['roles'] | null {
	if (value === null) return null;
	const list = Array.isArray(value)
		? value
		: value
				.replace(/^\{|\}$/g, '')
				.split(',')
				.filter(Boolean);
	return list as CurrentUser['roles'];
}

async function adminWork(db: DbOrTx, orgId: string): Promise<NonNullable<Waiting['admin']>> {
	const [summary, recentFailed, imports] = await Promise.all([
		outboxSummary(db, orgId),
		db
			.select({ subject: outbox.subject, createdAt: outbox.createdAt, personId: people.id, personName: people.name })
			.from(outbox)
			// The first person with the address: addresses are not unique, and a list line names one.
			.leftJoin(
				people,
				eq(
					people.id,
					sql`(SELECT p.id FROM people p WHERE p.org_id = ${orgId} AND p.email = ${outbox.toAddress} ORDER BY p.active DESC, p.employee_number LIMIT 1)`
				)
			)
			.where(and(eq(outbox.orgId, orgId), eq(outbox.status, 'failed')))
			.orderBy(desc(outbox.createdAt))
			.limit(waitingListMax),
		db
			.select({ id: rosterImports.id, fileName: rosterImports.fileName, createdAt: rosterImports.createdAt })
			.from(rosterImports)
			.where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.status, 'previewed')))
			.orderBy(desc(rosterImports.createdAt))
			.limit(waitingListMax)
	]);
	return { failedMail: summary.failed, recentFailed, imports };
}
