import { addDays, isIsoDate } from '../time/clock.js';
import { STATUTORY_RANGES, type CalendarDayKind } from './statutory-days.js';

export interface CalendarEntry {
  date: string; // YYYY-MM-DD
  kind: CalendarDayKind;
  name: string;
}

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  name: string | null;
}

/** Expands the shipped ranges into one entry per day. */
export function statutoryEntries(): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const [from, to, kind, name] of STATUTORY_RANGES) {
    for (let d = from; d <= to; d = addDays(d, 1)) entries.push({ date: d, kind, name });
  }
  return entries;
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
}

/**
 * China's working-day calendar: Monday to Friday work, weekends off, except the days the entries
 * say otherwise (statutory holidays, and weekend days made working days by 调休). Entries given
 * later override earlier ones, so an administrator's correction wins over the shipped data.
 */
export class WorkCalendar {
  private readonly entries = new Map<string, CalendarEntry>();

  constructor(entries: Iterable<CalendarEntry>) {
    for (const e of entries) {
      if (!isIsoDate(e.date)) throw new Error(`calendar entry with an invalid date: ${e.date}`);
      this.entries.set(e.date, e);
    }
  }

  /** The shipped statutory schedule, with overrides (e.g. from the database) on top. */
  static statutory(overrides: Iterable<CalendarEntry> = []): WorkCalendar {
    return new WorkCalendar([...statutoryEntries(), ...overrides]);
  }

  info(date: string): DayInfo {
    const entry = this.entries.get(date);
    if (entry) {
      return entry.kind === 'off'
        ? { date, working: false, reason: 'holiday', name: entry.name }
        : { date, working: true, reason: 'makeup_workday', name: entry.name };
    }
    const dow = weekday(date);
    const weekend = dow === 0 || dow === 6;
    return { date, working: !weekend, reason: weekend ? 'weekend' : 'weekday', name: null };
  }

  isWorkingDay(date: string): boolean {
    return this.info(date).working;
  }

  /** The date itself if it is a working day, else the first working day after it. */
  onOrAfter(date: string): string {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The n-th working day after the date (n ≥ 1); n = 0 gives onOrAfter(date). */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    if (n === 0) return this.onOrAfter(date);
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left -= 1;
    }
    return d;
  }

  /** The n-th working day before the date (n ≥ 1). */
  subtractWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a whole number ≥ 1, got ${n}`);
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, -1);
      if (this.isWorkingDay(d)) left -= 1;
    }
    return d;
  }

  /** Working days d with from < d ≤ to; negative when to is before from. */
  workingDaysBetween(from: string, to: string): number {
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count += 1;
    return count;
  }

  /**
   * A period in calendar days: the date n days later, moved to the next working day when it is
   * not one (信访 rules: a period whose last day falls in a holiday ends on the first working day after it).
   */
  addCalendarDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`calendar days must be a whole number ≥ 0, got ${n}`);
    return this.onOrAfter(addDays(date, n));
  }

  /** Days that are not working days in (from, to], with their reason: what a period skipped. */
  daysOffBetween(from: string, to: string): DayInfo[] {
    const out: DayInfo[] = [];
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
      const info = this.info(d);
      if (!info.working) out.push(info);
    }
    return out;
  }
}
