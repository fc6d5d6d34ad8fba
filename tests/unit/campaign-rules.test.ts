import { describe, expect, it } from 'vitest';
import { checkAudience, checkCampaignFields, normaliseAudience, type CampaignUpdate } from '../../src/lib/server/learning/campaigns';
import { compareLearnerAssignments, learnerStatus, type LearnerAssignment } from '../../src/lib/server/learning/assignments';

const today = '2026-06-15';
const base: CampaignUpdate = {
	title: '情報セキュリティ研修',
	startsOn: '2026-04-01',
	dueOn: '2026-07-31',
	audience: { everyone: true, employmentTypes: [], departmentIds: [], createdSince: null }
};
const keys = (input: Partial<CampaignUpdate>, previousDueOn?: string) => {
	const result = checkCampaignFields({ ...base, ...input }, { today, previousDueOn });
	return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.key}`);
};

describe('normaliseAudience', () => {
	it('clears the filters of everyone, de-duplicates and orders the rest', () => {
		expect(normaliseAudience({ everyone: true, employmentTypes: ['contractor'], departmentIds: ['X'], createdSince: '2026-04-01' })).toEqual(base.audience);
		expect(
			normaliseAudience({ everyone: false, employmentTypes: ['contractor', 'regular', 'contractor', 'boss'], departmentIds: ['ABC', 'abc'], createdSince: '' })
		).toEqual({ everyone: false, employmentTypes: ['regular', 'contractor', 'boss'], departmentIds: ['abc'], createdSince: null });
	});
});

describe('checkCampaignFields', () => {
	it('accepts a campaign and takes the 年度 from the start date', () => {
		const result = checkCampaignFields({ ...base, title: '  研修  ', startsOn: '2027-03-01', dueOn: '2027-04-30' }, { today });
		expect(result).toMatchObject({ ok: true, values: { title: '研修', fiscalYear: 2026 } });
	});

	it('names the title and date fields', () => {
		expect(keys({ title: '' })).toEqual(['title:campaign.error.titleRequired']);
		expect(keys({ title: 'あ'.repeat(201) })).toEqual(['title:campaign.error.titleTooLong']);
		expect(keys({ startsOn: '2026-02-30', dueOn: 'R8.7.31' })).toEqual(['startsOn:campaign.error.startsOn', 'dueOn:campaign.error.dueOn']);
		expect(keys({ dueOn: '2026-03-31' })).toEqual(['dueOn:campaign.error.dueBeforeStart']);
	});

	it('refuses a new due date in the past, but keeps an unchanged one', () => {
		expect(keys({ dueOn: '2026-06-14' })).toEqual(['dueOn:campaign.error.dueInPast']);
		expect(keys({ dueOn: '2026-06-14' }, '2026-06-14')).toEqual([]);
		expect(keys({ dueOn: today })).toEqual([]);
	});

	it('allows a 年度 from the start date’s to the due date’s', () => {
		expect(keys({ startsOn: '2027-03-01', dueOn: '2027-04-30', fiscalYear: 2026 })).toEqual([]);
		expect(keys({ startsOn: '2027-03-01', dueOn: '2027-04-30', fiscalYear: 2027 })).toEqual([]);
		expect(keys({ fiscalYear: 2025 })).toEqual(['fiscalYear:campaign.error.fiscalYear']);
		expect(keys({ fiscalYear: 2027 })).toEqual(['fiscalYear:campaign.error.fiscalYear']);
		expect(keys({ fiscalYear: 2026.5 })).toEqual(['fiscalYear:campaign.error.fiscalYear']);
	});

	it('checks the audience', () => {
		const filter = { everyone: false, employmentTypes: [], departmentIds: [], createdSince: null };
		expect(keys({ audience: filter })).toEqual(['audience:campaign.error.audienceEmpty']);
		expect(keys({ audience: { ...filter, employmentTypes: ['boss'] } })).toEqual(['employmentTypes:campaign.error.employmentType']);
		expect(keys({ audience: { ...filter, departmentIds: ['1'] } })).toEqual(['departmentIds:campaign.error.departmentNotFound']);
		expect(keys({ audience: { ...filter, createdSince: '2026-13-01' } })).toEqual(['createdSince:campaign.error.createdSince']);
		expect(keys({ audience: { ...filter, createdSince: '2026-04-01' } })).toEqual([]);
	});
});

describe('learner status', () => {
	it('is overdue after the due date unless completed', () => {
		expect(learnerStatus('not_started', '2026-06-15', today)).toBe('not_started');
		expect(learnerStatus('in_progress', '2026-06-14', today)).toBe('overdue');
		expect(learnerStatus('completed', '2026-06-14', today)).toBe('completed');
	});

	it('sorts overdue first, then by due date, completed last (latest first)', () => {
		const a = (id: string, status: LearnerAssignment['status'], dueOn: string, completedAt: string | null = null) =>
			({ id, status, dueOn, campaignTitle: id, completedAt: completedAt ? new Date(completedAt) : null }) as LearnerAssignment;
		const list = [
			a('done-old', 'completed', '2026-05-01', '2026-04-20T00:00:00Z'),
			a('later', 'not_started', '2026-09-30'),
			a('late', 'overdue', '2026-06-01'),
			a('done-new', 'completed', '2026-07-01', '2026-06-01T00:00:00Z'),
			a('soon', 'in_progress', '2026-06-30'),
			a('very-late', 'overdue', '2026-05-01')
		];
		expect(list.sort(compareLearnerAssignments).map((x) => x.id)).toEqual(['very-late', 'late', 'soon', 'later', 'done-new', 'done-old']);
	});
});

describe('audiences by role', () => {
	const none = { everyone: false, employmentTypes: [], departmentIds: [], createdSince: null };
	it('keeps chosen roles in order and counts them as a filter', () => {
		expect(normaliseAudience({ ...none, roles: ['admin', 'supervisor', 'supervisor'] })).toEqual({ ...none, roles: ['supervisor', 'admin'] });
		expect(checkAudience(normaliseAudience({ ...none, roles: ['supervisor'] }))).toEqual([]);
	});
	it('names an unknown role and leaves an audience without any filter empty', () => {
		expect(checkAudience(normaliseAudience({ ...none, roles: ['mayor'] }))).toEqual([{ field: 'roles', key: 'campaign.error.role' }]);
		expect(checkAudience(normaliseAudience({ ...none, roles: [] }))).toEqual([{ field: 'audience', key: 'campaign.error.audienceEmpty' }]);
	});
});
