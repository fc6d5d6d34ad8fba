import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guideFor, guideImage, guideIndex, guideTitles, renderGuideMarkdown } from '../../src/lib/server/guide/guides';
import { guideSlugFor } from '../../src/lib/guide';

const known = new Set(['staff-home.png']);

describe('the guides’ Markdown', () => {
	it('shows our own screenshots from our origin, and no other image', () => {
		const html = renderGuideMarkdown(
			'![ホーム](images/staff-home.png)\n\n![外](https://example.com/x.png)\n\n![ない](images/staff-none.png)\n\n![上](images/../secret.png)\n\n<img src=x onerror=alert(1)>',
			known
		);
		expect(html).toContain('<img src="/guide/images/staff-home.png" alt="ホーム"');
		expect(html.match(/<img/g)).toHaveLength(1);
		expect(html).not.toContain('example.com');
		expect(html).not.toContain('onerror');
		// An image that is not ours stays as its words.
		expect(html).toContain('外');
	});

	it('makes links between the guides the app’s own and keeps the allowlist', () => {
		const html = renderGuideMarkdown(
			'[所属長](supervisor.md) [目次](index.md) [節](owner.md#x) [他](other.md) [悪](javascript:alert(1)) <script>alert(1)</script>',
			known
		);
		expect(html).toContain('href="/guide/supervisor"');
		expect(html).toContain('href="/guide"');
		expect(html).toContain('href="/guide/owner#x"');
		expect(html).toContain('href="other.md"');
		expect(html).not.toContain('javascript:');
		expect(html).not.toContain('<script');
	});
});

describe('reading the guides', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'mamori-guide-'));
	mkdirSync(path.join(dir, 'images'));
	writeFileSync(path.join(dir, 'index.md'), '# 操作マニュアル\n\n本文\n');
	writeFileSync(path.join(dir, 'staff.md'), '# 一般職員\n\n![ホーム](images/staff-home.png)\n');
	writeFileSync(path.join(dir, 'images', 'staff-home.png'), 'png');
	writeFileSync(path.join(dir, 'images', 'notes.txt'), 'not an image');
	writeFileSync(path.join(dir, 'secret.png'), 'outside');

	it('takes the first heading as the title and only the role names as guides', async () => {
		expect(await guideIndex(dir)).toMatchObject({ title: '操作マニュアル' });
		const staff = await guideFor('staff', dir);
		expect(staff?.title).toBe('一般職員');
		expect(staff?.html).not.toContain('<h2>一般職員');
		expect(staff?.html).toContain('/guide/images/staff-home.png');
		for (const name of ['index', '../staff', 'supervisor', 'staff.md', '']) expect(await guideFor(name, dir)).toBeNull();
		expect(await guideTitles(dir)).toEqual([{ slug: 'staff', title: '一般職員' }]);
	});

	it('serves only the files the images folder lists, by plain name', async () => {
		expect(Buffer.from((await guideImage('staff-home.png', dir))!).toString()).toBe('png');
		for (const name of ['../secret.png', '..%2Fsecret.png', 'notes.txt', '/etc/passwd', 'staff-none.png', 'STAFF-HOME.png', 'a'.repeat(200) + '-x.png']) {
			expect(await guideImage(name, dir), name).toBeNull();
		}
	});
});

describe('a person’s own guide', () => {
	it('is the widest role they hold', () => {
		expect(guideSlugFor([])).toBe('staff');
		expect(guideSlugFor(['supervisor'])).toBe('supervisor');
		expect(guideSlugFor(['supervisor', 'policy_owner'])).toBe('owner');
		expect(guideSlugFor(['policy_owner', 'approver'])).toBe('approver');
		expect(guideSlugFor(['approver', 'admin'])).toBe('admin');
	});
});
