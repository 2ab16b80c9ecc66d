import type { WorkCalendar } from '../calendar/work-calendar.js';

/**
 * When people are reminded, per source type (with a default): before a deadline, on the first
 * overdue working day, then escalated one level up the org tree every N working days overdue,
 * and when an acceptance waits too long at one level.
 */
export interface ReminderPolicy {
  /** Working days before the deadline on which the lead unit is reminded, e.g. [5, 3, 1]. */
  beforeDays: number[];
  /** Every this many working days overdue, the reminder goes one level further up. */
  escalateEveryDays: number;
  /** How many levels up escalation may go (1 = the parent unit only). */
  escalateMaxLevels: number;
  /** An acceptance pending at one level longer than this many working days reminds its verifiers. */
  acceptancePendingDays: number;
  /**
   * After the ladder's top, a recurring 督办 reminder to the lead unit and the dispatcher every this
   * many working days until the item moves (5: weekly; 0: none).
   */
  recurEveryDays?: number;
  /** Escalate up the org tree all the way to the root (escalateMaxLevels is then ignored). */
  escalateToRoot?: boolean;
}

/** The highest escalation level: the root of a deep tree is reached within it. */
export const MAX_ESCALATION_LEVELS = 10;

export const DEFAULT_REMINDER_POLICY: Required<ReminderPolicy> = {
  beforeDays: [5, 3, 1],
  escalateEveryDays: 5,
  escalateMaxLevels: 2,
  acceptancePendingDays: 5,
  recurEveryDays: 5,
  escalateToRoot: false,
};

/** How many levels the ladder climbs at most (to the root: as far as a tree can be deep). */
export function ladderLevels(p: ReminderPolicy): number {
  return p.escalateToRoot ? MAX_ESCALATION_LEVELS : p.escalateMaxLevels;
}

export function policyProblems(p: ReminderPolicy): string[] {
  const problems: string[] = [];
  if (p.beforeDays.length === 0 || p.beforeDays.some((d) => !Number.isInteger(d) || d < 1 || d > 60)) {
    problems.push('beforeDays must be whole numbers of working days between 1 and 60');
  }
  if (new Set(p.beforeDays).size !== p.beforeDays.length) problems.push('beforeDays must not repeat');
  if (!Number.isInteger(p.escalateEveryDays) || p.escalateEveryDays < 1) problems.push('escalateEveryDays must be at least 1');
  if (!Number.isInteger(p.escalateMaxLevels) || p.escalateMaxLevels < 0 || p.escalateMaxLevels > 10)
    problems.push('escalateMaxLevels must be 0–10');
  if (!Number.isInteger(p.acceptancePendingDays) || p.acceptancePendingDays < 1) problems.push('acceptancePendingDays must be at least 1');
  if (p.recurEveryDays !== undefined && (!Number.isInteger(p.recurEveryDays) || p.recurEveryDays < 0 || p.recurEveryDays > 60))
    problems.push('recurEveryDays must be 0 (none) to 60 working days');
  return problems;
}

export interface DeadlineWindow {
  kind: string; // before_5, before_3, before_1
  days: number;
  /** Deadlines after this date … */
  after: string;
  /** … up to and including this one get this reminder today. */
  through: string;
}

/**
 * Which deadlines are reminded today, and with which reminder. A deadline D gets "before_n" on the
 * n-th working day before it; a sweep that missed that day still sends the most specific reminder
 * still ahead of the deadline (catch-up), and the outbox key makes each one go out once. Windows:
 * (W[n_{i-1}], W[n_i]] with W[k] the k-th working day after today (W[0] = today).
 */
export function deadlineWindows(calendar: WorkCalendar, today: string, beforeDays: number[]): DeadlineWindow[] {
  const sorted = [...beforeDays].sort((a, b) => a - b);
  const windows: DeadlineWindow[] = [];
  let after = today;
  for (const days of sorted) {
    const through = calendar.addWorkingDays(today, days);
    windows.push({ kind: `before_${days}`, days, after, through });
    after = through;
  }
  return windows;
}

/** How far up an overdue item has been escalated: every N working days overdue, one more level. */
export function escalationLevel(calendar: WorkCalendar, deadline: string, today: string, policy: ReminderPolicy): number {
  const overdue = calendar.workingDaysBetween(deadline, today);
  if (overdue <= 0) return 0;
  return Math.min(Math.floor(overdue / policy.escalateEveryDays), ladderLevels(policy));
}

/**
 * Deadlines D with fromWd ≤ (working days overdue on `today`) < toWd, as the date range
 * [onOrAfter, before). Working days overdue = working days in (D, today].
 */
export function overdueWindow(calendar: WorkCalendar, today: string, fromWd: number, toWd: number): { onOrAfter: string; before: string } {
  const back = (k: number): string => (k === 0 ? today : calendar.subtractWorkingDays(today, k));
  return { onOrAfter: back(toWd - 1), before: back(fromWd - 1) };
}

export interface OverdueStep {
  kind: string; // overdue, escalation_1, escalation_2 …
  level: number; // 0 = the lead unit itself
  onOrAfter: string;
  before: string;
}

/** The first overdue reminder, then one escalation level per escalateEveryDays, each a window of deadlines. */
export function overdueSteps(calendar: WorkCalendar, today: string, policy: ReminderPolicy): OverdueStep[] {
  const n = policy.escalateEveryDays;
  const steps: OverdueStep[] = [{ kind: 'overdue', level: 0, ...overdueWindow(calendar, today, 1, n) }];
  for (let level = 1; level <= ladderLevels(policy); level++) {
    steps.push({ kind: `escalation_${level}`, level, ...overdueWindow(calendar, today, level * n, (level + 1) * n) });
  }
  return steps;
}

/**
 * The working days up to `today`, oldest first, `count` of them (today last if it is one): with
 * width_bucket(deadline, days) in SQL, the working days an item is overdue is
 * count − width_bucket (the days after its deadline), in one binary search per item.
 */
export function workingDaysBack(calendar: WorkCalendar, today: string, count: number): string[] {
  const days: string[] = [];
  let day = calendar.isWorkingDay(today) ? today : calendar.subtractWorkingDays(today, 1);
  for (let i = 0; i < count; i++) {
    days.push(day);
    day = calendar.subtractWorkingDays(day, 1);
  }
  return days.reverse();
}
