// Understanding beside practice in words, the merge of the two views, and the round's answer form.
import { describe, expect, it } from 'vitest';
import { mergePractice, practiceThresholds, quizThresholds, readingMinAnswers, sectionReading } from '../../src/lib/server/insight/weak-spots/practice';
import { rateFigures, type WeakSection, type WeakSpots } from '../../src/lib/server/insight/weak-spots/model';
import { readAnswerForm } from '../../src/lib/server/inspection/answer-form';

const rate = (answers: number, errors: number) => rateFigures(answers, errors);

describe('sectionReading', () => {
	it('tells a clause understood but not practised from one practised but not understood', () => {
		expect(sectionReading(rate(100, 10), rate(100, 40))).toBe('known_not_done');
		expect(sectionReading(rate(100, 60), rate(100, 2))).toBe('done_not_known');
		expect(sectionReading(rate(100, 60), rate(100, 40))).toBe('neither');
		expect(sectionReading(rate(100, 5), rate(100, 2))).toBe('both');
		expect(sectionReading(rate(100, 25), rate(100, 15))).toBe('between');
	});

	it('reads the thresholds as documented: understood below, misunderstood from', () => {
		const at = (r: number) => rate(1000, Math.round(r * 1000));
		expect(sectionReading(at(quizThresholds.understood - 0.001), at(practiceThresholds.notFollowed))).toBe('known_not_done');
		expect(sectionReading(at(quizThresholds.understood), at(practiceThresholds.notFollowed))).toBe('between');
		expect(sectionReading(at(quizThresholds.misunderstood), at(practiceThresholds.followed - 0.001))).toBe('done_not_known');
		expect(sectionReading(at(quizThresholds.misunderstood), at(practiceThresholds.followed))).toBe('between');
	});

	it('says nothing when either side has too few answers', () => {
		expect(sectionReading(rate(readingMinAnswers - 1, 0), rate(100, 50))).toBe('too_few');
		expect(sectionReading(rate(100, 0), rate(readingMinAnswers - 1, 10))).toBe('too_few');
		expect(sectionReading(rate(100, 0), null)).toBe('too_few');
	});
});

function section(policyId: string, key: string, answers: number, errors: number, cells = 1): WeakSection {
	return {
		policyId,
		key,
		label: key,
		citation: key,
		heading: key,
		excerpt: null,
		title: key,
		...rateFigures(answers, errors),
		byDepartment: Array.from({ length: cells }, () => ({ suppressed: false as const, ...rateFigures(answers, errors) })),
		byEmploymentType: []
	};
}

function spots(sections: WeakSection[], shown = true): WeakSpots {
	return {
		filter: { fiscalYear: 2026 },
		campaigns: [],
		policies: [{ id: 'p', slug: 'p', title: 'P' }],
		people: shown ? 10 : 2,
		shown,
		minGroupPeople: 5,
		sections: shown ? sections : [],
		questions: [],
		departments: [{ key: 'd', departmentId: 'd', code: '1', name: '部', directOnly: false, hasChildren: false, suppressed: false, people: 10 }],
		employmentTypes: [],
		departmentPath: [],
		withheldCampaigns: [],
		suppressedAny: false
	};
}

describe('mergePractice', () => {
	it('joins practice to the quiz by policy and key, keeps the quiz order, and adds practice-only sections after', () => {
		const quiz = spots([section('p', '6.3', 100, 60), section('p', '6.5', 100, 10)]);
		const practice = spots([section('p', '6.5', 100, 40), section('p', '6.3', 100, 1), section('p', '6.4', 50, 20)]);
		const merged = mergePractice(quiz, practice, 2026);
		expect(merged.sections.map((s) => [s.key, s.answers, s.practice?.errors ?? null, s.reading])).toEqual([
			['6.3', 100, 1, 'done_not_known'],
			['6.5', 100, 40, 'known_not_done'],
			['6.4', 0, 20, 'too_few']
		]);
		expect(merged.practice).toMatchObject({ fiscalYear: 2026, shown: true, people: 10 });
	});

	it('shows no practice figures from a view withheld for too few people', () => {
		const merged = mergePractice(spots([section('p', '6.5', 100, 10)]), spots([section('p', '6.5', 3, 3)], false), 2026);
		expect(merged.sections.map((s) => s.practice)).toEqual([null]);
		expect(merged.practice.shown).toBe(false);
	});
});

describe('readAnswerForm', () => {
	const id = '0b9c6c0e-6f0d-4a43-9d3c-3b0f6f2a1c11';
	const form = (entries: [string, string][]) => {
		const f = new FormData();
		for (const [k, v] of entries) f.append(k, v);
		return f;
	};
	it('reads answers and comments by item, leaving unanswered items out', () => {
		const read = readAnswerForm(
			form([
				[`answer-${id}`, 'no'],
				[`comment-${id}`, ' 忘れがち '],
				['comment-1b9c6c0e-6f0d-4a43-9d3c-3b0f6f2a1c11', '']
			])
		);
		expect(read).toMatchObject({ ok: true, answers: [{ itemId: id, answer: 'no', comment: ' 忘れがち ' }] });
	});
	it('names the item of a comment without an answer, an unknown answer and a comment too long, keeping what was typed', () => {
		expect(readAnswerForm(form([[`comment-${id}`, 'メモ']]))).toMatchObject({
			ok: false,
			error: 'inspection.error.commentWithoutAnswer',
			itemId: id,
			values: { [id]: { comment: 'メモ' } }
		});
		expect(readAnswerForm(form([[`answer-${id}`, 'maybe']]))).toMatchObject({ ok: false, error: 'inspection.error.invalid', itemId: id });
		expect(
			readAnswerForm(
				form([
					[`answer-${id}`, 'yes'],
					[`comment-${id}`, 'あ'.repeat(1001)]
				])
			)
		).toMatchObject({ ok: false, error: 'inspection.error.commentTooLong', itemId: id });
	});
	it('refuses a field that names no item', () => {
		expect(readAnswerForm(form([['answer-../etc', 'yes']]))).toMatchObject({ ok: false, error: 'inspection.error.invalid', itemId: null });
	});
});
