import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/format/calendar';
import { automaticReminderDue, normaliseSchedule, scheduleIsEmpty } from '../../src/lib/server/notify/schedule';

const schedule = { daysBefore: [7, 1], overdueEveryDays: 7, copySupervisors: true };
const campaign = { startsOn: '2026-11-01', dueOn: '2026-12-25' };

/** Runs the job once a day from `from` to `to`, recording each automatic reminder it sends. */
function simulate(from: string, to: string, s = schedule, c = campaign) {
	const sent: string[] = [];
	let last: string | null = null;
	for (let day = from; day <= to; day = addDays(day, 1)) {
		const kind = automaticReminderDue(s, c, day, last);
		if (kind) {
			sent.push(`${day} ${kind}`);
			last = day;
		}
	}
	return sent;
}

describe('automaticReminderDue', () => {
	it('sends 7 days and 1 day before, then weekly once overdue', () => {
		expect(simulate('2026-11-01', '2027-01-20')).toEqual([
			'2026-12-18 before_due',
			'2026-12-24 before_due',
			'2026-12-26 overdue',
			'2027-01-02 overdue',
			'2027-01-09 overdue',
			'2027-01-16 overdue'
		]);
	});

	it('sends nothing twice when the job runs again the same day', () => {
		expect(automaticReminderDue(schedule, campaign, '2026-12-18', null)).toBe('before_due');
		expect(automaticReminderDue(schedule, campaign, '2026-12-18', '2026-12-18')).toBeNull();
		expect(automaticReminderDue(schedule, campaign, '2026-12-20', '2026-12-18')).toBeNull();
	});

	it('catches up once when a day was missed', () => {
		// Down from the 17th to the 21st: the 7-day reminder goes on the 21st, then the 1-day one on time.
		expect(automaticReminderDue(schedule, campaign, '2026-12-21', null)).toBe('before_due');
		expect(automaticReminderDue(schedule, campaign, '2026-12-22', '2026-12-21')).toBeNull();
		expect(automaticReminderDue(schedule, campaign, '2026-12-24', '2026-12-21')).toBe('before_due');
		// Overdue slot of the 26th missed until the 30th: one reminder, and the next on 1/2.
		expect(automaticReminderDue(schedule, campaign, '2026-12-30', '2026-12-24')).toBe('overdue');
		expect(automaticReminderDue(schedule, campaign, '2027-01-01', '2026-12-30')).toBeNull();
		expect(automaticReminderDue(schedule, campaign, '2027-01-02', '2026-12-30')).toBe('overdue');
	});

	it('does nothing before the campaign starts or without a matching rule', () => {
		expect(automaticReminderDue(schedule, { startsOn: '2026-12-20', dueOn: '2026-12-25' }, '2026-12-19', null)).toBeNull();
		expect(automaticReminderDue({ ...schedule, overdueEveryDays: null }, campaign, '2026-12-27', '2026-12-24')).toBeNull();
		expect(automaticReminderDue({ ...schedule, daysBefore: [] }, campaign, '2026-12-20', null)).toBeNull();
	});

	it('a campaign made at short notice gets one reminder at once, not one per missed day', () => {
		const late = { startsOn: '2026-12-22', dueOn: '2026-12-25' };
		expect(simulate('2026-12-22', '2026-12-25', schedule, late)).toEqual(['2026-12-22 before_due', '2026-12-24 before_due']);
	});

	it('on the due day itself', () => {
		const s = { daysBefore: [0], overdueEveryDays: 1, copySupervisors: false };
		expect(simulate('2026-12-20', '2026-12-28', s)).toEqual(['2026-12-25 before_due', '2026-12-26 overdue', '2026-12-27 overdue', '2026-12-28 overdue']);
	});
});

describe('normaliseSchedule', () => {
	it('keeps valid days, distinct and descending, and drops a bad interval', () => {
		expect(normaliseSchedule({ daysBefore: [1, 7, 7, -3, 200, Number.NaN, 0], overdueEveryDays: 0, copySupervisors: true })).toEqual({
			daysBefore: [7, 1, 0],
			overdueEveryDays: null,
			copySupervisors: true
		});
		expect(normaliseSchedule({ daysBefore: [], overdueEveryDays: 7, copySupervisors: false }).overdueEveryDays).toBe(7);
	});
	it('knows an empty schedule', () => {
		expect(scheduleIsEmpty({ daysBefore: [], overdueEveryDays: null, copySupervisors: true })).toBe(true);
		expect(scheduleIsEmpty({ daysBefore: [1], overdueEveryDays: null, copySupervisors: true })).toBe(false);
	});
});
