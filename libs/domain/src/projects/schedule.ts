import { daysBetween } from '../time/clock.js';

/**
 * 序时进度: how far a project should be by a date, judged against what was actually verified.
 *
 * Elapsed share of the construction period, by days, both ends included (a period of 2024 has 366
 * days). A milestone is due once its current planned date has come, and delayed from the day after
 * it while it is not verified. A project is
 *  - completed    when every milestone is verified;
 *  - behind       when a milestone is delayed;
 *  - not_started  before its planned start, with nothing verified;
 *  - ahead        when nothing is delayed and a milestone not yet due is already verified;
 *  - on_schedule  otherwise.
 */
export const SCHEDULE_STATUSES = ['not_started', 'on_schedule', 'ahead', 'behind', 'completed'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export const SCHEDULE_STATUS_LABELS: Record<ScheduleStatus, string> = {
  not_started: '未到开工期',
  on_schedule: '按序时推进',
  ahead: '超序时',
  behind: '滞后',
  completed: '已完成',
};

/** A milestone as it stood on the day judged. */
export interface MilestoneFacts {
  name: string;
  /** The planned date in force that day (the latest version made by then). */
  plannedDate: string;
  verified: boolean;
}

export interface DelayedMilestone {
  name: string;
  plannedDate: string;
  daysLate: number;
}

export interface ScheduleJudgement {
  status: ScheduleStatus;
  asOf: string;
  elapsedDays: number;
  totalDays: number;
  /** Elapsed share of the construction period (0–1, 4 decimals). */
  expectedShare: number;
  /** Verified milestones / all milestones (0–1, 4 decimals). */
  actualShare: number;
  milestones: { total: number; due: number; verified: number; dueVerified: number; delayed: number };
  delayed: DelayedMilestone[];
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Days of the period [start, end] elapsed by the end of `asOf`, both ends included. */
export function elapsedDays(start: string, end: string, asOf: string): { elapsed: number; total: number } {
  const total = daysBetween(start, end) + 1;
  if (total <= 0) throw new Error(`the period ${start}–${end} ends before it starts`);
  const elapsed = Math.min(Math.max(daysBetween(start, asOf) + 1, 0), total);
  return { elapsed, total };
}

export function judgeSchedule(
  period: { start: string; end: string },
  milestones: readonly MilestoneFacts[],
  asOf: string,
): ScheduleJudgement {
  const { elapsed, total } = elapsedDays(period.start, period.end, asOf);
  const due = milestones.filter((m) => m.plannedDate <= asOf);
  const verified = milestones.filter((m) => m.verified);
  const delayed = milestones
    .filter((m) => !m.verified && m.plannedDate < asOf)
    .map((m) => ({ name: m.name, plannedDate: m.plannedDate, daysLate: daysBetween(m.plannedDate, asOf) }));
  let status: ScheduleStatus;
  if (milestones.length > 0 && verified.length === milestones.length) status = 'completed';
  else if (delayed.length > 0) status = 'behind';
  else if (asOf < period.start && verified.length === 0) status = 'not_started';
  else if (verified.some((m) => m.plannedDate > asOf)) status = 'ahead';
  else status = 'on_schedule';
  return {
    status,
    asOf,
    elapsedDays: elapsed,
    totalDays: total,
    expectedShare: round4(elapsed / total),
    actualShare: milestones.length === 0 ? 0 : round4(verified.length / milestones.length),
    milestones: {
      total: milestones.length,
      due: due.length,
      verified: verified.length,
      dueVerified: due.filter((m) => m.verified).length,
      delayed: delayed.length,
    },
    delayed,
  };
}

/**
 * Investment against the annual plan. The expected share by the end of month m is m/12 (序时进度 by
 * months); completed year-to-date at or above it is on schedule, at least 10 percentage points above
 * it is ahead, below it is behind. Without an annual plan there is nothing to judge.
 */

export type InvestmentStatus = 'behind' | 'on_schedule' | 'ahead' | 'no_plan';

export interface InvestmentJudgement {
  month: string;
  expectedShare: number;
  /** Year-to-date / annual plan (4 decimals), null without a plan. */
  annualShare: number | null;
  /** Since start / total planned investment (4 decimals), null without a total. */
  totalShare: number | null;
  status: InvestmentStatus;
}

export function expectedAnnualShare(month: string): number {
  return round4(Number(month.slice(5, 7)) / 12);
}

export function judgeInvestment(
  month: string,
  amounts: { yearToDate: number; sinceStart: number; annualPlan: number | null; total: number | null },
): InvestmentJudgement {
  const expectedShare = expectedAnnualShare(month);
  const annualShare = amounts.annualPlan && amounts.annualPlan > 0 ? round4(amounts.yearToDate / amounts.annualPlan) : null;
  const totalShare = amounts.total && amounts.total > 0 ? round4(amounts.sinceStart / amounts.total) : null;
  // Compared exactly, in 分 and twelfths: 599.99 of 1,200 by June is behind even though it rounds to 50.00%.
  const m = Number(month.slice(5, 7));
  const ytd = Math.round(amounts.yearToDate * 100);
  const plan = Math.round((amounts.annualPlan ?? 0) * 100);
  const status: InvestmentStatus =
    annualShare === null ? 'no_plan' : ytd * 12 < plan * m ? 'behind' : ytd * 120 >= plan * (10 * m + 12) ? 'ahead' : 'on_schedule';
  return { month, expectedShare, annualShare, totalShare, status };
}
