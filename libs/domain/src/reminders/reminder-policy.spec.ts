import { WorkCalendar } from '../calendar/work-calendar.js';
import {
  DEFAULT_REMINDER_POLICY,
  deadlineWindows,
  escalationLevel,
  overdueSteps,
  overdueWindow,
  policyProblems,
} from './reminder-policy.js';

const cal = WorkCalendar.statutory();

/** The day a deadline gets each reminder, by running the windows for every day of a range. */
function reminderDays(deadline: string, from: string, to: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    if (!cal.isWorkingDay(d)) continue; // reminders go out on working days
    for (const w of deadlineWindows(cal, d, [5, 3, 1])) if (deadline > w.after && deadline <= w.through) (out[w.kind] ??= []).push(d);
  }
  return out;
}

describe('reminder windows on the work calendar', () => {
  it('a deadline just after the 2025 Spring Festival is reminded on the right working days', () => {
    // deadline Monday 2/10: 5th working day before is 1/27 (the holiday 1/28–2/4 does not count),
    // 3rd is 2/6, 1st is the make-up Saturday 2/8
    const days = reminderDays('2025-02-10', '2025-01-13', '2025-02-10');
    expect(days.before_5[0]).toBe('2025-01-27');
    expect(days.before_3[0]).toBe('2025-02-06');
    expect(days.before_1[0]).toBe('2025-02-08');
    // the windows never overlap: each day a deadline gets one kind
    expect(days.before_5).toEqual(['2025-01-27', '2025-02-05']);
    expect(days.before_3).toEqual(['2025-02-06', '2025-02-07']);
    expect(days.before_1).toEqual(['2025-02-08']);
  });

  it('a deadline on a day off is reminded as if due the working day before', () => {
    // Saturday 2025-03-15: 1st working day before is Friday 3/14
    expect(reminderDays('2025-03-15', '2025-03-03', '2025-03-15').before_1).toEqual(['2025-03-14']);
  });

  it('escalates one level every 5 working days overdue, up to the policy’s limit', () => {
    expect(escalationLevel(cal, '2025-09-26', '2025-09-29', DEFAULT_REMINDER_POLICY)).toBe(0);
    // 2025-09-26 (Fri) deadline: overdue working days 9/28 (make-up Sunday), 9/29, 9/30, 10/9, 10/10 → 5 by 10/10
    expect(escalationLevel(cal, '2025-09-26', '2025-10-09', DEFAULT_REMINDER_POLICY)).toBe(0);
    expect(escalationLevel(cal, '2025-09-26', '2025-10-10', DEFAULT_REMINDER_POLICY)).toBe(1);
    expect(escalationLevel(cal, '2025-09-26', '2026-01-30', DEFAULT_REMINDER_POLICY)).toBe(2);
  });

  it('checks a policy', () => {
    expect(policyProblems(DEFAULT_REMINDER_POLICY)).toEqual([]);
    expect(policyProblems({ beforeDays: [0, 3, 3], escalateEveryDays: 0, escalateMaxLevels: 11, acceptancePendingDays: 0 })).toHaveLength(
      5,
    );
  });
});

describe('overdue windows', () => {
  it('matches counting working days overdue, around National Day 2025', () => {
    const today = '2025-10-10';
    const steps = overdueSteps(cal, today, DEFAULT_REMINDER_POLICY);
    // check every deadline of the preceding months against the definition
    for (let d = '2025-06-01'; d < today; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      const wd = cal.workingDaysBetween(d, today);
      const expected = wd < 1 ? null : wd < 5 ? 'overdue' : wd < 10 ? 'escalation_1' : wd < 15 ? 'escalation_2' : null;
      const got = steps.find((s) => d >= s.onOrAfter && d < s.before)?.kind ?? null;
      expect(`${d}:${got}`).toBe(`${d}:${expected}`);
    }
    // 4 working days back from 10/10: 10/9, 9/30, 9/29 and the make-up Sunday 9/28
    expect(overdueWindow(cal, today, 1, 5)).toEqual({ onOrAfter: '2025-09-28', before: '2025-10-10' });
  });
});
