import type { ReminderSchedule } from '../db/schema';
import { addDays, daysLeft } from '../../format/calendar';

/** The schedule most town halls use: a week before, the day before, then weekly once overdue. */
export const defaultReminderSchedule: ReminderSchedule = { daysBefore: [7, 1], overdueEveryDays: 7, copySupervisors: true };

/** What the campaign page offers: days before the due date, and intervals once overdue. */
export const reminderDayChoices = [14, 7, 3, 1, 0] as const;
export const reminderIntervalChoices = [1, 3, 7, 14] as const;

/**
 * Whether an automatic reminder is due today for one unfinished assignment, and of which kind.
 * Each scheduled day opens a slot; a slot is served by any automatic reminder sent on or after its
 * day. So a job that did not run on the day (server down, campaign made late) catches up once,
 * and running the job again the same day sends nothing.
 */
export function automaticReminderDue(
	schedule: ReminderSchedule,
	campaign: { startsOn: string; dueOn: string },
	today: string,
	lastAutomaticOn: string | null
): 'before_due' | 'overdue' | null {
	if (today < campaign.startsOn) return null;
	const left = daysLeft(campaign.dueOn, today);
	let slot: string | null = null;
	let kind: 'before_due' | 'overdue' = 'before_due';
	if (left >= 0) {
		const crossed = schedule.daysBefore.filter((d) => d >= left);
		if (crossed.length > 0) slot = addDays(campaign.dueOn, -Math.min(...crossed));
	} else if (schedule.overdueEveryDays && schedule.overdueEveryDays > 0) {
		const every = schedule.overdueEveryDays;
		const overdueDays = -left;
		slot = addDays(campaign.dueOn, 1 + Math.floor((overdueDays - 1) / every) * every);
		kind = 'overdue';
	}
	if (slot === null) return null;
	return lastAutomaticOn === null || lastAutomaticOn < slot ? kind : null;
}

/** A schedule from a form: days before (0–90, distinct, descending) and the overdue interval (1–60 or none). */
export function normaliseSchedule(input: { daysBefore: number[]; overdueEveryDays: number | null; copySupervisors: boolean }): ReminderSchedule {
	const daysBefore = [...new Set(input.daysBefore.filter((d) => Number.isInteger(d) && d >= 0 && d <= 90))].sort((a, b) => b - a);
	const every = input.overdueEveryDays;
	return {
		daysBefore,
		overdueEveryDays: every !== null && Number.isInteger(every) && every >= 1 && every <= 60 ? every : null,
		copySupervisors: input.copySupervisors
	};
}

export function scheduleIsEmpty(schedule: ReminderSchedule): boolean {
	return schedule.daysBefore.length === 0 && schedule.overdueEveryDays === null;
}
