import { theme } from 'antd';
import { THEME } from './theme';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('the theme', () => {
  const token = theme.getDesignToken(THEME);

  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#52c41a', '#f6ffed')).toBeLessThan(4.5); // antd's own green on its own tint
  });

  // A status tag, alert or message writes color<Status> on color<Status>Bg: each must reach AA (4.5:1).
  it.each(['Success', 'Warning', 'Error', 'Info'] as const)('%s text is readable on its own background', (status) => {
    const text = token[`color${status}`];
    const background = token[`color${status}Bg`];
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(text, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
