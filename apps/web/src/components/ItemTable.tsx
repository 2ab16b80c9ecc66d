import { Table, Tag, Tooltip } from 'antd';
import type { ColumnsType, TableProps } from 'antd/es/table';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { ResponseOf } from '../api/types';
import { useI18n, type I18n } from '../i18n/i18n';
import { formatDate } from '../lib/format';

export type ItemRow = ResponseOf<'/api/items', 'get'>['data'][number];

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  assigned: 'geekblue',
  in_progress: 'processing',
  in_acceptance: 'purple',
  public_notice: 'cyan',
  phase_completed: 'lime',
  signed_off: 'success',
  cancelled: 'default',
  merged: 'default',
};

export function StateTag({ state }: { state: string }) {
  const { label } = useI18n();
  return <Tag color={STATE_COLORS[state] ?? 'default'}>{label('state', state)}</Tag>;
}

export function DeadlineCell({ item }: { item: Pick<ItemRow, 'currentDeadline' | 'originalDeadline' | 'overdue' | 'deadlineVersion'> }) {
  const { locale } = useI18n();
  if (!item.currentDeadline) return <span>—</span>;
  const extended = item.deadlineVersion > 1 && item.originalDeadline !== item.currentDeadline;
  return (
    <span style={{ color: item.overdue ? '#a8071a' : undefined, whiteSpace: 'nowrap' }}>
      {formatDate(item.currentDeadline, locale, 'short')}
      {item.overdue && (
        <Tag color="error" style={{ marginInlineStart: 4 }}>
          {locale === 'en' ? 'overdue' : '逾期'}
        </Tag>
      )}
      {extended && (
        <Tooltip title={`${locale === 'en' ? 'originally' : '原时限'} ${formatDate(item.originalDeadline, locale, 'short')}`}>
          <Tag style={{ marginInlineStart: 4 }}>{locale === 'en' ? 'extended' : '已延期'}</Tag>
        </Tooltip>
      )}
    </span>
  );
}

/** The ledger's columns (整改台账), by key, so the list can let the user choose them. */
export function useItemColumns(): ColumnsType<ItemRow> {
  const { label, locale } = useI18n();
  // The same columns from render to render (per language), so a changed filter re-renders only the rows that changed.
  return useMemo(() => itemColumns(label, locale), [label, locale]);
}

function itemColumns(label: I18n['label'], locale: I18n['locale']): ColumnsType<ItemRow> {
  const en = locale === 'en';
  return [
    {
      key: 'code',
      dataIndex: 'code',
      title: en ? 'No.' : '编号',
      width: 96,
      sorter: true,
      render: (v: string, r) => <Link to={`/items/${r.id}`}>{v}</Link>,
    },
    {
      key: 'title',
      dataIndex: 'title',
      title: en ? 'Problem' : '问题',
      ellipsis: true,
      render: (v: string, r) => <Link to={`/items/${r.id}`}>{v}</Link>,
    },
    { key: 'batchName', dataIndex: 'batchName', title: en ? 'Batch' : '批次', width: 180, ellipsis: true },
    {
      key: 'sourceType',
      dataIndex: 'sourceType',
      title: en ? 'Source' : '问题来源',
      width: 130,
      ellipsis: true,
      render: (v: string) => label('source', v),
    },
    { key: 'domain', dataIndex: 'domain', title: en ? 'Domain' : '领域', width: 64, render: (v: string) => label('domain', v) },
    { key: 'type', dataIndex: 'type', title: en ? 'Type' : '整改类型', width: 84, render: (v: string) => label('itemType', v) },
    { key: 'countyName', dataIndex: 'countyName', title: en ? 'County' : '所属区县', width: 90, ellipsis: true },
    { key: 'leadUnits', dataIndex: 'leadUnits', title: en ? 'Lead units' : '牵头单位', width: 150, ellipsis: true },
    {
      key: 'currentDeadline',
      dataIndex: 'currentDeadline',
      title: en ? 'Deadline' : '整改时限',
      width: 150,
      sorter: true,
      render: (_: unknown, r) => <DeadlineCell item={r} />,
    },
    { key: 'state', dataIndex: 'state', title: en ? 'State' : '整改状态', width: 96, render: (v: string) => <StateTag state={v} /> },
    {
      key: 'updatedAt',
      dataIndex: 'updatedAt',
      title: en ? 'Updated' : '最近更新',
      width: 100,
      sorter: true,
      render: (v: string) => formatDate(v, locale, 'short'),
    },
  ];
}

export const DEFAULT_COLUMNS = ['code', 'title', 'leadUnits', 'countyName', 'currentDeadline', 'state'];

export function ItemTable({
  columnKeys,
  sortedBy,
  ...props
}: TableProps<ItemRow> & { columnKeys?: string[]; sortedBy?: { key: string; order: 'ascend' | 'descend' } }) {
  const all = useItemColumns();
  const keys = (columnKeys ?? DEFAULT_COLUMNS).join();
  const sortKey = sortedBy?.key;
  const sortOrder = sortedBy?.order;
  const columns = useMemo(
    () =>
      all
        .filter((c) => keys.split(',').includes(String(c.key)))
        .map((c) => (c.sorter ? { ...c, sortOrder: sortKey === c.key ? (sortOrder ?? null) : null } : c)),
    [all, keys, sortKey, sortOrder],
  );
  return <Table<ItemRow> rowKey="id" size="small" className="dense" columns={columns} scroll={{ x: 'max-content' }} {...props} />;
}
