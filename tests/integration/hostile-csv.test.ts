// CSV injection: every export gets cells that a spreadsheet would run as formulas, through the data
// a person or a roster file can set, and each such cell comes out inert in both encodings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { makeDepartment, makeOrg, makePerson } from '../helpers/fixtures';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { assignments, campaigns, courses } from '../../src/lib/server/db/schema';
import { loadCurrentUser } from '../../src/lib/server/auth/current-user';
import { recordAudit } from '../../src/lib/server/audit/log';
import { auditCsvRows, exportAuditLines } from '../../src/lib/server/audit/csv';
import { allCompletionPeople, completionScopeFor, parsePeopleFilter } from '../../src/lib/server/insight/completion';
import { completionCsvRows } from '../../src/lib/server/insight/completion-csv';
import { encodeCsv, type CsvCell, type CsvEncoding } from '../../src/lib/server/insight/csv';
import { parseCsv } from '../../src/lib/server/org/roster';
import { formulaCells } from '../fixtures/hostile/xss';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
	handle = await createTestDatabase();
	db = handle.db;
}, 120_000);
afterAll(() => handle?.close());

/** The file as a spreadsheet would read it: bytes → text → RFC 4180 cells. */
function cellsOf(rows: CsvCell[][], encoding: CsvEncoding): string[] {
	const bytes = encodeCsv(rows, encoding);
	const text = encoding === 'utf-8' ? new TextDecoder('utf-8').decode(bytes.subarray(3)) : new TextDecoder('shift_jis').decode(bytes);
	return parseCsv(text).records.flatMap((r) => r.fields);
}

/** Every planted value is in the file, and only behind the apostrophe that makes it text. */
function expectNeutralised(rows: CsvCell[][], planted: readonly string[]) {
	for (const encoding of ['utf-8', 'shift_jis'] as const) {
		const cells = cellsOf(rows, encoding);
		for (const value of planted) {
			const found = cells.filter((c) => c === value || c === `'${value}`);
			expect(found.length, `${encoding}: ${JSON.stringify(value)} is exported`).toBeGreaterThan(0);
			expect(
				found.every((c) => c === `'${value}`),
				`${encoding}: ${JSON.stringify(value)} is neutralised`
			).toBe(true);
		}
		for (const cell of cells) expect(cell, `${encoding}: no cell starts a formula`).not.toMatch(/^[=+\-@\t\r＝＋－＠\u2212]/);
	}
}

describe('the people list export (/team/export)', () => {
	it('neutralises formulas in numbers, names, kana, departments and the campaign title', async () => {
		const org = await makeOrg(db);
		const department = await makeDepartment(db, org.id, '900', formulaCells[1]);
		const [course] = await db.insert(courses).values({ orgId: org.id, slug: 'basic', title: '基本研修' }).returning();
		const [campaign] = await db
			.insert(campaigns)
			.values({
				orgId: org.id,
				courseId: course.id,
				title: formulaCells[0],
				fiscalYear: 2026,
				startsOn: '2026-04-01',
				dueOn: '2026-12-25',
				audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
			})
			.returning();
		for (const [i, cell] of formulaCells.entries()) {
			const person = await makePerson(db, org.id, { employeeNumber: `${cell}#${i}`, name: cell, nameKana: cell, departmentId: department.id });
			await db
				.insert(assignments)
				.values({ orgId: org.id, campaignId: campaign.id, personId: person.id, departmentId: department.id, employmentType: 'regular' });
		}
		const admin = await makePerson(db, org.id, { employeeNumber: 'admin', roles: ['admin'] });
		const scope = await completionScopeFor(db, (await loadCurrentUser(db, admin.id, org.id))!);
		const people = await allCompletionPeople(db, scope, campaign, parsePeopleFilter(new URLSearchParams()), '2026-11-20');
		expect(people).toHaveLength(formulaCells.length);
		const rows = completionCsvRows(campaign, people, 'ja');
		expectNeutralised(rows, [...formulaCells.map((c, i) => `${c}#${i}`), ...formulaCells]);
	});
});

describe('the audit log export (/admin/audit/export)', () => {
	it('neutralises formulas in the actor, the object, the summary and the address', async () => {
		const org = await makeOrg(db);
		for (const [i, cell] of formulaCells.entries()) {
			const actor = await makePerson(db, org.id, { employeeNumber: `${cell}@${i}`, name: cell });
			const department = await makeDepartment(db, org.id, `${cell}#${i}`, cell);
			await recordAudit(db, { orgId: org.id, personId: actor.id, ip: cell }, { action: 'person.update', targetType: 'person', targetId: actor.id, detail: {} });
			await recordAudit(
				db,
				{ orgId: org.id, personId: actor.id, ip: cell },
				{ action: 'department.update', targetType: 'department', targetId: department.id, detail: { before: { name: cell }, after: { name: `${cell}!` } } }
			);
		}
		for (const locale of ['ja', 'en'] as const) {
			const rows = auditCsvRows(await exportAuditLines(db, org.id, {}, locale), locale);
			expect(rows).toHaveLength(2 * formulaCells.length + 1);
			expectNeutralised(rows, [...formulaCells, ...formulaCells.map((c, i) => `${c}@${i}`)]);
		}
	});
});
