// Request bodies are held to their route's limit before the app reads them: a flood of large
// anonymous posts leaves the server's memory where it was, and a person who sends too much (or
// something that is not a form, or a malformed address) gets a page that says so, in Japanese and
// English without script and as the app's own error page with it.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { memoryOf, rssSampler } from '../../bench/servers';
import { startPrivateApp, type PrivateApp } from './private-app';
import { postWhole, rawPost } from './raw-http';
import { expectAccessible, login, waitForHydration } from './helpers';

const MB = 1024 * 1024;

/** Resets the kernel's record of the process's peak RSS (VmHWM) to what it holds now, where allowed. */
function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

test.describe('a burst of large anonymous posts', () => {
	let app: PrivateApp | undefined;

	test.afterAll(async () => {
		await app?.stop();
	});

	test('is refused without the server holding the bodies: its memory grows by a fraction of what was sent', async () => {
		test.setTimeout(240_000);
		app = await startPrivateApp('bodies', { demo: false });
		const { origin, server } = app;
		const headers = { Origin: origin, Accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
		// Warm up, so the baseline includes what the first requests load (the database has no
		// organisation yet: a well-formed login is answered with the page's own 503).
		for (let i = 0; i < 20; i++) {
			expect((await fetch(`${origin}/login`)).status).toBe(200);
			await rawPost(origin, '/login', headers, Buffer.from('employeeNumber=x&password=y'));
		}

		// Under the server's outer bound (11 MB), so only the route's own limit (4 KB) stands in the way.
		const count = 60;
		// The same burst with small bodies first, so the connections' own buffers are in the baseline.
		await Promise.all(Array.from({ length: count }, (_, i) => postWhole(origin, '/login', headers, 256 * 1024, i % 2 === 0)));
		const bytes = 10 * MB;
		const sentMb = (count * bytes) / MB;
		for (const declared of [true, false]) {
			const kernelPeak = resetPeak(server.pid);
			const before = memoryOf(server.pid)!.rssMb;
			const sampler = rssSampler(server.pid, 25);
			const answers = await Promise.all(Array.from({ length: count }, () => postWhole(origin, '/login', headers, bytes, declared)));
			sampler.stop();
			// The kernel's high-water mark since the reset misses nothing; the sampler is the fallback.
			const peak = Math.max(sampler.peakMb(), memoryOf(server.pid)!.rssMb, kernelPeak ? memoryOf(server.pid)!.hwmMb : 0);
			const grew = peak - before;
			console.log(
				`${declared ? 'declared' : 'chunked'}: ${count} posts of ${bytes / MB} MB (${sentMb} MB) → RSS ${Math.round(before)} MB, peak ${Math.round(peak)} MB`
			);
			// Holding the bodies as they arrive took the former code 230 MB over its baseline; a fifth of
			// what was sent is far above the noise.
			expect(grew, `RSS grew ${Math.round(grew)} MB for ${sentMb} MB sent`).toBeLessThan(sentMb / 5);
			expect(answers.map((a) => a.status)).toEqual(Array(count).fill(413));
		}
		expect(server.running()).toBe(true);
		// And it still serves the page.
		expect((await fetch(`${origin}/login`)).status).toBe(200);
	});
});

test.describe('too much or the wrong thing, as a person meets it', () => {
	test('a login form over its few kilobytes answers 413 in both languages without script, and as the app’s error page with it', async ({ browser }) => {
		const long = 'あ'.repeat(2000); // 18 KB url-encoded: over the login form's 4 KB.
		for (const script of [false, true]) {
			const context = await browser.newContext({ javaScriptEnabled: script });
			const page = await context.newPage();
			await page.goto('/login');
			if (script) await waitForHydration(page);
			await page.getByLabel('職員番号').fill(long);
			await page.getByLabel('パスワード').fill('x');
			const answered = page.waitForResponse((r) => r.request().method() === 'POST');
			await page.getByRole('button', { name: 'ログイン' }).click();
			expect((await answered).status()).toBe(413);
			await expect(page.getByText('送信された内容が大きすぎます。この画面で一度に送信できるのは 4 KB までです。')).toBeVisible();
			if (!script) {
				// The page of the hooks: both languages, and the way back to the form.
				await expect(page.getByRole('heading', { level: 1, name: 'リクエストを受け付けられませんでした' })).toBeVisible();
				await expect(page.getByRole('heading', { level: 2, name: 'This request was not accepted' })).toBeVisible();
				await expect(page.getByText('This page takes at most 4 KB at a time.')).toBeVisible();
				await expect(page.getByRole('link', { name: 'フォームのページに戻る' })).toHaveAttribute('href', '/login');
				// axe runs scripts: it checks the same page in a context that allows them.
				const html = await page.content();
				const checked = await browser.newPage();
				await checked.setContent(html);
				await expectAccessible(checked);
				await checked.close();
			} else {
				// An enhanced form gets an action result, shown as the app's error page.
				await expect(page.getByRole('heading', { level: 1, name: '413 エラー' })).toBeVisible();
				await expectAccessible(page);
			}
			await context.close();
		}
	});

	test('an impossible date or a NUL in the address is a 400 that names what is wrong', async ({ page }) => {
		await login(page, 'demo-admin');
		const bad = await page.goto('/admin/audit?from=2026-02-31');
		expect(bad?.status()).toBe(400);
		await expect(page.getByText('アドレスの「from」の値が正しくありません（例：2026-04-01）。')).toBeVisible();
		await expectAccessible(page);
		const nul = await page.goto('/team?page=%00');
		expect(nul?.status()).toBe(400);
		await expect(page.getByText('アドレスに使えない文字が含まれています。')).toBeVisible();
		await expect(page.getByText('The address contains a character that cannot be used.')).toBeVisible();
		await expect(page.getByRole('link', { name: '条件を付けずにページを開く' })).toHaveAttribute('href', '/team');
		await expectAccessible(page);
	});
});
