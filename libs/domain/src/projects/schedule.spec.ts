import { elapsedDays, expectedAnnualShare, judgeInvestment, judgeSchedule, type MilestoneFacts } from './schedule.js';

const ms = (name: string, plannedDate: string, verified = false): MilestoneFacts => ({ name, plannedDate, verified });

describe('elapsed share of the construction period (days, both ends counted)', () => {
  it('counts a leap year as 366 days: 29 February 2024 is day 60', () => {
    expect(elapsedDays('2024-01-01', '2024-12-31', '2024-02-29')).toEqual({ elapsed: 60, total: 366 });
    expect(elapsedDays('2025-01-01', '2025-12-31', '2025-02-28')).toEqual({ elapsed: 59, total: 365 });
  });

  it('spans years: 2023-03-01 … 2025-10-31 is 976 days; on 2024-03-01 (a leap year) 367 have passed', () => {
    // 2023-03-01..2024-02-29 = 366 days (includes 29 Feb 2024), so 2024-03-01 is day 367.
    // Total: 306 (2023-03-01..12-31) + 366 (2024) + 304 (2025-01-01..10-31) = 976.
    expect(elapsedDays('2023-03-01', '2025-10-31', '2024-03-01')).toEqual({ elapsed: 367, total: 976 });
  });

  it('is 0 before the start and the whole period after the end', () => {
    expect(elapsedDays('2025-01-01', '2025-12-31', '2024-12-31')).toEqual({ elapsed: 0, total: 365 });
    expect(elapsedDays('2025-01-01', '2025-12-31', '2026-06-01')).toEqual({ elapsed: 365, total: 365 });
  });
});

describe('schedule status', () => {
  const period = { start: '2024-01-01', end: '2025-12-31' }; // 731 days (2024 is a leap year)
  const plan = [ms('立项', '2024-01-01'), ms('开工', '2024-06-30'), ms('主体完工', '2025-06-30'), ms('投运', '2025-12-31')];

  it('is not_started before the planned start when nothing is verified', () => {
    const j = judgeSchedule(period, plan, '2023-12-15');
    expect(j.status).toBe('not_started');
    expect(j.expectedShare).toBe(0);
    expect(j.milestones).toEqual({ total: 4, due: 0, verified: 0, dueVerified: 0, delayed: 0 });
  });

  it('is on_schedule on a milestone’s planned day (due, not yet delayed)', () => {
    const j = judgeSchedule(period, plan, '2024-01-01');
    expect(j.status).toBe('on_schedule');
    expect(j.milestones.due).toBe(1);
    expect(j.delayed).toEqual([]);
    expect(j.expectedShare).toBe(0.0014); // 1/731 = 0.001368 → 0.0014
  });

  it('is behind from the day after a planned date, naming the milestone and the days late', () => {
    const j = judgeSchedule(period, [ms('立项', '2024-01-01', true), ...plan.slice(1)], '2024-07-02');
    expect(j.status).toBe('behind');
    expect(j.delayed).toEqual([{ name: '开工', plannedDate: '2024-06-30', daysLate: 2 }]);
    expect(j.milestones).toEqual({ total: 4, due: 2, verified: 1, dueVerified: 1, delayed: 1 });
    // 2024-01-01..2024-07-02 = 31+29+31+30+31+30+2 = 184 days of 731.
    expect(j.elapsedDays).toBe(184);
    expect(j.expectedShare).toBe(0.2517); // 184/731 = 0.25171
    expect(j.actualShare).toBe(0.25);
  });

  it('is ahead when a milestone not yet due is verified and nothing is late', () => {
    const done = [
      ms('立项', '2024-01-01', true),
      ms('开工', '2024-06-30', true),
      ms('主体完工', '2025-06-30', true),
      ms('投运', '2025-12-31'),
    ];
    expect(judgeSchedule(period, done, '2025-03-01').status).toBe('ahead');
  });

  it('lets a delay outweigh being ahead elsewhere', () => {
    const mixed = [ms('立项', '2024-01-01'), ms('开工', '2024-06-30', true), ...plan.slice(2)];
    expect(judgeSchedule(period, mixed, '2024-03-01').status).toBe('behind');
  });

  it('is completed when every milestone is verified, late or not', () => {
    const all = plan.map((m) => ({ ...m, verified: true }));
    const j = judgeSchedule(period, all, '2026-02-01');
    expect(j.status).toBe('completed');
    expect(j.actualShare).toBe(1);
    expect(j.expectedShare).toBe(1);
  });

  it('a project without milestones is judged by time alone (never completed)', () => {
    expect(judgeSchedule(period, [], '2024-05-01').status).toBe('on_schedule');
    expect(judgeSchedule(period, [], '2023-05-01').status).toBe('not_started');
  });
});

describe('investment against the annual plan (序时进度 by months)', () => {
  it('expects m/12 by the end of month m', () => {
    expect(expectedAnnualShare('2026-01')).toBe(0.0833);
    expect(expectedAnnualShare('2026-06')).toBe(0.5);
    expect(expectedAnnualShare('2026-12')).toBe(1);
  });

  it('is behind below the expected share, on schedule from it, ahead 10 points above it', () => {
    const plan = { sinceStart: 0, total: 10_000, annualPlan: 1_200 };
    // June: expected 0.5 of 1200 = 600.
    expect(judgeInvestment('2026-06', { ...plan, yearToDate: 599.99 }).status).toBe('behind');
    expect(judgeInvestment('2026-06', { ...plan, yearToDate: 600 }).status).toBe('on_schedule');
    expect(judgeInvestment('2026-06', { ...plan, yearToDate: 719.99 }).status).toBe('on_schedule');
    expect(judgeInvestment('2026-06', { ...plan, yearToDate: 720 }).status).toBe('ahead');
  });

  it('gives the shares of the annual plan and of the total', () => {
    const j = judgeInvestment('2026-03', { yearToDate: 250, sinceStart: 3_250, annualPlan: 1_000, total: 13_000 });
    expect(j).toEqual({ month: '2026-03', expectedShare: 0.25, annualShare: 0.25, totalShare: 0.25, status: 'on_schedule' });
  });

  it('cannot judge a year without a plan', () => {
    const j = judgeInvestment('2026-03', { yearToDate: 250, sinceStart: 250, annualPlan: null, total: 0 });
    expect(j.status).toBe('no_plan');
    expect(j.annualShare).toBeNull();
    expect(j.totalShare).toBeNull();
  });
});
