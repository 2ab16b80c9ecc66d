import { formatDate, formatDateTime, formatDays, formatRate, formatWan, isoDay } from './format';

describe('dates as people write them', () => {
  it('writes a date the Chinese way, or ISO', () => {
    expect(formatDate('2025-06-30', 'zh-CN')).toBe('2025年6月30日');
    expect(formatDate('2025-06-30', 'zh-CN', 'short')).toBe('2025-06-30');
    expect(formatDate('2025-06-30', 'en')).toBe('2025-06-30');
    expect(formatDate(null, 'zh-CN')).toBe('');
  });

  it('takes the China-time day of an instant', () => {
    // 16:30 UTC on 30 June is 00:30 on 1 July in Beijing
    expect(isoDay('2025-06-30T16:30:00Z')).toBe('2025-07-01');
    expect(formatDate('2025-06-30T16:30:00Z', 'zh-CN')).toBe('2025年7月1日');
    expect(formatDateTime('2025-06-30T06:05:00Z')).toBe('2025-06-30 14:05');
    expect(formatDateTime('not a date')).toBe('');
  });
});

describe('amounts in 万元 and 亿元', () => {
  it('keeps 万元 below ten thousand 万元, with grouping', () => {
    expect(formatWan('1234.5')).toBe('1,234.50 万元');
    expect(formatWan('9999.99')).toBe('9,999.99 万元');
    expect(formatWan(0)).toBe('0.00 万元');
  });

  it('switches to 亿元 from 10,000 万元, exactly', () => {
    expect(formatWan('10000')).toBe('1.00 亿元');
    // 118.75 亿元 = 1,187,500 万元 (the demo plan's air projects)
    expect(formatWan('1187500')).toBe('118.75 亿元');
    // 1,393,660 万元 = 139.366 亿元 → 139.37 with two decimals, 139.366 with three
    expect(formatWan('1393660')).toBe('139.37 亿元');
    expect(formatWan('1393660', 'zh-CN', 3)).toBe('139.366 亿元');
    expect(formatWan('123456789.99')).toBe('12,345.68 亿元');
  });

  it('rounds half up on decimal strings without floating-point drift', () => {
    expect(formatWan('0.005')).toBe('0.01 万元');
    expect(formatWan('1.005')).toBe('1.01 万元'); // 1.005 in binary floating point rounds down
    expect(formatWan('-12.345')).toBe('-12.35 万元');
  });

  it('says nothing for what is not a number, and speaks English when asked', () => {
    expect(formatWan('abc')).toBe('');
    expect(formatWan(null)).toBe('');
    expect(formatWan('25000', 'en')).toBe('2.50 100M CNY');
  });
});

describe('rates and day counts', () => {
  it('shows one decimal of a percentage', () => {
    expect(formatRate(0.875)).toBe('87.5%');
    expect(formatRate(53 / 58)).toBe('91.4%');
    expect(formatRate(null)).toBe('—');
  });

  it('says 工作日 where a deadline counts working days', () => {
    expect(formatDays(5, 'working_days', 'zh-CN')).toBe('5 个工作日');
    expect(formatDays(30, 'calendar_days', 'zh-CN')).toBe('30 天');
    expect(formatDays(1, 'working_days', 'en')).toBe('1 working day');
  });
});
