import { Col, Statistic, Tooltip } from 'antd';
import { formatRate, formatWan, type Locale } from '../../lib/format';

/** A figure as the statistics endpoints answer it (free-form in the OpenAPI document). */
export interface Figure {
  key: string;
  label?: string;
  kind?: string;
  value: number | null;
  display: string;
  formula?: string;
}

/** A group of a breakdown: its figures' values (defined once in `definitions` or the summary). */
export interface GroupRow {
  key: string;
  label: string;
  figures: Figure[];
}

/** How a figure reads on the page: rates as 87.5%, amounts in 万元/亿元, counts as the api writes them. */
export function shown(f: Figure, locale: Locale = 'zh-CN'): string {
  if (f.kind === 'rate') return formatRate(f.value);
  if (f.kind === 'amount') return formatWan(f.value ?? 0, locale, 4).replace(/\.?0+ (万元|亿元|10k CNY|100M CNY)$/, ' $1');
  return f.display;
}

/** A rate 0..1 as a percentage with one decimal, for the charts (0 when undefined). */
export const percent = (v: number | null | undefined): number => Math.round((v ?? 0) * 1000) / 10;

/** One figure, its formula on hover and on keyboard focus. */
export function FigureTile(props: { f: Figure; label?: string; testId: string; span: Record<string, number>; locale?: Locale }) {
  const { f, label, testId, span, locale } = props;
  return (
    <Col {...span}>
      <Tooltip title={f.formula}>
        <div tabIndex={0} data-testid={testId} data-value={f.value ?? ''} aria-description={f.formula}>
          <Statistic title={label ?? f.label} value={shown(f, locale)} />
        </div>
      </Tooltip>
    </Col>
  );
}
