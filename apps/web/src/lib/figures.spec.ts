import { percent, shown } from './figures';

const amount = (value: number | null) => ({ key: 'finesWan', kind: 'amount', value, display: '' });

describe('figures as the statistics page shows them', () => {
  it('writes amounts in 万元 without trailing zeros, from 10,000 万元 in 亿元', () => {
    expect(shown(amount(2.5))).toBe('2.5 万元');
    expect(shown(amount(100))).toBe('100 万元');
    expect(shown(amount(0.0125))).toBe('0.0125 万元');
    expect(shown(amount(1234.5))).toBe('1,234.5 万元');
    expect(shown(amount(12345.6))).toBe('1.2346 亿元');
    expect(shown(amount(20000))).toBe('2 亿元');
    expect(shown(amount(null))).toBe('0 万元');
    expect(shown(amount(2.5), 'en')).toBe('2.5 10k CNY');
    expect(shown(amount(30000), 'en')).toBe('3 100M CNY');
  });

  it('writes rates with one decimal and counts as the api does', () => {
    expect(shown({ key: 'closureRate', kind: 'rate', value: 0.98925, display: '98.93%' })).toBe('98.9%');
    expect(shown({ key: 'closureRate', kind: 'rate', value: null, display: '—' })).toBe('—');
    expect(shown({ key: 'received', kind: 'count', value: 186, display: '186' })).toBe('186');
    expect(percent(0.98925)).toBe(98.9);
    expect(percent(null)).toBe(0);
  });
});
