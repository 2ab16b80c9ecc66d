import {
  categoryFromLabel,
  monthEnd,
  nextMonth,
  parseAmount,
  previousMonth,
  templateProblems,
  DEFAULT_MILESTONE_TEMPLATE,
} from './projects.js';
import { fromCents, toCents } from './project-figures.js';

describe('amounts (万元, two decimals)', () => {
  it.each([
    ['1187500', '1187500'],
    ['35300.50', '35300.5'],
    ['0.05', '0.05'],
    ['007', '7'],
    [1250.25, '1250.25'],
    [0, '0'],
  ])('accepts %p as %p', (input, canonical) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ['-5', 'must not be negative'],
    [-5, 'must not be negative'],
    ['abc', 'must be a number of 万元, e.g. 1250.5'],
    ['1.234', 'must have at most two decimals (万元)'],
    ['', 'must be a number of 万元'],
    [null, 'must be a number of 万元'],
    [Number.NaN, 'must be a number of 万元'],
    ['1e5', 'must be a number of 万元, e.g. 1250.5'],
  ])('rejects %p: %s', (input, problem) => {
    expect(parseAmount(input)).toEqual({ ok: false, problem });
  });

  it('sums exactly in 分', () => {
    expect(fromCents(toCents('0.1') + toCents('0.2'))).toBe('0.3');
    expect(fromCents(toCents('35300.5') + toCents('2600.05'))).toBe('37900.55');
    expect(fromCents(toCents('1187500'))).toBe('1187500');
  });
});

describe('months', () => {
  it('steps over year ends and knows month lengths, leap Februaries included', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2025-02')).toBe('2025-02-28');
    expect(monthEnd('2025-12')).toBe('2025-12-31');
  });
});

describe('categories and the milestone template', () => {
  it('reads the plan’s category names', () => {
    expect(categoryFromLabel('大气')).toBe('air');
    expect(categoryFromLabel('大气环境质量改善项目')).toBe('air');
    expect(categoryFromLabel('水环境质量改善治理项目')).toBe('water');
    expect(categoryFromLabel('生态保护与修复')).toBe('ecology');
    expect(categoryFromLabel('重点领域环境风险防控项目')).toBe('risk');
    expect(categoryFromLabel('环境监管能力建设项目')).toBe('supervision');
    expect(categoryFromLabel('其他')).toBe('other');
    expect(categoryFromLabel('交通')).toBeNull();
  });

  it('accepts the default template and names what is wrong with a bad one', () => {
    expect(templateProblems(DEFAULT_MILESTONE_TEMPLATE)).toEqual([]);
    expect(
      templateProblems([
        { name: '开工', share: 0.5 },
        { name: '开工', share: 0.6 },
        { name: '投运', share: 0.4 },
        { name: '', share: 2 },
      ]),
    ).toEqual([
      'milestone 2: 开工 appears twice',
      'milestone 3: shares must not decrease',
      'milestone 4: name must be 1–100 characters',
      'milestone 4: share must be between 0 and 1',
    ]);
  });
});
