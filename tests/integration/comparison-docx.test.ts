// The 新旧対照表 as the app writes it, from versions in PostgreSQL to a .docx, opened again with a
// reader: the file's own XML (unzipped here) and a converter that reads Word files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { createTestDatabase } from '../helpers/db';
import { makeOrg, makePerson } from '../helpers/fixtures';
import { markedText, readDocx, type DocxRow } from '../helpers/docx';
import type { DbHandle } from '../../src/lib/server/db/client';
import { policies, type Role } from '../../src/lib/server/db/schema';
import { insertVersion, type SectionInput } from '../../src/lib/server/policy/versions';
import { comparePolicyVersions } from '../../src/lib/server/policy/diff';
import { comparisonFileName, comparisonSheet } from '../../src/lib/server/policy/comparison-document';
import { comparisonDocx } from '../../src/lib/server/policy/comparison-docx';
import { saveDocumentSettings } from '../../src/lib/server/org/document-settings';

let handle: DbHandle;
let orgId: string;
let adminId: string;
const viewer = (...roles: Role[]) => ({ orgId, roles });

const secret = '管理者用パスワードは金庫に保管する。';
const v50: SectionInput[] = [
	{ key: '1', level: 1, label: '1', heading: '目的', body: '本基本方針は、情報資産の機密性、完全性及び可用性を維持することを目的とする。' },
	{ key: '5', level: 1, label: '5', heading: '職員等の遵守義務', body: '職員等は、情報セキュリティポリシーを遵守しなければならない。' },
	{ key: '6', level: 1, label: '6', heading: '情報セキュリティ対策', body: '以下の対策を講じる。' },
	{ key: '6.3', level: 2, label: '(3)', heading: '情報システム全体の強靱性の向上', body: '次の三段階の対策を講じる。' },
	{ key: '6.3.1', level: 3, label: '①', heading: '', body: 'マイナンバー利用事務系においては、住民情報の流出を防ぐ。' },
	{ key: '6.3.3', level: 3, label: '③', heading: '', body: '- インターネット接続系においては、**不正通信の監視**を強化する。' },
	{ key: '7', level: 1, label: '7', heading: '管理', body: secret, restrictedTo: ['admin'] },
	{ key: '8', level: 1, label: '8', heading: '廃止する規定', body: 'この規定は廃止する。' }
];
const v51: SectionInput[] = [
	...v50
		.filter((s) => s.key !== '8')
		.map((s) =>
			s.key === '6.3.3'
				? { ...s, body: '- インターネット接続系においては、**不正通信の監視**及び記録の保存を強化する。' }
				: s.key === '7'
					? { ...s, body: secret.replace('金庫', '耐火金庫') }
					: s
		),
	{ key: '9', level: 1, label: '9', heading: '教育', body: '毎年度、研修を行う。' }
];

beforeAll(async () => {
	handle = await createTestDatabase();
	orgId = (await makeOrg(handle.db)).id;
	adminId = (await makePerson(handle.db, orgId, { employeeNumber: 'ADM', roles: ['admin'] })).id;
	const [policy] = await handle.db.insert(policies).values({ orgId, slug: 'basic', title: '試験市情報セキュリティ基本方針' }).returning();
	const base = { orgId, policyId: policy.id, changeKind: 'partial' as const };
	await insertVersion(handle.db, { ...base, version: '5.0', status: 'published', effectiveDate: '2025-11-25' }, v50);
	await insertVersion(handle.db, { ...base, version: '5.1', status: 'in_review' }, v51);
});
afterAll(() => handle?.close());

async function docxFor(roles: Role[]) {
	const comparison = (await comparePolicyVersions(handle.db, viewer(...roles), 'basic', '5.0', '5.1'))!;
	const sheet = await comparisonSheet(handle.db, orgId, comparison, 'ja');
	const bytes = await comparisonDocx(sheet);
	return { sheet, bytes, docx: readDocx(bytes) };
}

const rowTexts = (rows: DocxRow[]) => rows.map((r) => r.cells.map(markedText));

describe('the 新旧対照表 as a Word file', () => {
	it('is A4 landscape with a title block, a repeating heading row and underlined changes on both sides', async () => {
		const { docx } = await docxFor(['approver']);
		expect(docx.page).toEqual({ width: 16838, height: 11906, orient: 'landscape' });
		expect(docx.paragraphs.map((p) => p.text).filter(Boolean)).toEqual([
			'試験市情報セキュリティ基本方針',
			'新旧対照表',
			'改正後：第5.1版（改訂案・審査中）',
			'改正前：第5.0版（令和7年11月25日施行）'
		]);
		expect(docx.tables).toHaveLength(1);
		const [header, ...rows] = docx.tables[0];
		expect(header).toMatchObject({ header: true, cells: [{ text: '改正後' }, { text: '改正前' }] });
		expect(rows.every((r) => !r.header && r.cantSplit)).toBe(true);
		expect(rowTexts(rows)).toEqual([
			[['（略）'], ['（略）']],
			[
				['6　情報セキュリティ対策', '（略）'],
				['6　情報セキュリティ対策', '（略）']
			],
			[
				['6(3)　情報システム全体の強靱性の向上', '（略）'],
				['6(3)　情報システム全体の強靱性の向上', '（略）']
			],
			[['（略）'], ['（略）']],
			[
				['6(3)③　インターネット接続系においては、不正通信の監視[及び記録の保存]を強化する。'],
				['6(3)③　インターネット接続系においては、不正通信の監視を強化する。']
			],
			// 8 stood last in 5.0, so it is listed after what 5.1 adds at the end.
			[['[9]　[教育]', '[毎年度、研修を行う。]'], ['（新設）']],
			[['（削除）'], ['[8]　[廃止する規定]', '[この規定は廃止する。]']]
		]);
		// Only the changed words carry an underline; no Markdown reaches the file.
		const underlined = rows.flatMap((r) => r.cells.flatMap((c) => c.paragraphs.flatMap((p) => p.runs.filter((run) => run.underline).map((run) => run.text))));
		expect(underlined).toEqual(['及び記録の保存', '9', '教育', '毎年度、研修を行う。', '8', '廃止する規定', 'この規定は廃止する。']);
		expect(docx.files.get('word/document.xml')!.toString()).not.toMatch(/\*\*|>- /);
		expect(docx.eastAsiaFonts).toContain('MS Mincho');
		expect(docx.footerFields).toEqual(['PAGE', 'NUMPAGES']);
	});

	it('opens in a converter that reads Word files: the heading row, the table and the underlines', async () => {
		const { bytes } = await docxFor(['approver']);
		const html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: ['u => u'] })).value;
		expect(html).toContain('<thead><tr><th><p><strong>改正後</strong></p></th><th><p><strong>改正前</strong></p></th></tr></thead>');
		expect(html).toContain('インターネット接続系においては、不正通信の監視<u>及び記録の保存</u>を強化する。');
	});

	it('leaves out a 非公開 section for a reader who may not see it, exactly as the comparison does', async () => {
		const approver = await docxFor(['approver']);
		const admin = await docxFor(['admin']);
		const text = (d: typeof approver) => d.docx.files.get('word/document.xml')!.toString();
		expect(text(admin)).toContain('耐火');
		expect(text(approver)).not.toContain('耐火');
		expect(text(approver)).not.toContain('金庫');
		expect(text(approver)).not.toContain('管理');
	});

	it('puts 改正前 on the left when the organisation chose it, in the heading row, the rows and the title block', async () => {
		await saveDocumentSettings(handle.db, { orgId, personId: adminId }, { comparisonOrder: 'old_first', approvalBoxes: [] });
		const { docx } = await docxFor(['approver']);
		await saveDocumentSettings(handle.db, { orgId, personId: adminId }, { comparisonOrder: 'new_first', approvalBoxes: [] });
		const [header, ...rows] = docx.tables[0];
		expect(header.cells.map((c) => c.text)).toEqual(['改正前', '改正後']);
		expect(rowTexts(rows).find((r) => r[0][0] === '（削除）' || r[1][0] === '（削除）')).toEqual([
			['[8]　[廃止する規定]', '[この規定は廃止する。]'],
			['（削除）']
		]);
		expect(docx.paragraphs.map((p) => p.text).filter((t) => t.startsWith('改正'))).toEqual([
			'改正前：第5.0版（令和7年11月25日施行）',
			'改正後：第5.1版（改訂案・審査中）'
		]);
	});

	it('is named after the policy and the versions, without characters a file system refuses', async () => {
		const { sheet } = await docxFor(['approver']);
		expect(comparisonFileName(sheet, 'ja')).toBe('試験市情報セキュリティ基本方針_新旧対照表_第5.0版-第5.1版.docx');
		expect(comparisonFileName({ ...sheet, policy: { ...sheet.policy, title: '規程/細則:"案"\u0007' } }, 'ja')).toBe(
			'規程_細則_案__新旧対照表_第5.0版-第5.1版.docx'
		);
	});
});
