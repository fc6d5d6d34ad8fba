// What the access matrix needs before it can ask anything: the ids of the demo's rows, a draft
// revision in 北杜市, a second organisation with a published revision of its own, and a session
// for every role. Idempotent: Playwright runs beforeAll again in a fresh worker after a failure.
import pg from 'pg';
import { expect, type APIRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { hashPassword } from '../../src/lib/server/auth/password';
import { demoOrgSlug } from '../../src/lib/server/demo/seed';
import { demoPassword, e2eDatabaseUrl } from './helpers';
import { roles, type IdName, type Role } from './access-matrix';

export type Ids = Record<IdName, string>;

const otherOrgSlug = 'access-matrix-other';
const otherPolicySlug = 'access-matrix-basic';
const otherPolicyText = `# 検証町情報セキュリティ基本方針

## 1 目的

本方針は、検証町が保有する情報資産を守るための基本的な事項を定める。

## 2 遵守義務

職員等は、本方針及び実施手順を遵守しなければならない。
`;

const loginAs: Record<Exclude<Role, 'anonymous'>, { number: string; org: 'demo' | 'other' }> = {
	learner: { number: '1008', org: 'demo' },
	supervisor: { number: 'demo-chief', org: 'demo' },
	owner: { number: 'demo-owner', org: 'demo' },
	approver: { number: 'demo-approver', org: 'demo' },
	admin: { number: 'demo-admin', org: 'demo' },
	otherOrg: { number: 'other-admin', org: 'other' },
	pending: { number: 'other-pending', org: 'other' }
};

/** A request context as a browser would be: it sends its origin (SvelteKit checks it on forms) and asks for HTML. */
async function client(request: APIRequest, origin: string, number?: string): Promise<APIRequestContext> {
	const context = await request.newContext({ baseURL: origin, extraHTTPHeaders: { Origin: origin, Accept: 'text/html' } });
	if (!number) return context;
	expect((await context.get('/login')).status()).toBe(200);
	const response = await context.post('/login', { form: { employeeNumber: number, password: demoPassword }, maxRedirects: 0 });
	expect(response.status(), `login of ${number}`).toBe(303);
	return context;
}

/** Posts a form action the way an enhanced form does: the answer is the action's own, no page load runs after it. */
export function postAction(
	session: APIRequestContext,
	url: string,
	body: { form?: Record<string, string>; multipart?: Record<string, { name: string; mimeType: string; buffer: Buffer }> }
): Promise<APIResponse> {
	return session.post(url, { ...body, headers: { Accept: 'application/json', 'x-sveltekit-action': 'true' }, maxRedirects: 0 });
}

async function expectActionDone(response: APIResponse, what: string): Promise<{ type: string; location?: string }> {
	const result = (await response.json()) as { type: string; location?: string };
	expect(['success', 'redirect'], `${what}: ${JSON.stringify(result)}`).toContain(result.type);
	return result;
}

export class AccessWorld {
	ids!: Ids;
	sessions!: Record<Role, APIRequestContext>;
	/** The origin each role's session is on (the other organisation's host for its two). */
	origins!: Record<Role, string>;
	private db: pg.Client;

	/** `databaseUrl`: the database of the app under test (the shared e2e server's unless said). */
	constructor(databaseUrl = e2eDatabaseUrl()) {
		this.db = new pg.Client({ connectionString: databaseUrl });
	}

	private async one<T extends Record<string, string>>(sql: string, params: unknown[] = []): Promise<T> {
		const { rows } = await this.db.query<T>(sql, params);
		if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
		return rows[0];
	}

	async open(request: APIRequest, demoOrigin: string): Promise<void> {
		const otherOrigin = demoOrigin.replace('//localhost', '//127.0.0.1');
		expect(otherOrigin, 'the other organisation needs a host of its own').not.toBe(demoOrigin);
		await this.db.connect();
		const passwordHash = await hashPassword(demoPassword);
		const demo = await this.demoIds(passwordHash);
		const other = await this.otherOrganisation(passwordHash);

		const origin = (role: Exclude<Role, 'anonymous'>) => (loginAs[role].org === 'demo' ? demoOrigin : otherOrigin);
		this.origins = Object.fromEntries(roles.map((role) => [role, role === 'anonymous' ? demoOrigin : origin(role)])) as Record<Role, string>;
		const contexts = await Promise.all(
			roles.map((role) => (role === 'anonymous' ? client(request, demoOrigin) : client(request, origin(role), loginAs[role].number)))
		);
		this.sessions = Object.fromEntries(roles.map((role, i) => [role, contexts[i]])) as Record<Role, APIRequestContext>;

		const draft = await this.incidentDraft(demo.incidentPolicy);
		// The learner opens the quiz, which starts (or resumes) their attempt.
		expect((await this.sessions.learner.get(`/learn/${demo.learnerAssignment}/quiz`)).status()).toBe(200);
		const attempt = await this.one<{ id: string }>(`select id from attempts where assignment_id = $1 and submitted_at is null`, [demo.learnerAssignment]);
		const approver = await client(request, otherOrigin, 'other-approver');
		const otherRevision = await this.otherPublishedRevision(other.orgId, approver);
		await approver.dispose();

		this.ids = { ...demo, ...draft, otherOrgImport: other.otherOrgImport, otherRevision, learnerAttempt: attempt.id };
	}

	async close(): Promise<void> {
		await Promise.all(Object.values(this.sessions ?? {}).map((s) => s.dispose()));
		await this.db.end();
	}

	/** The demo's rows the probes name; the learner (1008, who has no login in the demo) gets one. */
	private async demoIds(passwordHash: string) {
		const { id: orgId } = await this.one<{ id: string }>(`select id from organizations where slug = $1`, [demoOrgSlug]);
		const { campaign, course } = await this.one<{ campaign: string; course: string }>(
			`select c.id as campaign, c.course_id as course from campaigns c join courses k on k.id = c.course_id where c.org_id = $1 and k.slug = 'basic-policy-training'`,
			[orgId]
		);
		const lesson = await this.one<{ id: string; slug: string }>(
			`select id, slug from lessons where course_id = $1 and active and not needs_review order by position limit 1`,
			[course]
		);
		const question = await this.one<{ id: string }>(`select id from questions where course_id = $1 and active order by position limit 1`, [course]);
		const checklist = await this.one<{ id: string }>(`select id from inspection_checklists where org_id = $1 and slug = 'staff-self-inspection'`, [orgId]);
		const learner = await this.one<{ id: string }>(
			`update people set password_hash = $2, must_change_password = false where org_id = $1 and employee_number = '1008' returning id`,
			[orgId, passwordHash]
		);
		const learnerAssignment = await this.one<{ id: string }>(`select id from assignments where campaign_id = $1 and person_id = $2`, [campaign, learner.id]);
		// The learner's round of the staff self-inspection (a campaign of the demo with a checklist).
		const learnerRound = await this.one<{ id: string }>(
			`select a.id from assignments a join campaigns c on c.id = a.campaign_id join inspection_checklists l on l.id = c.checklist_id
			 where a.person_id = $1 and l.slug = 'staff-self-inspection'`,
			[learner.id]
		);
		const other = await this.one<{ attempt: string; assignment: string }>(
			`select t.id as attempt, t.assignment_id as assignment from attempts t join assignments a on a.id = t.assignment_id
			 where a.org_id = $1 and a.campaign_id = $2 and a.person_id <> $3 and a.status = 'completed' and t.passed order by t.submitted_at limit 1`,
			[orgId, campaign, learner.id]
		);
		const department = (code: string) => this.one<{ id: string }>(`select id from departments where org_id = $1 and code = $2`, [orgId, code]);
		const policy = (slug: string) => this.one<{ id: string }>(`select id from policies where org_id = $1 and slug = $2`, [orgId, slug]);
		const basic = await this.one<{ id: string }>(`select id from policy_versions where policy_id = $1 and version = '5.0'`, [
			(await policy('basic-policy')).id
		]);
		return {
			campaign,
			course,
			lesson: lesson.id,
			lessonSlug: lesson.slug,
			question: question.id,
			checklist: checklist.id,
			learnerPerson: learner.id,
			learnerAssignment: learnerAssignment.id,
			learnerRound: learnerRound.id,
			otherAssignment: other.assignment,
			otherAttempt: other.attempt,
			supervisedDepartment: (await department('210')).id,
			outsideDepartment: (await department('410')).id,
			basicVersion: basic.id,
			incidentPolicy: (await policy('incident-procedure')).id,
			missing: '00000000-0000-4000-8000-000000000000'
		};
	}

	/** A draft of the 非公開 incident procedure, started the way an owner starts one (a second start opens the same). */
	private async incidentDraft(policyId: string) {
		const started = await this.sessions.owner.post('/revision?/start', { form: { policyId }, maxRedirects: 0 });
		const draftRevision = /^\/revision\/([0-9a-f-]{36})/.exec(started.headers().location ?? '')?.[1];
		expect(draftRevision, `the draft (${started.status()} ${started.headers().location})`).toBeTruthy();
		const { version } = await this.one<{ version: string }>(`select version from policy_versions where id = $1 and status = 'draft'`, [draftRevision]);
		const { key } = await this.one<{ key: string }>(`select key from policy_sections where version_id = $1 order by position limit 1`, [draftRevision]);
		return { draftRevision: draftRevision!, draftVersion: version, draftFirstSection: key };
	}

	/**
	 * A second organisation on the same deployment, chosen by the host 127.0.0.1: an admin, an
	 * admin whose password was reset, an approver, and a discarded roster import. The audit log is
	 * append-only, so the organisation stays.
	 */
	private async otherOrganisation(passwordHash: string) {
		const { id: orgId } = await this.one<{ id: string }>(
			`insert into organizations (slug, name, name_en, host) values ($1, '検証町', 'Verification Town', '127.0.0.1')
			 on conflict (slug) do update set host = excluded.host returning id`,
			[otherOrgSlug]
		);
		const person = async (number: string, name: string, role: 'admin' | 'approver', mustChange = false) => {
			const { id } = await this.one<{ id: string }>(
				`insert into people (org_id, employee_number, name, name_kana, employment_type, password_hash, must_change_password)
				 values ($1, $2, $3, 'ケンショウ', 'regular', $4, $5)
				 on conflict (org_id, employee_number) do update set password_hash = excluded.password_hash, must_change_password = excluded.must_change_password, active = true
				 returning id`,
				[orgId, number, name, passwordHash, mustChange]
			);
			await this.db.query(`insert into person_roles (org_id, person_id, role) values ($1, $2, $3) on conflict do nothing`, [orgId, id, role]);
			return id;
		};
		const admin = await person('other-admin', '検証 管理', 'admin');
		await person('other-pending', '検証 仮', 'admin', true);
		await person('other-approver', '検証 審査', 'approver');
		await this.db.query(
			`insert into roster_imports (org_id, created_by, file_name, encoding, rows, status)
			 select $1, $2, 'access-matrix.csv', 'utf-8', '[]', 'discarded' where not exists (select 1 from roster_imports where org_id = $1)`,
			[orgId, admin]
		);
		const { id } = await this.one<{ id: string }>(`select id from roster_imports where org_id = $1 order by created_at limit 1`, [orgId]);
		return { orgId, otherOrgImport: id };
	}

	/**
	 * The other organisation's policy, revised through the app from import to publication, so its
	 * retraining pages have something to show: taken up where an earlier run stopped.
	 */
	private async otherPublishedRevision(orgId: string, approver: APIRequestContext): Promise<string> {
		const admin = this.sessions.otherOrg;
		const policyRow = () => this.db.query<{ id: string }>(`select id from policies where org_id = $1 and slug = $2`, [orgId, otherPolicySlug]);
		if ((await policyRow()).rows.length === 0) {
			// Previewed first: the save names the document the import page kept.
			await expectActionDone(await postAction(admin, '/policy/import?/preview', { form: { text: otherPolicyText } }), 'import preview');
			const { id: previewId } = await this.one<{ id: string }>(`select id from policy_import_previews where org_id = $1 order by created_at desc limit 1`, [
				orgId
			]);
			const saved = await postAction(admin, '/policy/import?/save', {
				form: { previewId, mode: 'new', slug: otherPolicySlug, title: '検証町情報セキュリティ基本方針', newVersion: '1.0', newKind: 'enacted', publish: 'on' }
			});
			await expectActionDone(saved, 'import');
		}
		const policyId = (await policyRow()).rows[0].id;
		for (let step = 0; step < 6; step++) {
			const { rows } = await this.db.query<{ id: string; status: string }>(
				`select id, status from policy_versions where policy_id = $1 and based_on_version_id is not null order by created_at desc limit 1`,
				[policyId]
			);
			const revision = rows[0];
			if (revision?.status === 'published') return revision.id;
			if (!revision) {
				await expectActionDone(await postAction(admin, '/revision?/start', { form: { policyId } }), 'start');
			} else if (revision.status === 'draft') {
				const section = await this.one<{ rev: string; label: string; heading: string }>(
					`select rev::text, label, heading from policy_sections where version_id = $1 and key = '2'`,
					[revision.id]
				);
				const body = '職員等は、本方針及び実施手順を遵守し、違反を知ったときは直ちに報告しなければならない。';
				await expectActionDone(
					await postAction(admin, `/revision/${revision.id}?/saveSection`, {
						form: { key: '2', rev: section.rev, label: section.label, heading: section.heading, body }
					}),
					'save'
				);
				await expectActionDone(await postAction(admin, `/revision/${revision.id}?/submit`, { form: {} }), 'submit');
			} else if (revision.status === 'in_review') {
				await expectActionDone(await postAction(approver, `/revision/${revision.id}/review?/approve`, { form: {} }), 'approve');
			} else if (revision.status === 'approved') {
				await expectActionDone(await postAction(approver, `/revision/${revision.id}/review?/publish`, { form: {} }), 'publish');
			} else {
				throw new Error(`the other organisation's revision is ${revision.status}`);
			}
		}
		throw new Error('the other organisation’s revision did not reach publication');
	}
}
