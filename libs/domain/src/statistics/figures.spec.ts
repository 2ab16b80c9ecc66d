import { definitionsOf, emptyByState, figuresFrom, rate, valueOf, type StatCounts } from './figures.js';

function counts(partial: Partial<StatCounts>): StatCounts {
  return {
    byState: emptyByState(),
    total: 0,
    signedOff: 0,
    awaitingAcceptance: 0,
    phaseCompleted: 0,
    due: 0,
    dueCompleted: 0,
    duePhaseCompleted: 0,
    overdueOpen: 0,
    closed: 0,
    closedWithOriginalDeadline: 0,
    closedOnTimeOriginal: 0,
    closedWithApprovedDeadline: 0,
    closedOnTimeApproved: 0,
    closeDaysCount: 0,
    closeDaysAverage: null,
    closeDaysMedian: null,
    extendedItems: 0,
    extensionsGranted: 0,
    reboundItems: 0,
    rebounds: 0,
    ...partial,
  };
}

const byKey = (c: StatCounts) => Object.fromEntries(figuresFrom(c).map((f) => [f.key, f]));

describe('closure figures', () => {
  it('rounds rates half-up to four places from integers, and leaves 0/0 undefined', () => {
    expect(rate(55, 56)).toBe(0.9821); // 0.982142…
    expect(rate(1, 8)).toBe(0.125);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(184, 186)).toBe(0.9892); // 0.989247…
    expect(rate(0, 0)).toBeNull();
  });

  it('186 items, 184 signed off and 2 phase-completed: 98.92% without, 100% with 阶段性完成 — both stated', () => {
    const f = byKey(counts({ total: 186, signedOff: 184, phaseCompleted: 2, due: 186, dueCompleted: 184, duePhaseCompleted: 2 }));
    expect(f.signOffRate).toMatchObject({ value: 0.9892, display: '98.92%', numerator: { value: 184 }, denominator: { value: 186 } });
    expect(f.completionRate.display).toBe('98.92%');
    expect(f.completionRateWithPhase).toMatchObject({ value: 1, display: '100.00%', numerator: { value: 186 } });
    expect(f.completionRateWithPhase.formula).toContain('阶段性完成');
    expect(f.completionRate.formula).not.toContain('+ 阶段性完成');
    expect(f.dueCompletionRateWithPhase.value).toBe(1);
    expect(f.inProgress.value).toBe(0);
  });

  it('completed counts items awaiting acceptance; the rate against due items names its denominator', () => {
    const f = byKey(counts({ total: 10, signedOff: 4, awaitingAcceptance: 2, due: 5, dueCompleted: 3, overdueOpen: 2 }));
    expect(f.completed.value).toBe(6);
    expect(f.inProgress.value).toBe(4);
    expect(f.dueCompletionRate).toMatchObject({ value: 0.6, numerator: { value: 3 }, denominator: { value: 5 } });
    expect(f.dueCompletionRate.denominator!.set).toContain('应完成');
    expect(f.completionRate.denominator!.set).toContain('纳入统计');
  });

  it('every figure says how it is computed; undefined values display as a dash', () => {
    const all = figuresFrom(counts({}));
    for (const f of all) expect(f.formula.length).toBeGreaterThan(4);
    expect(all.find((f) => f.key === 'closeDaysMedian')).toMatchObject({ value: null, display: '—' });
    expect(new Set(all.map((f) => f.key)).size).toBe(all.length);
  });

  it('breakdown rows carry values; the words are given once', () => {
    const figures = figuresFrom(counts({ total: 56, signedOff: 55, closeDaysCount: 55, closeDaysAverage: 120 }));
    const rate = figures.find((f) => f.key === 'signOffRate')!;
    expect(valueOf(rate)).toEqual({ key: 'signOffRate', value: 0.9821, display: '98.21%', numerator: 55, denominator: 56 });
    const defs = definitionsOf(figures);
    expect(defs.find((d) => d.key === 'signOffRate')).toMatchObject({ label: '销号率', numeratorSet: '已销号的事项' });
    expect(defs.find((d) => d.key === 'closeDaysAverage')!.formula).not.toContain('55 项');
  });
});
