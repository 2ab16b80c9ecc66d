import { computeDeadline } from './deadline-rule.js';
import { statutoryEntries, WorkCalendar } from './work-calendar.js';

const cal = WorkCalendar.statutory();

describe('work calendar: the State Council schedules', () => {
  it('2025 Spring Festival: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 are working days', () => {
    for (let d = 28; d <= 31; d++) expect(cal.isWorkingDay(`2025-01-${d}`)).toBe(false);
    for (let d = 1; d <= 4; d++) expect(cal.isWorkingDay(`2025-02-0${d}`)).toBe(false);
    expect(cal.info('2025-01-26')).toEqual({ date: '2025-01-26', working: true, reason: 'makeup_workday', name: '春节' });
    expect(cal.info('2025-02-08')).toEqual({ date: '2025-02-08', working: true, reason: 'makeup_workday', name: '春节' });
    expect(cal.info('2025-01-25')).toEqual({ date: '2025-01-25', working: false, reason: 'weekend', name: null });
    expect(cal.info('2025-02-05').working).toBe(true);
  });

  it('adds working days across the 2025 Spring Festival', () => {
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26'); // Fri → the make-up Sunday
    expect(cal.addWorkingDays('2025-01-24', 2)).toBe('2025-01-27');
    expect(cal.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05'); // over the whole holiday
    expect(cal.addWorkingDays('2025-02-07', 1)).toBe('2025-02-08'); // the make-up Saturday
    // 1/21–1/24 (4), Sunday 1/26 (5), 1/27 (6), 2/5–2/7 (9), Saturday 2/8 (10)
    expect(cal.addWorkingDays('2025-01-20', 10)).toBe('2025-02-08');
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-10')).toBe(7); // 1/26, 1/27, 2/5, 2/6, 2/7, 2/8, 2/10
  });

  it('National Day 2024: 9/29 (Sunday) works, 10/1–10/7 off, 10/12 (Saturday) works', () => {
    expect(cal.isWorkingDay('2024-09-29')).toBe(true);
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2024-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2024-10-12')).toBe(true);
    expect(cal.addWorkingDays('2024-09-30', 1)).toBe('2024-10-08');
    expect(cal.subtractWorkingDays('2024-10-08', 1)).toBe('2024-09-30');
    expect(cal.subtractWorkingDays('2024-10-08', 2)).toBe('2024-09-29');
    // 9/29, 9/30, 10/8, 10/9, 10/10, 10/11, 10/12, 10/14
    expect(cal.workingDaysBetween('2024-09-27', '2024-10-14')).toBe(8);
  });

  it('crosses year ends', () => {
    expect(cal.addWorkingDays('2024-12-31', 1)).toBe('2025-01-02');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04'); // 2026: 1/1–1/3 off, Sunday 1/4 works
    expect(cal.subtractWorkingDays('2026-01-04', 1)).toBe('2025-12-31');
    expect(cal.workingDaysBetween('2025-12-26', '2026-01-05')).toBe(5); // 12/29, 12/30, 12/31, 1/4, 1/5
  });

  it('handles leap years', () => {
    expect(cal.isWorkingDay('2024-02-29')).toBe(true);
    expect(cal.addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(cal.addWorkingDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(cal.workingDaysBetween('2024-02-09', '2024-02-19')).toBe(2); // 2/18 (make-up Sunday), 2/19
    // 2028 is a leap year outside the shipped data: weekdays only
    expect(cal.addWorkingDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(cal.addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
  });

  it('a calendar-day period ending in a holiday ends on the next working day', () => {
    expect(cal.addCalendarDays('2025-09-24', 7)).toBe('2025-10-09'); // 10/1 is a holiday
    expect(cal.addCalendarDays('2025-09-21', 7)).toBe('2025-09-28'); // Sunday, but a make-up working day
    expect(cal.addCalendarDays('2025-03-03', 5)).toBe('2025-03-10'); // Saturday → Monday
    expect(cal.addCalendarDays('2025-03-03', 4)).toBe('2025-03-07');
  });

  it('explains computed deadlines', () => {
    const working = computeDeadline({ kind: 'working_days', from: '2025-01-20', days: 10, event: 'transfer' }, cal);
    expect(working.deadline).toBe('2025-02-08');
    expect(working.holidays).toHaveLength(8);
    expect(working.explanationEn).toBe(
      '10 working days after transfer 2025-01-20 → 2025-02-08; 8 holiday day(s) not counted (春节); 2 make-up working day(s) counted (春节); weekends not counted unless made working days (调休)',
    );
    // counted: 1/21–1/24, Sun 1/26 (调休), 1/27, 2/5–2/7, Sat 2/8 (调休) = 10
    expect(working.explanation).toBe(
      '自transfer（2025-01-20）起10个工作日，截止2025-02-08；期间春节放假8天（01-28、01-29、01-30、01-31、02-01、02-02、02-03、02-04）不计入；春节调休上班2天（01-26、02-08）计入工作日；周六、周日不计入（调休上班日除外）',
    );
    expect(working).toMatchObject({ provisional: false, unpublishedYears: [] });
    const across = computeDeadline({ kind: 'working_days', from: '2026-12-21', days: 30 }, cal);
    expect(across).toMatchObject({ provisional: true, unpublishedYears: [2027] });
    expect(across.explanation).toContain('注意：2027年节假日安排尚未公布，暂按周一至周五为工作日计算，此为临时时限，公布后将重新计算');
    expect(computeDeadline({ kind: 'working_days', from: '2026-12-21', days: 30 }, cal, (y) => y <= 2027).provisional).toBe(false);
    const calendar = computeDeadline({ kind: 'calendar_days', from: '2025-09-24', days: 7 }, cal);
    expect(calendar).toMatchObject({
      deadline: '2025-10-09',
      explanationEn: '7 calendar days after 2025-09-24 → 2025-10-01, not a working day, so it ends on the next working day 2025-10-09',
      explanation: '自2025-09-24起7个自然日，届满日为2025-10-01，该日不是工作日（国庆节放假），顺延至下一个工作日2025-10-09',
    });
    expect(calendar.holidays.map((h) => h.date)).toEqual([
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]);
    expect(computeDeadline({ kind: 'date', date: '2026-06-30' }, cal).explanation).toBe('指定日期 2026-06-30');
  });

  it('administrator entries override the shipped data', () => {
    const corrected = WorkCalendar.statutory([
      { date: '2025-02-08', kind: 'off', name: '更正' },
      { date: '2027-02-06', kind: 'off', name: '春节' },
    ]);
    expect(corrected.isWorkingDay('2025-02-08')).toBe(false);
    expect(corrected.isWorkingDay('2027-02-05')).toBe(true);
    expect(corrected.info('2027-02-06')).toMatchObject({ working: false, reason: 'holiday', name: '春节' });
    expect(() => new WorkCalendar([{ date: '2025-02-30', kind: 'off', name: 'x' }])).toThrow(/invalid date/);
  });

  it('refuses negative or fractional day counts', () => {
    expect(() => cal.addWorkingDays('2025-01-01', -1)).toThrow(/days must be a whole number/);
    expect(() => cal.addWorkingDays('2025-01-01', 1.5)).toThrow(/days must be a whole number/);
    expect(() => cal.subtractWorkingDays('2025-01-01', 0)).toThrow(/days must be a whole number/);
  });

  it('the shipped data never marks a weekday as a make-up working day or a day twice', () => {
    const seen = new Set<string>();
    for (const e of statutoryEntries()) {
      expect(seen.has(e.date)).toBe(false);
      seen.add(e.date);
      const dow = new Date(`${e.date}T00:00:00Z`).getUTCDay();
      if (e.kind === 'work') expect([0, 6]).toContain(dow);
    }
  });
});

describe('work calendar: cross-check with an independent source', () => {
  it('agrees with the chinese-days package on every day of 2019–2026', async () => {
    const { isWorkday } = (await import('chinese-days')) as { isWorkday: (d: string) => boolean };
    const disagreements: string[] = [];
    for (let d = '2019-01-01'; d <= '2026-12-31'; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      if (cal.isWorkingDay(d) !== isWorkday(d)) disagreements.push(d);
    }
    expect(disagreements).toEqual([]);
  });
});
