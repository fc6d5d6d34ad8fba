// The frozen evidence of a revision, laid out for reading. It is JSON kept as it was when the
// draft was made, so it is read defensively: the figures this app writes (a section's error rate,
// answers, interval, questions, breakdowns) get tables; anything else a plain list of keys and values.

export interface EvidenceRate {
	answers: number | null;
	errors: number | null;
	/** 0–1 */
	errorRate: number | null;
	low: number | null;
	high: number | null;
}

export interface EvidenceView {
	takenAt: string | null;
	campaigns: string[];
	fiscalYear: number | null;
	people: number | null;
	minGroupPeople: number | null;
	section: (EvidenceRate & { key: string; label: string; heading: string; title: string; rank: number | null; of: number | null }) | null;
	questions: (EvidenceRate & { stem: string; sectionKeys: string[] })[];
	byDepartment: (EvidenceRate & { name: string; suppressed: boolean })[];
	byEmploymentType: (EvidenceRate & { key: string; suppressed: boolean })[];
	/** The 年度's self-inspection beside the quiz; null when the draft froze none. */
	practice: {
		fiscalYear: number | null;
		rounds: string[];
		people: number | null;
		section: EvidenceRate | null;
		byDepartment: (EvidenceRate & { name: string; suppressed: boolean })[];
		byEmploymentType: (EvidenceRate & { key: string; suppressed: boolean })[];
		/** A SectionReading: what understanding and practice say together. */
		reading: string;
	} | null;
	/** Keys this layout does not know, as text. */
	other: { key: string; value: string }[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function rate(v: Json): EvidenceRate {
	const answers = num(v.answers);
	const errors = num(v.errors);
	const interval = isObject(v.interval) ? v.interval : {};
	return {
		answers,
		errors,
		errorRate: num(v.errorRate) ?? num(v.rate) ?? (answers && errors !== null ? errors / answers : null),
		low: num(interval.low) ?? num(v.low),
		high: num(interval.high) ?? num(v.high)
	};
}

const known = new Set([
	'kind',
	'takenAt',
	'filter',
	'campaigns',
	'policyId',
	'people',
	'minGroupPeople',
	'section',
	'questions',
	'byDepartment',
	'byEmploymentType',
	'practice'
]);

function asText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	const text = JSON.stringify(value);
	return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/**
 * The evidence as tables and lists; null when there is none. `titles` names the weak section as
 * the version it was found in cites it (6(3)③ and its words), not by its bare label.
 */
export function evidenceView(evidence: unknown, titles: ReadonlyMap<string, string> = new Map()): EvidenceView | null {
	if (!isObject(evidence) || Object.keys(evidence).length === 0) return null;
	const filter = isObject(evidence.filter) ? evidence.filter : {};
	const section = isObject(evidence.section) ? evidence.section : null;
	return {
		takenAt: str(evidence.takenAt) || null,
		campaigns: list(evidence.campaigns)
			.map((c) => str(c.title))
			.filter(Boolean),
		fiscalYear: num(filter.fiscalYear),
		people: num(evidence.people),
		minGroupPeople: num(evidence.minGroupPeople),
		section: section
			? {
					key: str(section.key),
					label: str(section.label),
					heading: str(section.heading),
					title: titles.get(str(section.key)) ?? (`${str(section.label)} ${str(section.heading)}`.trim() || str(section.key)),
					rank: num(section.rank),
					of: num(section.of),
					...rate(section)
				}
			: null,
		questions: list(evidence.questions).map((q) => ({
			stem: str(q.stem),
			sectionKeys: Array.isArray(q.sectionKeys) ? q.sectionKeys.map(str) : [],
			...rate(q)
		})),
		byDepartment: list(evidence.byDepartment).map((d) => ({ name: str(d.name), suppressed: d.suppressed === true, ...rate(d) })),
		byEmploymentType: list(evidence.byEmploymentType).map((d) => ({ key: str(d.key), suppressed: d.suppressed === true, ...rate(d) })),
		practice: practiceView(evidence.practice),
		other: Object.entries(evidence)
			.filter(([key]) => !known.has(key))
			.map(([key, value]) => ({ key, value: asText(value) }))
	};
}

function practiceView(practice: unknown): EvidenceView['practice'] {
	if (!isObject(practice)) return null;
	return {
		fiscalYear: num(practice.fiscalYear),
		rounds: list(practice.rounds)
			.map((r) => str(r.title))
			.filter(Boolean),
		people: num(practice.people),
		section: isObject(practice.section) ? rate(practice.section) : null,
		byDepartment: list(practice.byDepartment).map((d) => ({ name: str(d.name), suppressed: d.suppressed === true, ...rate(d) })),
		byEmploymentType: list(practice.byEmploymentType).map((d) => ({ key: str(d.key), suppressed: d.suppressed === true, ...rate(d) })),
		reading: str(practice.reading)
	};
}
