// Access control as a table: every route and form action under src/routes, asked by every kind of
// visitor over plain HTTP, must answer what access-matrix.ts says. A route or action missing from
// the matrix fails the first test; every mismatch is listed at once by the last.
import { expect, test } from '@playwright/test';
import { matrix, roleNotes, roles, type Probe, type Role } from './access-matrix';
import { AccessWorld } from './access-setup';
import { appRequests, fillIds, keyOf, outcomeOf, routePattern, sendProbe } from './route-walker';

// ---- The world the probes need (access-setup.ts).

const world = new AccessWorld();

const fill = (template: string) => fillIds(template, world.ids);

test.beforeAll(async ({ playwright }, testInfo) => {
	await world.open(playwright.request, new URL(testInfo.project.use.baseURL!).origin);
});

test.afterAll(async () => {
	await world.close();
});

// ---- The tests.

test('the matrix lists every route and form action, each for every role, at a path of that route', () => {
	const inApp = new Set(appRequests());
	const inMatrix = new Set(matrix.map(keyOf));
	expect(
		[...inApp].filter((k) => !inMatrix.has(k)),
		'routes and actions missing from access-matrix.ts'
	).toEqual([]);
	expect(
		[...inMatrix].filter((k) => !inApp.has(k)),
		'matrix entries for routes or actions that no longer exist'
	).toEqual([]);

	const uncovered = [...inMatrix].flatMap((key) => {
		const probes = matrix.filter((p) => keyOf(p) === key);
		return roles.filter((role) => probes.every((p) => p.expect[role] === '-')).map((role) => `${key}: ${role}`);
	});
	expect(uncovered, 'requests with no expectation for a role').toEqual([]);

	const misplaced = matrix.filter((p) => !routePattern(p.route).test(fill(p.path).split('?')[0])).map((p) => `${p.path} is not ${p.route}`);
	expect(misplaced).toEqual([]);
	const sendsForm = (p: Probe) => !!(p.form || p.file);
	const badForms = matrix
		.filter((p) => (p.request.startsWith('action') && !sendsForm(p)) || (['load', 'GET'].includes(p.request) && sendsForm(p)))
		.map((p) => `${keyOf(p)} ${p.path}`);
	expect(badForms, 'actions post a form (maybe empty); GETs send none').toEqual([]);
});

/**
 * A page seen by `viewer` holds none of `hidden`, while `control` sees all of them on the same
 * page (so each string would show if it leaked) and `viewer` sees what is theirs (`shown`).
 */
interface ScopeCheck {
	path: string;
	viewer: Role;
	shown?: string;
	hidden: string[];
	control: Role;
}

async function scopeProblems(checks: ScopeCheck[]): Promise<string[]> {
	const problems: string[] = [];
	for (const { path: template, viewer, shown, hidden, control } of checks) {
		const url = fill(template);
		const [seen, controlled] = await Promise.all([world.sessions[viewer].get(url, { maxRedirects: 0 }), world.sessions[control].get(url, { maxRedirects: 0 })]);
		const [text, controlText] = await Promise.all([seen.text(), controlled.text()]);
		if (seen.status() !== 200 || controlled.status() !== 200)
			problems.push(`${template}: ${viewer} got ${seen.status()}, ${control} got ${controlled.status()}`);
		if (shown && !text.includes(shown)) problems.push(`${template}: ${viewer} should see 「${shown}」`);
		for (const h of hidden) {
			if (!controlText.includes(h)) problems.push(`${template}: ${control} should see 「${h}」`);
			if (text.includes(h)) problems.push(`${template}: ${viewer} sees 「${h}」`);
		}
	}
	return problems;
}

// Strings of 北杜市, and where 北杜市's own people see them; its name (北杜) is on every one of its pages.
const otherOrgChecks: ScopeCheck[] = (
	[
		['/', 'learner', ['北杜市情報セキュリティ基本方針']],
		['/learn', 'learner', ['情報セキュリティ基本方針 研修']],
		['/policy', 'learner', ['北杜市情報セキュリティ基本方針']],
		['/policy/import', 'owner', ['北杜市情報セキュリティ実施手順']],
		['/team', 'admin', ['市民部', '小淵沢 花子']],
		['/report', 'admin', ['情報セキュリティ研修（全職員）', '市民課']],
		['/insight', 'owner', ['北杜市情報セキュリティ基本方針']],
		['/revision', 'owner', ['北杜市情報セキュリティ実施手順']],
		['/admin/campaigns', 'admin', ['情報セキュリティ研修（全職員）']],
		['/admin/campaigns/new', 'owner', ['商工観光課', '情報セキュリティ基本方針 研修']],
		['/admin/courses', 'owner', ['情報セキュリティ基本方針 研修']],
		['/admin/people', 'admin', ['小淵沢 花子', '北杜 管理']],
		['/admin/departments', 'admin', ['商工観光課']],
		['/admin/audit', 'admin', ['demo-admin']],
		['/admin/audit/export', 'admin', ['demo-admin']]
	] as const
).map(([path, control, hidden]) => ({ path, viewer: 'otherOrg' as const, hidden: ['北杜', ...hidden], control }));

test('an admin of another organisation sees none of 北杜市 on any list page', async () => {
	expect(await scopeProblems(otherOrgChecks)).toEqual([]);
});

test("a supervisor sees their own departments' people and nobody else's", async () => {
	// 韮崎 誠 (the learner, 商工観光課) and 長坂 一郎 (総務課) are outside 市民課.
	const outside = ['韮崎 誠', '長坂 一郎'];
	const checks: ScopeCheck[] = [
		{ path: '/team', viewer: 'supervisor', shown: '小淵沢 花子', hidden: outside, control: 'admin' },
		{ path: '/team/export?campaign={campaign}', viewer: 'supervisor', shown: '小淵沢 花子', hidden: outside, control: 'admin' },
		{ path: '/policy/basic-policy/acknowledgements', viewer: 'supervisor', shown: '窓口係', hidden: [...outside, '商工観光課'], control: 'admin' }
	];
	expect(await scopeProblems(checks)).toEqual([]);
});

test('every role gets what the matrix says from every route and form action', async () => {
	// Sessions end with the logout probe, so it goes last.
	const ordered = [...matrix.filter((p) => !p.last), ...matrix.filter((p) => p.last)];
	const perRole = await Promise.all(
		roles.map(async (role) => {
			const mismatches: string[] = [];
			for (const probe of ordered) {
				const expected = probe.expect[role];
				if (expected === '-') continue;
				const got = await outcomeOf(await sendProbe(world.sessions[role], probe, world.ids));
				if (got !== expected)
					mismatches.push(`${role.padEnd(10)} expected ${expected.padEnd(14)} got ${got.padEnd(14)} ${probe.request.padEnd(22)} ${probe.path}`);
			}
			return mismatches;
		})
	);
	const mismatches = perRole.flat();
	expect(mismatches, `roles: ${roles.map((r) => `${r} = ${roleNotes[r]}`).join('; ')}`).toEqual([]);
});
