import { findDates, parseLedgerDate } from './chinese-dates.js';

describe('ledger dates', () => {
  it.each([
    ['2025-06-30', '2025-06-30'],
    ['2025/6/30', '2025-06-30'],
    ['2025年6月30日', '2025-06-30'],
    ['2025 年 6 月 30 日前', '2025-06-30'],
    ['2025年6月底', '2025-06-30'],
    ['2024年2月底前', '2024-02-29'],
    ['2025年底前', '2025-12-31'],
    ['年底前', '2026-12-31'],
    ['１１月底', '2026-11-30'],
  ])('%s is %s', (text, date) => {
    expect(parseLedgerDate(text, 2026)).toEqual({ kind: 'date', date });
  });

  it('reads 长期坚持 as ongoing, an Excel date as given, and refuses what is not one date', () => {
    expect(parseLedgerDate('长期坚持', 2025)).toEqual({ kind: 'ongoing' });
    expect(parseLedgerDate('45838', 2025, '2025-06-30')).toEqual({ kind: 'date', date: '2025-06-30' });
    expect(parseLedgerDate('', 2025)).toEqual({ kind: 'none' });
    expect(parseLedgerDate('尽快', 2025)).toEqual({ kind: 'invalid' });
    expect(parseLedgerDate('2025年2月30日', 2025)).toEqual({ kind: 'invalid' });
    expect(parseLedgerDate('2025年6月底、9月底', 2025)).toEqual({ kind: 'invalid' });
  });
});

describe('dates in a plan', () => {
  it('reads stages with and without a year, and skips rhythms and bare years', () => {
    const text = '2024 年将产量冻结在基线水平；每月10日前通报；2025 年 6 月底前完成排查，12 月底前完成整治；到2026年，比例达到95%。';
    expect(findDates(text, 2025).map((d) => d.date)).toEqual(['2025-06-30', '2025-12-31', '2026-12-31']);
  });
});
