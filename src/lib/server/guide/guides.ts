// The 操作マニュアル: docs/guide/index.md and one Markdown file per role, with the screenshots the
// e2e suite captures into docs/guide/images/. Read from disk at run time (the app runs from the
// repository root, as it reads content/), rendered through the app's Markdown allowlist with
// images and links between the guides added, and kept per process until a file changes.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { guideSlugs, isGuideSlug, type GuideSlug } from '$lib/guide';
import { inScrollBoxes, markdownAllowlist } from '../policy/render';

export const defaultGuideDir = path.resolve('docs/guide');

export interface Guide {
	/** The file's first `# ` heading, shown as the page's h1. */
	title: string;
	html: string;
}

/** An image's file name as the e2e suite writes them: `<role>-<step>.png`. */
const imageName = /^[a-z]+(?:-[a-z0-9]+){1,6}\.png$/;
const maxImageName = 80;

export function isImageName(name: string): boolean {
	return name.length <= maxImageName && imageName.test(name);
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Links between the guides as written for a repository browser (`staff.md#…`), made the app's own. */
function guideHref(href: string): string | null {
	const m = /^(index|[a-z]+)\.md(#[\w-]*)?$/.exec(href);
	if (!m) return null;
	if (m[1] === 'index') return `/guide${m[2] ?? ''}`;
	return isGuideSlug(m[1]) ? `/guide/${m[1]}${m[2] ?? ''}` : null;
}

/** Markdown → HTML with the app's allowlist plus the guide's own images (only files that exist). */
export function renderGuideMarkdown(markdown: string, images: ReadonlySet<string>): string {
	const html = marked.parse(markdown) as string;
	const base = markdownAllowlist;
	const clean = sanitizeHtml(html, {
		...base,
		allowedTags: [...(base.allowedTags || []), 'img', 'figure', 'figcaption'],
		allowedAttributes: { ...base.allowedAttributes, img: ['src', 'alt', 'width', 'height', 'loading'] },
		allowedSchemesByTag: { img: [] },
		allowedSchemesAppliedToAttributes: ['href', 'src'],
		transformTags: {
			...base.transformTags,
			img: (_tag, attribs): sanitizeHtml.Tag => {
				const name = /^images\/([^/]+)$/.exec(attribs.src ?? '')?.[1];
				// An image that is not one of ours is left as its words.
				if (!name || !isImageName(name) || !images.has(name)) return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' };
				return { tagName: 'img', attribs: { src: `/guide/images/${name}`, alt: attribs.alt ?? '', loading: 'lazy' } };
			},
			a: (_tag, attribs): sanitizeHtml.Tag => {
				const href = attribs.href ? (guideHref(attribs.href) ?? attribs.href) : undefined;
				return { tagName: 'a', attribs: href ? { ...attribs, href } : attribs };
			}
		}
	});
	return inScrollBoxes(clean);
}

/** The image files that exist, by name; anything else is never served. */
export async function guideImages(dir = defaultGuideDir): Promise<Set<string>> {
	try {
		const names = await readdir(path.join(dir, 'images'));
		return new Set(names.filter(isImageName));
	} catch {
		return new Set();
	}
}

const cache = new Map<string, { mtimeMs: number; images: string; guide: Guide }>();

async function readGuide(file: string, dir: string): Promise<Guide | null> {
	let mtimeMs: number;
	try {
		mtimeMs = (await stat(file)).mtimeMs;
	} catch {
		return null;
	}
	const images = await guideImages(dir);
	const imageKey = [...images].sort().join('\n');
	const cached = cache.get(file);
	if (cached && cached.mtimeMs === mtimeMs && cached.images === imageKey) return cached.guide;
	const markdown = await readFile(file, 'utf8');
	const heading = /^#\s+(.+)$/m.exec(markdown);
	const title = heading ? heading[1].trim() : path.basename(file, '.md');
	const body = heading ? markdown.slice(0, heading.index) + markdown.slice(heading.index + heading[0].length) : markdown;
	const guide = { title, html: renderGuideMarkdown(body, images) };
	cache.set(file, { mtimeMs, images: imageKey, guide });
	return guide;
}

/** The guides' index page. */
export function guideIndex(dir = defaultGuideDir): Promise<Guide | null> {
	return readGuide(path.join(dir, 'index.md'), dir);
}

/** One role's guide, or null for a name that is not a guide (never a path read from the request). */
export function guideFor(slug: string, dir = defaultGuideDir): Promise<Guide | null> {
	if (!isGuideSlug(slug)) return Promise.resolve(null);
	return readGuide(path.join(dir, `${slug}.md`), dir);
}

/** The titles of every guide, in the order of the roles, for the links between them. */
export async function guideTitles(dir = defaultGuideDir): Promise<{ slug: GuideSlug; title: string }[]> {
	const found = await Promise.all(guideSlugs.map(async (slug) => ({ slug, guide: await guideFor(slug, dir) })));
	return found.filter((g) => g.guide).map((g) => ({ slug: g.slug, title: g.guide!.title }));
}

/** An image's bytes: only a name the listing holds, read from the images folder and nowhere else. */
export async function guideImage(name: string, dir = defaultGuideDir): Promise<Uint8Array | null> {
	if (!isImageName(name)) return null;
	const images = await guideImages(dir);
	if (!images.has(name)) return null;
	try {
		return await readFile(path.join(dir, 'images', name));
	} catch {
		return null;
	}
}
