import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Popover, Space } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { can } from '../../auth/can';
import { useMe } from '../../auth/session';
import { download, saveBlob } from '../../auth/token';
import { describeError, ErrorView } from '../../components/ErrorView';
import { DEFAULT_COLUMNS, ItemTable, useItemColumns, type ItemRow } from '../../components/ItemTable';
import { useI18n } from '../../i18n/i18n';
import { PAGE_SIZES, filterPart, paramsFromQuery, queryFromParams, type ItemQuery } from '../../lib/itemQuery';
import { BulkActions } from './BulkActions';
import { ItemFilters } from './ItemFilters';
import { SavedFilters } from './SavedFilters';

const COLUMNS_KEY = 'rectify.itemColumns';

function useColumnChoice(): [string[], (keys: string[]) => void] {
  const [keys, setKeys] = useState<string[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
      return Array.isArray(saved) && saved.length ? (saved as string[]) : DEFAULT_COLUMNS;
    } catch {
      return DEFAULT_COLUMNS;
    }
  });
  const set = (next: string[]) => {
    setKeys(next);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
  };
  return [keys, set];
}

/** GET /api/items for one query (the address's filters, read back as the page reads them). */
const listQuery = (query: ItemQuery) => ({
  queryKey: ['items', query] as const,
  queryFn: () => unwrap(api.GET('/api/items', { params: { query } })),
});

const SORT_FIELDS: Record<string, string> = { code: 'code', currentDeadline: 'deadline', updatedAt: 'updatedAt' };

export default function ItemListPage() {
  const me = useMe();
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const [columnKeys, setColumnKeys] = useColumnChoice();
  const allColumns = useItemColumns();
  const [selected, setSelected] = useState<ItemRow[]>([]);
  const [exporting, setExporting] = useState(false);

  const queryClient = useQueryClient();
  const list = useQuery({ ...listQuery(query), placeholderData: keepPreviousData });
  const apply = (q: ItemQuery) => {
    const params = paramsFromQuery(q);
    // The request leaves with the click, not after the page has re-rendered for the new address.
    void queryClient.prefetchQuery(listQuery(queryFromParams(params)));
    setSelected((rows) => (rows.length ? [] : rows));
    setParams(params);
  };
  const selectedKeys = useMemo(() => selected.map((r) => r.id), [selected]);

  const bulk: ('assign' | 'urge')[] = [];
  if (can(me, 'item.create')) bulk.push('assign', 'urge');

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const qs = new URLSearchParams({ ...filterPart(query), format: 'xlsx' });
      const file = await download(`/api/items/export?${qs.toString()}`);
      saveBlob(file.blob, file.name);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setExporting(false);
    }
  };

  const sort = query.sort ?? 'open';
  const sortField = Object.entries(SORT_FIELDS).find(([, v]) => sort.replace('-', '') === v)?.[0];
  const columnsChooser = (
    <Checkbox.Group
      value={columnKeys}
      onChange={(v) => setColumnKeys(v.length ? v : DEFAULT_COLUMNS)}
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      options={allColumns.map((c) => ({ value: String(c.key), label: c.title as string }))}
    />
  );
  const data = list.data;
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.items')}</h1>
      <ItemFilters query={query} onChange={apply} />
      <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap size={8}>
          <SavedFilters query={query} onApply={apply} />
          <BulkActions selected={selected} actions={bulk} onDone={() => void list.refetch().then(() => setSelected([]))} />
        </Space>
        <Space size={8}>
          {can(me, 'item.create') && (
            <Link to="/items/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {en ? 'New item' : '新建事项'}
              </Button>
            </Link>
          )}
          {can(me, 'item.create') && (
            <>
              <Link to={query.batchId ? `/items/import?batchId=${query.batchId}` : '/items/import'}>
                <Button>{t('intake.import')}</Button>
              </Link>
              <Link to="/items/decompose">
                <Button>{t('intake.decompose')}</Button>
              </Link>
            </>
          )}
          <Popover content={columnsChooser} trigger="click" placement="bottomRight">
            <Button icon={<SettingOutlined />}>{t('common.columns')}</Button>
          </Popover>
          <Button loading={exporting} onClick={() => void exportXlsx()}>
            {t('common.export')} (.xlsx)
          </Button>
        </Space>
      </Space>
      {list.isError ? (
        <ErrorView error={list.error} retry={() => void list.refetch()} />
      ) : (
        <ItemTable
          columnKeys={columnKeys}
          dataSource={data?.data ?? []}
          loading={list.isFetching}
          data-testid="item-table"
          // which filters the rows on screen answer (absent while the previous ones stand in), so a test or the bench can wait for them
          data-query={data && !list.isPlaceholderData ? paramsFromQuery(query).toString() : undefined}
          rowSelection={bulk.length ? { selectedRowKeys: selectedKeys, onChange: (_, rows) => setSelected(rows) } : undefined}
          sortedBy={sortField ? { key: sortField, order: sort.startsWith('-') ? 'descend' : 'ascend' } : undefined}
          onChange={(pagination, _filters, sorter) => {
            const s = sorter as SorterResult<ItemRow>;
            const field = SORT_FIELDS[String(s.columnKey ?? '')];
            const nextSort = (field && s.order ? `${s.order === 'descend' ? '-' : ''}${field}` : 'open') as ItemQuery['sort'];
            const sortChanged = nextSort !== sort;
            apply({ ...query, sort: nextSort, page: sortChanged ? undefined : pagination.current, pageSize: pagination.pageSize });
          }}
          sortDirections={['ascend', 'descend']}
          pagination={{
            current: query.page ?? 1,
            pageSize: query.pageSize ?? 50,
            total: data?.total ?? 0,
            pageSizeOptions: PAGE_SIZES,
            showSizeChanger: true,
            showTotal: () =>
              data ? (data.totalIsExact ? t('common.total', { n: data.total }) : t('common.totalCapped', { n: data.total })) : '',
          }}
          locale={{ emptyText: en ? 'No items match these filters' : '没有符合条件的事项' }}
        />
      )}
    </div>
  );
}
