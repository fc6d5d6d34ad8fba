// The access-control matrix: every route and form action of the app, and what each kind of
// visitor gets from it. `access.test.ts` walks src/routes and fails on any route or action that
// is missing here (or listed here but gone), then sends every probe as every role.
//
// A probe of an allowed role never changes data that other tests read: it posts an empty or
// invalid form, a section key or id that does not exist, or a move the workflow refuses, so the
// answer (400, 404, 409, or a page that writes nothing) shows the guard let it through.

/** Who asks. The ids below belong to 北杜市 unless they say otherwise. */
export const roles = ['anonymous', 'learner', 'supervisor', 'owner', 'approver', 'admin', 'otherOrg', 'pending'] as const;
export type Role = (typeof roles)[number];

/** Who each role is, for the failure table and the report. */
export const roleNotes: Record<Role, string> = {
	anonymous: 'no session',
	learner: '1008 (商工観光課), no role: a learner outside demo-chief’s departments',
	supervisor: 'demo-chief, supervisor of 市民課 only: 商工観光課 is another department',
	owner: 'demo-owner (policy_owner)',
	approver: 'demo-approver (approver)',
	admin: 'demo-admin (admin)',
	otherOrg: 'admin of another organisation on the same deployment (logs in at 127.0.0.1)',
	pending: 'admin of the other organisation whose password was reset: must choose a new one first'
};

export type Outcome =
	| 'ok' // 200
	| 'login' // 303 to /login?next=…
	| 'changePassword' // 303 to /account/password
	| 'redirect' // any other 303
	| 'forbidden' // 403
	| 'notFound' // 404
	| 'invalid' // 400: the form was refused, nothing written
	| 'conflict'; // 409: refused because of the stored state, nothing written

/** `-`: this probe is not sent as that role (another probe of the same request covers it). */
export type Cell = Outcome | '-';

/** The names a path or form may use in braces; the test looks each one up before sending. */
export const idNames = [
	'campaign', // the all-staff campaign
	'course', // its course
	'lesson', // a lesson of the course (not marked 要見直し)
	'lessonSlug',
	'question', // a question of the course
	'checklist', // the staff self-inspection checklist
	'learnerPerson',
	'learnerAssignment', // the learner's assignment of the all-staff campaign
	'learnerAttempt', // the learner's open quiz attempt
	'learnerRound', // the learner's round of the staff self-inspection
	'otherAssignment', // somebody else's completed assignment
	'otherAttempt', // …and their submitted attempt
	'supervisedDepartment', // 市民課, demo-chief's
	'outsideDepartment', // 商工観光課, outside demo-chief's scope
	'basicVersion', // 基本方針 第5.0版, in force
	'incidentPolicy', // the 非公開 incident procedure (policy_owner, approver, admin only)
	'draftRevision', // an open draft of the incident procedure, made by the test
	'draftVersion', // its version label
	'draftFirstSection', // the key of its first section
	'otherOrgImport', // a roster import of the other organisation
	'otherRevision', // a published revision of the other organisation's own policy
	'missing' // a well-formed id that names nothing
] as const;
export type IdName = (typeof idNames)[number];

export interface Probe {
	/** The SvelteKit route id, as the test derives it from src/routes. */
	route: string;
	/** `load` (GET the page), `action <name>` (POST the form action) or an endpoint's method. */
	request: string;
	/** Path with `{id}` placeholders; an action's `?/name` is added by the test. */
	path: string;
	/** Form fields for a POST (values may hold placeholders). */
	form?: Record<string, string>;
	/** A file field instead of a plain form (multipart). */
	file?: { field: string; name: string; text: string };
	/** Expected outcome per role, in the order of `roles`. */
	expect: Record<Role, Cell>;
	/** Sent after every other probe: it ends the session. */
	last?: boolean;
}

type Row = [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

function cells(row: Row): Record<Role, Cell> {
	return Object.fromEntries(roles.map((role, i) => [role, row[i]])) as Record<Role, Cell>;
}

function page(route: string, path: string, row: Row): Probe {
	return { route, request: 'load', path, expect: cells(row) };
}

function action(route: string, name: string, path: string, row: Row, form: Record<string, string> = {}, extra: Partial<Probe> = {}): Probe {
	return { route, request: `action ${name}`, path, form, expect: cells(row), ...extra };
}

function endpoint(route: string, method: 'GET' | 'POST', path: string, row: Row, form?: Record<string, string>): Probe {
	return { route, request: method, path, form, expect: cells(row) };
}

const ok = 'ok',
	login = 'login',
	pw = 'changePassword',
	redirect = 'redirect',
	F = 'forbidden',
	NF = 'notFound',
	invalid = 'invalid',
	conflict = 'conflict',
	_ = '-';

const tooLongComment = 'x'.repeat(4001);

// prettier-ignore
export const matrix: Probe[] = [
	//                                                                                        anonymous learner  supervisor owner   approver admin    otherOrg pending
	// Outside the login wall.
	page('/login', '/login',                                                                  [ok,      redirect, redirect, redirect, redirect, redirect, redirect, redirect]),
	action('/login', 'default', '/login',                                                     [invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid]),
	// The login's second step: only a session that proved its password and owes a code gets the page.
	page('/login/code', '/login/code',                                                        [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect]),
	action('/login/code', 'default', '/login/code',                                           [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect], { code: '123456' }),
	page('/lang', '/lang',                                                                    [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect]),
	action('/lang', 'default', '/lang',                                                       [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect], { to: 'ja', back: '/' }),
	page('/logout', '/logout',                                                                [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect]),
	action('/logout', 'default', '/logout',                                                   [redirect, redirect, redirect, redirect, redirect, redirect, redirect, redirect], {}, { last: true }),

	// Everyone's pages.
	page('/(app)', '/',                                                                       [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	page('/(app)/account/password', '/account/password',                                      [login,   ok,      ok,      ok,      ok,      ok,      ok,      ok]),
	action('/(app)/account/password', 'default', '/account/password',                         [login,   invalid, invalid, invalid, invalid, invalid, invalid, invalid]),
	page('/(app)/account/second-factor', '/account/second-factor',                            [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	action('/(app)/account/second-factor', 'confirm', '/account/second-factor',               [login,   invalid, invalid, invalid, invalid, invalid, invalid, pw]),
	page('/(app)/learn', '/learn',                                                            [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),

	// The 操作マニュアル: every role reads every guide; the images are only the files their folder lists.
	page('/(app)/guide', '/guide',                                                            [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	page('/(app)/guide/[role]', '/guide/supervisor',                                          [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	page('/(app)/guide/[role]', '/guide/index',                                               [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	endpoint('/(app)/guide/images/[file]', 'GET', '/guide/images/staff-home.png',             [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	endpoint('/(app)/guide/images/[file]', 'GET', '/guide/images/..%2Fstaff.md',              [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	// The learner's own training; anybody else's is not found, whatever their role.
	page('/(app)/learn/[assignmentId]', '/learn/{learnerAssignment}',                         [login,   ok,      NF,      NF,      NF,      NF,      NF,      pw]),
	page('/(app)/learn/[assignmentId]', '/learn/{otherAssignment}',                           [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	// A self-inspection round: the person's own; an answer to an item of no checklist is refused.
	page('/(app)/inspection/[assignmentId]', '/inspection/{learnerRound}',                    [login,   ok,      NF,      NF,      NF,      NF,      NF,      pw]),
	page('/(app)/inspection/[assignmentId]', '/inspection/{learnerAssignment}',               [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	action('/(app)/inspection/[assignmentId]', 'save', '/inspection/{learnerRound}',          [login,   invalid, NF,      NF,      NF,      NF,      NF,      pw], { 'answer-00000000-0000-4000-8000-000000000000': 'yes' }),
	// 改善計画: supervisors (their departments), owners and admins (all).
	page('/(app)/inspection/improvements', '/inspection/improvements',                        [login,   F,       ok,      ok,      F,       ok,      ok,      pw]),
	action('/(app)/inspection/improvements', 'save', '/inspection/improvements',              [login,   F,       NF,      NF,      F,       NF,      NF,      pw], { id: '{missing}', plan: '', assignee: '', dueOn: '', status: 'open' }),
	page('/(app)/learn/[assignmentId]/certificate', '/learn/{learnerAssignment}/certificate', [login,   ok,      NF,      NF,      NF,      NF,      NF,      pw]),
	page('/(app)/learn/[assignmentId]/certificate', '/learn/{otherAssignment}/certificate',   [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	page('/(app)/learn/[assignmentId]/lesson/[slug]', '/learn/{learnerAssignment}/lesson/{lessonSlug}', [login, ok, NF,   NF,      NF,      NF,      NF,      pw]),
	page('/(app)/learn/[assignmentId]/lesson/[slug]', '/learn/{otherAssignment}/lesson/{lessonSlug}',   [login, NF, NF,   NF,      NF,      NF,      NF,      pw]),
	// The learner's attempt is open, so their quiz page resumes it.
	page('/(app)/learn/[assignmentId]/quiz', '/learn/{learnerAssignment}/quiz',               [login,   ok,      NF,      NF,      NF,      NF,      NF,      pw]),
	page('/(app)/learn/[assignmentId]/quiz', '/learn/{otherAssignment}/quiz',                 [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw]),
	// An answer to a question the attempt does not hold: refused for the learner, unknown to others.
	action('/(app)/learn/[assignmentId]/quiz', 'save', '/learn/{learnerAssignment}/quiz',     [login,   invalid, NF,      NF,      NF,      NF,      NF,      pw], { attemptId: '{learnerAttempt}', shown: '{missing}' }),
	action('/(app)/learn/[assignmentId]/quiz', 'save', '/learn/{otherAssignment}/quiz',       [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw], { attemptId: '{otherAttempt}' }),
	action('/(app)/learn/[assignmentId]/quiz', 'submit', '/learn/{learnerAssignment}/quiz',   [login,   invalid, NF,      NF,      NF,      NF,      NF,      pw], { attemptId: '{learnerAttempt}', shown: '{missing}' }),
	action('/(app)/learn/[assignmentId]/quiz', 'submit', '/learn/{otherAssignment}/quiz',     [login,   NF,      NF,      NF,      NF,      NF,      NF,      pw], { attemptId: '{otherAttempt}', confirm: '1' }),
	// The learner's attempt is not submitted yet: its result sends them back to the quiz.
	page('/(app)/learn/[assignmentId]/quiz/result/[attemptId]', '/learn/{learnerAssignment}/quiz/result/{learnerAttempt}', [login, redirect, NF, NF, NF, NF, NF, pw]),
	page('/(app)/learn/[assignmentId]/quiz/result/[attemptId]', '/learn/{otherAssignment}/quiz/result/{otherAttempt}',     [login, NF,     NF, NF, NF, NF, NF, pw]),
	page('/(app)/learn/[assignmentId]/quiz/result/[attemptId]', '/learn/{learnerAssignment}/quiz/result/{otherAttempt}',   [login, NF,     NF, NF, NF, NF, NF, pw]),
	// The learner's own open attempt under somebody else's assignment: not a way back to any quiz.
	page('/(app)/learn/[assignmentId]/quiz/result/[attemptId]', '/learn/{otherAssignment}/quiz/result/{learnerAttempt}',   [login, NF,     NF, NF, NF, NF, NF, pw]),

	// Policies: everyone reads the basic policy; the 非公開 incident procedure only its three roles.
	page('/(app)/policy', '/policy',                                                          [login,   ok,      ok,      ok,      ok,      ok,      ok,      pw]),
	page('/(app)/policy/[slug]', '/policy/basic-policy',                                      [login,   ok,      ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]', '/policy/incident-procedure',                                [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	action('/(app)/policy/[slug]', 'acknowledge', '/policy/basic-policy',                     [login,   conflict, conflict, conflict, conflict, conflict, conflict, pw]),
	action('/(app)/policy/[slug]', 'acknowledge', '/policy/basic-policy',                     [_,       conflict, _,       _,       _,       _,       _,       _], { versionId: '{missing}' }),
	// The other organisation cannot acknowledge 北杜市's version in force.
	action('/(app)/policy/[slug]', 'acknowledge', '/policy/basic-policy',                     [_,       _,       _,       _,       _,       _,       conflict, _], { versionId: '{basicVersion}' }),
	page('/(app)/policy/[slug]/acknowledgements', '/policy/basic-policy/acknowledgements',    [login,   F,       ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/acknowledgements', '/policy/incident-procedure/acknowledgements', [login, F,       NF,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/diff', '/policy/basic-policy/diff',                            [login,   ok,      ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/diff', '/policy/incident-procedure/diff',                      [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	// The 新旧対照表 to print and as Word: as the comparison. 基本方針 holds one version with text, so a
	// learner has nothing to download; the incident procedure's test draft against its version in force.
	page('/(app)/policy/[slug]/diff/print', '/policy/basic-policy/diff/print',                [login,   ok,      ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/diff/print', '/policy/incident-procedure/diff/print',          [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	endpoint('/(app)/policy/[slug]/diff/docx', 'GET', '/policy/basic-policy/diff/docx',       [login,   NF,      NF,      _,       _,       _,       NF,      pw]),
	endpoint('/(app)/policy/[slug]/diff/docx', 'GET', '/policy/incident-procedure/diff/docx', [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	endpoint('/(app)/policy/[slug]/diff/docx', 'GET', '/policy/incident-procedure/diff/docx?from=1.0&to={draftVersion}', [login, NF, NF, ok, ok,   ok,      NF,      pw]),
	page('/(app)/policy/[slug]/history', '/policy/basic-policy/history',                      [login,   ok,      ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/history', '/policy/incident-procedure/history',                [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/v/[version]', '/policy/basic-policy/v/5.0',                    [login,   ok,      ok,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/[slug]/v/[version]', '/policy/incident-procedure/v/{draftVersion}',   [login,   NF,      NF,      ok,      ok,      ok,      NF,      pw]),
	page('/(app)/policy/import', '/policy/import',                                            [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	action('/(app)/policy/import', 'preview', '/policy/import',                               [login,   F,       F,       invalid, F,       invalid, invalid, pw]),
	action('/(app)/policy/import', 'save', '/policy/import',                                  [login,   F,       F,       invalid, F,       invalid, invalid, pw]),

	// Completion: supervisors see their departments, admins everything; a department outside is not found.
	page('/(app)/team', '/team',                                                              [login,   F,       ok,      F,       F,       ok,      ok,      pw]),
	page('/(app)/team', '/team?dept={supervisedDepartment}',                                  [login,   F,       ok,      F,       F,       ok,      NF,      pw]),
	page('/(app)/team', '/team?dept={outsideDepartment}',                                     [login,   F,       NF,      F,       F,       ok,      NF,      pw]),
	page('/(app)/team', '/team?campaign={campaign}',                                          [login,   F,       ok,      F,       F,       ok,      NF,      pw]),
	// Selecting somebody outside one's departments reminds nobody.
	action('/(app)/team', 'remind', '/team',                                                  [login,   F,       invalid, F,       F,       _,       invalid, pw], { campaign: '{campaign}', assignment: '{learnerAssignment}' }),
	action('/(app)/team', 'remind', '/team',                                                  [_,       _,       _,       _,       _,       invalid, _,       _], { campaign: '{campaign}', assignment: '{missing}' }),
	action('/(app)/team', 'remind', '/team',                                                  [_,       _,       invalid, _,       _,       invalid, _,       _], { campaign: 'not-an-id', assignment: '{learnerAssignment}' }),
	action('/(app)/team', 'remind', '/team',                                                  [_,       _,       NF,      _,       _,       invalid, NF,      _], { campaign: '{campaign}', dept: '{outsideDepartment}' }),
	action('/(app)/team', 'remindAll', '/team',                                               [login,   F,       invalid, F,       F,       invalid, invalid, pw]),
	action('/(app)/team', 'remindAll', '/team',                                               [_,       _,       invalid, _,       _,       invalid, _,       _], { campaign: '{missing}' }),
	action('/(app)/team', 'remindAll', '/team',                                               [_,       _,       NF,      _,       _,       _,       NF,      _], { campaign: '{campaign}', dept: '{outsideDepartment}' }),
	endpoint('/(app)/team/export', 'GET', '/team/export?campaign={campaign}',                 [login,   F,       ok,      F,       F,       ok,      NF,      pw]),
	endpoint('/(app)/team/export', 'GET', '/team/export?campaign={campaign}&dept={outsideDepartment}', [login, F, NF,     F,       F,       ok,      NF,      pw]),

	// Reports and weak spots: policy owners, approvers and admins.
	page('/(app)/report', '/report',                                                          [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	endpoint('/(app)/report/xlsx', 'GET', '/report/xlsx',                                     [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	endpoint('/(app)/report/xlsx', 'GET', '/report/xlsx?year=2025',                           [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	page('/(app)/insight', '/insight',                                                        [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	page('/(app)/insight/practice', '/insight/practice',                                                        [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	page('/(app)/insight', '/insight?campaign={campaign}',                                    [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	page('/(app)/insight/sections', '/insight/sections',                                      [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	page('/(app)/insight/sections', '/insight/sections?campaign={campaign}&page=2',           [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	page('/(app)/insight/heatmap', '/insight/heatmap',                                        [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	page('/(app)/insight/heatmap', '/insight/heatmap?campaign={campaign}&dept={supervisedDepartment}', [login, F, F,     ok,      ok,      ok,      NF,      pw]),
	page('/(app)/insight/questions', '/insight/questions',                                    [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	// A policy the figures do not have is a 404, not an empty page.
	page('/(app)/insight/questions', '/insight/questions?policy={missing}',                   [login,   F,       F,       NF,      NF,      NF,      NF,      pw]),
	// 自己点検の結果 and the auditor's evidence file: policy owners and admins only (supervisors see
	// completion on /team, approvers the 年度報告's section). A training campaign is no round: 404.
	page('/(app)/insight/inspection', '/insight/inspection',                                  [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	page('/(app)/insight/inspection', '/insight/inspection?round={campaign}',                 [login,   F,       F,       NF,      F,       NF,      NF,      pw]),
	endpoint('/(app)/insight/inspection/export', 'GET', '/insight/inspection/export?format=xlsx', [login, F,     F,       ok,      F,       ok,      ok,      pw]),
	endpoint('/(app)/insight/inspection/export', 'GET', '/insight/inspection/export?round={missing}&format=csv', [login, F, F, NF, F,     NF,      NF,      pw]),

	// Revisions: owners and admins write, approvers and admins decide, all three read.
	page('/(app)/revision', '/revision',                                                      [login,   F,       F,       ok,      ok,      ok,      ok,      pw]),
	// The incident procedure already has the test's draft: starting again opens it.
	action('/(app)/revision', 'start', '/revision',                                           [login,   F,       F,       redirect, F,      redirect, invalid, pw], { policyId: '{incidentPolicy}' }),
	endpoint('/(app)/revision/new', 'GET', '/revision/new',                                   [login,   redirect, redirect, redirect, redirect, redirect, redirect, pw]),
	endpoint('/(app)/revision/new', 'POST', '/revision/new',                                  [login,   F,       F,       redirect, F,      redirect, NF,      pw], { policyId: '{incidentPolicy}' }),
	page('/(app)/revision/[id]', '/revision/{draftRevision}',                                 [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	action('/(app)/revision/[id]', 'saveSection', '/revision/{draftRevision}',                [login,   F,       F,       conflict, F,      conflict, NF,      pw], { key: 'no-such-section', rev: '0', heading: '見出し', body: '本文' }),
	action('/(app)/revision/[id]', 'previewSection', '/revision/{draftRevision}',             [login,   F,       F,       ok,      F,       ok,      ok,      pw], { key: 'no-such-section', body: '本文' }),
	action('/(app)/revision/[id]', 'removeSection', '/revision/{draftRevision}',              [login,   F,       F,       ok,      F,       ok,      NF,      pw], { key: 'no-such-section', rev: '0' }),
	action('/(app)/revision/[id]', 'moveSection', '/revision/{draftRevision}',                [login,   F,       F,       invalid, F,       invalid, NF,      pw], { key: '{draftFirstSection}', direction: 'up' }),
	action('/(app)/revision/[id]', 'addSection', '/revision/{draftRevision}',                 [login,   F,       F,       invalid, F,       invalid, NF,      pw]),
	action('/(app)/revision/[id]', 'saveMeta', '/revision/{draftRevision}',                   [login,   F,       F,       conflict, F,      conflict, NF,      pw]),
	action('/(app)/revision/[id]', 'submit', '/revision/{draftRevision}',                     [login,   F,       F,       invalid, F,       invalid, NF,      pw], { comment: tooLongComment }),
	action('/(app)/revision/[id]', 'discard', '/revision/{draftRevision}',                    [login,   F,       F,       invalid, F,       invalid, _,       pw]),
	action('/(app)/revision/[id]', 'discard', '/revision/{draftRevision}',                    [_,       _,       _,       _,       _,       _,       NF,      _], { confirm: 'yes' }),
	page('/(app)/revision/[id]/review', '/revision/{draftRevision}/review',                   [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	action('/(app)/revision/[id]/review', 'comment', '/revision/{draftRevision}/review',      [login,   F,       F,       invalid, invalid, invalid, NF,      pw]),
	action('/(app)/revision/[id]/review', 'approve', '/revision/{draftRevision}/review',      [login,   F,       F,       F,       invalid, invalid, NF,      pw]),
	action('/(app)/revision/[id]/review', 'sendBack', '/revision/{draftRevision}/review',     [login,   F,       F,       F,       invalid, invalid, NF,      pw], { comment: '差戻し' }),
	action('/(app)/revision/[id]/review', 'publish', '/revision/{draftRevision}/review',      [login,   F,       F,       F,       invalid, invalid, NF,      pw]),
	page('/(app)/revision/[id]/print', '/revision/{draftRevision}/print',                     [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	page('/(app)/revision/[id]/print', '/revision/{otherRevision}/print',                     [login,   F,       F,       NF,      NF,      NF,      ok,      pw]),
	endpoint('/(app)/revision/[id]/docx', 'GET', '/revision/{draftRevision}/docx',            [login,   F,       F,       ok,      ok,      ok,      NF,      pw]),
	endpoint('/(app)/revision/[id]/docx', 'GET', '/revision/{otherRevision}/docx',            [login,   F,       F,       NF,      NF,      NF,      ok,      pw]),
	// 北杜市's 第5.0版 came from content/, not from a revision: nothing to retrain for, once past the role check.
	page('/(app)/revision/[id]/retraining', '/revision/{basicVersion}/retraining',            [login,   F,       F,       NF,      NF,      NF,      NF,      pw]),
	page('/(app)/revision/[id]/retraining', '/revision/{otherRevision}/retraining',           [login,   F,       F,       NF,      NF,      NF,      ok,      pw]),
	action('/(app)/revision/[id]/retraining', 'assign', '/revision/{basicVersion}/retraining', [login,  F,       F,       NF,      F,       NF,      NF,      pw], { dueOn: 'いつか' }),
	action('/(app)/revision/[id]/retraining', 'assign', '/revision/{otherRevision}/retraining', [login, F,       F,       NF,      F,       NF,      invalid, pw], { dueOn: 'いつか' }),
	page('/(app)/revision/[id]/retraining/preview', '/revision/{basicVersion}/retraining/preview', [login, F,    F,       NF,      NF,      NF,      NF,      pw]),
	page('/(app)/revision/[id]/retraining/preview', '/revision/{otherRevision}/retraining/preview', [login, F,   F,       NF,      NF,      NF,      ok,      pw]),

	// Campaigns: admins and policy owners; automatic reminders are the admin's alone.
	page('/(app)/admin/campaigns', '/admin/campaigns',                                        [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	page('/(app)/admin/campaigns/new', '/admin/campaigns/new',                                [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	action('/(app)/admin/campaigns/new', 'preview', '/admin/campaigns/new',                   [login,   F,       F,       invalid, F,       invalid, invalid, pw]),
	action('/(app)/admin/campaigns/new', 'create', '/admin/campaigns/new',                    [login,   F,       F,       invalid, F,       invalid, invalid, pw]),
	page('/(app)/admin/campaigns/[id]', '/admin/campaigns/{campaign}',                        [login,   F,       F,       ok,      F,       ok,      NF,      pw]),
	action('/(app)/admin/campaigns/[id]', 'update', '/admin/campaigns/{campaign}',            [login,   F,       F,       invalid, F,       invalid, NF,      pw]),
	action('/(app)/admin/campaigns/[id]', 'preview', '/admin/campaigns/{campaign}',           [login,   F,       F,       invalid, F,       invalid, invalid, pw]),
	action('/(app)/admin/campaigns/[id]', 'schedule', '/admin/campaigns/{campaign}',          [login,   F,       F,       F,       F,       _,       NF,      pw]),
	action('/(app)/admin/campaigns/[id]', 'schedule', '/admin/campaigns/{missing}',           [_,       _,       _,       _,       _,       NF,      _,       _]),
	action('/(app)/admin/campaigns/[id]', 'archive', '/admin/campaigns/{campaign}',           [login,   F,       F,       _,       F,       _,       NF,      pw]),
	action('/(app)/admin/campaigns/[id]', 'archive', '/admin/campaigns/{missing}',            [_,       _,       _,       NF,      _,       NF,      _,       _]),
	// Not archived, so restoring it changes nothing.
	action('/(app)/admin/campaigns/[id]', 'restore', '/admin/campaigns/{campaign}',           [login,   F,       F,       ok,      F,       ok,      NF,      pw]),

	// Courses: policy owners and admins.
	page('/(app)/admin/courses', '/admin/courses',                                            [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	page('/(app)/admin/courses/[id]', '/admin/courses/{course}',                              [login,   F,       F,       ok,      F,       ok,      NF,      pw]),
	// The lesson is not marked 要見直し, so clearing the mark changes nothing.
	action('/(app)/admin/courses/[id]', 'clearReview', '/admin/courses/{course}',             [login,   F,       F,       ok,      F,       ok,      NF,      pw], { kind: 'lesson', id: '{lesson}' }),
	{ ...action('/(app)/admin/courses/[id]', 'importGift', '/admin/courses/{course}',         [login,   F,       F,       invalid, F,       invalid, NF,      pw]), form: undefined, file: { field: 'file', name: 'questions.txt', text: 'これは問題ではありません' } },
	endpoint('/(app)/admin/courses/[id]/gift', 'GET', '/admin/courses/{course}/gift',         [login,   F,       F,       ok,      F,       ok,      NF,      pw]),
	page('/(app)/admin/courses/[id]/lesson/[lessonId]', '/admin/courses/{course}/lesson/{lesson}', [login, F,    F,       ok,      F,       ok,      NF,      pw]),
	action('/(app)/admin/courses/[id]/lesson/[lessonId]', 'preview', '/admin/courses/{course}/lesson/{lesson}', [login, F, F, invalid, F,    invalid, NF,      pw]),
	action('/(app)/admin/courses/[id]/lesson/[lessonId]', 'save', '/admin/courses/{course}/lesson/{lesson}',    [login, F, F, invalid, F,    invalid, NF,      pw]),
	page('/(app)/admin/courses/[id]/question/[questionId]', '/admin/courses/{course}/question/{question}', [login, F, F,  ok,      F,       ok,      NF,      pw]),
	action('/(app)/admin/courses/[id]/question/[questionId]', 'preview', '/admin/courses/{course}/question/{question}', [login, F, F, invalid, F, invalid, NF, pw]),
	action('/(app)/admin/courses/[id]/question/[questionId]', 'save', '/admin/courses/{course}/question/{question}',    [login, F, F, invalid, F, invalid, NF, pw]),
	page('/(app)/admin/inspections', '/admin/inspections',                                    [login,   F,       F,       ok,      F,       ok,      ok,      pw]),
	page('/(app)/admin/inspections/[id]', '/admin/inspections/{checklist}',                   [login,   F,       F,       ok,      F,       ok,      NF,      pw]),
	action('/(app)/admin/inspections/[id]', 'save', '/admin/inspections/{checklist}',         [login,   F,       F,       invalid, F,       invalid, NF,      pw]),

	// Administration: admins only, each in their own organisation.
	page('/(app)/admin', '/admin',                                                            [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	page('/(app)/admin/audit', '/admin/audit',                                                [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	endpoint('/(app)/admin/audit/export', 'GET', '/admin/audit/export',                       [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	page('/(app)/admin/settings', '/admin/settings',                                          [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	action('/(app)/admin/settings', 'default', '/admin/settings',                             [login,   F,       F,       F,       F,       invalid, invalid, pw]),
	page('/(app)/admin/departments', '/admin/departments',                                    [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	action('/(app)/admin/departments', 'create', '/admin/departments',                        [login,   F,       F,       F,       F,       invalid, invalid, pw]),
	action('/(app)/admin/departments', 'update', '/admin/departments',                        [login,   F,       F,       F,       F,       invalid, _,       pw], { id: '{outsideDepartment}' }),
	action('/(app)/admin/departments', 'update', '/admin/departments',                        [_,       _,       _,       _,       _,       _,       NF,      _], { id: '{outsideDepartment}', code: '999', name: '別の組織から' }),
	// 市民課 has people and a 係: it cannot be deleted, and another organisation cannot see it.
	action('/(app)/admin/departments', 'delete', '/admin/departments',                        [login,   F,       F,       F,       F,       conflict, NF,     pw], { id: '{supervisedDepartment}' }),
	page('/(app)/admin/people', '/admin/people',                                              [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	page('/(app)/admin/people/[id]', '/admin/people/{learnerPerson}',                         [login,   F,       F,       F,       F,       ok,      NF,      pw]),
	action('/(app)/admin/people/[id]', 'save', '/admin/people/{learnerPerson}',               [login,   F,       F,       F,       F,       invalid, _,       pw], { departmentId: '{missing}' }),
	action('/(app)/admin/people/[id]', 'save', '/admin/people/{learnerPerson}',               [_,       _,       _,       _,       _,       _,       NF,      _]),
	action('/(app)/admin/people/[id]', 'resetPassword', '/admin/people/{learnerPerson}',      [login,   F,       F,       F,       F,       _,       NF,      pw]),
	action('/(app)/admin/people/[id]', 'resetPassword', '/admin/people/{missing}',            [_,       _,       _,       _,       _,       NF,      _,       _]),
	action('/(app)/admin/people/[id]', 'resetSecondFactor', '/admin/people/{learnerPerson}',  [login,   F,       F,       F,       F,       _,       NF,      pw]),
	action('/(app)/admin/people/[id]', 'resetSecondFactor', '/admin/people/{missing}',        [_,       _,       _,       _,       _,       NF,      _,       _]),
	page('/(app)/admin/roster', '/admin/roster',                                              [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	action('/(app)/admin/roster', 'default', '/admin/roster',                                 [login,   F,       F,       F,       F,       invalid, invalid, pw]),
	// The other organisation's import: 北杜市's admin cannot open it; it was discarded, so nothing applies.
	page('/(app)/admin/roster/[id]', '/admin/roster/{otherOrgImport}',                        [login,   F,       F,       F,       F,       NF,      ok,      pw]),
	action('/(app)/admin/roster/[id]', 'apply', '/admin/roster/{otherOrgImport}',             [login,   F,       F,       F,       F,       NF,      conflict, pw]),
	action('/(app)/admin/roster/[id]', 'discard', '/admin/roster/{otherOrgImport}',           [login,   F,       F,       F,       F,       redirect, redirect, pw]),
	// No directory is set up on the e2e server: the page says so, and a preview is refused.
	page('/(app)/admin/directory', '/admin/directory',                                        [login,   F,       F,       F,       F,       ok,      ok,      pw]),
	action('/(app)/admin/directory', 'preview', '/admin/directory',                           [login,   F,       F,       F,       F,       conflict, conflict, pw])
];

/**
 * What each page reads from its query string (through `readQuery`), by kind: a value not of that
 * kind is a 400 for whoever may open the page. `malformed-input.test.ts` checks that the pages
 * read no parameter missing here, and sends each one values of every wrong shape.
 */
export type ParamKind = 'text' | 'id' | 'date' | 'integer' | 'fiscalYear' | 'page' | 'choice' | 'flag';

const peopleFilter = { status: 'choice', type: 'choice', sort: 'choice', page: 'page' } as const;

export const queryParams: Record<string, Record<string, ParamKind>> = {
	'/(app)/admin/audit': {
		action: 'choice',
		from: 'date',
		to: 'date',
		person: 'text',
		personRole: 'choice',
		objectKind: 'choice',
		object: 'text',
		page: 'page'
	},
	'/(app)/admin/audit/export': {
		action: 'choice',
		from: 'date',
		to: 'date',
		person: 'text',
		personRole: 'choice',
		objectKind: 'choice',
		object: 'text',
		encoding: 'choice'
	},
	'/(app)/admin/people': { q: 'text', department: 'id', type: 'choice', status: 'choice', page: 'page' },
	'/(app)/admin/roster': { discarded: 'flag' },
	'/(app)/admin/campaigns': { year: 'fiscalYear', archived: 'flag' },
	'/(app)/admin/campaigns/[id]': { created: 'integer' },
	'/(app)/team': { dept: 'id', campaign: 'id', ...peopleFilter },
	'/(app)/team/export': { dept: 'id', campaign: 'id', encoding: 'choice', ...peopleFilter },
	'/(app)/inspection/improvements': { status: 'choice' },
	'/(app)/report': { year: 'fiscalYear' },
	'/(app)/report/xlsx': { year: 'fiscalYear' },
	'/(app)/insight': { campaign: 'id', year: 'fiscalYear' },
	'/(app)/insight/sections': { campaign: 'id', year: 'fiscalYear', policy: 'id', dept: 'id', page: 'page' },
	'/(app)/insight/heatmap': { campaign: 'id', year: 'fiscalYear', policy: 'id', dept: 'id', page: 'page', measure: 'choice' },
	'/(app)/insight/practice': { campaign: 'id', year: 'fiscalYear' },
	'/(app)/insight/questions': { campaign: 'id', year: 'fiscalYear', policy: 'id', page: 'page' },
	'/(app)/insight/inspection': { round: 'id', year: 'fiscalYear' },
	'/(app)/insight/inspection/export': { round: 'id', year: 'fiscalYear', format: 'choice', encoding: 'choice' },
	'/(app)/policy/[slug]/diff': { from: 'text', to: 'text', all: 'flag' },
	'/(app)/policy/[slug]/diff/print': { from: 'text', to: 'text' },
	'/(app)/policy/[slug]/diff/docx': { from: 'text', to: 'text' },
	'/(app)/revision': { discarded: 'flag' },
	'/(app)/revision/[id]': { section: 'text', existing: 'flag' },
	'/(app)/revision/[id]/review': { submitted: 'flag', published: 'flag' }
};
