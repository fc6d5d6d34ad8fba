// Privacy: figures of a group (department, employment type, heat-map cell) of fewer than
// `minGroupPeople` people who submitted are withheld, and so is a second group where needed, so
// the withheld figures cannot be recovered by subtracting the shown ones from a shown total. A
// 年度 sums campaigns that can each be viewed alone, so the same holds across campaigns: what a
// group's small campaign shares add up to must be none or at least k people.
import { sum } from './model';

/** k of k-anonymity: groups with fewer people who submitted show no figures. */
export const minGroupPeople = 5;

/** A group as suppression sees it. */
export interface SuppressionGroup {
	key: string;
	people: number;
	answers: number;
	/**
	 * For a 年度, whose campaigns can each be viewed alone: the people of the group's shares of 1
	 * to k−1 people in single campaigns, which the 年度 minus the campaigns' own figures would
	 * give away. 0 (the default) for a single campaign.
	 */
	smallShare?: number;
}

/**
 * Which groups to withhold: those under k people or with 1 to k−1 people of small shares. Then,
 * since a shown total minus the shown groups gives the withheld ones' figures together, while
 * those hold 1 to k−1 people one more is withheld (the smallest); while they hold 1 to k−1
 * people of small shares, one more with small shares, and when there is none, every group. A
 * group with answers counts as at least one person (the counts can lag a transfer).
 */
export function suppressedGroups(groups: readonly SuppressionGroup[], k = minGroupPeople): Set<string> {
	const risky = (n: number) => n > 0 && n < k;
	const weighed = groups.map((g) => ({ key: g.key, people: g.people, weight: Math.max(g.people, g.answers > 0 ? 1 : 0), small: g.smallShare ?? 0 }));
	const hidden = new Set(weighed.filter((g) => g.people < k || risky(g.small)).map((g) => g.key));
	const shown = weighed.filter((g) => !hidden.has(g.key)).sort((a, b) => a.people - b.people || a.key.localeCompare(b.key));
	const hiddenSum = (of: (g: (typeof weighed)[number]) => number) => sum(weighed.filter((g) => hidden.has(g.key)).map(of));
	for (;;) {
		const shareRisk = risky(hiddenSum((g) => g.small));
		if (!shareRisk && !risky(hiddenSum((g) => g.weight))) return hidden;
		const next = shareRisk ? shown.find((g) => g.small > 0) : shown[0];
		if (!next) return new Set(weighed.map((g) => g.key));
		hidden.add(next.key);
		shown.splice(shown.indexOf(next), 1);
	}
}
