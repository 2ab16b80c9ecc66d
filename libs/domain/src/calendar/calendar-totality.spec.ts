import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import { addDays } from '../time/clock.js';
import { DATE_RANGE, FIRST_DAY, LAST_DAY, MAX_SPAN_DAYS, dateOfDay, isSupportedDate } from '../time/date-range.js';
import { computeDeadline } from './deadline-rule.js';
import { WorkCalendar } from './work-calendar.js';

const cal = WorkCalendar.statutory();
// Every call is a few binary searches (microseconds); 500 ms is a bound that holds on a loaded shared machine
// (a runaway loop never returns), not a target.
const BOUND_MS = 500;

const hostile = fc.constantFrom(
  '9999-12-31',
  '0001-01-01',
  '2025-02-30',
  '+010000-01-01',
  '-000001-01-01',
  '2100-12-31',
  '1949-10-01',
  '1949-09-30',
  '2101-01-01',
  '',
  'not-a-date',
  '2025-1-1',
);
/** Dates spread over years 0001-9999 (mostly outside the range), dates near its edges, and hostile strings. */
const anyDate = fc.oneof(
  fc.integer({ min: -719_162, max: 2_932_896 }).map((d) => dateOfDay(d)),
  fc.integer({ min: FIRST_DAY - 400, max: LAST_DAY + 400 }).map((d) => dateOfDay(d)),
  fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map((d) => dateOfDay(d)),
  hostile,
);
const anyDays = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.integer({ min: 0, max: MAX_SPAN_DAYS + 10 }),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER, 1e9, Infinity, NaN),
);

/** Runs f and says whether it returned or refused with a 400, and how long it took. */
function outcome(f: () => unknown): { ok: boolean; value?: unknown; ms: number } {
  const started = performance.now();
  try {
    const value = f();
    return { ok: true, value, ms: performance.now() - started };
  } catch (e) {
    if (!(e instanceof DomainError) || e.kind !== 'validation') throw e;
    return { ok: false, ms: performance.now() - started };
  }
}

describe('date arithmetic is total: every call returns a supported date or refuses with a 400, within a bound', () => {
  it('the supported range is 1949-10-01 … 2100-12-31', () => {
    expect(DATE_RANGE).toEqual({ from: '1949-10-01', to: '2100-12-31' });
    expect(isSupportedDate('9999-12-31')).toBe(false);
    expect(isSupportedDate('2025-02-30')).toBe(false);
    expect(isSupportedDate('+010000-01-01')).toBe(false);
    expect(isSupportedDate('2100-12-31')).toBe(true);
  });

  it('the case of the issue: 9999-12-31 plus one working day refuses at once', () => {
    const r = outcome(() => cal.addWorkingDays('9999-12-31', 1));
    expect(r.ok).toBe(false);
    expect(r.ms).toBeLessThan(BOUND_MS);
    expect(() => addDays('9999-12-31', 1)).toThrow(DomainError);
    expect(() => cal.addWorkingDays('2100-12-31', 1)).toThrow(/supported dates/);
    expect(cal.addWorkingDays('2100-12-30', 1)).toBe('2100-12-31'); // a Friday
  });

  it('addWorkingDays, subtractWorkingDays, addCalendarDays, onOrAfter', () => {
    fc.assert(
      fc.property(anyDate, anyDays, (date, n) => {
        for (const f of [() => cal.addWorkingDays(date, n), () => cal.subtractWorkingDays(date, n), () => cal.addCalendarDays(date, n)]) {
          const r = outcome(f);
          expect(r.ms).toBeLessThan(BOUND_MS);
          if (r.ok) {
            expect(isSupportedDate(r.value)).toBe(true);
            expect(isSupportedDate(date)).toBe(true);
          }
        }
        const on = outcome(() => cal.onOrAfter(date));
        expect(on.ok).toBe(isSupportedDate(date) && date <= '2100-12-31');
        if (on.ok) expect(cal.isWorkingDay(on.value as string)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('adding then subtracting n working days from a working day comes back to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), fc.integer({ min: 1, max: 2000 }), (day, n) => {
        const date = cal.onOrAfter(dateOfDay(day));
        const r = outcome(() => cal.addWorkingDays(date, n));
        if (!r.ok) return; // past the end of the range
        expect(cal.subtractWorkingDays(r.value as string, n)).toBe(date);
        expect(cal.workingDaysBetween(date, r.value as string)).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('the counting formula agrees with a day-by-day walk, administrator entries included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY, max: LAST_DAY - 800 }),
        fc.integer({ min: 0, max: 800 }),
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 800 }), kind: fc.constantFrom('off' as const, 'work' as const) }), {
          maxLength: 30,
        }),
        (start, span, extra) => {
          const c = WorkCalendar.statutory(extra.map((e) => ({ date: dateOfDay(start + e.day), kind: e.kind, name: 'x' })));
          let walked = 0;
          for (let d = start + 1; d <= start + span; d++) if (c.isWorkingDay(dateOfDay(d))) walked += 1;
          expect(c.workingDaysBetween(dateOfDay(start), dateOfDay(start + span))).toBe(walked);
          if (walked > 0) {
            const nth = c.addWorkingDays(dateOfDay(start), walked);
            expect(nth <= dateOfDay(start + span)).toBe(true);
            expect(c.isWorkingDay(nth)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('workingDaysBetween and holidaysBetween count only inside the range, whatever the dates', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (a, b) => {
        const between = outcome(() => cal.workingDaysBetween(a, b));
        const off = outcome(() => cal.holidaysBetween(a, b));
        expect(between.ms).toBeLessThan(BOUND_MS);
        expect(off.ms).toBeLessThan(BOUND_MS);
        if (between.ok) expect(Math.abs(between.value as number)).toBeLessThanOrEqual(MAX_SPAN_DAYS + 1);
        if (off.ok) expect((off.value as unknown[]).length).toBeLessThanOrEqual(MAX_SPAN_DAYS + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('computeDeadline, for both kinds of period', () => {
    fc.assert(
      fc.property(anyDate, anyDays, fc.constantFrom('working_days' as const, 'calendar_days' as const), (from, days, kind) => {
        const r = outcome(() => computeDeadline({ kind, from, days }, cal));
        expect(r.ms).toBeLessThan(BOUND_MS);
        if (r.ok) expect(isSupportedDate((r.value as { deadline: string }).deadline)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
