// The checklists shipped in content/inspections, read as the sync reads them: well formed, citing
// only sections of the policy in force, and covering what the demo's staff, heads of department
// and contractors are asked about.
import { describe, expect, it } from 'vitest';
import { readChecklists, unknownItemKeys } from '../../src/lib/server/inspection/content/sync';
import { policyInForceFromContent } from '../../src/lib/server/learning/content/policy-sections';

const { checklists, errors } = readChecklists('content');
const policy = policyInForceFromContent('content', 'basic-policy')!;
const keys = new Set(policy.sections.map((s) => s.key));
const bySlug = new Map(checklists.map((c) => [c.checklist.slug, c]));
const topLevel = (key: string) => key.split('.')[0];

describe('content/inspections', () => {
	it('reads without errors and cites only sections of the policy in force', () => {
		expect(errors).toEqual([]);
		for (const c of checklists) expect(unknownItemKeys(c.items, c.files.items, keys, 'basic-policy'), c.checklist.slug).toEqual([]);
	});

	it('has a staff checklist of at least 20 items and a 所属長 one of at least 10, together citing every top-level section', () => {
		const staff = bySlug.get('staff-self-inspection')!;
		const chief = bySlug.get('supervisor-self-inspection')!;
		expect([staff.checklist.tier, chief.checklist.tier]).toEqual(['staff', 'supervisor']);
		expect(staff.items.length).toBeGreaterThanOrEqual(20);
		expect(chief.items.length).toBeGreaterThanOrEqual(10);
		const cited = new Set([...staff.items, ...chief.items].flatMap((i) => i.sectionKeys.map(topLevel)));
		const tops = [...new Set(policy.sections.map((s) => topLevel(s.key)))];
		expect(tops.filter((t) => !cited.has(t))).toEqual([]);
	});

	it('has a contractors’ checklist of at least 8 items on section 4 and 6(8)', () => {
		const contractor = bySlug.get('contractor-self-inspection')!;
		expect(contractor.checklist.tier).toBe('contractor');
		const onScope = contractor.items.filter((i) => i.sectionKeys.some((k) => topLevel(k) === '4' || k.startsWith('6.8')));
		expect(onScope.length).toBeGreaterThanOrEqual(8);
		expect(contractor.items.some((i) => i.sectionKeys.some((k) => k.startsWith('6.8')))).toBe(true);
		expect(contractor.items.some((i) => i.sectionKeys.some((k) => topLevel(k) === '4'))).toBe(true);
	});
});
