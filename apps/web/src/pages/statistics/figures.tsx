import { Col, Statistic, Tooltip } from 'antd';
import { asWritten, shown, type Figure } from '../../lib/figures';
import type { Locale } from '../../lib/format';

export { asWritten, percent, shown, type Figure } from '../../lib/figures';

/** A group of a breakdown: its figures' values (defined once in `definitions` or the summary). */
export interface GroupRow {
  key: string;
  label: string;
  figures: Figure[];
}

/** One figure, its formula on hover and on keyboard focus. */
export function FigureTile(props: { f: Figure; label?: string; testId: string; span: Record<string, number>; locale?: Locale }) {
  const { f, label, testId, span, locale } = props;
  return (
    <Col {...span}>
      <Tooltip title={f.formula}>
        <div tabIndex={0} data-testid={testId} data-value={f.value ?? ''} aria-description={f.formula}>
          <Statistic title={label ?? f.label} value={shown(f, locale)} formatter={asWritten} />
        </div>
      </Tooltip>
    </Col>
  );
}
