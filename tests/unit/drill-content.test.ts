// The drill templates shipped in content/drills, read as the app will read them: one for each kind
// of mail the issue names, every quote standing where it points, every cited section in the policy.
import { describe, expect, it } from 'vitest';
import { drillCategories } from '../../src/lib/server/drills/content/parse';
import { readDrills, unknownDrillKeys } from '../../src/lib/server/drills/content/read';
import { policyInForceFromContent } from '../../src/lib/server/learning/content/policy-sections';

const { drills, errors } = readDrills('content');
const policy = policyInForceFromContent('content', 'basic-policy')!;

describe('content/drills', () => {
	it('reads without errors, and cites only sections of the policy in force', () => {
		expect(errors).toEqual([]);
		expect(unknownDrillKeys(drills, new Set(policy.sections.map((s) => s.key)), 'basic-policy')).toEqual([]);
	});

	it('has one template of each kind, each with at least three points', () => {
		expect(drills.map((d) => d.drill.category).sort()).toEqual([...drillCategories].sort());
		for (const { drill } of drills) expect(drill.points.length, drill.slug).toBeGreaterThanOrEqual(3);
	});

	// Reserved names (example, test, invalid), so a drill can never mail as a real company.
	it('mails from made-up domains only', () => {
		for (const { drill } of drills) expect(drill.senderAddress, drill.slug).toMatch(/@([a-z0-9-]+\.)*(example|test|invalid)(\.[a-z]+)*$/i);
	});
});
