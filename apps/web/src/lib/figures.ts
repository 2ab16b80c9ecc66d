import { formatRate, formatWan, type Locale } from './format';

/** A figure as the statistics endpoints answer it (free-form in the OpenAPI document). */
export interface Figure {
  key: string;
  label?: string;
  kind?: string;
  value: number | null;
  display: string;
  formula?: string;
}

/** How a figure reads on the page: rates as 87.5%, amounts in 万元/亿元 without trailing zeros, counts as the api writes them. */
export function shown(f: Figure, locale: Locale = 'zh-CN'): string {
  if (f.kind === 'rate') return formatRate(f.value);
  if (f.kind === 'amount') {
    const text = formatWan(f.value ?? 0, locale, 4);
    const space = text.indexOf(' ');
    const num = text.slice(0, space);
    return `${num.includes('.') ? num.replace(/0+$/, '').replace(/\.$/, '') : num}${text.slice(space)}`;
  }
  return f.display;
}

/** A rate 0..1 as a percentage with one decimal, for the charts (0 when undefined). */
export const percent = (v: number | null | undefined): number => Math.round((v ?? 0) * 1000) / 10;

/** antd's Statistic groups digits (1,171); figures read as the api writes them (1171), as the bureau's reports do. */
export const asWritten = (v: number | string): string => String(v);
