import { combine, distributionsOf, median } from './distribution.js';

describe('distributions of working days to close', () => {
  it('takes the median as percentile_cont(0.5) does: the middle value, or the mean of the two middle ones', () => {
    // 3, 5, 5, 9 → (5 + 5) / 2; 3, 5, 5, 9, 40 → 5; 3, 9 → 6; one item → its value; none → null.
    expect(median({ days: [3, 5, 9], n: [1, 2, 1] })).toBe(5);
    expect(median({ days: [3, 5, 9, 40], n: [1, 2, 1, 1] })).toBe(5);
    expect(median({ days: [3, 9], n: [1, 1] })).toBe(6);
    expect(median({ days: [12], n: [1] })).toBe(12);
    expect(median({ days: [], n: [] })).toBeNull();
    // 1×2, 2×3, 10×5 (10 items): the 5th and 6th values are 2 and 10 → 6.
    expect(median({ days: [1, 2, 10], n: [2, 3, 5] })).toBe(6);
  });

  it('adds up the sources of one group, corrections subtracting, and drops values that cancel out', () => {
    const cells = { days: [4, 7, 20], n: [3, 1, 2] };
    const pending = { days: [7, 30], n: [2, 1] };
    const correction = { days: [4, 20], n: [-1, -2] };
    expect(combine([cells, pending, correction])).toEqual({ days: [4, 7, 30], n: [2, 3, 1] });
    // 4, 4, 7, 7, 7, 30 → (7 + 7) / 2.
    expect(median(combine([cells, pending, correction]))).toBe(7);
    expect(combine([cells])).toBe(cells);
  });

  it('groups (g, days, n) rows in any order into one ascending distribution per group', () => {
    const rows = [
      { g: 'b', days: 9, n: 1 },
      { g: 'a', days: 5, n: 2 },
      { g: 'b', days: 2, n: 1 },
      { g: 'a', days: 5, n: 1 },
      { g: 'a', days: 1, n: 1 },
    ];
    expect(distributionsOf(rows)).toEqual([
      { g: 'b', days: [2, 9], n: [1, 1] },
      { g: 'a', days: [1, 5], n: [1, 3] },
    ]);
  });
});
