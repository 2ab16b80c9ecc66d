import { shanghaiDate } from './clock.js';

const byIntl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('shanghaiDate', () => {
  it.each([
    ['2026-11-29T15:59:59.999Z', '2026-11-29'],
    ['2026-11-29T16:00:00.000Z', '2026-11-30'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2024-02-28T16:30:00.000Z', '2024-02-29'],
    ['1992-01-01T00:00:00.000Z', '1992-01-01'],
    // Daylight saving (UTC+9) in the summer of 1990: 15:30 UTC is already the next day.
    ['1990-07-01T15:30:00.000Z', '1990-07-02'],
  ])('%s is %s in China', (instant, date) => {
    expect(shanghaiDate(new Date(instant))).toBe(date);
  });

  it('agrees with the time-zone database at every hour of two years', () => {
    const start = Date.UTC(2025, 0, 1);
    const mismatches: string[] = [];
    for (let t = start; t < start + 2 * 366 * 86_400_000; t += 3_600_000 + 59_999) {
      const d = new Date(t);
      if (shanghaiDate(d) !== byIntl.format(d)) mismatches.push(d.toISOString());
    }
    expect(mismatches).toEqual([]);
  });
});
