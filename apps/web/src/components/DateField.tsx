import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties } from 'react';

interface Props {
  /** The day as the api writes it, YYYY-MM-DD. */
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  id?: string;
  style?: CSSProperties;
  'aria-label'?: string;
}

/**
 * A day picked in the app's calendar (Chinese or English with the app) and written YYYY-MM-DD in
 * every browser, where a native date input follows the browser's locale (06/30/2030 in an English one).
 * In a Form.Item the field's value stays the API's string.
 */
export function DateField({ value, onChange, ...rest }: Props) {
  return (
    <DatePicker
      {...rest}
      format="YYYY-MM-DD"
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)}
    />
  );
}
