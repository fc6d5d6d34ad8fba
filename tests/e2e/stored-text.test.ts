// Stored text that cannot render is shown as written, with a notice for those who can edit it;
// a roster or policy file with bytes that are neither UTF-8 nor Shift_JIS is refused by line.
// The policy is one of its own, so no other test reads what this one stores.
import { expect, test } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { organizations, policies } from '../../src/lib/server/db/schema';
import { demoOrgSlug } from '../../src/lib/server/demo/seed';
import { insertVersion } from '../../src/lib/server/policy/versions';
import { e2eDatabaseUrl, expectAccessible, login } from './helpers';

test.describe.configure({ mode: 'serial' });

const slug = 'e2e-stored-text';
const deep = `${'>'.repeat(5000)} 深すぎる引用`;
let handle: DbHandle;

test.beforeAll(async () => {
	handle = await createDb({ url: e2eDatabaseUrl(), poolSize: 1 });
	const [org] = await handle.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, demoOrgSlug));
	const [existing] = await handle.db
		.select({ id: policies.id })
		.from(policies)
		.where(and(eq(policies.orgId, org.id), eq(policies.slug, slug)));
	if (existing) return;
	const [policy] = await handle.db.insert(policies).values({ orgId: org.id, slug, title: '表示試験の規程', sortOrder: 99 }).returning({ id: policies.id });
	// Saved before the bounds existed: no save path takes this text today.
	await insertVersion(
		handle.db,
		{ orgId: org.id, policyId: policy.id, version: '1.0', status: 'published', changeKind: 'enacted', title: '表示試験の規程', publishedAt: new Date() },
		[
			{ key: '1', level: 1, label: '1', heading: '目的', body: 'この規程は、表示を試す。' },
			{ key: '2', level: 1, label: '2', heading: '引用', body: `次のとおり。\n${deep}` }
		]
	);
});
test.afterAll(async () => handle?.close());

test('a policy owner sees the section as written and why; the rest of the policy renders', async ({ page }) => {
	await login(page, 'demo-owner');
	const response = await page.goto(`/policy/${slug}`);
	expect(response?.status()).toBe(200);
	const section = page.locator('section[data-key="2"]');
	await expect(section.getByRole('note')).toContainText('書かれたとおりの文字で表示しています');
	await expect(section.getByRole('note')).toContainText('2行目の入れ子が深すぎます（16段まで）');
	await expect(section).toContainText('>>>>>>>>>> 深すぎる引用'.slice(0, 10));
	await expect(page.locator('section[data-key="1"] .body')).toHaveText('この規程は、表示を試す。');
	await expectAccessible(page);
});

test('staff read the same text, without the notice', async ({ page }) => {
	await login(page, 'demo-staff');
	expect((await page.goto(`/policy/${slug}`))?.status()).toBe(200);
	const section = page.locator('section[data-key="2"]');
	await expect(section).toContainText('次のとおり。');
	await expect(section).toContainText('深すぎる引用');
	await expect(page.getByRole('note')).toHaveCount(0);
	await expectAccessible(page);
});

test('a policy file with bytes that are neither UTF-8 nor Shift_JIS is refused, naming the lines', async ({ page }) => {
	await login(page, 'demo-owner');
	await page.goto('/policy/import');
	// Shift_JIS 目的 on line 1, an undefined lead byte on line 3.
	const bytes = Buffer.from([0x31, 0x20, 0x96, 0xda, 0x93, 0x49, 0x0a, 0x96, 0x7b, 0x95, 0xb6, 0x0a, 0x85, 0x40, 0x0a]);
	await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: 'broken.txt', mimeType: 'text/plain', buffer: bytes });
	await page.getByRole('button', { name: '構造を確認する' }).click();
	await expect(page.getByRole('alert')).toContainText('3行目に、UTF-8 としても Shift_JIS としても読めない文字があります');
	await expectAccessible(page);
});
