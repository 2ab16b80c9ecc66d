import { DomainError } from '../errors/domain-error.js';
import { isIsoDate } from '../time/clock.js';
import { FIRST_DAY, LAST_DAY, MAX_SPAN_DAYS, dateOfDay, dateOutOfRange, dayNumber, supportedDay } from '../time/date-range.js';
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
    for (let d = supportedDay(from, 'from'), last = supportedDay(to, 'to'); d <= last; d++)
      entries.push({ date: dateOfDay(d), kind, name });
  }
  return entries;
}

/** 0 = Sunday … 6 = Saturday, of a day number (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const dow = weekdayOf(day);
  return dow === 0 || dow === 6;
}

// A Monday before the range (and before the day before it): weekdays are counted from here.
const ORIGIN = FIRST_DAY - 7 - ((weekdayOf(FIRST_DAY - 7) + 6) % 7);

/** Monday-to-Friday days in [ORIGIN, day]. */
function weekdaysThrough(day: number): number {
  const k = day - ORIGIN + 1;
  return 5 * Math.floor(k / 7) + Math.min(k % 7, 5);
}

/**
 * China's working-day calendar: Monday to Friday work, weekends off, except the days the entries
 * say otherwise (statutory holidays, and weekend days made working days by 调休). Entries given
 * later override earlier ones, so an administrator's correction wins over the shipped data.
 *
 * Arithmetic runs on day numbers inside DATE_RANGE and never walks day by day: working days in a
 * span are the weekdays (a formula) corrected by the entries that change a day's rule (a sorted
 * array with running sums), and "the n-th working day after" is a binary search over that count.
 * Every call is O(log) whatever the dates and counts a request sends.
 */
export class WorkCalendar {
  private readonly entries = new Map<number, CalendarEntry>();
  /** Days whose entry changes the weekday rule (a weekday off, a weekend day worked), ascending. */
  private readonly changedDays: number[] = [];
  /** changeSums[i]: the net change (+1 worked weekend, −1 weekday off) of changedDays[0..i). */
  private readonly changeSums: number[] = [0];
  /** Days with an entry that makes them a day off, ascending. */
  private readonly offDays: number[];

  constructor(entries: Iterable<CalendarEntry>) {
    for (const e of entries) {
      if (!isIsoDate(e.date)) throw new Error(`calendar entry with an invalid date: ${e.date}`);
      this.entries.set(dayNumber(e.date), e);
    }
    const changes = [...this.entries]
      .filter(([day, e]) => isWeekend(day) === (e.kind === 'work'))
      .map(([day, e]) => [day, e.kind === 'work' ? 1 : -1] as const)
      .sort((a, b) => a[0] - b[0]);
    this.offDays = [...this.entries]
      .filter(([, e]) => e.kind === 'off')
      .map(([day]) => day)
      .sort((a, b) => a - b);
    for (const [day, delta] of changes) {
      this.changedDays.push(day);
      this.changeSums.push(this.changeSums[this.changeSums.length - 1] + delta);
    }
  }

  /** The shipped statutory schedule, with overrides (e.g. from the database) on top. */
  static statutory(overrides: Iterable<CalendarEntry> = []): WorkCalendar {
    return new WorkCalendar([...statutoryEntries(), ...overrides]);
  }

  info(date: string): DayInfo {
    const day = dayNumber(date);
    if (Number.isNaN(day)) throw dateOutOfRange('date', 'date is not a real date');
    const entry = this.entries.get(day);
    if (entry) {
      return entry.kind === 'off'
        ? { date, working: false, reason: 'holiday', name: entry.name }
        : { date, working: true, reason: 'makeup_workday', name: entry.name };
    }
    const weekend = isWeekend(day);
    return { date, working: !weekend, reason: weekend ? 'weekend' : 'weekday', name: null };
  }

  isWorkingDay(date: string): boolean {
    const day = dayNumber(date);
    if (Number.isNaN(day)) throw dateOutOfRange('date', 'date is not a real date');
    return this.working(day);
  }

  /** The date itself if it is a working day, else the first working day after it. */
  onOrAfter(date: string, field = 'date'): string {
    const day = supportedDay(date, field);
    if (this.working(day)) return date;
    return dateOfDay(this.nthAfter(day, 1, () => dateOutOfRange(field, `no working day on or after ${date} within the supported dates`)));
  }

  /** The n-th working day after the date (n ≥ 1); n = 0 gives onOrAfter(date). */
  addWorkingDays(date: string, n: number): string {
    const start = supportedDay(date, 'from');
    checkDays(n, 0);
    if (n === 0) return this.onOrAfter(date, 'from');
    return dateOfDay(
      this.nthAfter(start, n, () => dateOutOfRange('days', `${n} working days after ${date} end after the supported dates`)),
    );
  }

  /** The n-th working day before the date (n ≥ 1). */
  subtractWorkingDays(date: string, n: number): string {
    const start = supportedDay(date, 'date');
    checkDays(n, 1);
    // The largest d < start with n working days in [d, start), i.e. in (d − 1, start − 1].
    if (this.count(FIRST_DAY - 1, start - 1) < n)
      throw dateOutOfRange('days', `${n} working days before ${date} start before the supported dates`);
    let [lo, hi] = [FIRST_DAY, start - 1]; // count(lo − 1, start − 1) ≥ n holds at lo
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.count(mid - 1, start - 1) >= n) lo = mid;
      else hi = mid - 1;
    }
    return dateOfDay(lo);
  }

  /**
   * Working days d with from < d ≤ to; negative when to is before from. Only days inside
   * DATE_RANGE are counted (a stored date beyond it cannot make the count run away).
   */
  workingDaysBetween(from: string, to: string): number {
    const [a, b] = [boundedDay(from, 'from'), boundedDay(to, 'to')];
    return b < a ? -this.count(b, a) : this.count(a, b);
  }

  /**
   * A period in calendar days: the date n days later, moved to the next working day when it is
   * not one (信访 rules: a period whose last day falls in a holiday ends on the first working day after it).
   */
  addCalendarDays(date: string, n: number): string {
    const start = supportedDay(date, 'from');
    checkDays(n, 0);
    const end = start + n;
    const past = () => dateOutOfRange('days', `${n} calendar days after ${date} end after the supported dates`);
    if (end > LAST_DAY) throw past();
    return dateOfDay(this.working(end) ? end : this.nthAfter(end, 1, past));
  }

  /** Holidays (entries that make a day off) in (from, to], ascending: what a period skipped besides weekends. */
  holidaysBetween(from: string, to: string): DayInfo[] {
    const [a, b] = [boundedDay(from, 'from'), boundedDay(to, 'to')];
    const out: DayInfo[] = [];
    for (let i = firstAfter(this.offDays, a); i < this.offDays.length && this.offDays[i] <= b; i++)
      out.push(this.info(dateOfDay(this.offDays[i])));
    return out;
  }

  /** Weekend days made working days (调休) in (from, to], ascending. */
  makeupDaysBetween(from: string, to: string): DayInfo[] {
    const [a, b] = [boundedDay(from, 'from'), boundedDay(to, 'to')];
    const out: DayInfo[] = [];
    for (let i = firstAfter(this.changedDays, a); i < this.changedDays.length && this.changedDays[i] <= b; i++) {
      const day = this.changedDays[i];
      if (this.entries.get(day)?.kind === 'work') out.push(this.info(dateOfDay(day)));
    }
    return out;
  }

  private working(day: number): boolean {
    const entry = this.entries.get(day);
    return entry ? entry.kind === 'work' : !isWeekend(day);
  }

  /** Working days in (a, b], a ≤ b, both day numbers. */
  private count(a: number, b: number): number {
    const changes = this.changeSums[firstAfter(this.changedDays, b)] - this.changeSums[firstAfter(this.changedDays, a)];
    return weekdaysThrough(b) - weekdaysThrough(a) + changes;
  }

  /** The smallest d in (start, LAST_DAY] with n working days in (start, d]; `beyond` when there is none. */
  private nthAfter(start: number, n: number, beyond: () => Error): number {
    if (this.count(start, LAST_DAY) < n) throw beyond();
    let [lo, hi] = [start + 1, LAST_DAY];
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.count(start, mid) >= n) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** The index of the first element after `day` in an ascending array (binary search). */
function firstAfter(days: number[], day: number): number {
  let [lo, hi] = [0, days.length];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkDays(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min || n > MAX_SPAN_DAYS) {
    throw DomainError.validation(`days must be a whole number from ${min} to ${MAX_SPAN_DAYS}`, [
      { field: 'days', messages: [`days must be a whole number from ${min} to ${MAX_SPAN_DAYS}`] },
    ]);
  }
}

/** A real date's day number, clamped to one day either side of DATE_RANGE. */
function boundedDay(date: string, field: string): number {
  const day = dayNumber(date);
  if (Number.isNaN(day)) throw dateOutOfRange(field, `${field} is not a real date`);
  return Math.min(Math.max(day, FIRST_DAY - 1), LAST_DAY + 1);
}
