// Reads content/drills/<slug>/drill.md from disk into parsed templates, with every error of every
// file; the folder's name is the template's id.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { shownPath, type ContentError } from '../../text/labelled';
import { parseDrill, type ParsedDrill } from './parse';

export interface ReadDrill {
	drill: ParsedDrill;
	file: string;
}

export function readDrills(contentDir: string): { drills: ReadDrill[]; errors: ContentError[] } {
	const dir = path.join(contentDir, 'drills');
	if (!existsSync(dir)) return { drills: [], errors: [] };
	const drills: ReadDrill[] = [];
	const errors: ContentError[] = [];
	const names = readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name)
		.sort();
	for (const name of names) {
		const file = shownPath(path.join(dir, name, 'drill.md'));
		if (!existsSync(path.join(dir, name, 'drill.md'))) {
			errors.push({ file, line: 0, message: 'missing: every drill folder needs a drill.md' });
			continue;
		}
		const parsed = parseDrill(readFileSync(path.join(dir, name, 'drill.md'), 'utf8'), file);
		errors.push(...parsed.errors);
		if (!parsed.value) continue;
		if (parsed.value.slug !== name) errors.push({ file, line: 1, message: `"id" is "${parsed.value.slug}" but the folder is ${name}; they must be the same` });
		else drills.push({ drill: parsed.value, file });
	}
	return { drills, errors };
}

/** Points and section keys the policy does not have, each an error of its `sections:` line. */
export function unknownDrillKeys(read: readonly ReadDrill[], policyKeys: ReadonlySet<string>, policyLabel: string): ContentError[] {
	return read.flatMap(({ drill, file }) => {
		const unknown = drill.sectionKeys.filter((k) => !policyKeys.has(k));
		return unknown.length ? [{ file, line: drill.sectionsLine, message: `the drill cites ${unknown.join(', ')}, not a section of ${policyLabel}` }] : [];
	});
}
